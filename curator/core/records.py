"""Plain, immutable views of stored rows for the GUI and CLI.

Callers get tuples-with-names rather than live ORM objects: they can be kept
across sessions, compared, and never trigger lazy loads behind a repaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class LabelInfo:
    name: str
    color: str
    shortcut: str | None
    description: str


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

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @classmethod
    def _make(cls, row: Sequence[Any]) -> Span:
        """Build from a result row of the span query (columns in field order)."""
        return cls(*row)


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
