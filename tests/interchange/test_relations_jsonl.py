"""Relations in JSONL: our own lines restore them exactly; minimal lines link spans by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core import relations
from curator.core.interchange.common import Selection
from curator.core.interchange.importing import import_paths
from curator.core.interchange.jsonl import export_jsonl, export_jsonl_python, import_jsonl
from curator.core.interchange.jsonl_sql import export_jsonl_sqlite
from curator.core.spans import annotate
from curator.core.storage.db import Database
from tests.interchange.conftest import Curated
from tests.interchange.relation_support import (
    live_links,
    refused_in_place,
    relate,
    relation_rows,
)

TEXT = "Ruxolitinib inhibits JAK2 and led to remission, said Dr Rong Fu."


@pytest.fixture
def related(curated: Curated) -> Curated:
    relate(curated)
    return curated


@pytest.mark.parametrize("with_deleted", [True, False])
def test_export_then_import_gives_the_same_relation_rows(
    related: Curated, empty_db: Database, tmp_path: Path, with_deleted: bool
) -> None:
    path = tmp_path / "all.jsonl"
    report = export_jsonl(related.db, path, with_deleted=with_deleted)
    assert report.relations == (9 if with_deleted else 7)
    imported = import_jsonl(empty_db, path)
    assert imported.relations_added == report.relations
    source = relation_rows(related.db)
    if not with_deleted:  # the deleted relation, and the one whose end was deleted, stay home
        source = {r for r in source if r[10] is None and r[5] in _live_span_uids(related)}
    assert relation_rows(empty_db) == source
    again = import_jsonl(empty_db, path)
    assert (again.relations_added, again.relations_updated) == (0, 0)
    assert again.relations_unchanged == report.relations
    second = tmp_path / "again.jsonl"
    export_jsonl(empty_db, second, with_deleted=with_deleted)
    assert second.read_bytes() == path.read_bytes()


def _live_span_uids(curated: Curated) -> set[str]:
    from curator.core.spans import annotate

    docs = {s.document_uid for s in curated.live}
    return {s.uid for d in docs for s in annotate.spans_for(curated.db, d)}


def test_both_export_paths_write_the_same_relations(related: Curated, tmp_path: Path) -> None:
    for with_deleted in (False, True):
        selection = Selection(with_deleted=with_deleted, curators=["ana"])
        fast, slow = tmp_path / "fast.jsonl", tmp_path / "slow.jsonl"
        assert export_jsonl_sqlite(related.db, fast, selection).relations > 0
        export_jsonl_python(related.db, slow, selection)
        assert fast.read_bytes() == slow.read_bytes()


def test_a_relation_line_has_the_documented_keys(related: Curated, tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    export_jsonl(related.db, path, with_deleted=True)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(line["schema"]["version"] == 3 for line in lines)
    relations = [r for line in lines for r in line["relations"]]
    keys = ["uid", "type", "head", "tail", "curator", "origin", "note", "created_at",
            "updated_at", "revision"]  # fmt: skip
    assert all(list(r)[:10] == keys for r in relations)
    assert sum("deleted_at" in r for r in relations) == 2
    for line in lines:
        uids = {s["id"] for s in line["spans"]}
        assert all(r["head"] in uids and r["tail"] in uids for r in line["relations"])


def test_version_2_lines_without_relations_still_import(
    related: Curated, empty_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "old.jsonl"
    export_jsonl(related.db, path)
    old = []
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        obj["schema"]["version"] = 2
        del obj["relations"]
        old.append(json.dumps(obj, ensure_ascii=False))
    path.write_text("\n".join(old) + "\n", encoding="utf-8")
    report = import_jsonl(empty_db, path)
    assert report.spans_added == len(related.live) - 1  # a target was deleted
    assert report.relations_added == 0


def test_a_newer_schema_is_refused_by_line(empty_db: Database, tmp_path: Path) -> None:
    line = {"schema": {"name": "heme-curator", "version": 4}, "text": TEXT}
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    refused_in_place(empty_db, [path], f"{path}:1:", "schema 4")


def _own_lines(related: Curated, tmp_path: Path) -> tuple[Path, list[dict]]:  # type: ignore[type-arg]
    path = tmp_path / "own.jsonl"
    export_jsonl(related.db, path)
    return path, [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, lines: list[dict]) -> None:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (lambda r: r.update(head="0" * 8 + "-0000-4000-8000-" + "0" * 12),
         ["relation 1:", "is not a span of this line"]),
        (lambda r: r.update(type="treats"), ["relation 1:", "unknown relation type 'treats'"]),
        (lambda r: r.update(curator="bo"), ["relation 1:", "not to the relation's curator"]),
        (lambda r: r.update(tail=r["head"]), ["relation 1:", "the same span"]),
        (lambda r: r.update(revision=0), ["relation 1:", "revision"]),
        (lambda r: r.pop("uid"), ["relation 1:", "missing 'uid'"]),
    ],
)  # fmt: skip
def test_a_bad_relation_of_our_own_lines_is_refused_by_line(
    related: Curated, empty_db: Database, tmp_path: Path, change: object, needles: list[str]
) -> None:
    path, lines = _own_lines(related, tmp_path)
    n = next(i for i, line in enumerate(lines) if line["relations"])
    change(lines[n]["relations"][0])  # type: ignore[operator]
    _write(path, lines)
    refused_in_place(empty_db, [path], f"{path}:{n + 1}:", *needles)


# -- minimal span lines -----------------------------------------------------------------


def _minimal(relations: list[dict], spans: list[dict] | None = None) -> str:  # type: ignore[type-arg]
    spans = spans or [
        {"id": "t1", "start": 0, "end": 11, "label": "therapy"},
        {"id": "t2", "start": 21, "end": 25, "label": "target"},
        {"id": 3, "start": 37, "end": 46, "label": "outcome"},
        {"id": "e", "start": 56, "end": 63, "label": "expert"},
    ]
    return json.dumps({"text": TEXT, "spans": spans, "relations": relations}) + "\n"


def test_minimal_lines_link_spans_by_their_id(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "minimal.jsonl"
    relations = [
        {"head": "t1", "tail": "t2", "type": "acts_on"},
        {"head": "t1", "tail": 3, "type": "has_outcome"},
        {"head": "e", "tail": "t1", "type": "reports"},
    ]
    path.write_text(_minimal(relations), encoding="utf-8")
    report = import_paths(db, [path], curator="ana")
    assert report.jsonl[0].relations_added == 3
    assert live_links(db) == {
        ("acts_on", "ana", "Ruxolitinib", "JAK2", "imported"),
        ("has_outcome", "ana", "Ruxolitinib", "remission", "imported"),
        ("reports", "ana", "Rong Fu", "Ruxolitinib", "imported"),
    }
    again = import_paths(db, [path], curator="ana").jsonl[0]
    assert (again.relations_added, again.relations_unchanged) == (0, 3)


@pytest.mark.parametrize(
    ("relations", "spans", "needles"),
    [
        ([{"head": "t1", "tail": 3, "type": "acts_on"}], None,
         ["relation 1:", "acts_on relation goes from therapy to target",
          "from therapy to outcome"]),
        ([{"head": "t1", "tail": "t2", "type": "treats"}], None,
         ["relation 1:", "unknown relation type 'treats'"]),
        ([{"head": "t1", "tail": "nobody", "type": "acts_on"}], None,
         ["relation 1:", "its tail 'nobody' is no span's id"]),
        ([{"head": "t1", "tail": "t1", "type": "acts_on"}], None,
         ["relation 1:", "the same span"]),
        ([{"head": "t1", "tail": "t2"}], None, ["relation 1:", "missing 'type'"]),
        ([], [{"id": "a", "start": 0, "end": 11, "label": "therapy"},
              {"id": "a", "start": 21, "end": 25, "label": "target"}],
         ["span 2:", "id 'a' appears twice"]),
    ],
)  # fmt: skip
def test_a_bad_minimal_relation_is_refused_by_file_and_line(
    db: Database,
    tmp_path: Path,
    relations: list,
    spans: list | None,
    needles: list[str],  # type: ignore[type-arg]
) -> None:
    path = tmp_path / "minimal.jsonl"
    good = json.dumps({"text": "An earlier line, which is not kept either.", "spans": []})
    path.write_text(good + "\n" + _minimal(relations, spans), encoding="utf-8")
    refused_in_place(db, [path], f"{path}:2:", *needles, curator="ana")


def test_an_import_that_deletes_a_span_tombstones_its_relations(
    related: Curated, empty_db: Database, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    export_jsonl(related.db, first, with_deleted=True)
    import_jsonl(empty_db, first)
    doc = sorted({s.document_uid for s in related.live})[2]
    held = relations.relations_for(empty_db, doc, "ana")
    assert len(held) == 3  # acts_on, has_outcome from the therapy; reports to it
    therapy = next(r.head for r in held if r.type == "acts_on")
    before = {r.uid for r in held if therapy in (r.head, r.tail)}
    assert len(before) == 3
    gone = annotate.delete_span(related.db, therapy)
    # A file that carries the deleted span but not its relations (as a version 2 file).
    second = tmp_path / "second.jsonl"
    export_jsonl(related.db, second, with_deleted=True)
    lines = []
    for line in second.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        del obj["relations"]
        lines.append(json.dumps(obj, ensure_ascii=False))
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_jsonl(empty_db, second)
    assert report.spans_updated == 1
    stored = relations.relations_for(empty_db, doc, "ana", include_deleted=True)
    assert {r.uid for r in stored} == before
    assert all(r.deleted_at == gone.deleted_at for r in stored)
    # Restoring the span in the app brings back exactly those relations.
    annotate.restore_span(empty_db, therapy)
    assert {r.uid for r in relations.relations_for(empty_db, doc, "ana")} == before
