"""One label as a register: its columns, which version wins, and a raw read of the set.

Kept apart from :mod:`curator.core.labels.merging` so that what needs only
the rows (the label file beside a JSONL export written with nothing but the
standard library's ``sqlite3``) imports no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

COLUMNS = (
    "uid", "name", "color", "shortcut", "description", "position",
    "updated_at", "deleted_at", "revision",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LabelRow:
    uid: str
    name: str
    color: str
    shortcut: str | None
    description: str
    position: int
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    revision: int

    @staticmethod
    def of(row: Sequence[Any]) -> LabelRow:
        values = list(row)
        for i in (6, 7):  # raw SQLite gives text; the ORM gives datetimes
            if isinstance(values[i], str):
                values[i] = dt.datetime.fromisoformat(values[i])
            if isinstance(values[i], dt.datetime) and values[i].tzinfo is not None:
                values[i] = values[i].astimezone(dt.UTC).replace(tzinfo=None)
        return LabelRow(*values)

    def order(self) -> tuple[Any, ...]:
        """Which version of one label wins: the greater, in any order of merging.

        An edited version (revision > 1) beats one never edited, and the later
        edit wins, then the higher revision, then the content. Between two
        never-edited versions the *earlier* created wins: it is the original,
        and a label a JSONL file brings (made as the file is merged, with the
        default colour) must not repaint the label it names.
        """
        if self.revision > 1:
            return (True, self.updated_at, self.revision, *self.content())
        return (False, dt.datetime.max - self.updated_at, 1, *self.content())

    def content(self) -> tuple[Any, ...]:
        return (
            self.name, self.color, self.shortcut or "", self.description, self.position,
            self.deleted_at or dt.datetime.min,
        )  # fmt: skip


def read_sqlite(con: sqlite3.Connection) -> list[LabelRow]:
    """The whole label set through a plain ``sqlite3`` connection (its current snapshot)."""
    query = f"SELECT {', '.join(COLUMNS)} FROM label"
    return [LabelRow.of(row) for row in con.execute(query)]
