"""The team's decisions a recognizer learns from, read from the database.

Positives: every live span of any curator whose origin says a person decided
it (``manual``, an accepted suggestion ``suggested``, a reviewer's
``adjudicated``); imported spans are another tool's output and spans in
several pieces have no single extent, so neither is learned from. Negatives:
suggestions a curator rejected, unless someone tagged that same place with
that label.

A document takes part in training only when it holds a positive: the span
categorizer treats every candidate of a training document that is not a
positive as a negative, which a rejected span then is by construction.
Rejections in documents nobody tagged are still honoured at proposal time
(:func:`rejected_quotes`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Document, Label, Suggestion

TRAINED_ORIGINS = ("manual", "suggested", "adjudicated")

Place = tuple[int, int, str]
"""(start, end, label), offsets in code points, end exclusive."""


@dataclass(frozen=True)
class DocumentDecisions:
    uid: str
    text: str
    positives: frozenset[Place]
    negatives: frozenset[Place]
    decided_at: dt.datetime | None = None
    """When the latest decision in this document was made."""


@dataclass(frozen=True)
class Decisions:
    documents: tuple[DocumentDecisions, ...]
    """Documents with at least one positive, in uid order."""
    until: dt.datetime | None
    """When the latest decision read was made (None: there was none)."""
    fingerprint: str
    """SHA-256 of every decision read: two reads with the same one saw the same decisions."""

    @property
    def positives(self) -> int:
        return sum(len(d.positives) for d in self.documents)

    @property
    def negatives(self) -> int:
        return sum(len(d.negatives) for d in self.documents)


def read_decisions(db: Database) -> Decisions:
    """Every decision in the database, in one read transaction."""
    positives: dict[int, set[Place]] = {}
    negatives: dict[int, set[Place]] = {}
    latest: dt.datetime | None = None
    per_document: dict[int, dt.datetime] = {}
    with db.read() as session:
        spans = session.execute(
            select(
                Annotation.document_id,
                Annotation.start,
                Annotation.end,
                Label.name,
                Annotation.updated_at,
            )
            .join(Label, Label.id == Annotation.label_id)
            .where(
                Annotation.deleted_at.is_(None),
                Annotation.fragments.is_(None),
                Annotation.origin.in_(TRAINED_ORIGINS),
            )
        )
        for doc_id, start, end, label, when in spans:
            positives.setdefault(doc_id, set()).add((start, end, label))
            latest = when if latest is None or when > latest else latest
            per_document[doc_id] = max(when, per_document.get(doc_id, when))
        rejected = session.execute(
            select(
                Suggestion.document_id,
                Suggestion.start,
                Suggestion.end,
                Label.name,
                Suggestion.updated_at,
            )
            .join(Label, Label.id == Suggestion.label_id)
            .where(Suggestion.state == "rejected")
        )
        for doc_id, start, end, label, when in rejected:
            negatives.setdefault(doc_id, set()).add((start, end, label))
            latest = when if latest is None or when > latest else latest
            per_document[doc_id] = max(when, per_document.get(doc_id, when))
        ids = sorted(positives)
        rows = session.execute(
            select(Document.id, Document.uid, Document.text).where(Document.id.in_(ids))
        ).all()
    documents = sorted(
        (
            DocumentDecisions(
                uid,
                text,
                frozenset(positives[doc_id]),
                frozenset(negatives.get(doc_id, set()) - positives[doc_id]),
                per_document.get(doc_id),
            )
            for doc_id, uid, text in rows
        ),
        key=lambda d: d.uid,
    )
    return Decisions(tuple(documents), latest, _fingerprint(documents))


def most_recent(decisions: Decisions, characters: int) -> Decisions:
    """The documents decided on last, up to *characters* of text (at least one document).

    Bounds what one training costs however large the database grows: the
    newest work is what the team's current guidelines look like.
    """
    newest = sorted(
        decisions.documents,
        key=lambda d: (d.decided_at or dt.datetime.min.replace(tzinfo=dt.UTC), d.uid),
        reverse=True,
    )
    chosen: list[DocumentDecisions] = []
    total = 0
    for document in newest:
        if chosen and total + len(document.text) > characters:
            continue
        chosen.append(document)
        total += len(document.text)
    chosen.sort(key=lambda d: d.uid)
    if len(chosen) == len(decisions.documents):
        return decisions
    return Decisions(tuple(chosen), decisions.until, _fingerprint(chosen))


def _fingerprint(documents: list[DocumentDecisions]) -> str:
    digest = hashlib.sha256()
    for doc in documents:
        for kind, places in (("+", doc.positives), ("-", doc.negatives)):
            for start, end, label in sorted(places):
                digest.update(f"{doc.uid}\t{kind}\t{start}\t{end}\t{label}\n".encode())
    return digest.hexdigest()


def decisions_since(db: Database, until: dt.datetime | None) -> int:
    """How many spans were tagged, changed or deleted, and suggestions rejected, after *until*.

    Counts rows, not net changes: a span tagged and deleted again counts,
    which only makes retraining come a little early.
    """
    spans = select(func.count()).where(Annotation.origin.in_(TRAINED_ORIGINS))
    rejected = select(func.count()).where(Suggestion.state == "rejected")
    if until is not None:
        spans = spans.where(or_(Annotation.updated_at > until, Annotation.deleted_at > until))
        rejected = rejected.where(Suggestion.updated_at > until)
    with db.read() as session:
        return int(session.scalar(spans) or 0) + int(session.scalar(rejected) or 0)


def normal_quote(quote: str) -> str:
    return " ".join(quote.split())


def rejected_quotes(db: Database) -> frozenset[tuple[str, str]]:
    """(quote, label) pairs someone rejected as a suggestion and nobody ever tagged.

    The recognizer proposes none of them anywhere, so a rejection is honoured
    at once, in every document, without waiting for the next training.
    """
    with db.read() as session:
        rejected = {
            (normal_quote(quote), label)
            for quote, label in session.execute(
                select(Suggestion.text, Label.name)
                .join(Label, Label.id == Suggestion.label_id)
                .where(Suggestion.state == "rejected")
                .distinct()
            )
        }
        if not rejected:
            return frozenset()
        tagged = {
            (normal_quote(quote), label)
            for quote, label in session.execute(
                select(Annotation.text, Label.name)
                .join(Label, Label.id == Annotation.label_id)
                .where(Annotation.deleted_at.is_(None))
                .distinct()
            )
        }
    return frozenset(rejected - tagged)
