"""Parsing and checking one JSONL line, before anything touches the database.

Three shapes are read: our own lines (with ``schema``), the minimal span
JSONL that Prodigy-style tools write (``{"text", "spans": [{start, end,
label}]}``) and doccano's (``{"text", "label": [[start, end, label]]}``).
This module tells them apart and refuses what none of them reads; our own
lines are checked by :mod:`~curator.core.interchange.own_line` (canonical
text, offsets and ids taken as they are), the others by
:mod:`~curator.core.interchange.foreign_line` (offsets of the raw text mapped
onto the canonical text, or refused, never moved). What they become is in
:mod:`~curator.core.interchange.incoming`.
"""

from __future__ import annotations

from typing import Any

from curator.core.interchange.foreign_line import doccano_span, foreign_document, minimal_span
from curator.core.interchange.incoming import IncomingDocument, IncomingSpan, typed
from curator.core.interchange.line_error import LineError
from curator.core.interchange.own_line import RowMaker, parse_own
from curator.core.interchange.relation_read import (
    IncomingRelation,
    minimal_relations,
    own_relations,
    span_ids,
)
from curator.core.safe_text import text_problem, value_problem

__all__ = ["IncomingDocument", "IncomingSpan", "LineError", "parse_line"]


def parse_line(obj: Any, rows: RowMaker | None = None) -> IncomingDocument:
    """One decoded line (or another format's record) checked, as the store takes it.

    *rows* may turn the plain spans of our own lines into insert rows at once
    (:func:`~curator.core.interchange.own_line.own_rows`).
    """
    if not isinstance(obj, dict):
        raise LineError(f"expected a JSON object, found {type(obj).__name__}")
    for key in ("text", "title"):  # every format's records come here, not only JSONL's
        value = obj.get(key)
        if type(value) is str and (problem := text_problem(value)):
            raise LineError(f"{key} {problem}")
    meta = obj.get("meta")
    if meta and (problem := value_problem(meta, "meta")):
        raise LineError(problem)
    if "schema" in obj:
        own = parse_own(obj, rows)
        if obj.get("relations"):
            own.relations = own_relations(obj["relations"], own.spans)
        return own
    text = typed(obj, "text", str, "line")
    _refuse_unread(obj)
    relations: list[IncomingRelation] = []
    if "spans" in obj:
        raw = typed(obj, "spans", list, "line")
        spans = [minimal_span(s, i) for i, s in enumerate(raw, 1)]
        ids = span_ids(raw)
        if obj.get("relations"):
            relations = minimal_relations(obj["relations"], ids)
    elif "label" in obj:
        raw = typed(obj, "label", list, "line")
        spans = [doccano_span(s, i) for i, s in enumerate(raw, 1)]
    else:
        spans = []
    document = foreign_document(obj, text, spans)
    document.relations = relations
    return document


UNREAD_SPAN_KEYS = ("labels", "entities", "annotations", "relations", "completions", "predictions")
"""Keys that carry spans (or links between them) in other tools' lines, not read here."""


def _refuse_unread(obj: dict[str, Any]) -> None:
    """A line with spans under a key this reader does not take is refused, never read as 0 spans."""
    read = "spans" if "spans" in obj else "label" if "label" in obj else None
    for key in UNREAD_SPAN_KEYS:
        if key == "relations" and read == "spans":
            continue  # links between spans that carry an "id" (relation_read)
        if obj.get(key):
            also = f" beside {read!r}" if read else ""
            raise LineError(
                f"carries {key!r}{also}, which this reader does not take; "
                "nothing was imported rather than leave those spans out"
            )
