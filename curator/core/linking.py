"""Linking spans to concepts: an edit of the span like any other.

A link changes the span's content, so it takes a new revision and
``updated_at``, is refused when the span changed elsewhere since it was
read (optimistic concurrency), and merges through the span's register.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from curator.core.annotate import edit_in
from curator.core.concepts import Concept, decode, encode
from curator.core.db import Database
from curator.core.records import Span


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
