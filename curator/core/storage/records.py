"""Plain, immutable views of stored rows for the GUI and CLI.

Callers get tuples-with-names rather than live ORM objects: they can be kept
across sessions, compared, and never trigger lazy loads behind a repaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from curator.core.storage.concepts import NO_CONCEPTS, Concept, decode


class Labelled(Protocol):
    """Any span-like record: stored spans, live spans, suggestions, test tuples."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class LabelInfo:
    name: str
    color: str
    shortcut: str | None
    description: str
    retired: bool = False  # kept for its spans; no key, no new spans


@dataclass(frozen=True, slots=True)
class Span:
    uid: str
    document_uid: str
    curator: str
    label: str
    start: int
    end: int
    text: str
    note: str
    origin: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    concepts: tuple[Concept, ...] = NO_CONCEPTS
    fragments: tuple[tuple[int, int], ...] | None = None
    """The pieces of a mention in several (see core/storage/fragments.py); None: one piece."""

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @classmethod
    def _make(cls, row: Sequence[Any]) -> Span:
        """Build from a result row of the span query (columns in field order).

        The concepts and the fragments arrive as stored (JSON text) and are
        decoded here.
        """
        from curator.core.storage import fragments

        values = list(row)
        if len(values) >= 14 and not isinstance(values[13], tuple):
            values[13] = decode(values[13])
        if len(values) == 15 and isinstance(values[14], str):
            values[14] = fragments.decode(values[14])
        return cls(*values)


@dataclass(frozen=True, slots=True)
class SpanSource:
    """What every span of one open document shares: the document, the curator, the text."""

    document_uid: str
    curator: str
    text: str


class LiveSpan:
    """A live span of an open document, kept in as few bytes as it can be.

    Why not :class:`Span`: the app keeps every span of the open article, up
    to 20,000 of them, for as long as it is open. This record stores only
    what the editor shows and edits; the quote is cut from the shared text
    when asked for (it is ``text[start:end]`` by definition), the document,
    curator and text are one shared :class:`SpanSource`, the timestamps,
    which nothing on screen shows, stay in the database, and the end is kept
    as the length, which for a word or phrase is one of the small integers
    Python shares. Under half the bytes of a ``Span``. Treat it as immutable.
    """

    __slots__ = (
        "concepts", "fragments", "label", "length", "note", "origin", "revision", "source",
        "start", "uid",
    )  # fmt: skip

    deleted = False  # only live spans are kept; a deletion arrives as a Span

    def __init__(
        self,
        uid: str,
        label: str,
        start: int,
        end: int,
        *,
        note: str,
        origin: str,
        revision: int,
        source: SpanSource,
        concepts: tuple[Concept, ...] = NO_CONCEPTS,
        fragments: tuple[tuple[int, int], ...] | None = None,
    ) -> None:
        self.uid = uid
        self.label = label
        self.start = start
        self.length = end - start
        self.note = note
        self.origin = origin
        self.revision = revision
        self.source = source
        self.concepts = concepts
        self.fragments = fragments  # a mention in pieces (see core/storage/fragments.py)

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def text(self) -> str:
        if self.fragments is not None:
            return " ".join(self.source.text[a:b] for a, b in self.fragments)
        return self.source.text[self.start : self.start + self.length]

    @property
    def document_uid(self) -> str:
        return self.source.document_uid

    @property
    def curator(self) -> str:
        return self.source.curator

    def _fields(self) -> tuple[object, ...]:
        return (self.uid, self.label, self.start, self.length, self.note, self.origin,
                self.revision, self.source, self.concepts, self.fragments)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LiveSpan) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"LiveSpan({self.uid!r}, {self.label!r}, {self.start}, {self.end}, "
            f"note={self.note!r}, origin={self.origin!r}, revision={self.revision})"
        )

    @classmethod
    def of(cls, span: Span, source: SpanSource) -> LiveSpan:
        """The compact record of a stored live span of *source*'s document."""
        return cls(
            span.uid, span.label, span.start, span.end,
            note=span.note, origin=span.origin, revision=span.revision, source=source,
            concepts=span.concepts, fragments=span.fragments,
        )  # fmt: skip


# What the editor's widgets accept: the compact record, or a span as an edit returned it.
AnySpan = Span | LiveSpan


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    uid: str
    title: str
    source: str
    text: str
    meta: dict[str, object]


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of ``curator list``: counts and status for every curator."""

    uid: str
    title: str
    length: int
    spans: dict[str, int] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    active_seconds: dict[str, int] = field(default_factory=dict)  # active time per curator


@dataclass(frozen=True, slots=True)
class RelationTypeInfo:
    """A kind of link and the labels its ends may carry, by label *name*.

    Stored rules name labels by uid (a rename keeps them); callers see the
    names the labels carry now.
    """

    uid: str
    name: str
    head_labels: tuple[str, ...]
    tail_labels: tuple[str, ...]
    shortcut: str | None
    color: str
    description: str

    def allows(self, head_label: str, tail_label: str) -> bool:
        """Whether a span labelled *head_label* may point at one labelled *tail_label*."""
        return head_label in self.head_labels and tail_label in self.tail_labels


@dataclass(frozen=True, slots=True)
class RelationRecord:
    """One stored relation: a typed link from span *head* to span *tail* (span uids)."""

    uid: str
    document_uid: str
    curator: str
    type: str
    head: str
    tail: str
    origin: str
    note: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None
