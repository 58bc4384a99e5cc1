"""Changes to the label set, each a new revision of one label (or of a few, when reordered).

Spans refer to a label by its row, so a rename is one row changed: every
span follows it, and relation types (whose rules name label *uids*) too. A
retired label (``deleted_at``) keeps its spans, shown with its name, but
loses its key and takes no new spans in the app. Every edit bumps
``revision`` and ``updated_at`` so it travels with merges
(:mod:`curator.core.labels.merging`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError, NotFoundError
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Label, label_uid, utcnow

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_NAME = 100
# Letters the app already uses as keys in the article (note, link, cycle,
# accept, reject); digits and the other letters are free for labels.
RESERVED_KEYS = frozenset("ACLNX")


@dataclass(frozen=True, slots=True)
class LabelEntry:
    """One label as the Labels dialog and ``curator labels`` show it."""

    uid: str
    name: str
    color: str
    shortcut: str | None
    description: str
    position: int
    retired: bool
    revision: int
    spans: int  # live spans of every curator with this label


def label_set(db: Database) -> list[LabelEntry]:
    """Every label, retired ones included, in their order."""
    counts = (
        select(Annotation.label_id, func.count().label("n"))
        .where(Annotation.deleted_at.is_(None))
        .group_by(Annotation.label_id)
        .subquery()
    )
    with db.read() as session:
        rows = session.execute(
            select(Label, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.label_id == Label.id)
            .order_by(Label.position, Label.name)
        ).all()
        return [
            LabelEntry(
                label.uid, label.name, label.color, label.shortcut, label.description,
                label.position, label.deleted_at is not None, label.revision, int(n),
            )
            for label, n in rows
        ]  # fmt: skip


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise CuratorError("a label needs a name")
    if len(name) > MAX_NAME:
        raise CuratorError(f"a label name has at most {MAX_NAME} characters")
    if any(ch.isspace() for ch in name) or any(not ch.isprintable() for ch in name):
        raise CuratorError(f"label name {name!r}: no spaces or control characters (use _ or -)")
    return name


def check_colour(color: str) -> str:
    if not COLOUR.match(color.strip()):
        raise CuratorError(f"colour {color!r}: give it as #rrggbb, e.g. #0072B2")
    return color.strip().upper()


def check_key(key: str | None) -> str | None:
    """A label key is one digit or letter the app does not use otherwise; None: no key."""
    if key is None or not key.strip():
        return None
    key = key.strip().upper()
    if len(key) != 1 or not key.isalnum() or not key.isascii():
        raise CuratorError(f"key {key!r}: a label key is one digit or letter")
    if key in RESERVED_KEYS:
        taken = ", ".join(sorted(RESERVED_KEYS))
        raise CuratorError(f"key {key!r} is taken by the app ({taken} are)")
    return key


def _find(session: Session, name: str) -> Label:
    label = session.scalar(select(Label).where(Label.name == name))
    if label is None:
        known = ", ".join(session.scalars(select(Label.name).order_by(Label.position)))
        raise NotFoundError(f"no label {name!r} (labels: {known})")
    return label


def _touch(label: Label) -> None:
    label.updated_at = utcnow()
    label.revision += 1


def _name_free(session: Session, name: str, uid: str | None = None) -> None:
    other = session.scalar(select(Label).where(Label.name == name))
    if other is not None and other.uid != uid:
        state = " (retired)" if other.deleted_at is not None else ""
        raise CuratorError(f"there is already a label {name!r}{state}")


def _key_free(session: Session, key: str | None, uid: str | None = None) -> None:
    if key is None:
        return
    other = session.scalar(select(Label).where(Label.shortcut == key))
    if other is not None and other.uid != uid:
        raise CuratorError(f"key {key} is the key of {other.name!r}; free it first")


def add_label(
    db: Database, name: str, color: str, key: str | None = None, description: str = ""
) -> LabelEntry:
    """A new label at the end of the set."""
    name, color, key = check_name(name), check_colour(color), check_key(key)
    with db.write() as session:
        _name_free(session, name)
        _key_free(session, key)
        uid = label_uid(name)
        if session.scalar(select(Label.id).where(Label.uid == uid)) is not None:
            uid = str(uuid.uuid4())  # a label created as *name* was renamed: another thing
        last = session.scalar(select(func.max(Label.position))) or 0
        label = Label(
            uid=uid, name=name, color=color, shortcut=key, description=description,
            position=last + 1, updated_at=utcnow(), revision=1,
        )  # fmt: skip
        session.add(label)
    return _entry(db, name)


def rename_label(db: Database, name: str, new_name: str) -> LabelEntry:
    """Rename: the label's spans (and relation rules) follow, being the same row."""
    new_name = check_name(new_name)
    with db.write() as session:
        label = _find(session, name)
        if new_name != label.name:
            _name_free(session, new_name, label.uid)
            label.name = new_name
            _touch(label)
    return _entry(db, new_name)


def recolour_label(db: Database, name: str, color: str) -> LabelEntry:
    color = check_colour(color)
    with db.write() as session:
        label = _find(session, name)
        if label.color.upper() != color:
            label.color = color
            _touch(label)
    return _entry(db, name)


def set_label_key(db: Database, name: str, key: str | None) -> LabelEntry:
    """Give the label *key* (None: no key); a key held by another label is refused."""
    key = check_key(key)
    with db.write() as session:
        label = _find(session, name)
        if label.deleted_at is not None and key is not None:
            raise CuratorError(f"label {name!r} is retired; restore it before giving it a key")
        _key_free(session, key, label.uid)
        if label.shortcut != key:
            label.shortcut = key
            _touch(label)
    return _entry(db, name)


def describe_label(db: Database, name: str, description: str) -> LabelEntry:
    with db.write() as session:
        label = _find(session, name)
        if label.description != description:
            label.description = description
            _touch(label)
    return _entry(db, name)


def reorder_labels(db: Database, names: list[str]) -> list[LabelEntry]:
    """Put the labels in the order of *names* (every label, retired ones too, once)."""
    with db.write() as session:
        labels = {label.name: label for label in session.scalars(select(Label))}
        if sorted(names) != sorted(labels):
            raise CuratorError("give every label once to reorder: " + ", ".join(sorted(labels)))
        for position, name in enumerate(names):
            label = labels[name]
            if label.position != position:
                label.position = position
                _touch(label)
    return label_set(db)


def move_label(db: Database, name: str, to: int) -> list[LabelEntry]:
    """Move one label to position *to* (0 first) among all labels."""
    names = [entry.name for entry in label_set(db)]
    if name not in names:
        raise NotFoundError(f"no label {name!r} (labels: {', '.join(names)})")
    names.remove(name)
    names.insert(max(0, min(to, len(names))), name)
    return reorder_labels(db, names)


def retire_label(db: Database, name: str) -> LabelEntry:
    """Retire: the spans stay (shown with the name), the key is freed, no new spans."""
    with db.write() as session:
        label = _find(session, name)
        if label.deleted_at is None:
            label.deleted_at = utcnow()
            label.shortcut = None
            _touch(label)
    return _entry(db, name)


def restore_label(db: Database, name: str) -> LabelEntry:
    """Undo a retirement (without its old key: give one again)."""
    with db.write() as session:
        label = _find(session, name)
        if label.deleted_at is not None:
            label.deleted_at = None
            _touch(label)
    return _entry(db, name)


def _entry(db: Database, name: str) -> LabelEntry:
    return next(entry for entry in label_set(db) if entry.name == name)
