"""The batched import: lines queued and written in batches behave as if written one by one.

Uids repeated across lines of one file (which the import looks up only when
it must), errors found when a batch is written (still named by their line,
and before a later line's problem), batch boundaries, and the same on
PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from curator.core.articles import corpus, documents
from curator.core.articles.text import canonical_text, text_uid
from curator.core.errors import InputError
from curator.core.interchange import jsonl_store
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.spans import annotate
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from tests import fresh_db
from tests.interchange.conftest import Curated

TEXT = "Ruxolitinib targets JAK/STAT.\nOverall response rate reached 81.8%.\n"


def _export_one(tmp_path: Path, text: str = TEXT) -> dict[str, Any]:
    """A line of our own export holding one span of ana's, from a scratch database."""
    scratch = fresh_db.fresh_database(tmp_path / f"scratch{len(text)}.sqlite")
    try:
        article = tmp_path / "article.txt"
        article.write_text(text, encoding="utf-8")
        (added,) = corpus.import_articles(scratch, [article]).added
        annotate.add_span(scratch, added.uid, "ana", annotate.NewSpan(0, 11, "therapy"))
        out = tmp_path / "one.jsonl"
        export_jsonl(scratch, out)
        line: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return line
    finally:
        scratch.dispose()


def _write(path: Path, *lines: Any) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def _snapshot(db: Database) -> list[Any]:
    return [
        (d.uid, d.status, annotate.spans_for(db, d.uid, include_deleted=True))
        for d in documents.list_documents(db)
    ]


def _later(line: dict[str, Any], label: str, when: str) -> dict[str, Any]:
    changed = json.loads(json.dumps(line))
    changed["spans"][0].update(label=label, updated_at=when, revision=2)
    return changed


def _repeat_in_one_file(db: Database, tmp_path: Path) -> None:
    line = _export_one(tmp_path)
    newer = _later(line, "outcome", "2999-01-01T00:00:00.000000Z")
    older = _later(line, "target", "2000-01-01T00:00:00.000000Z")
    report = import_jsonl(db, _write(tmp_path / "in.jsonl", line, newer, older))
    assert (report.documents_added, report.documents_present) == (1, 2)
    assert (report.spans_added, report.spans_updated, report.spans_unchanged) == (1, 1, 1)
    (span,) = annotate.spans_for(db, line["id"])
    assert (span.label, span.revision, span.updated_at.year) == ("outcome", 2, 2999)


def test_a_span_repeated_in_one_file_follows_the_later_edit_rule(
    db: Database, tmp_path: Path
) -> None:
    _repeat_in_one_file(db, tmp_path)


def test_a_span_repeated_in_one_file_on_postgres(pg_url: str, tmp_path: Path) -> None:
    server = open_database(pg_url)
    try:
        migrate.upgrade(server)
        _repeat_in_one_file(server, tmp_path)
    finally:
        server.dispose()


def test_a_span_uid_moving_to_another_document_in_one_file_is_refused(
    db: Database, tmp_path: Path
) -> None:
    line = _export_one(tmp_path)
    other = canonical_text("Another article entirely, about CD19 therapy.\n")
    moved = json.loads(json.dumps(line))
    moved.update(text=other, id=text_uid(other), text_sha256=text_uid(other))
    moved["spans"][0].update(text="Another", end=7)
    path = _write(tmp_path / "in.jsonl", line, moved)
    with pytest.raises(InputError, match=r"in\.jsonl:2: span .* belongs to another document"):
        import_jsonl(db, path)
    assert documents.list_documents(db) == []


def test_a_queued_lines_problem_is_reported_before_a_later_lines(
    curated: Curated, tmp_path: Path
) -> None:
    """Line 1 fails only when written (its span uid is stored on another document)."""
    stored = curated.live[0]
    line = _export_one(tmp_path)
    line["spans"][0]["id"] = stored.uid
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n{not json\n", encoding="utf-8")
    before = _snapshot(curated.db)
    with pytest.raises(InputError, match=r"in\.jsonl:1: span .* belongs to another document"):
        import_jsonl(curated.db, path)
    assert _snapshot(curated.db) == before


def test_small_batches_give_the_same_database(
    curated: Curated, empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl_store, "DOCUMENT_BATCH", 2)
    monkeypatch.setattr(jsonl_store, "SPAN_BATCH", 3)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    export_jsonl(curated.db, first, with_deleted=True)
    report = import_jsonl(empty_db, first)
    assert report.documents_added == 3 and report.spans_added > 6
    export_jsonl(empty_db, second, with_deleted=True)
    assert second.read_bytes() == first.read_bytes()
    again = import_jsonl(empty_db, first)
    assert (again.spans_added, again.spans_updated) == (0, 0)
    assert again.spans_unchanged == report.spans_added


def _rows_in_id_order(db: Database) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    with db.read() as session:
        return [
            tuple(row)
            for row in session.execute(
                text(
                    'SELECT uid, start, "end", text, note, origin, revision, concepts, '
                    "fragments, deleted_at IS NULL FROM annotation ORDER BY id"
                )
            )
        ]


def _plain_and_full_rows(target: Database, curated: Curated, tmp_path: Path) -> None:
    """Spans with notes, concepts, deletions and later revisions between plain ones."""
    source = tmp_path / "mixed.jsonl"
    export_jsonl(curated.db, source, with_deleted=True)
    file_order = [
        span["id"]
        for line in source.read_text("utf-8").splitlines()
        for span in json.loads(line)["spans"]
    ]
    import_jsonl(target, source)
    stored = _rows_in_id_order(target)
    assert [row[0] for row in stored] == file_order  # ids follow the file, whatever the shape
    assert sorted(stored) == sorted(_rows_in_id_order(curated.db))
    kinds = {(bool(row[4]), row[6] > 1, row[7] != "[]", row[8] is not None) for row in stored}
    assert (False, False, False, False) in kinds and len(kinds) > 2  # both shapes, interleaved
    again = tmp_path / "again.jsonl"
    export_jsonl(target, again, with_deleted=True)
    assert again.read_bytes() == source.read_bytes()


def test_plain_and_full_rows_keep_the_files_order_and_values(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    _plain_and_full_rows(empty_db, curated, tmp_path)


def test_plain_and_full_rows_on_postgres(curated: Curated, pg_url: str, tmp_path: Path) -> None:
    server = open_database(pg_url)
    try:
        migrate.upgrade(server)
        _plain_and_full_rows(server, curated, tmp_path)
    finally:
        server.dispose()


def _other_tools_rows(target: Database, tmp_path: Path) -> None:
    """Spans of another tool: plain ones (origin written by the statement) between full ones."""
    spans = [
        {"start": 0, "end": 11, "label": "therapy"},
        {"start": 20, "end": 28, "label": "target", "note": "the pathway"},
        {"start": 30, "end": 53, "label": "outcome"},
        {"start": 12, "end": 19, "label": "target",
         "concepts": [{"id": "HGNC:6190", "name": "JAK2"}]},
    ]  # fmt: skip
    path = _write(tmp_path / "other.jsonl", {"text": TEXT, "spans": spans})
    import_jsonl(target, path, curator="ana")
    stored = _rows_in_id_order(target)
    assert [(row[1], row[2], row[3], row[4], row[5], row[6], row[8], row[9]) for row in stored] == [
        (s["start"], s["end"], TEXT[s["start"] : s["end"]], s.get("note", ""), "imported", 1,
         None, True)
        for s in spans
    ]  # fmt: skip
    assert [json.loads(row[7]) for row in stored] == [[], [], [], spans[3]["concepts"]]


def test_other_tools_plain_and_full_rows(empty_db: Database, tmp_path: Path) -> None:
    _other_tools_rows(empty_db, tmp_path)


def test_other_tools_plain_and_full_rows_on_postgres(pg_url: str, tmp_path: Path) -> None:
    server = open_database(pg_url)
    try:
        migrate.upgrade(server)
        _other_tools_rows(server, tmp_path)
    finally:
        server.dispose()
