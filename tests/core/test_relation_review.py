"""Relations in review (curator.core.review.relation_differences): differences and decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from curator.core import relations
from curator.core.errors import CuratorError
from curator.core.review.adjudication import Step, provenance, redo, undo
from curator.core.review.relation_differences import (
    accept_relation,
    reject_relation,
    relation_decisions,
    relation_differences,
)
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.storage.models import ReviewDecision
from tests.core.storage_helpers import add_documents

TEXT = "Iptacopan blocks factor B and C3; hemoglobin rose by 3.5 g/dL with iptacopan."


def tag(db: Database, doc: str, curator: str, term: str, label: str, *, extra: int = 0) -> str:
    start = TEXT.index(term)
    span = NewSpan(start, start + len(term) + extra, label)
    return annotate.add_span(db, doc, curator, span).uid


@pytest.fixture
def doc(db: Database) -> str:
    (doc,) = add_documents(db, TEXT)
    a = {t: tag(db, doc, "ana", t, lab) for t, lab in (
        ("Iptacopan", "therapy"), ("factor B", "target"), ("C3", "target"),
        ("hemoglobin rose", "outcome"))}  # fmt: skip
    b = {t: tag(db, doc, "bo", t, lab) for t, lab in (
        ("Iptacopan", "therapy"), ("factor B", "target"), ("C3", "target"))}  # fmt: skip
    b_outcome = tag(db, doc, "bo", "hemoglobin rose", "outcome", extra=13)  # " by 3.5 g/dL"
    relations.add_relation(db, doc, "ana", "acts_on", a["Iptacopan"], a["factor B"])
    relations.add_relation(db, doc, "ana", "has_outcome", a["Iptacopan"], a["hemoglobin rose"])
    relations.add_relation(db, doc, "ana", "acts_on", a["Iptacopan"], a["C3"])
    relations.add_relation(db, doc, "bo", "acts_on", b["Iptacopan"], b["factor B"])  # agreement
    relations.add_relation(db, doc, "bo", "has_outcome", b["Iptacopan"], b_outcome)  # overlap
    return doc


def kinds(db: Database, doc: str) -> list[tuple[str, bool, bool]]:
    return [(d.kind, d.a is not None, d.b is not None)
            for d in relation_differences(db, doc, "ana", "bo")]  # fmt: skip


def test_differences_by_kind(db: Database, doc: str) -> None:
    assert sorted(kinds(db, doc)) == [
        ("agreement", True, True),
        ("one_side", True, False),  # ana's acts_on C3
        ("overlap", True, True),
    ]


def test_same_ends_other_type_is_a_type_difference(db: Database, doc: str) -> None:
    from curator.core.relations.types import add_relation_type

    add_relation_type(db, "binds", ["therapy"], ["target"])
    (c3,) = [s for s in annotate.spans_for(db, doc, "bo") if s.text == "C3"]
    (ipt,) = [s for s in annotate.spans_for(db, doc, "bo") if s.text == "Iptacopan"]
    relations.add_relation(db, doc, "bo", "binds", ipt.uid, c3.uid)
    assert ("type", True, True) in kinds(db, doc)
    assert ("one_side", True, False) not in kinds(db, doc)


def test_accept_brings_the_ends_without_duplicating_spans(db: Database, doc: str) -> None:
    (diff,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "one_side"]
    assert diff.a is not None
    tag(db, doc, "rev", "Iptacopan", "therapy")  # the reviewer already has the head
    made = accept_relation(db, "rev", doc, diff.a.uid, reason="stated in the text")
    assert (made.curator, made.type, made.origin) == ("rev", "acts_on", "adjudicated")
    layer = annotate.spans_for(db, doc, "rev")
    assert sorted((s.text, s.origin) for s in layer) == [
        ("C3", "adjudicated"), ("Iptacopan", "manual")]  # fmt: skip
    # Accepting bo's agreeing relation reuses the head again and makes factor B once.
    (agree,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "agreement"]
    assert agree.a is not None and agree.b is not None
    first = accept_relation(db, "rev", doc, agree.a.uid)
    second = accept_relation(db, "rev", doc, agree.b.uid)
    assert first.uid == second.uid  # the same curated relation, not a second one
    assert len(annotate.spans_for(db, doc, "rev")) == 3
    assert relation_decisions(db, doc, "rev") == {
        diff.a.uid: ("accept", made.uid), agree.a.uid: ("accept", first.uid),
        agree.b.uid: ("accept", first.uid)}  # fmt: skip
    with db.read() as session:
        row = session.scalar(select(ReviewDecision).where(ReviewDecision.source_uid == diff.a.uid))
    assert row is not None and row.reason == "stated in the text"  # fmt: skip
    # The span review's own provenance is untouched by relation rows.
    assert provenance(db, made.head) == []


def test_reject_after_accept_removes_the_curated_relation_only(db: Database, doc: str) -> None:
    (diff,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "one_side"]
    assert diff.a is not None
    made = accept_relation(db, "rev", doc, diff.a.uid)
    reject_relation(db, "rev", doc, diff.a.uid, reason="not stated")
    assert relations.get_relation(db, made.uid).deleted
    assert relation_decisions(db, doc, "rev")[diff.a.uid] == ("reject", None)
    assert len(annotate.spans_for(db, doc, "rev")) == 2  # the ends stay: spans review their own


def test_refusals(db: Database, doc: str) -> None:
    (diff,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "one_side"]
    assert diff.a is not None
    with pytest.raises(CuratorError, match="already in your layer"):
        accept_relation(db, "ana", doc, diff.a.uid)
    annotate.delete_span(db, diff.a.tail.uid)
    with pytest.raises(CuratorError, match="deleted"):
        accept_relation(db, "rev", doc, diff.a.uid)
    assert annotate.spans_for(db, doc, "rev") == []


def layer(db: Database, doc: str) -> tuple[object, ...]:
    """The reviewer's live spans and relations, and the decision log, as stored."""
    with db.read() as session:
        log = sorted(session.scalars(select(ReviewDecision.uid)))
    return (
        sorted(s.uid for s in annotate.spans_for(db, doc, "rev")),
        sorted(r.uid for r in relations.relations_for(db, doc, "rev")),
        relation_decisions(db, doc, "rev"),
        log,
    )


def test_an_accept_and_its_ends_are_one_step_undone_and_redone(db: Database, doc: str) -> None:
    (diff,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "one_side"]
    assert diff.a is not None
    empty = layer(db, doc)
    steps: list[Step] = []
    made = accept_relation(db, "rev", doc, diff.a.uid, steps=steps)
    assert len(steps) == 1
    assert sorted(steps[0].created) == sorted((made.head, made.tail))
    assert steps[0].relations_made == (made.uid,)
    after = layer(db, doc)
    undo(db, steps)
    assert layer(db, doc) == empty  # no curated span, relation or decision left
    redo(db, steps)
    assert layer(db, doc) == after  # the same uids again
    assert relations.get_relation(db, made.uid).head == made.head
    undo(db, steps)
    assert layer(db, doc) == empty


def test_undo_keeps_what_the_layer_held_before(db: Database, doc: str) -> None:
    own = tag(db, doc, "rev", "Iptacopan", "therapy")  # the reviewer's own head
    (agree,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "agreement"]
    assert agree.a is not None and agree.b is not None
    first = accept_relation(db, "rev", doc, agree.a.uid)
    before = layer(db, doc)
    steps: list[Step] = []
    again = accept_relation(db, "rev", doc, agree.b.uid, steps=steps)
    assert again.uid == first.uid
    assert steps[0].created == () and steps[0].relations_made == ()  # all reused
    undo(db, steps)
    assert layer(db, doc) == before
    assert own in before[0]


def test_undoing_a_reject_brings_the_accepted_relation_back(db: Database, doc: str) -> None:
    (diff,) = [d for d in relation_differences(db, doc, "ana", "bo") if d.kind == "one_side"]
    assert diff.a is not None
    made = accept_relation(db, "rev", doc, diff.a.uid)
    accepted = layer(db, doc)
    steps: list[Step] = []
    reject_relation(db, "rev", doc, diff.a.uid, steps=steps)
    assert steps[0].relations_retired == (made.uid,)
    rejected = layer(db, doc)
    assert relations.get_relation(db, made.uid).deleted
    undo(db, steps)
    assert layer(db, doc) == accepted
    assert relation_decisions(db, doc, "rev")[diff.a.uid] == ("accept", made.uid)
    redo(db, steps)
    assert layer(db, doc) == rejected
