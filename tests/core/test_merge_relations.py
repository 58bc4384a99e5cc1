"""Relations and relation types through a merge (curator.core.merge.relations), both paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import relations
from curator.core.merge.engine import merge_databases
from curator.core.relations.types import TypeEdit, add_relation_type, edit_relation_type
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from tests.core.merge_support import copy_db, dump, new_db
from tests.core.storage_helpers import add_documents

TEXT = "Venetoclax inhibits BCL2 and gave a CR rate of 40% in the VIALE trial."


def tag(db: Database, doc: str, term: str, label: str, curator: str = "ana") -> str:
    start = TEXT.index(term)
    return annotate.add_span(db, doc, curator, NewSpan(start, start + len(term), label)).uid


@pytest.fixture
def base(tmp_path: Path) -> tuple[Database, str, dict[str, str]]:
    db = new_db(tmp_path / "base.sqlite")
    (doc,) = add_documents(db, TEXT)
    ends = {
        "therapy": tag(db, doc, "Venetoclax", "therapy"),
        "target": tag(db, doc, "BCL2", "target"),
        "outcome": tag(db, doc, "CR rate of 40%", "outcome"),
    }
    return db, doc, ends


METHODS = pytest.mark.parametrize("method", ["attach", "portable"])


@METHODS
def test_new_relations_and_types_arrive_and_merging_again_changes_nothing(
    tmp_path: Path, base: tuple[Database, str, dict[str, str]], method: str
) -> None:
    db, doc, ends = base
    other = copy_db(db, tmp_path / "other.sqlite")
    add_relation_type(other, "binds", ["therapy"], ["target"], key="b")
    made = relations.add_relation(other, doc, "ana", "binds", ends["therapy"], ends["target"])
    relations.add_relation(other, doc, "ana", "has_outcome", ends["therapy"], ends["outcome"])
    report = merge_databases(db, [other], method=method)
    assert report.to_json()["relations"] == {
        "added": 2, "updated": 0, "deleted": 0, "restored": 0, "tombstones_added": 0,
        "types_added": 1, "types_updated": 0, "types_renamed": [],
        "conflicts": {h: {"from_source": 0, "kept_target": 0}
                      for h in ("time", "revision", "digest")},
    }  # fmt: skip
    assert "relations: 2 added, 0 updated, 0 deleted, 0 restored" in "\n".join(report.lines())
    assert relations.get_relation(db, made.uid) == made
    again = merge_databases(db, [other], method=method)
    assert not again.changed and dump(db) == dump(other)


@METHODS
def test_later_edit_wins_whole_and_deleted_end_keeps_the_relation_not_live(
    tmp_path: Path, base: tuple[Database, str, dict[str, str]], method: str
) -> None:
    db, doc, ends = base
    acts = relations.add_relation(db, doc, "ana", "acts_on", ends["therapy"], ends["target"])
    outc = relations.add_relation(db, doc, "ana", "has_outcome", ends["therapy"], ends["outcome"])
    other = copy_db(db, tmp_path / "other.sqlite")
    relations.set_relation_note(db, acts.uid, "here")  # earlier edit
    relations.set_relation_note(other, acts.uid, "there")  # later edit wins
    annotate.delete_span(other, ends["outcome"])  # tombstones outc there, same time
    report = merge_databases(db, [other], method=method)
    rel = report.to_json()["relations"]
    assert (rel["updated"], rel["deleted"]) == (1, 1)  # type: ignore[index]
    assert rel["conflicts"]["time"] == {"from_source": 2, "kept_target": 0}  # type: ignore[index]
    assert relations.get_relation(db, acts.uid).note == "there"
    assert relations.get_relation(db, outc.uid).deleted
    assert [r.uid for r in relations.relations_for(db, doc)] == [acts.uid]


@METHODS
def test_a_relation_whose_end_was_deleted_elsewhere_stays_stored_but_not_live(
    tmp_path: Path, base: tuple[Database, str, dict[str, str]], method: str
) -> None:
    db, doc, ends = base
    other = copy_db(db, tmp_path / "other.sqlite")
    annotate.delete_span(other, ends["target"])  # deleted there, before the link existed here
    acts = relations.add_relation(db, doc, "ana", "acts_on", ends["therapy"], ends["target"])
    merge_databases(db, [other], method=method)
    assert annotate.get_span(db, ends["target"]).deleted
    assert relations.relations_for(db, doc) == []  # not live: an end is gone
    assert relations.relations_for(db, doc, include_deleted=True) == [acts]  # nothing lost
    # Merged the other way, the relation travels and is not live there either.
    merge_databases(other, [db], method=method)
    assert relations.relations_for(other, doc) == []
    assert dump(other) == dump(db)


@METHODS
def test_a_type_edit_travels_and_a_clashing_new_type_is_kept_under_another_name(
    tmp_path: Path, base: tuple[Database, str, dict[str, str]], method: str
) -> None:
    db, _, _ = base
    other = copy_db(db, tmp_path / "other.sqlite")
    edit_relation_type(other, "acts_on", TypeEdit(color="#000000", description="Binds."))
    edit_relation_type(db, "reports", TypeEdit(name="cites"))
    add_relation_type(db, "reports_to", ["expert"], ["expert"])  # unrelated name
    add_relation_type(other, "cites", ["expert"], ["outcome"])  # same name, another uid here
    report = merge_databases(db, [other], method=method)
    names = {t.name: t for t in relations.list_relation_types(db)}
    assert names["acts_on"].color == "#000000" and names["acts_on"].description == "Binds."
    kept = [n for n in names if n.startswith("cites (")]
    assert len(kept) == 1 and names[kept[0]].tail_labels == ("outcome",)
    assert report.relations.types_renamed == ["cites"]
    assert (report.relations.types_added, report.relations.types_updated) == (1, 1)


def test_relations_merge_into_postgres(
    tmp_path: Path, base: tuple[Database, str, dict[str, str]], pg_url: str
) -> None:
    db, doc, ends = base
    acts = relations.add_relation(db, doc, "ana", "acts_on", ends["therapy"], ends["target"])
    server = open_database(pg_url)
    migrate.upgrade(server)
    try:
        first = merge_databases(server, [db])
        assert first.relations.added == 1
        relations.set_relation_note(db, acts.uid, "later")
        annotate.delete_span(db, ends["therapy"])
        second = merge_databases(server, [db])
        assert (second.relations.deleted, second.relations.updated) == (1, 0)
        assert relations.get_relation(server, acts.uid).deleted
        assert relations.get_relation(server, acts.uid) == relations.get_relation(db, acts.uid)
        assert not merge_databases(server, [db]).changed
    finally:
        server.dispose()
