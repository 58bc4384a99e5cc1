"""Suggestions as stored: computing them for a curator, accepting, rejecting.

A suggestion is a row of its own table, never an annotation, so counts,
exports and agreement only see it when asked to. Accepting one creates the
curator's annotation (origin ``suggested``) through :mod:`curator.core.spans.annotate`
and marks the row accepted in the same transaction; rejecting keeps the row,
so the same span with the same label is never proposed again to that curator
in that document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, insert, select
from sqlalchemy.orm import Session

from curator.core.articles.documents import document_id
from curator.core.errors import CuratorError, NotFoundError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, Label, Suggestion, utcnow
from curator.core.storage.records import Span
from curator.core.storage.retry import retried
from curator.core.suggest import confidence
from curator.core.suggest.finding import (
    Matcher,
    Proposal,
    Sources,
    learned_lexicon,
    shipped_sources,
    suggest,
)


@dataclass(frozen=True, slots=True)
class SuggestionInfo:
    id: int
    document_uid: str
    curator: str
    label: str
    start: int
    end: int
    text: str
    source: str
    state: str
    annotation_uid: str | None
    score: float | None = None
    """The source's own confidence (a model's), if it gave one."""

    @classmethod
    def _make(cls, row: Sequence[Any]) -> SuggestionInfo:
        return cls(*row)

    @property
    def confidence(self) -> float:
        """Its own score when its source gave one; its source's prior otherwise."""
        return confidence.confidence(self.source, self.label, self.score)


def review_order(items: Iterable[SuggestionInfo], *, uncertain_first: bool) -> list[SuggestionInfo]:
    """The order Tab visits suggestions: reading order, or least confident first.

    Equal confidence keeps reading order, so the order is the same every time.
    """
    if not uncertain_first:
        return sorted(items, key=lambda s: (s.start, s.end, s.id))
    return confidence.uncertain_first(items, key=lambda s: (s.confidence, s.start, s.end, s.id))


_COLUMNS = (
    Suggestion.id,
    Document.uid,
    Curator.name,
    Label.name,
    Suggestion.start,
    Suggestion.end,
    Suggestion.text,
    Suggestion.source,
    Suggestion.state,
    Suggestion.annotation_uid,
    Suggestion.score,
)
_ROWS = (
    select(*_COLUMNS)
    .join(Document, Document.id == Suggestion.document_id)
    .join(Curator, Curator.id == Suggestion.curator_id)
    .join(Label, Label.id == Suggestion.label_id)
)
# A live annotation of the same curator over the same extent makes a suggestion
# moot, whatever its label (the curator has decided what that phrase is): it
# is not shown, exported or counted as pending while that annotation lives.
_ANNOTATED = exists().where(
    and_(
        Annotation.document_id == Suggestion.document_id,
        Annotation.curator_id == Suggestion.curator_id,
        Annotation.start == Suggestion.start,
        Annotation.end == Suggestion.end,
        Annotation.deleted_at.is_(None),
    )
)


def pending_suggestions(
    db: Database, document_uid: str, curator: str, label: str | None = None
) -> list[SuggestionInfo]:
    """What the curator still has to decide on in this document, in text order."""
    query = _ROWS.where(
        Document.uid == document_uid,
        Curator.name == curator,
        Suggestion.state == "pending",
        ~_ANNOTATED,
    )
    if label is not None:
        query = query.where(Label.name == label)
    query = query.order_by(Suggestion.start, Suggestion.end, Label.position)
    with db.read() as session:
        return [SuggestionInfo._make(row) for row in session.execute(query)]


def pending_extents(db: Database, document_uid: str, curator: str) -> set[tuple[int, int]]:
    """(start, end) of every pending suggestion, shown or hidden by a span of that extent.

    Only an edit of a span with one of these extents can show or hide a
    suggestion, so the editor re-reads the suggestions after such edits only.
    """
    query = (
        select(Suggestion.start, Suggestion.end)
        .join(Document, Document.id == Suggestion.document_id)
        .join(Curator, Curator.id == Suggestion.curator_id)
        .where(
            Document.uid == document_uid,
            Curator.name == curator,
            Suggestion.state == "pending",
        )
    )
    with db.read() as session:
        return {(start, end) for start, end in session.execute(query)}


def get_suggestion(db: Database, suggestion_id: int) -> SuggestionInfo:
    with db.read() as session:
        row = session.execute(_ROWS.where(Suggestion.id == suggestion_id)).first()
    if row is None:
        raise NotFoundError(f"no suggestion with id {suggestion_id}")
    return SuggestionInfo._make(row)


def _team_tags(session: Session, doc_id: int) -> list[tuple[str, str, int]]:
    """(quote, label, count) of every live span in the other documents, all curators."""
    query = (
        select(Annotation.text, Label.name, func.count())
        .join(Label, Label.id == Annotation.label_id)
        .where(Annotation.document_id != doc_id, Annotation.deleted_at.is_(None))
        .group_by(Annotation.text, Label.name)
    )
    return [(quote, label, n) for quote, label, n in session.execute(query)]


def compute(
    db: Database,
    document_uid: str,
    curator: str,
    sources: Sources | None = None,
    extra: Sequence[Matcher] = (),
) -> dict[str, int]:
    """Store new pending suggestions for one document; returns how many per label.

    Skipped: anything already suggested (in any state, so rejections stick)
    and anything the curator has already annotated with the same extent and label.
    The matching (a second or more on a long article) runs between a read
    and a short write, never inside the write: the app computes in a thread
    while the curator keeps editing, and each edit needs the write lock.
    """
    sources = sources or shipped_sources()
    with db.read() as session:
        doc_id = document_id(session, document_uid)
        text = session.scalar(select(Document.text).where(Document.id == doc_id))
        assert text is not None
        # Retired labels take no new spans, so nothing is proposed with them either.
        in_use = select(Label.name, Label.id).where(Label.deleted_at.is_(None))
        labels = {name: id_ for name, id_ in session.execute(in_use)}
        learned = learned_lexicon(_team_tags(session, doc_id))
    proposals = suggest(text, sources, learned, labels=labels, extra=extra)
    return _store(db, doc_id, curator=curator, text=text, labels=labels, proposals=proposals)


@retried
def _store(
    db: Database,
    doc_id: int,
    *,
    curator: str,
    text: str,
    labels: dict[str, int],
    proposals: Sequence[Proposal],
) -> dict[str, int]:
    """Insert the *proposals* that are neither suggested nor annotated yet, in one transaction."""
    with db.write() as session:
        cur_id = curator_id(session, curator)
        assert cur_id is not None
        taken: set[tuple[int, int, int]] = set()
        taken |= set(
            session.execute(
                select(Suggestion.start, Suggestion.end, Suggestion.label_id).where(
                    Suggestion.document_id == doc_id, Suggestion.curator_id == cur_id
                )
            )
        )
        taken |= set(
            session.execute(
                select(Annotation.start, Annotation.end, Annotation.label_id).where(
                    Annotation.document_id == doc_id,
                    Annotation.curator_id == cur_id,
                    Annotation.deleted_at.is_(None),
                )
            )
        )
        now = utcnow()
        added: dict[str, int] = {}
        rows = []
        for p in proposals:
            key = (p.start, p.end, labels[p.label])
            if key in taken:
                continue
            taken.add(key)
            rows.append(
                {
                    "document_id": doc_id,
                    "curator_id": cur_id,
                    "label_id": labels[p.label],
                    "start": p.start,
                    "end": p.end,
                    "text": text[p.start : p.end],
                    "source": p.source[:100],
                    "score": getattr(p, "score", None),
                    "state": "pending",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            added[p.label] = added.get(p.label, 0) + 1
        if rows:
            session.execute(insert(Suggestion), rows)
    return added


def compute_on_first_open(db: Database, document_uid: str, curator: str) -> bool:
    """Compute once per (document, curator): only while neither has left a trace.

    A document the curator already worked on (spans or earlier suggestions)
    is left alone; "Suggest again" asks explicitly.
    """
    if not is_first_open(db, document_uid, curator):
        return False
    compute(db, document_uid, curator)
    return True


def is_first_open(db: Database, document_uid: str, curator: str) -> bool:
    """Whether the curator has left no trace in the document yet (no span, no suggestion).

    Two indexed reads: the app asks this as it opens the document, and
    computes in the background only when it is true, so that an edit made
    before the computation starts does not turn a first opening into a later one.
    """
    with db.read() as session:
        doc_id = document_id(session, document_uid)
        cur_id = curator_id(session, curator, create=False)
        if cur_id is None:
            return True
        for table in (Suggestion, Annotation):
            seen = session.scalar(
                select(table.id)
                .where(table.document_id == doc_id, table.curator_id == cur_id)
                .limit(1)
            )
            if seen is not None:
                return False
    return True


def _row(session: Session, suggestion_id: int) -> Suggestion:
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise NotFoundError(f"no suggestion with id {suggestion_id}")
    return row


def _accept_in(session: Session, row: Suggestion, label: str | None) -> str:
    """Create (or bring back) the annotation for *row*; returns its uid."""
    if row.state != "pending":
        raise CuratorError(f"the suggestion “{row.text}” is already {row.state}")
    names = {id_: name for id_, name in session.execute(select(Label.id, Label.name))}
    label = label or names[row.label_id]
    doc_uid = session.scalar(select(Document.uid).where(Document.id == row.document_id))
    cur_name = session.scalar(select(Curator.name).where(Curator.id == row.curator_id))
    assert doc_uid is not None and cur_name is not None
    previous = _annotation(session, row.annotation_uid)
    if (
        previous is not None
        and previous.deleted_at is not None
        and names[previous.label_id] == label
    ):
        # Redo after an undone accept: the same span comes back, same uid.
        annotate.edit_in(session, previous.uid, None, annotate.mark_restored)
        uid = previous.uid
    else:
        new = NewSpan(row.start, row.end, label)
        uid = annotate.add_spans_in(session, doc_uid, cur_name, [new], origin="suggested")[0].uid
    row.state, row.annotation_uid, row.updated_at = "accepted", uid, utcnow()
    return uid


def _annotation(session: Session, uid: str | None) -> Annotation | None:
    if uid is None:
        return None
    return session.scalar(select(Annotation).where(Annotation.uid == uid))


@retried
def accept(db: Database, suggestion_id: int, label: str | None = None) -> Span:
    """Accept one suggestion (optionally under another label); returns the new span."""
    with db.write() as session:
        uid = _accept_in(session, _row(session, suggestion_id), label)
    return annotate.get_span(db, uid)


@retried
def accept_many(db: Database, suggestion_ids: Sequence[int]) -> list[Span]:
    """Accept several suggestions in one transaction (all of a label at once)."""
    with db.write() as session:
        uids = [_accept_in(session, _row(session, sid), None) for sid in suggestion_ids]
    return [annotate.get_span(db, uid) for uid in uids]


def accept_label(db: Database, document_uid: str, curator: str, label: str) -> list[Span]:
    pending = pending_suggestions(db, document_uid, curator, label)
    return accept_many(db, [s.id for s in pending])


@retried
def unaccept(
    db: Database, suggestion_ids: Iterable[int], revisions: dict[str, int] | None = None
) -> list[Span]:
    """Undo of accept: tombstone the spans and make the suggestions pending again.

    *revisions* (span uid -> revision) refuses the undo when a span was
    changed since, like every other edit.
    """
    revisions = revisions or {}
    uids: list[str] = []
    with db.write() as session:
        for sid in suggestion_ids:
            row = _row(session, sid)
            if row.state != "accepted" or row.annotation_uid is None:
                raise CuratorError(f"the suggestion “{row.text}” is not accepted")
            uid = row.annotation_uid
            annotate.edit_in(session, uid, revisions.get(uid), annotate.mark_deleted)
            row.state, row.updated_at = "pending", utcnow()
            uids.append(uid)
    return [annotate.get_span(db, uid) for uid in uids]


def reject(db: Database, suggestion_id: int) -> SuggestionInfo:
    """Reject: remembered, so this span and label are not proposed again here."""
    return _set_state(db, suggestion_id, "pending", "rejected")


def unreject(db: Database, suggestion_id: int) -> SuggestionInfo:
    """Undo of reject."""
    return _set_state(db, suggestion_id, "rejected", "pending")


@retried
def _set_state(db: Database, suggestion_id: int, old: str, new: str) -> SuggestionInfo:
    with db.write() as session:
        row = _row(session, suggestion_id)
        if row.state != old:
            raise CuratorError(f"the suggestion “{row.text}” is {row.state}, not {old}")
        row.state, row.updated_at = new, utcnow()
    return get_suggestion(db, suggestion_id)
