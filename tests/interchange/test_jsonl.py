"""JSONL: byte-identical round trips, history kept exactly, the merge rule, and tombstones."""

from __future__ import annotations

import json
import re
from pathlib import Path

from curator.core.articles import documents
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.spans import annotate
from curator.core.storage.db import Database
from curator.core.storage.records import Span
from tests.interchange.conftest import Curated

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def _all_spans(db: Database) -> list[Span]:
    return sorted(
        (
            s
            for d in documents.list_documents(db)
            for s in annotate.spans_for(db, d.uid, include_deleted=True)
        ),
        key=lambda s: s.uid,
    )


def _status(db: Database) -> dict[str, dict[str, str]]:
    return {d.uid: d.status for d in documents.list_documents(db)}


def test_export_import_export_is_byte_identical(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    for with_deleted in (False, True):
        first, second = tmp_path / f"a{with_deleted}.jsonl", tmp_path / f"b{with_deleted}.jsonl"
        export_jsonl(curated.db, first, with_deleted=with_deleted)
        import_jsonl(empty_db, first)
        export_jsonl(empty_db, second, with_deleted=with_deleted)
        assert second.read_bytes() == first.read_bytes()
    # Every field of every span, tombstones included, and the statuses arrived unchanged.
    assert _all_spans(empty_db) == _all_spans(curated.db)
    assert _status(empty_db) == _status(curated.db)


def test_line_shape(curated: Curated, tmp_path: Path) -> None:
    documents.set_status(curated.db, curated.live[0].document_uid, "ana", "done")
    out = tmp_path / "out.jsonl"
    report = export_jsonl(curated.db, out)
    data = out.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    assert "κ".encode() in data  # ensure_ascii=False: text stays readable
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == report.documents == 3
    for line in lines:
        obj = json.loads(line)
        top = [
            "schema",
            "id",
            "title",
            "text",
            "text_sha256",
            "meta",
            "status",
            "spans",
            "relations",
        ]
        assert list(obj) == top
        assert obj["schema"] == {"name": "heme-curator", "version": 3}
        assert obj["id"] == obj["text_sha256"]
        keys = ["id", "start", "end", "label", "text", "curator", "origin", "note"]
        keys += ["created_at", "updated_at", "revision", "concepts"]
        for span in obj["spans"]:
            assert list(span) == keys
            assert obj["text"][span["start"] : span["end"]] == span["text"]
            assert TIME.match(span["created_at"]) and TIME.match(span["updated_at"])
        order = [(s["start"], s["end"], s["label"], s["curator"], s["id"]) for s in obj["spans"]]
        assert order == sorted(order)
        assert set(obj["status"]) <= {"ana", "bo"}
    statuses = [json.loads(x)["status"] for x in lines]
    assert {"ana": "done", "bo": "in_progress"} in statuses


def test_deleted_spans_only_with_deleted_and_tombstones_restore(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    plain, full = tmp_path / "plain.jsonl", tmp_path / "full.jsonl"
    export_jsonl(curated.db, plain)
    export_jsonl(curated.db, full, with_deleted=True)
    gone = {s.uid for s in curated.deleted}
    assert not any(uid in plain.read_text(encoding="utf-8") for uid in gone)
    spans = [s for line in full.read_text("utf-8").splitlines() for s in json.loads(line)["spans"]]
    assert {s["id"] for s in spans if "deleted_at" in s} == gone
    assert all(TIME.match(s["deleted_at"]) for s in spans if "deleted_at" in s)

    import_jsonl(empty_db, full)
    restored = {s.uid: s for s in _all_spans(empty_db) if s.deleted}
    assert restored == {s.uid: s for s in curated.deleted}


def test_importing_twice_changes_nothing(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    out, again = tmp_path / "out.jsonl", tmp_path / "again.jsonl"
    export_jsonl(curated.db, out, with_deleted=True)
    first = import_jsonl(empty_db, out)
    assert (first.documents_added, first.spans_added) == (3, len(_all_spans(curated.db)))
    second = import_jsonl(empty_db, out)
    assert (second.documents_added, second.documents_present) == (0, 3)
    assert (second.spans_added, second.spans_updated) == (0, 0)
    assert second.spans_unchanged == first.spans_added
    export_jsonl(empty_db, again, with_deleted=True)
    assert again.read_bytes() == out.read_bytes()


def test_later_edit_wins_and_ties_keep_the_stored_span(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    export_jsonl(curated.db, old, with_deleted=True)
    import_jsonl(empty_db, old)
    span = curated.live[0]
    relabelled = annotate.relabel_span(curated.db, span.uid, "outcome")
    removed = annotate.delete_span(curated.db, curated.live[1].uid)
    export_jsonl(curated.db, new, with_deleted=True)

    report = import_jsonl(empty_db, new)
    assert report.spans_updated == 2
    assert annotate.get_span(empty_db, span.uid) == relabelled
    assert annotate.get_span(empty_db, removed.uid) == removed  # the deletion travelled
    # The older file again: nothing goes back.
    assert import_jsonl(empty_db, old).spans_updated == 0
    assert annotate.get_span(empty_db, span.uid) == relabelled

    # Same updated_at, different content: the stored span stays.
    tampered = tmp_path / "tie.jsonl"
    text = new.read_text(encoding="utf-8").replace('"note": ""', '"note": "tie"')
    tampered.write_text(text, encoding="utf-8")
    assert import_jsonl(empty_db, tampered).spans_updated == 0
    assert all(s.note != "tie" for s in _all_spans(empty_db))


def test_status_never_goes_back(curated: Curated, empty_db: Database, tmp_path: Path) -> None:
    doc = curated.live[0].document_uid
    out = tmp_path / "out.jsonl"
    export_jsonl(curated.db, out)  # ana: in_progress
    import_jsonl(empty_db, out)
    documents.set_status(empty_db, doc, "ana", "done")
    import_jsonl(empty_db, out)
    assert _status(empty_db)[doc]["ana"] == "done"


def test_export_of_empty_database_and_selection(empty_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.jsonl"
    report = export_jsonl(empty_db, out)
    assert (report.documents, report.spans) == (0, 0)
    assert out.read_bytes() == b""


def test_export_replaces_an_old_file_atomically(curated: Curated, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old contents\n")
    export_jsonl(curated.db, out, curators=["ana"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert {s["curator"] for x in lines for s in json.loads(x)["spans"]} == {"ana"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_round_trip_through_postgres(curated: Curated, pg_url: str, tmp_path: Path) -> None:
    """Team mode: the same bytes after a detour through a PostgreSQL database."""
    from curator.core.storage import migrate
    from curator.core.storage.db import open_database

    server = open_database(pg_url)
    try:
        migrate.upgrade(server)
        first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
        export_jsonl(curated.db, first, with_deleted=True)
        import_jsonl(server, first)
        assert import_jsonl(server, first).spans_updated == 0
        export_jsonl(server, second, with_deleted=True)
        assert second.read_bytes() == first.read_bytes()
    finally:
        server.dispose()


def test_brat_export_replaces_a_previous_export_folder(curated: Curated, tmp_path: Path) -> None:
    from curator.core import interchange

    out = tmp_path / "brat"
    out.mkdir()
    (out / "stale.txt").write_text("from an older export")
    interchange.export(curated.db, "brat", out, curators=["ana"])
    assert sorted(p.name for p in out.iterdir()) == ["ana"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".brat")]
