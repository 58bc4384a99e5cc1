"""Merging label sets: a register by uid, like spans.

For each label uid the later version wins whole, by ``(updated_at,
revision)`` and then by its content, so merging A into B and B into A end
alike. A name or key two different labels want after that is resolved the
same way: the later-edited label keeps it; the other is renamed
``name-<uid prefix>`` or loses its key. Both are named in the merge report.
Two copies differing only in ``updated_at`` (the default labels of two
databases) are the same label: nothing to write.
Both merge paths (``ATTACH`` and SQLAlchemy Core) plan with :func:`plan`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from curator.core.labels.rows import COLUMNS, LabelRow
from curator.core.storage.models import Label

_L: Table = Label.__table__  # type: ignore[assignment]
PARK = "\u2063parked-"  # a name no label has: where names wait while a merge swaps them


@dataclass
class LabelPlan:
    """What to write to the target, and what the report says about it."""

    added: list[LabelRow] = field(default_factory=list)
    updated: list[LabelRow] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # "old -> new" of name clashes
    keys_dropped: list[str] = field(default_factory=list)  # labels that lost their key


def plan(target: Iterable[LabelRow], source: Iterable[LabelRow]) -> LabelPlan:
    held = {row.uid: row for row in target}
    final = dict(held)
    for row in source:
        mine = final.get(row.uid)
        if mine is None or (
            (row.revision, row.content()) != (mine.revision, mine.content())
            and (row.order() > mine.order())
        ):
            final[row.uid] = row
    result = LabelPlan()
    # Between two labels the later edit keeps a contested name or key.
    ranked = sorted(final.values(), key=lambda r: (r.updated_at, r.revision, r.uid), reverse=True)
    names: set[str] = set()
    keys: set[str] = set()
    for row in ranked:
        fixed = row
        if fixed.name in names:
            new_name = f"{row.name}-{row.uid[:8]}"
            result.renamed.append(f"{row.name} -> {new_name}")
            fixed = replace(fixed, name=new_name)
        if fixed.shortcut is not None and fixed.shortcut in keys:
            result.keys_dropped.append(fixed.name)
            fixed = replace(fixed, shortcut=None)
        names.add(fixed.name)
        if fixed.shortcut is not None:
            keys.add(fixed.shortcut)
        final[row.uid] = fixed
    for uid, row in final.items():
        if uid not in held:
            result.added.append(row)
        elif row != held[uid]:
            result.updated.append(row)
    result.added.sort(key=lambda r: (r.position, r.name))
    return result


def _values(row: LabelRow) -> dict[str, Any]:
    values = {c: getattr(row, c) for c in COLUMNS}
    for c in ("updated_at", "deleted_at"):
        if values[c] is not None:
            values[c] = values[c].replace(tzinfo=dt.UTC)
    return values


def apply(conn: Connection, labels: LabelPlan) -> None:
    """Write a plan: names and keys are first parked on unique placeholders, so a swap
    of two names (or keys) between labels never trips the unique constraints."""
    changed = labels.updated

    if changed:
        parked = [{"b_uid": r.uid, "name": PARK + r.uid, "shortcut": None} for r in changed]
        conn.execute(update(_L).where(_L.c.uid == bindparam("b_uid")), parked)
    if labels.added:
        conn.execute(
            insert(Label),
            [{**_values(r), "name": PARK + r.uid, "shortcut": None} for r in labels.added],
        )
    rows = changed + labels.added
    if rows:
        values = [
            {"b_uid": r.uid, **{k: v for k, v in _values(r).items() if k != "uid"}} for r in rows
        ]
        conn.execute(update(_L).where(_L.c.uid == bindparam("b_uid")), values)


def apply_raw(cur: Any, labels: LabelPlan) -> None:
    """:func:`apply` on a raw ``sqlite3`` cursor (the ``ATTACH`` merge's own transaction)."""

    def stamp(value: dt.datetime | None) -> str | None:
        return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")

    cur.executemany(
        "UPDATE main.label SET name = ?, shortcut = NULL WHERE uid = ?",
        [(PARK + r.uid, r.uid) for r in labels.updated],
    )
    cur.executemany(
        "INSERT INTO main.label(uid, name, color, shortcut, description, position, "
        "updated_at, deleted_at, revision) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)",
        [
            (r.uid, PARK + r.uid, r.color, r.description, r.position,
             stamp(r.updated_at), stamp(r.deleted_at), r.revision)
            for r in labels.added
        ],
    )  # fmt: skip
    cur.executemany(
        "UPDATE main.label SET name = ?, color = ?, shortcut = ?, description = ?, "
        "position = ?, updated_at = ?, deleted_at = ?, revision = ? WHERE uid = ?",
        [
            (r.name, r.color, r.shortcut, r.description, r.position, stamp(r.updated_at),
             stamp(r.deleted_at), r.revision, r.uid)
            for r in labels.updated + labels.added
        ],
    )  # fmt: skip


def read(conn: Connection) -> list[LabelRow]:
    return [LabelRow.of(row) for row in conn.execute(select(*(getattr(Label, c) for c in COLUMNS)))]
