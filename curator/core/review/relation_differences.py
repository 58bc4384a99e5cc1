"""Relations in review: where two curators' relations differ, and deciding them.

Relations are compared by what they link, not by ids (which differ between
curators): each end is the span's ``(start, end, label)``. Between curator
A's and curator B's live relations on one document, in this order:

- ``agreement``: the same type between ends with the same offsets and labels;
- ``type``: the same ends, another type;
- ``overlap``: the same type, ends that only overlap (same labels);
- ``one_side``: a relation only one of them made (``a`` or ``b`` is None).

Each relation takes part in at most one difference (one to one, in text
order). Deciding writes the reviewer's curated layer: :func:`accept_relation`
brings the relation in together with its ends, reusing a live span of the
reviewer's layer with the same offsets and label rather than making a
second one, and the same live relation there rather than a second one.
Provenance reuses the review log: one ``review_decision`` row whose
``source_uid`` is the source *relation*'s uid and whose ``result_uid`` is
the curated relation's uid (uids are global, so they never collide with a
span's; the span review ignores rows whose result is not a span). The
latest row per (reviewer, relation) is the current decision.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.articles.documents import document_id, touch_in_progress
from curator.core.errors import CuratorError, NotFoundError
from curator.core.relations.rules import RelationRuleError
from curator.core.relations.store import (
    NewRelation,
    add_relations_in,
    get_relation,
    relations_for,
)
from curator.core.review.adjudication import ADJUDICATED, Step, _curated_span
from curator.core.spans.annotate import spans_for
from curator.core.storage.concepts import decode
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database
from curator.core.storage.models import (
    Annotation,
    Label,
    Relation,
    RelationType,
    ReviewDecision,
    utcnow,
)
from curator.core.storage.records import RelationRecord, Span
from curator.core.storage.retry import retried

KINDS = ("agreement", "type", "overlap", "one_side")


@dataclass(frozen=True, slots=True)
class SourceRelation:
    """One curator's relation with its two ends as spans."""

    relation: RelationRecord
    head: Span
    tail: Span

    @property
    def uid(self) -> str:
        return self.relation.uid

    def key(self) -> tuple[tuple[int, int, str], tuple[int, int, str]]:
        return (_end(self.head), _end(self.tail))


@dataclass(frozen=True, slots=True)
class RelationDifference:
    kind: str
    a: SourceRelation | None
    b: SourceRelation | None

    @property
    def uids(self) -> tuple[str, ...]:
        return tuple(r.uid for r in (self.a, self.b) if r is not None)


def _end(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


def _overlap(x: Span, y: Span) -> bool:
    return x.label == y.label and x.start < y.end and y.start < x.end


def _order(r: SourceRelation) -> tuple[object, ...]:
    return (*r.key(), r.relation.type, r.uid)


def _same(x: SourceRelation, y: SourceRelation) -> bool:
    return x.key() == y.key() and x.relation.type == y.relation.type


def _same_ends(x: SourceRelation, y: SourceRelation) -> bool:
    return x.key() == y.key()


def _overlapping(x: SourceRelation, y: SourceRelation) -> bool:
    same_type = x.relation.type == y.relation.type
    return same_type and _overlap(x.head, y.head) and _overlap(x.tail, y.tail)


def classify(a: Sequence[SourceRelation], b: Sequence[SourceRelation]) -> list[RelationDifference]:
    """The differences between A's and B's relations on one document (pure)."""
    left, right = sorted(a, key=_order), sorted(b, key=_order)
    out: list[RelationDifference] = []
    rules: tuple[tuple[str, Callable[[SourceRelation, SourceRelation], bool]], ...] = (
        ("agreement", _same),
        ("type", _same_ends),
        ("overlap", _overlapping),
    )
    for kind, fits in rules:
        for x in list(left):
            for y in right:
                if fits(x, y):
                    out.append(RelationDifference(kind, x, y))
                    left.remove(x)
                    right.remove(y)
                    break
    out += [RelationDifference("one_side", x, None) for x in left]
    out += [RelationDifference("one_side", None, y) for y in right]
    return sorted(out, key=lambda d: _order(d.a or d.b))  # type: ignore[arg-type]


def source_relations(db: Database, document_uid: str, curator: str) -> list[SourceRelation]:
    """A curator's live relations between live spans, with their ends."""
    spans = {s.uid: s for s in spans_for(db, document_uid, curator)}
    return [
        SourceRelation(r, spans[r.head], spans[r.tail])
        for r in relations_for(db, document_uid, curator)
        if r.origin != ADJUDICATED and r.head in spans and r.tail in spans
    ]


def relation_differences(
    db: Database, document_uid: str, a: str, b: str
) -> list[RelationDifference]:
    """Where curator *b*'s relations differ from curator *a*'s on one document."""
    return classify(source_relations(db, document_uid, a), source_relations(db, document_uid, b))


def _end_span(session: Session, uid: str) -> tuple[int, int, str, str]:
    row = session.execute(
        select(Annotation.start, Annotation.end, Label.name, Annotation.concepts)
        .join(Label, Label.id == Annotation.label_id)
        .where(Annotation.uid == uid, Annotation.deleted_at.is_(None))
    ).first()
    if row is None:
        raise RelationRuleError("an end of this relation is deleted; it cannot be accepted")
    return row[0], row[1], row[2], row[3]


def _layer_span(session: Session, doc_id: int, rev_id: int, source_uid: str) -> tuple[str, bool]:
    """(uid, made now) of the reviewer's live span with the source span's offsets and label."""
    start, end, label, concepts = _end_span(session, source_uid)
    found = session.scalar(
        select(Annotation.uid)
        .join(Label, Label.id == Annotation.label_id)
        .where(
            Annotation.document_id == doc_id,
            Annotation.curator_id == rev_id,
            Annotation.start == start,
            Annotation.end == end,
            Label.name == label,
            Annotation.deleted_at.is_(None),
        )
        .order_by(Annotation.origin != ADJUDICATED, Annotation.id)
        .limit(1)
    )
    if found is not None:
        return found, False
    return _curated_span(
        session, doc_id, rev_id, (start, end, label), decode(concepts), pieces_of=[source_uid]
    )


def _log(  # noqa: PLR0917 - one review_decision row, field by field
    session: Session, doc_id: int, rev_id: int, source: str, decision: str, result: str | None,
    reason: str,
) -> dict[str, object]:  # fmt: skip
    """Add the row; returns its values, for the undo step that removes it again."""
    row: dict[str, object] = {
        "uid": str(uuid.uuid4()), "document_id": doc_id, "reviewer_id": rev_id,
        "source_uid": source, "decision": decision, "result_uid": result,
        "reason": reason.strip(), "created_at": utcnow(),
    }  # fmt: skip
    session.add(ReviewDecision(**row))
    return row


@retried
def accept_relation(
    db: Database,
    reviewer: str,
    document_uid: str,
    relation_uid: str,
    *,
    reason: str = "",
    steps: list[Step] | None = None,
) -> RelationRecord:
    """Bring a curator's relation, with its ends, into the reviewer's curated layer.

    One transaction: the curated copies of both ends (reused when the
    layer already has them), the curated relation (reused when the layer
    already has the same live one), and the decision row. The step taken,
    everything it made included, is appended to *steps* when given.
    """
    source = get_relation(db, relation_uid)
    if source.document_uid != document_uid:
        raise NotFoundError(f"relation {relation_uid} is not in document {document_uid}")
    if source.deleted:
        raise CuratorError(f"the {source.type} relation is deleted; it cannot be accepted")
    if source.curator == reviewer:
        raise CuratorError("this relation is already in your layer")
    with db.write() as session:
        doc_id = document_id(session, document_uid)
        rev_id = curator_id(session, reviewer)
        assert rev_id is not None
        head, head_made = _layer_span(session, doc_id, rev_id, source.head)
        tail, tail_made = _layer_span(session, doc_id, rev_id, source.tail)
        made_relation: tuple[str, ...] = ()
        existing = session.scalar(
            select(Relation.uid)
            .join(RelationType, RelationType.id == Relation.type_id)
            .where(
                Relation.document_id == doc_id,
                Relation.curator_id == rev_id,
                RelationType.name == source.type,
                Relation.head_uid == head,
                Relation.tail_uid == tail,
                Relation.deleted_at.is_(None),
            )
        )
        if existing is None:
            item = NewRelation(source.type, head, tail, source.note)
            (made,) = add_relations_in(session, document_uid, reviewer, [item], origin=ADJUDICATED)
            existing = made.uid
            made_relation = (existing,)
        row = _log(session, doc_id, rev_id, relation_uid, "accept", existing, reason)
        touch_in_progress(session, doc_id, rev_id)
    if steps is not None:
        spans = tuple(uid for uid, made in ((head, head_made), (tail, tail_made)) if made)
        steps.append(Step((row,), spans, (), relations_made=made_relation))
    return get_relation(db, existing)


@retried
def reject_relation(
    db: Database,
    reviewer: str,
    document_uid: str,
    relation_uid: str,
    *,
    reason: str = "",
    steps: list[Step] | None = None,
) -> None:
    """Record that the reviewer rejects a curator's relation.

    A curated relation an earlier accept of this same relation made (origin
    ``adjudicated``) is deleted with it; the reviewer's own work never is.
    The step taken is appended to *steps* when given.
    """
    source = get_relation(db, relation_uid)
    if source.document_uid != document_uid:
        raise NotFoundError(f"relation {relation_uid} is not in document {document_uid}")
    with db.write() as session:
        doc_id = document_id(session, document_uid)
        rev_id = curator_id(session, reviewer)
        assert rev_id is not None
        before = relation_decisions_in(session, doc_id, rev_id).get(relation_uid)
        logged = _log(session, doc_id, rev_id, relation_uid, "reject", None, reason)
        retired: tuple[str, ...] = ()
        if before is not None and before[1] is not None:
            row = session.scalar(select(Relation).where(Relation.uid == before[1]))
            if row is not None and row.deleted_at is None and row.origin == ADJUDICATED:
                row.deleted_at = row.updated_at = utcnow()
                row.revision += 1
                retired = (row.uid,)
    if steps is not None:
        steps.append(Step((logged,), (), (), relations_retired=retired))


def relation_decisions_in(
    session: Session, doc_id: int, rev_id: int
) -> dict[str, tuple[str, str | None]]:
    rows = session.execute(
        select(ReviewDecision.source_uid, ReviewDecision.decision, ReviewDecision.result_uid)
        .join(Relation, Relation.uid == ReviewDecision.source_uid)
        .where(ReviewDecision.document_id == doc_id, ReviewDecision.reviewer_id == rev_id)
        .order_by(ReviewDecision.created_at, ReviewDecision.id)
    ).all()
    return {source: (decision, result) for source, decision, result in rows}


def relation_decisions(
    db: Database, document_uid: str, reviewer: str
) -> dict[str, tuple[str, str | None]]:
    """Source relation uid -> (latest decision, curated relation uid) of the reviewer."""
    with db.read() as session:
        doc_id = document_id(session, document_uid)
        rev_id = curator_id(session, reviewer, create=False)
        return {} if rev_id is None else relation_decisions_in(session, doc_id, rev_id)
