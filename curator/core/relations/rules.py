"""Relation types and the rules their ends obey.

A type names the labels its head and its tail may carry. The rules are
stored by label uid (so renaming a label keeps them) and shown by label
name. Every write of a relation passes :func:`check_ends`, so a rule broken
by the GUI, the CLI or an import is refused with the same message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError
from curator.core.storage.db import Database
from curator.core.storage.models import Label, RelationType
from curator.core.storage.records import RelationTypeInfo

_TYPES = cast(Table, RelationType.__table__)
# Built once, run on the connection: every new relation asks both.
_TYPE_NAMED = select(_TYPES).where(_TYPES.c.name == bindparam("name"))
_LABEL_NAMES = select(Label.uid, Label.name)


class RelationRuleError(CuratorError):
    """A relation its type, its ends or its layer do not allow."""


def label_names(session: Session) -> dict[str, str]:
    """Label uid -> the name it carries now (retired labels included)."""
    return {uid: name for uid, name in session.connection().execute(_LABEL_NAMES)}


def _names(stored: str, names: dict[str, str]) -> tuple[str, ...]:
    # A uid this database has no label for stays as it is: it matches no span.
    return tuple(names.get(uid, uid) for uid in json.loads(stored or "[]"))


def type_info(row: RelationType | Row[Any], names: dict[str, str]) -> RelationTypeInfo:
    return RelationTypeInfo(
        row.uid,
        row.name,
        _names(row.head_labels, names),
        _names(row.tail_labels, names),
        row.shortcut,
        row.color,
        row.description,
    )


def types_in(session: Session, *, include_retired: bool = False) -> list[RelationTypeInfo]:
    query = select(RelationType).order_by(RelationType.position, RelationType.name)
    if not include_retired:
        query = query.where(RelationType.deleted_at.is_(None))
    names = label_names(session)
    return [type_info(row, names) for row in session.scalars(query)]


def list_relation_types(db: Database, *, include_retired: bool = False) -> list[RelationTypeInfo]:
    """The relation types curators may use, in their order (retired ones only when asked)."""
    with db.read() as session:
        return types_in(session, include_retired=include_retired)


def allowed_types(
    types: Sequence[RelationTypeInfo], head_label: str, tail_label: str
) -> list[RelationTypeInfo]:
    """The types of *types* whose rules allow a *head_label* span to point at a *tail_label* one."""
    return [t for t in types if t.allows(head_label, tail_label)]


def live_type(session: Session, name: str) -> tuple[int, RelationTypeInfo]:
    """The id and rules of the live type called *name*, or a message naming the known ones."""
    # Core, not an ORM load of the entity: every new relation asks this.
    row = session.connection().execute(_TYPE_NAMED, {"name": name}).first()
    if row is None or row.deleted_at is not None:
        known = ", ".join(t.name for t in types_in(session)) or "none"
        state = "retired" if row is not None else "unknown"
        raise RelationRuleError(f"{state} relation type {name!r} (relation types: {known})")
    return row.id, type_info(row, label_names(session))


def check_ends(kind: RelationTypeInfo, head_label: str, tail_label: str) -> None:
    """Refuse ends whose labels *kind* does not allow, naming what it does allow."""
    if kind.allows(head_label, tail_label):
        return
    heads = " or ".join(kind.head_labels) or "nothing"
    tails = " or ".join(kind.tail_labels) or "nothing"
    raise RelationRuleError(
        f"a {kind.name} relation goes from {heads} to {tails}; "
        f"this one would go from {head_label} to {tail_label}"
    )
