"""Editing relation types: add, rename, change rules, key, colour, description, retire.

Types are configured like labels: named by their users, with label *names*
in and label *uids* stored, so a later rename of a label keeps every rule.
Each edit is a register edit (``updated_at``, ``revision``) that travels
with merges. A rule change that existing live relations would break is
refused, naming how many and an example, so no stored relation is ever
left against its type's rules. Retiring hides a type from the keys; its
relations stay.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from curator.core.errors import CuratorError, NotFoundError
from curator.core.relations.rules import RelationRuleError, label_names, type_info
from curator.core.safe_text import MAX_LABEL, name_problem
from curator.core.storage.db import Database
from curator.core.storage.models import (
    Annotation,
    Label,
    Relation,
    RelationType,
    relation_type_uid,
    utcnow,
)
from curator.core.storage.records import RelationTypeInfo
from curator.core.storage.retry import retried

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
DEFAULT_COLOUR = "#555555"


@dataclass(frozen=True, slots=True)
class TypeEdit:
    """What to change on a type; None leaves a field as it is (``key=""`` removes the key)."""

    name: str | None = None
    head_labels: Sequence[str] | None = None
    tail_labels: Sequence[str] | None = None
    key: str | None = None
    color: str | None = None
    description: str | None = None


def _type_row(session: Session, name: str) -> RelationType:
    row = session.scalar(select(RelationType).where(RelationType.name == name))
    if row is None:
        known = ", ".join(
            session.scalars(select(RelationType.name).order_by(RelationType.position))
        )
        raise NotFoundError(f"unknown relation type {name!r} (relation types: {known or 'none'})")
    return row


def _checked_name(session: Session, name: str, row: RelationType | None) -> str:
    problem = name_problem(name, "relation type name", MAX_LABEL)
    if problem:
        raise CuratorError(problem)
    name = name.strip()
    other = session.scalar(select(RelationType).where(RelationType.name == name))
    if other is not None and other is not row:
        state = " (retired: bring it back with restore)" if other.deleted_at else ""
        raise CuratorError(f"a relation type called {name!r} exists already{state}")
    return name


def _label_uids(session: Session, names: Sequence[str], end: str) -> str:
    if not names:
        raise CuratorError(f"a relation type needs at least one {end} label")
    by_name = {name: uid for uid, name in label_names(session).items()}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise NotFoundError(
            f"unknown {end} label {unknown[0]!r} (labels: {', '.join(sorted(by_name))})"
        )
    return json.dumps([by_name[n] for n in dict.fromkeys(names)])


def _checked_key(session: Session, key: str, row: RelationType | None) -> str | None:
    if key == "":
        return None
    if len(key) != 1 or not key.isprintable() or key.isspace():
        raise CuratorError(f"a relation type's key is one printable character, not {key!r}")
    other = session.scalar(
        select(RelationType).where(RelationType.shortcut == key, RelationType.deleted_at.is_(None))
    )
    if other is not None and other is not row:
        raise CuratorError(f"the key {key!r} is taken by the relation type {other.name!r}")
    return key


def _checked_colour(colour: str) -> str:
    if not _COLOUR.fullmatch(colour):
        raise CuratorError(f"a colour is written #RRGGBB, not {colour!r}")
    return colour.upper()


def _info(session: Session, row: RelationType) -> RelationTypeInfo:
    return type_info(row, label_names(session))


@retried
def add_relation_type(
    db: Database,
    name: str,
    head_labels: Sequence[str],
    tail_labels: Sequence[str],
    *,
    key: str = "",
    color: str = DEFAULT_COLOUR,
    description: str = "",
) -> RelationTypeInfo:
    """A new type, last in the order; its uid derives from *name* (as every database's would)."""
    with db.write() as session:
        name = _checked_name(session, name, None)
        uid = relation_type_uid(name)
        taken = session.scalar(select(RelationType.name).where(RelationType.uid == uid))
        if taken is not None:
            raise CuratorError(
                f"the relation type {taken!r} was first created as {name!r}; "
                f"rename it back or choose another name"
            )
        last = session.scalar(select(func.max(RelationType.position)))
        row = RelationType(
            uid=uid,
            name=name,
            head_labels=_label_uids(session, head_labels, "head"),
            tail_labels=_label_uids(session, tail_labels, "tail"),
            shortcut=_checked_key(session, key, None),
            color=_checked_colour(color),
            description=description.strip(),
            position=0 if last is None else last + 1,
            updated_at=utcnow(),
            revision=1,
        )
        session.add(row)
        session.flush()
        return _info(session, row)


def _breaking(session: Session, row: RelationType, heads: str, tails: str) -> tuple[int, str]:
    """How many live relations of *row* the rules *heads* -> *tails* would break, and one quote."""
    head, tail = aliased(Annotation), aliased(Annotation)
    head_label, tail_label = aliased(Label), aliased(Label)
    allowed_heads, allowed_tails = json.loads(heads), json.loads(tails)
    found = session.execute(
        select(head.text, tail.text)
        .select_from(Relation)
        .join(head, head.uid == Relation.head_uid)
        .join(tail, tail.uid == Relation.tail_uid)
        .join(head_label, head_label.id == head.label_id)
        .join(tail_label, tail_label.id == tail.label_id)
        .where(
            Relation.type_id == row.id,
            Relation.deleted_at.is_(None),
            head.deleted_at.is_(None),
            tail.deleted_at.is_(None),
            ~head_label.uid.in_(allowed_heads) | ~tail_label.uid.in_(allowed_tails),
        )
    ).all()
    example = f"“{found[0][0]}” → “{found[0][1]}”" if found else ""
    return len(found), example


@retried
def edit_relation_type(db: Database, name: str, edit: TypeEdit) -> RelationTypeInfo:
    """Change the type called *name*; refused if live relations would break its new rules."""
    with db.write() as session:
        row = _type_row(session, name)
        if edit.name is not None:
            row.name = _checked_name(session, edit.name, row)
        heads, tails = row.head_labels, row.tail_labels
        if edit.head_labels is not None:
            heads = _label_uids(session, edit.head_labels, "head")
        if edit.tail_labels is not None:
            tails = _label_uids(session, edit.tail_labels, "tail")
        if (heads, tails) != (row.head_labels, row.tail_labels):
            count, example = _breaking(session, row, heads, tails)
            if count:
                raise RelationRuleError(
                    f"{count} live {name} relation(s) would break the new rules, e.g. {example}; "
                    "retype or delete them first"
                )
            row.head_labels, row.tail_labels = heads, tails
        if edit.key is not None:
            row.shortcut = _checked_key(session, edit.key, row)
        if edit.color is not None:
            row.color = _checked_colour(edit.color)
        if edit.description is not None:
            row.description = edit.description.strip()
        if session.is_modified(row):
            row.updated_at = utcnow()
            row.revision += 1
        session.flush()
        return _info(session, row)


@retried
def retire_relation_type(db: Database, name: str) -> RelationTypeInfo:
    """Hide a type from the keys and from new relations; its relations stay as they are."""
    with db.write() as session:
        row = _type_row(session, name)
        if row.deleted_at is not None:
            raise CuratorError(f"the relation type {name!r} is already retired")
        row.deleted_at = row.updated_at = utcnow()
        row.revision += 1
        return _info(session, row)


@retried
def restore_relation_type(db: Database, name: str) -> RelationTypeInfo:
    """Bring a retired type back (its key too, unless another live type took it)."""
    with db.write() as session:
        row = _type_row(session, name)
        if row.deleted_at is None:
            raise CuratorError(f"the relation type {name!r} is not retired")
        if row.shortcut is not None:
            taken = session.scalar(
                select(RelationType.name).where(
                    RelationType.shortcut == row.shortcut, RelationType.deleted_at.is_(None)
                )
            )
            if taken is not None:
                row.shortcut = None
        row.deleted_at = None
        row.updated_at = utcnow()
        row.revision += 1
        return _info(session, row)


def retired_names(db: Database) -> set[str]:
    with db.read() as session:
        return set(
            session.scalars(select(RelationType.name).where(RelationType.deleted_at.is_not(None)))
        )
