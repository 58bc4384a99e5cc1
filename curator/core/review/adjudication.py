"""Adjudication: a reviewer's decisions and the curated layer they build.

The curated layer is the reviewer's spans with origin ``adjudicated``. Each
decision is a :class:`~curator.core.storage.models.ReviewDecision` row per source
span, written in the same transaction as the curated span it produces, so
the layer and its provenance never disagree. Accepting one candidate of a
difference accepts its spans and rejects the other candidates' spans;
editing records ``edit`` for every source span. Deciding again supersedes
the earlier decision (the log keeps both) and deletes the curated span the
earlier decision made, unless a current decision still points to it.

A span the reviewer's layer already holds (same offsets and label, any
origin) is never made twice: a reviewer who also annotated and accepts a
colleague's identical span gets their own span as the result, and such a
span, being their own work, is never deleted by a later decision. Every
decision returns a :class:`Step` that :func:`undo` and :func:`redo` invert.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from curator.core.articles.documents import document_id, touch_in_progress
from curator.core.errors import CuratorError, NotFoundError
from curator.core.review.differences import Difference, differences
from curator.core.spans.annotate import spans_for
from curator.core.storage.concepts import Concept, encode
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database
from curator.core.storage.fragments import decode as decode_pieces
from curator.core.storage.fragments import quote
from curator.core.storage.models import (
    Annotation,
    Curator,
    Document,
    Label,
    Relation,
    ReviewDecision,
    utcnow,
)
from curator.core.storage.records import Span
from curator.core.storage.relation_ends import restore_relations_of, tombstone_relations_of
from curator.core.storage.retry import retried

ADJUDICATED = "adjudicated"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    difference: Difference
    status: str  # "pending", "accepted", "rejected" or "edited"
    result_uid: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """What one decision changed: its log rows, and the curated spans and relations
    it made or retired.

    Undoing removes exactly these rows and puts the spans and relations back as
    they were (tombstones, never hard deletes); redoing writes the same rows
    (same uids) again, so a step and its undo leave no trace behind. A relation
    decision that also copied its ends into the layer is one step with them.
    """

    rows: tuple[dict[str, object], ...]
    created: tuple[str, ...]
    retired: tuple[str, ...]
    relations_made: tuple[str, ...] = ()
    relations_retired: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Provenance:
    source_uid: str
    decision: str
    reason: str
    reviewer: str


def source_spans(db: Database, document_uid: str, curators: Sequence[str]) -> dict[str, list[Span]]:
    """The compared curators' live spans (their own work, not a curated layer)."""
    return {
        name: [s for s in spans_for(db, document_uid, name) if s.origin != ADJUDICATED]
        for name in curators
    }


def _current(session: Session, doc_id: int, reviewer_id: int) -> dict[str, tuple[str, str | None]]:
    """source uid -> (decision, live result uid) of the reviewer's latest decisions."""
    rows = session.execute(
        select(ReviewDecision.source_uid, ReviewDecision.decision, ReviewDecision.result_uid)
        .where(ReviewDecision.document_id == doc_id, ReviewDecision.reviewer_id == reviewer_id)
        .order_by(ReviewDecision.created_at, ReviewDecision.id)
    ).all()
    live = set(
        session.scalars(
            select(Annotation.uid).where(
                Annotation.document_id == doc_id,
                Annotation.curator_id == reviewer_id,
                Annotation.deleted_at.is_(None),
            )
        )
    )
    current: dict[str, tuple[str, str | None]] = {}
    for source, decision, result in rows:
        current[source] = (decision, result)
    # A decision whose curated span was deleted since no longer stands.
    return {k: v for k, v in current.items() if v[0] == "reject" or v[1] in live}


def review_items(
    db: Database, document_uid: str, curators: Sequence[str], reviewer: str
) -> list[ReviewItem]:
    diffs = differences(source_spans(db, document_uid, curators))
    with db.read() as session:
        doc_id = document_id(session, document_uid)
        rev_id = curator_id(session, reviewer, create=False)
        current = _current(session, doc_id, rev_id) if rev_id is not None else {}
    items = []
    for diff in diffs:
        decided = [current.get(uid) for uid in diff.uids]
        if not decided or any(d is None for d in decided):
            items.append(ReviewItem(diff, "pending"))
            continue
        kept = [d for d in decided if d is not None and d[0] != "reject"]
        if not kept:
            items.append(ReviewItem(diff, "rejected"))
        else:
            kind = "edited" if kept[0][0] == "edit" else "accepted"
            items.append(ReviewItem(diff, kind, kept[0][1]))
    return items


def _pieces_of(session: Session, uids: Sequence[str]) -> str | None:
    """The stored pieces the accepted spans share (None: contiguous).

    Differences group spans by extent and label; spans in different pieces
    over one extent cannot become one curated span without choosing pieces.
    """
    found = set(session.scalars(select(Annotation.fragments).where(Annotation.uid.in_(uids))))
    if len(found) > 1:
        raise CuratorError(
            "these spans cover the same words in different pieces; edit the curated span instead"
        )
    return found.pop() if found else None


def _curated_span(
    session: Session,
    doc_id: int,
    reviewer_id: int,
    span: tuple[int, int, str],
    concepts: Sequence[Concept] = (),
    *,
    pieces_of: Sequence[str] = (),
) -> tuple[str, bool]:
    """(uid, made now) of the layer's live span here: an existing one of any origin first.

    *pieces_of*: the source spans whose pieces (if any) the curated span keeps.
    """
    linked = encode(concepts)
    start, end, label = span
    stored_pieces = _pieces_of(session, pieces_of) if pieces_of else None
    text = session.scalar(select(Document.text).where(Document.id == doc_id))
    assert text is not None
    if not 0 <= start < end <= len(text):
        raise CuratorError(f"span {start}-{end} is outside the text (0-{len(text)}) or empty")
    label_id = session.scalar(select(Label.id).where(Label.name == label))
    if label_id is None:
        raise NotFoundError(f"unknown label {label!r}")
    found = session.scalar(
        select(Annotation.uid)
        .where(
            Annotation.document_id == doc_id,
            Annotation.curator_id == reviewer_id,
            Annotation.label_id == label_id,
            Annotation.start == start,
            Annotation.end == end,
            Annotation.fragments.is_(None)
            if stored_pieces is None
            else Annotation.fragments == stored_pieces,
            Annotation.deleted_at.is_(None),
            Annotation.concepts == linked,
        )
        .order_by(Annotation.origin != ADJUDICATED, Annotation.id)
        .limit(1)
    )
    if found is not None:
        return found, False
    now = utcnow()
    row = Annotation(
        uid=str(uuid.uuid4()),
        document_id=doc_id,
        curator_id=reviewer_id,
        label_id=label_id,
        start=start,
        end=end,
        text=quote(text, decode_pieces(stored_pieces), start, end),
        fragments=stored_pieces,
        note="",
        origin=ADJUDICATED,
        created_at=now,
        updated_at=now,
        revision=1,
        concepts=linked,
    )
    session.add(row)
    session.flush()
    return row.uid, True


@retried
def _decide(
    db: Database,
    reviewer: str,
    document_uid: str,
    decisions: Sequence[tuple[str, str]],
    *,
    result: tuple[int, int, str] | None,
    reason: str,
    concepts: Sequence[Concept] = (),
    pieces_of: Sequence[str] = (),
    steps: list[Step] | None = None,
) -> str | None:
    """Record (source uid, decision) pairs and make the curated span *result* in one go.

    The step taken is appended to *steps* when given, for :func:`undo`.
    """
    with db.write() as session:
        doc_id = document_id(session, document_uid)
        rev_id = curator_id(session, reviewer)
        assert rev_id is not None
        before = _current(session, doc_id, rev_id)
        result_uid, made = (
            _curated_span(session, doc_id, rev_id, result, concepts, pieces_of=pieces_of)
            if result
            else (None, False)
        )
        now = utcnow()
        rows: tuple[dict[str, object], ...] = tuple(
            {
                "uid": str(uuid.uuid4()),
                "document_id": doc_id,
                "reviewer_id": rev_id,
                "source_uid": source,
                "decision": decision,
                "result_uid": None if decision == "reject" else result_uid,
                "reason": reason.strip(),
                "created_at": now,
            }
            for source, decision in decisions
        )
        session.add_all(ReviewDecision(**row) for row in rows)
        session.flush()
        after = _current(session, doc_id, rev_id)
        still_used = {r for _, r in after.values() if r is not None}
        retired = []
        for old in {r for _, r in before.values() if r is not None} - still_used:
            row = session.scalar(select(Annotation).where(Annotation.uid == old))
            # Only spans the review made are retired: the reviewer's own work stays.
            if row is not None and row.deleted_at is None and row.origin == ADJUDICATED:
                row.deleted_at = row.updated_at = now
                row.revision += 1
                tombstone_relations_of(session, [old], now)
                retired.append(old)
        touch_in_progress(session, doc_id, rev_id)
    if steps is not None:
        created = (result_uid,) if made and result_uid else ()
        steps.append(Step(rows, created, tuple(sorted(retired))))
    return result_uid


def _set_deleted(session: Session, uids: Sequence[str], deleted: bool) -> None:
    now = utcnow()
    for row in session.scalars(select(Annotation).where(Annotation.uid.in_(list(uids)))):
        if (row.deleted_at is not None) != deleted:
            if deleted:
                tombstone_relations_of(session, [row.uid], now)
            else:
                assert row.deleted_at is not None
                restore_relations_of(session, [row.uid], row.deleted_at)
            row.deleted_at = now if deleted else None
            row.updated_at = now
            row.revision += 1


def _set_relations_deleted(session: Session, uids: Sequence[str], deleted: bool) -> None:
    if not uids:
        return
    now = utcnow()
    state = Relation.deleted_at.is_(None) if deleted else Relation.deleted_at.is_not(None)
    session.execute(
        update(Relation)
        .where(Relation.uid.in_(list(uids)), state)
        .values(deleted_at=now if deleted else None, updated_at=now, revision=Relation.revision + 1)
    )


def undo(db: Database, steps: Sequence[Step]) -> None:
    """Take *steps* back, latest first, in one transaction: as if never decided."""
    with db.write() as session:
        for step in reversed(steps):
            uids = [str(row["uid"]) for row in step.rows]
            for decision in session.scalars(
                select(ReviewDecision).where(ReviewDecision.uid.in_(uids))
            ):
                session.delete(decision)
            _set_relations_deleted(session, step.relations_made, True)
            _set_deleted(session, step.created, True)
            _set_deleted(session, step.retired, False)
            _set_relations_deleted(session, step.relations_retired, False)


def redo(db: Database, steps: Sequence[Step]) -> None:
    """Make *steps* again, in order, with the same decision rows."""
    with db.write() as session:
        for step in steps:
            _set_deleted(session, step.created, False)
            _set_relations_deleted(session, step.relations_made, False)
            _set_relations_deleted(session, step.relations_retired, True)
            _set_deleted(session, step.retired, True)
            session.add_all(ReviewDecision(**row) for row in step.rows)
            session.flush()


def accept(
    db: Database,
    reviewer: str,
    document_uid: str,
    item: Difference,
    index: int,
    *,
    reason: str = "",
    steps: list[Step] | None = None,
) -> str:
    """Take candidate *index* into the curated layer; the other candidates are rejected."""
    chosen = item.candidates[index]
    decisions = [
        (uid, "accept" if i == index else "reject")
        for i, cand in enumerate(item.candidates)
        for uid in cand.uids
    ]
    uid = _decide(
        db,
        reviewer,
        document_uid,
        decisions,
        result=(chosen.start, chosen.end, chosen.label),
        reason=reason,
        concepts=chosen.concepts,
        pieces_of=chosen.uids,
        steps=steps,
    )
    assert uid is not None
    return uid


def reject(
    db: Database,
    reviewer: str,
    document_uid: str,
    item: Difference,
    reason: str = "",
    *,
    steps: list[Step] | None = None,
) -> None:
    """Keep none of the candidates."""
    decisions = [(u, "reject") for u in item.uids]
    _decide(db, reviewer, document_uid, decisions, result=None, reason=reason, steps=steps)


def edit(
    db: Database,
    reviewer: str,
    document_uid: str,
    item: Difference,
    span: tuple[int, int, str],
    *,
    reason: str = "",
    steps: list[Step] | None = None,
) -> str:
    """Put the reviewer's own (start, end, label) in the curated layer instead."""
    decisions = [(u, "edit") for u in item.uids]
    uid = _decide(db, reviewer, document_uid, decisions, result=span, reason=reason, steps=steps)
    assert uid is not None
    return uid


def accept_all_agreements(
    db: Database,
    reviewer: str,
    document_uid: str,
    curators: Sequence[str],
    reason: str = "",
    *,
    steps: list[Step] | None = None,
) -> int:
    """Accept every pending difference on which all compared curators agree."""
    done = 0
    for item in review_items(db, document_uid, curators, reviewer):
        if item.status == "pending" and item.difference.kind == "agreement":
            accept(
                db,
                reviewer,
                document_uid,
                item.difference,
                0,
                reason=reason or "all curators agree",
                steps=steps,
            )
            done += 1
    return done


def progress(
    db: Database, document_uid: str, curators: Sequence[str], reviewer: str
) -> tuple[int, int]:
    """(decided, total) differences of one document."""
    items = review_items(db, document_uid, curators, reviewer)
    return sum(i.status != "pending" for i in items), len(items)


def curated_spans(db: Database, document_uid: str, reviewer: str) -> list[Span]:
    """The reviewer's curated layer: spans the review made, and own spans a decision kept."""
    live = spans_for(db, document_uid, reviewer)
    with db.read() as session:
        doc_id = document_id(session, document_uid)
        rev_id = curator_id(session, reviewer, create=False)
        kept = {r for _, r in _current(session, doc_id, rev_id).values()} if rev_id else set()
    return [s for s in live if s.origin == ADJUDICATED or s.uid in kept]


def provenance(db: Database, result_uid: str) -> list[Provenance]:
    """The current decisions behind a curated span: its source spans and reasons."""
    with db.read() as session:
        rows = session.execute(
            select(
                ReviewDecision.source_uid,
                ReviewDecision.decision,
                ReviewDecision.reason,
                Curator.name,
            )
            .join(Curator, Curator.id == ReviewDecision.reviewer_id)
            .where(ReviewDecision.result_uid == result_uid)
            .order_by(ReviewDecision.created_at, ReviewDecision.source_uid)
        ).all()
    return [Provenance(*row) for row in rows]
