"""Configuring relation types (curator.core.relations.types) and their guidelines."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from curator.core import relations
from curator.core.errors import CuratorError, NotFoundError
from curator.core.relations import RelationRuleError
from curator.core.relations.types import (
    TypeEdit,
    add_relation_type,
    edit_relation_type,
    restore_relation_type,
    retire_relation_type,
)
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.storage.models import RelationType, label_uid, relation_type_uid
from curator.core.storage.paths import resources_dir
from tests.core.storage_helpers import add_documents

TEXT = "Imatinib blocks BCR-ABL1 with a major molecular response of 60%."


def span(db: Database, doc: str, term: str, label: str) -> str:
    start = TEXT.index(term)
    return annotate.add_span(db, doc, "ana", NewSpan(start, start + len(term), label)).uid


def test_add_stores_label_uids_and_a_name_derived_uid(db: Database) -> None:
    made = add_relation_type(
        db, "binds", ["therapy"], ["target", "target"], key="b", color="#d55e00",
        description=" Binds it. ",
    )  # fmt: skip
    assert made.uid == relation_type_uid("binds")
    assert (made.head_labels, made.tail_labels, made.color, made.description) == (
        ("therapy",), ("target",), "#D55E00", "Binds it.",
    )  # fmt: skip
    with db.read() as session:
        row = session.scalar(select(RelationType).where(RelationType.name == "binds"))
    assert row is not None and json.loads(row.tail_labels) == [label_uid("target")]
    assert row.position == 3
    assert [t.name for t in relations.list_relation_types(db)][-1] == "binds"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: add_relation_type(db, "acts_on", ["therapy"], ["target"]), "exists already"),
        (lambda db: add_relation_type(db, " ", ["therapy"], ["target"]), "cannot be empty"),
        (lambda db: add_relation_type(db, "x", ["drug"], ["target"]), "unknown head label 'drug'"),
        (lambda db: add_relation_type(db, "x", ["therapy"], []), "at least one tail label"),
        (lambda db: add_relation_type(db, "x", ["therapy"], ["target"], key="a"), "taken by"),
        (lambda db: add_relation_type(db, "x", ["therapy"], ["target"], key="ab"), "one printable"),
        (lambda db: add_relation_type(db, "x", ["therapy"], ["target"], color="red"), "#RRGGBB"),
        (lambda db: edit_relation_type(db, "nope", TypeEdit(color="#000000")), "unknown relation"),
    ],
)
def test_bad_type_edits_are_refused_and_change_nothing(
    db: Database, call: object, message: str
) -> None:
    before = relations.list_relation_types(db, include_retired=True)
    with pytest.raises(CuratorError, match=message):
        call(db)  # type: ignore[operator]
    assert relations.list_relation_types(db, include_retired=True) == before


def test_edit_renames_and_keeps_uid_and_relations(db: Database) -> None:
    (doc,) = add_documents(db, TEXT)
    rel = relations.add_relation(
        db, doc, "ana", "acts_on", span(db, doc, "Imatinib", "therapy"),
        span(db, doc, "BCR-ABL1", "target"),
    )  # fmt: skip
    renamed = edit_relation_type(db, "acts_on", TypeEdit(name="targets", key="t", color="#000000"))
    assert renamed.uid == relation_type_uid("acts_on")
    assert (renamed.name, renamed.shortcut, renamed.color) == ("targets", "t", "#000000")
    assert relations.get_relation(db, rel.uid).type == "targets"
    with db.read() as session:
        row = session.scalar(select(RelationType).where(RelationType.name == "targets"))
    assert row is not None and row.revision == 2
    assert edit_relation_type(db, "targets", TypeEdit(key="")).shortcut is None


def test_rules_that_live_relations_would_break_are_refused(db: Database) -> None:
    (doc,) = add_documents(db, TEXT)
    therapy = span(db, doc, "Imatinib", "therapy")
    target = span(db, doc, "BCR-ABL1", "target")
    rel = relations.add_relation(db, doc, "ana", "acts_on", therapy, target)
    with pytest.raises(
        RelationRuleError, match=r"1 live acts_on relation.* “Imatinib” → “BCR-ABL1”"
    ):
        edit_relation_type(db, "acts_on", TypeEdit(tail_labels=["outcome"]))
    wider = edit_relation_type(db, "acts_on", TypeEdit(tail_labels=["target", "outcome"]))
    assert wider.tail_labels == ("target", "outcome")
    relations.delete_relation(db, rel.uid)
    narrowed = edit_relation_type(db, "acts_on", TypeEdit(tail_labels=["outcome"]))
    assert narrowed.tail_labels == ("outcome",)


def test_a_retired_type_takes_no_new_relations_and_comes_back(db: Database) -> None:
    (doc,) = add_documents(db, TEXT)
    therapy = span(db, doc, "Imatinib", "therapy")
    outcome = span(db, doc, "major molecular response of 60%", "outcome")
    kept = relations.add_relation(db, doc, "ana", "has_outcome", therapy, outcome)
    retire_relation_type(db, "has_outcome")
    assert "has_outcome" not in [t.name for t in relations.list_relation_types(db)]
    assert relations.relations_for(db, doc) == [kept]  # its relations stay
    with pytest.raises(RelationRuleError, match="retired relation type 'has_outcome'"):
        relations.add_relation(db, doc, "ana", "has_outcome", therapy, outcome)
    with pytest.raises(CuratorError, match="already retired"):
        retire_relation_type(db, "has_outcome")
    add_relation_type(db, "yields", ["therapy"], ["outcome"], key="o")  # takes the freed key
    back = restore_relation_type(db, "has_outcome")
    assert back.shortcut is None  # the key went to another live type meanwhile


def test_a_renamed_types_first_name_cannot_be_reused(db: Database) -> None:
    edit_relation_type(db, "reports", TypeEdit(name="said"))
    with pytest.raises(CuratorError, match="'said' was first created as 'reports'"):
        add_relation_type(db, "reports", ["expert"], ["outcome"])
    with pytest.raises(NotFoundError):
        retire_relation_type(db, "reports")


def test_the_guidelines_explain_every_seeded_relation_type(db: Database) -> None:
    text = (resources_dir() / "guidelines.md").read_text(encoding="utf-8")
    section = text.split("## Relations", 1)[1].split("\n## ", 1)[0]
    for kind in relations.list_relation_types(db):
        assert f"**{kind.name}**" in section
        assert f"*{kind.name}*" in section.replace(f"**{kind.name}**", "")  # an example uses it
