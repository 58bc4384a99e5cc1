"""Linking spans to concepts: an edit of the span like any other.

A link changes the span's content, so it takes a new revision and
``updated_at``, is refused when the span changed elsewhere since it was
read (optimistic concurrency), and merges through the span's register.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from curator.core.articles.documents import touch_in_progress
from curator.core.concepts.people import person_names
from curator.core.concepts.ranking import Ranker
from curator.core.concepts.vocabulary_index import shipped_ranker
from curator.core.spans.annotate import edit_in
from curator.core.storage.concepts import EMPTY, Concept, decode, encode
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, Label, utcnow
from curator.core.storage.records import Span


def _change(concepts: Sequence[Concept]) -> Any:
    linked = decode(encode(concepts))  # in order, without repeats

    def change(_s: Session, _span: Span, _t: str) -> dict[str, Any]:
        return {"concepts": linked}

    return change


def link_span(
    db: Database, uid: str, concepts: Sequence[Concept], expected_revision: int | None = None
) -> Span:
    """Set the concepts of one span (an empty list unlinks it)."""
    with db.write() as session:
        return edit_in(session, uid, expected_revision, _change(concepts), needs_text=False)


def link_spans(
    db: Database, edits: Sequence[tuple[str, int | None, Sequence[Concept]]]
) -> list[Span]:
    """Set the concepts of several spans in one transaction: all or none.

    *edits* are ``(uid, expected revision, concepts)``; the GUI's "link all
    spans with this text" and its undo are one call each.
    """
    with db.write() as session:
        return [
            edit_in(session, uid, rev, _change(concepts), needs_text=False)
            for uid, rev, concepts in edits
        ]


@dataclass
class LinkReport:
    """Per label: spans linked, left ambiguous, and with no candidate."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, label: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(label, Counter())[outcome] += n

    def to_json(self) -> dict[str, dict[str, int]]:
        """The counts as ``curator link --json`` prints them, per label."""
        return {
            label: {"linked": c["linked"], "ambiguous": c["ambiguous"], "no_candidate": c["none"]}
            for label, c in self.counts.items()
        }

    def lines(self) -> list[str]:
        out = []
        for label, c in self.counts.items():
            out.append(
                f"{label:10} linked {c['linked']:>6}  ambiguous {c['ambiguous']:>6}  "
                f"no candidate {c['none']:>6}"
            )
        return out


def ranker_for(db: Database, label: str) -> Ranker:
    """The ranker of *label*'s vocabulary; experts rank this database's people."""
    if label == "expert":
        return Ranker(person_names(db))
    return shipped_ranker(label)


_UNLINKED = (
    select(
        Annotation.id,
        Annotation.document_id,
        Annotation.curator_id,
        Label.name,
        Annotation.text,
        Annotation.revision,
    )
    .join(Label, Label.id == Annotation.label_id)
    .join(Curator, Curator.id == Annotation.curator_id)
    .join(Document, Document.id == Annotation.document_id)
    .where(Annotation.deleted_at.is_(None), Annotation.concepts == EMPTY)
)
_TABLE = cast(Table, Annotation.__table__)
_SET = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("b_id"), _TABLE.c.revision == bindparam("b_rev"))
    .values(
        concepts=bindparam("b_concepts"),
        revision=bindparam("b_rev") + 1,
        updated_at=bindparam("b_now"),
    )
)


def link_unlinked(
    db: Database,
    curator: str,
    *,
    documents: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
) -> LinkReport:
    """Link every unlinked live span of *curator* whose text names one concept exactly.

    One transaction; a text is decided once however often it occurs (an
    article repeats its drugs and antigens). Each link is an edit: revision
    and ``updated_at`` move, exactly as a link made by hand.
    """
    query = _UNLINKED.where(Curator.name == curator)
    if documents is not None:
        query = query.where(Document.uid.in_(list(documents)))
    if labels is not None:
        query = query.where(Label.name.in_(list(labels)))
    report = LinkReport()
    with db.write() as session:
        rows = session.execute(query.order_by(Annotation.id)).all()
        rankers: dict[str, Ranker | None] = {}
        decided: dict[tuple[str, str], tuple[str, str | None]] = {}
        now = utcnow()
        updates = []
        touched: set[tuple[int, int]] = set()
        for ann_id, doc_id, cur_id, label, text, revision in rows:
            key = (label, text)
            if key not in decided:
                if label not in rankers:
                    rankers[label] = ranker_for(db, label) if has_vocabulary(label) else None
                ranker = rankers[label]
                if ranker is None:
                    decided[key] = ("none", None)
                else:
                    decision = ranker.decide(text)
                    linked = (Concept(c.concept_id, c.concept_name) for c in decision.candidates)
                    stored = encode(linked) if decision.outcome == "linked" else None
                    decided[key] = (decision.outcome, stored)
            outcome, stored = decided[key]
            report.add(label, outcome)
            if stored is not None:
                updates.append(
                    {"b_id": ann_id, "b_rev": revision, "b_concepts": stored, "b_now": now}
                )
                touched.add((doc_id, cur_id))
        if updates:
            session.connection().execute(_SET, updates)
        for doc_id, cur_id in touched:
            touch_in_progress(session, doc_id, cur_id)
    return report


def has_vocabulary(label: str) -> bool:
    return label in ("target", "therapy", "outcome", "expert")
