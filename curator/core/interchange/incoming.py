"""What a checked line of any span format becomes: documents and spans, before the database.

Every reader (our own JSONL lines, minimal span lines, doccano's, and the
records of other tools' files) builds these; the store writes them. The
checks every reader shares live here too: typed fields, label names,
concepts, offsets against the text.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from curator.core.interchange.line_error import LineError
from curator.core.interchange.relation_read import IncomingRelation
from curator.core.safe_text import MAX_LABEL, name_problem
from curator.core.storage import concepts as concept_ids
from curator.core.storage.concepts import NO_CONCEPTS, Concept


@dataclass(slots=True)
class IncomingSpan:
    start: int
    end: int
    label: str
    text: str
    note: str = ""
    uid: str | None = None
    curator: str | None = None
    origin: str = "imported"
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    revision: int = 1
    quoted: bool = True
    """False when the line gave no quote to check the offsets against."""
    stored_times: tuple[str, str, str | None] | None = None
    """created/updated/deleted as SQLite stores them (naive UTC, microseconds), for bulk inserts."""
    concepts: tuple[Concept, ...] = NO_CONCEPTS
    fragments: tuple[tuple[int, int], ...] | None = None
    """A mention in several pieces (start/end are their extent); None: one piece."""


@dataclass
class IncomingDocument:
    own: bool
    """True for our own schema: uids, curators and history come from the line."""
    uid: str
    title: str
    text: str
    meta: dict[str, Any]
    status: dict[str, str] = field(default_factory=dict)
    spans: list[IncomingSpan] = field(default_factory=list)
    relations: list[IncomingRelation] = field(default_factory=list)
    """Links between the spans (see :mod:`curator.core.interchange.relation_read`)."""
    active_seconds: dict[str, int] = field(default_factory=dict)  # per curator, if written
    rows: list[tuple[Any, ...]] | None = None
    """Our own lines' plain new spans as the store's insert rows, instead of *spans* (own_rows)."""
    plain_regions: list[tuple[str, list[tuple[Any, ...]]]] | None = None
    """A new document's plain spans of another tool, instead of *spans*: per curator, each
    of their annotations as ``((created, updated) or None, label ids, starts, ends, quotes)``
    (``labelstudio_rows``)."""


def typed(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if type(value) is kind:  # the common case, decided without isinstance
        return value
    if key not in obj:
        raise LineError(f"{where}: missing {key!r}")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise LineError(f"{where}: {key!r} must be {names}, not {type(value).__name__}")
    return value


def whole(obj: dict[str, Any], key: str, where: str) -> int:
    value: int = typed(obj, key, int, where)
    return value


def parse_concepts(value: Any, where: str) -> tuple[Concept, ...]:
    try:
        return concept_ids.parse(value, where)
    except ValueError as exc:
        raise LineError(str(exc)) from None


def checked_label(raw: dict[str, Any], where: str) -> str:
    label: str = typed(raw, "label", str, where)
    problem = label_problem(label)
    if problem:
        raise LineError(f"{where}: {problem}")
    return label


@functools.lru_cache(maxsize=256)
def label_problem(label: str) -> str:
    """Why *label* cannot be a label's name, or "" (cached: a file repeats a few labels)."""
    if not label.strip():
        return "the label is empty"
    return name_problem(label, "label", MAX_LABEL) or ""


def check_offsets(text: str, start: int, end: int, quote: str | None, where: str) -> None:
    if not 0 <= start < end <= len(text):
        raise LineError(
            f"{where}: offsets {start}-{end} are not inside the text (0-{len(text)}) "
            "with start before end"
        )
    if quote is not None and text[start:end] != quote:
        raise LineError(f"{where}: the text at {start}-{end} is {text[start:end]!r}, not {quote!r}")
