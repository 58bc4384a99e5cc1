"""Adding, editing and reading relations: the only place they are written.

Like spans, every function is one committed unit of work returning the
relation as stored, edits carry the revision they were based on (a stale
edit is refused), and deletion is a tombstone so it travels through merges.
A relation links two spans of one layer (one document, one curator); its
ends' labels must fit its type (:mod:`.rules`).
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session, aliased

from curator.core.articles.documents import touch_in_progress
from curator.core.errors import CuratorError, NotFoundError, StaleEditError
from curator.core.relations.rules import RelationRuleError, check_ends, live_type
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database
from curator.core.storage.models import (
    ORIGINS,
    Annotation,
    Curator,
    Document,
    Label,
    Relation,
    RelationType,
    utcnow,
)
from curator.core.storage.records import RelationRecord
from curator.core.storage.retry import retried

_TABLE = cast(Table, Relation.__table__)
_HEAD = aliased(Annotation)
_TAIL = aliased(Annotation)

_RECORDS = (
    select(
        Relation.uid,
        Document.uid,
        Curator.name,
        RelationType.name,
        Relation.head_uid,
        Relation.tail_uid,
        Relation.origin,
        Relation.note,
        Relation.revision,
        Relation.created_at,
        Relation.updated_at,
        Relation.deleted_at,
    )
    .join(Document, Document.id == Relation.document_id)
    .join(Curator, Curator.id == Relation.curator_id)
    .join(RelationType, RelationType.id == Relation.type_id)
)


@dataclass(frozen=True, slots=True)
class NewRelation:
    """A relation to add: its type's name and its ends (span uids)."""

    type: str
    head: str
    tail: str
    note: str = ""


def _record(row: Row[Any] | Sequence[Any]) -> RelationRecord:
    return RelationRecord(*row)


def relations_for(
    db: Database,
    document_uid: str,
    curator: str | None = None,
    *,
    include_deleted: bool = False,
) -> list[RelationRecord]:
    """The relations of a document, optionally of one curator.

    Without *include_deleted*, only live relations between two live spans:
    a relation whose end was deleted by another curator's edit that a merge
    brought in stays stored but is not live.

    Opening a document waits on this (5,000 relations in a long article), so,
    as :mod:`curator.core.spans.live_spans` does for spans, the statement is
    compiled once and its rows come straight from the driver's cursor: the
    result layer's per-row and per-timestamp processing was two thirds of it.
    """
    by_curator = curator is not None
    sql, order = _statement(
        (by_curator, include_deleted), lambda: _listing(by_curator, include_deleted), db
    )
    values = {"document": document_uid, "curator": curator}
    params: Any = values if order is None else tuple(values[name] for name in order)
    with db.read() as session:
        connection = session.connection().connection.dbapi_connection
        assert connection is not None
        cursor = connection.cursor()
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    # Names every row repeats (document, curator, type, origin) are shared, and each
    # time is parsed once: a relation never edited has its created time as updated.
    times: dict[Any, dt.datetime] = {}
    out: list[RelationRecord] = []
    add, known, share = out.append, times.get, sys.intern
    for uid, doc, cur, kind, head, tail, origin, note, revision, made, changed, gone in rows:
        created = known(made) or times.setdefault(made, _aware(made))
        updated = known(changed) or times.setdefault(changed, _aware(changed))
        deleted = None if gone is None else known(gone) or times.setdefault(gone, _aware(gone))
        add(RelationRecord(uid, share(doc), share(cur), share(kind), head, tail, share(origin),
                           note, revision, created, updated, deleted))  # fmt: skip
    return out


def _listing(by_curator: bool, include_deleted: bool) -> Any:
    query = _RECORDS.where(Document.uid == bindparam("document"))
    if by_curator:
        query = query.where(Curator.name == bindparam("curator"))
    if not include_deleted:
        query = live_only(query)
    return query.order_by(Relation.created_at, Relation.uid)


_compiled: dict[tuple[str, object], tuple[str, tuple[str, ...] | None]] = {}


def _statement(
    key: object, build: Callable[[], Any], db: Database
) -> tuple[str, tuple[str, ...] | None]:
    """The SQL of ``build()`` for *db*'s dialect, compiled once, and its parameter order."""
    dialect = db.engine.dialect
    found = _compiled.get((dialect.name, key))
    if found is None:
        compiled = build().compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        found = _compiled[(dialect.name, key)] = (str(compiled), order)
    return found


def _aware(value: str | dt.datetime) -> dt.datetime:
    """A stored timestamp as :class:`UTCDateTime` returns it: aware UTC."""
    if isinstance(value, str):  # SQLite
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC)


def live_only(query: Any) -> Any:
    """*query* (over ``relation``) narrowed to live relations whose two ends are live."""
    return (
        query.join(_HEAD, _HEAD.uid == Relation.head_uid)
        .join(_TAIL, _TAIL.uid == Relation.tail_uid)
        .where(
            Relation.deleted_at.is_(None), _HEAD.deleted_at.is_(None), _TAIL.deleted_at.is_(None)
        )
    )


def relations_of_span(
    db: Database, span_uid: str, *, include_deleted: bool = False
) -> list[RelationRecord]:
    """The relations with *span_uid* at either end (what the editor shows beside a span)."""
    query = _RECORDS.where((Relation.head_uid == span_uid) | (Relation.tail_uid == span_uid))
    if not include_deleted:
        query = live_only(query)
    with db.read() as session:
        return [_record(row) for row in session.execute(query.order_by(Relation.created_at))]


def get_relation(db: Database, uid: str) -> RelationRecord:
    with db.read() as session:
        row = session.execute(_RECORDS.where(Relation.uid == uid)).first()
    if row is None:
        raise NotFoundError(f"no relation with id {uid}")
    return _record(row)


def _end(session: Session, uid: str, doc_id: int, cur_id: int, which: str) -> tuple[str, str]:
    """The label and quote of the span *uid*, refused unless it is live and in the layer."""
    row = session.execute(
        select(
            Annotation.document_id,
            Annotation.curator_id,
            Annotation.deleted_at,
            Label.name,
            Annotation.text,
        )
        .join(Label, Label.id == Annotation.label_id)
        .where(Annotation.uid == uid)
    ).first()
    if row is None:
        raise NotFoundError(f"no span with id {uid} (the relation's {which})")
    doc, cur, gone, label, text = row
    if doc != doc_id:
        raise RelationRuleError(f"the {which} “{text}” is in another document")
    if cur != cur_id:
        raise RelationRuleError(f"the {which} “{text}” belongs to another curator's layer")
    if gone is not None:
        raise RelationRuleError(f"the {which} “{text}” is deleted")
    return label, text


def _duplicate(session: Session, type_id: int, head: str, tail: str) -> bool:
    """Whether the live relation (type, head, tail) exists.

    Asked by the ends alone: they are spans of one layer (checked before), so
    the relation is of that layer too, and the lookup uses the index on the
    head, not the layer's index over every relation of the document.
    """
    found = session.execute(
        select(Relation.id).where(
            Relation.head_uid == head,
            Relation.tail_uid == tail,
            Relation.type_id == type_id,
            Relation.deleted_at.is_(None),
        )
    ).first()
    return found is not None


# Built once: building a statement costs as much as running it (Enter waits for both).
_ENDS = (
    select(
        Annotation.uid,
        Annotation.document_id,
        Annotation.curator_id,
        Annotation.deleted_at,
        Label.name,
        Annotation.text,
        exists()
        .where(
            Relation.head_uid == bindparam("head"),
            Relation.tail_uid == bindparam("tail"),
            Relation.type_id == bindparam("type_id"),
            Relation.deleted_at.is_(None),
        )
        .label("duplicate"),
    )
    .join(Label, Label.id == Annotation.label_id)
    .where(Annotation.uid.in_([bindparam("head"), bindparam("tail")]))
)
_LAYER = select(
    Document.id,
    select(Curator.id).where(Curator.name == bindparam("curator")).scalar_subquery(),
).where(Document.uid == bindparam("document"))


def _ends(  # noqa: PLR0917 - the relation's parts, in its order
    session: Session, type_id: int, head: str, tail: str, doc_id: int, cur_id: int
) -> tuple[tuple[str, str], tuple[str, str], bool]:
    """The label and quote of each end, refused unless it is live and in the layer,
    and whether the live relation (type, head, tail) is already there.

    One statement for what were three (the ends, then the duplicate): each is
    a round through SQLAlchemy, and Enter in the relation flow waits for them.
    The duplicate is asked by the ends alone: they are spans of one layer
    (checked here), so the relation is of that layer too, and the lookup uses
    the index on the head, not the layer's index over every relation.
    """
    rows = (
        session.connection().execute(_ENDS, {"head": head, "tail": tail, "type_id": type_id}).all()
    )
    found = {row[0]: row for row in rows}
    ends: list[tuple[str, str]] = []
    for uid, which in ((head, "head"), (tail, "tail")):
        row = found.get(uid)
        if row is None:
            raise NotFoundError(f"no span with id {uid} (the relation's {which})")
        _uid, doc, cur, gone, label, text, _dup = row
        if doc != doc_id:
            raise RelationRuleError(f"the {which} “{text}” is in another document")
        if cur != cur_id:
            raise RelationRuleError(f"the {which} “{text}” belongs to another curator's layer")
        if gone is not None:
            raise RelationRuleError(f"the {which} “{text}” is deleted")
        ends.append((label, text))
    return ends[0], ends[1], bool(rows[0][6])


def _layer(session: Session, document_uid: str, curator: str) -> tuple[int, int]:
    """The ids of the document and the curator (created on first use), in one read."""
    row = (
        session.connection().execute(_LAYER, {"document": document_uid, "curator": curator}).first()
    )
    if row is None:
        raise NotFoundError(f"no document with id {document_uid}")
    doc_id, cur_id = row
    if cur_id is None:
        cur_id = curator_id(session, curator)
        assert cur_id is not None
    return doc_id, cur_id


@retried
def add_relation(  # noqa: PLR0917 - the shared contract's order, like add_span's
    db: Database,
    document_uid: str,
    curator: str,
    type_name: str,
    head_uid: str,
    tail_uid: str,
    *,
    note: str = "",
    origin: str = "manual",
) -> RelationRecord:
    """Link span *head_uid* to span *tail_uid* with a relation of type *type_name*.

    Raises :class:`RelationRuleError` when the ends' labels break the type's
    rules, an end is deleted or outside the layer, or the same live relation
    already exists there.
    """
    with db.write() as session:
        item = NewRelation(type_name, head_uid, tail_uid, note)
        return add_relations_in(session, document_uid, curator, [item], origin=origin)[0]


def add_relations_in(
    session: Session,
    document_uid: str,
    curator: str,
    items: Sequence[NewRelation],
    *,
    origin: str = "manual",
) -> list[RelationRecord]:
    """:func:`add_relation` for several, inside a caller's unit of work (importers).

    The same checks for every item; the first refusal raises, and the
    caller's transaction, rolled back, leaves nothing behind.
    """
    if origin not in ORIGINS:
        raise CuratorError(f"unknown origin {origin!r}")
    doc_id, cur_id = _layer(session, document_uid, curator)
    now = utcnow()
    made: list[RelationRecord] = []
    for item in items:
        type_id, kind = live_type(session, item.type)
        if item.head == item.tail:
            raise RelationRuleError(f"a {kind.name} relation needs two different spans")
        (head_label, head_text), (tail_label, tail_text), duplicate = _ends(
            session, type_id, item.head, item.tail, doc_id, cur_id
        )
        check_ends(kind, head_label, tail_label)
        if duplicate:
            raise RelationRuleError(
                f"“{head_text}” {kind.name} “{tail_text}” is already there in {curator}'s layer"
            )
        record = RelationRecord(
            str(uuid.uuid4()), document_uid, curator, kind.name, item.head, item.tail,
            origin, item.note, 1, now, now, None,
        )  # fmt: skip
        session.connection().execute(
            insert(_TABLE),
            {"uid": record.uid, "document_id": doc_id, "curator_id": cur_id, "type_id": type_id,
             "head_uid": item.head, "tail_uid": item.tail, "origin": origin, "note": item.note,
             "created_at": now, "updated_at": now, "deleted_at": None, "revision": 1},
        )  # fmt: skip
        made.append(record)
    if made:
        touch_in_progress(session, doc_id, cur_id)
    return made


# A change to one relation: given the session and the relation as stored,
# the columns to set (type_id, note, deleted_at).
Change = Callable[[Session, RelationRecord, int, int], dict[str, Any]]


@retried
def _edit(db: Database, uid: str, expected_revision: int | None, change: Change) -> RelationRecord:
    with db.write() as session:
        return edit_relation_in(session, uid, expected_revision, change)


def edit_relation_in(
    session: Session, uid: str, expected_revision: int | None, change: Change
) -> RelationRecord:
    """Apply *change* to one relation if it is still at *expected_revision*."""
    query = _RECORDS.add_columns(Relation.id, Relation.document_id, Relation.curator_id).where(
        Relation.uid == uid
    )
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(of=_TABLE)
    row = session.execute(query).first()
    if row is None:
        raise NotFoundError(f"no relation with id {uid}")
    current = _record(row[:12])
    rel_id, doc_id, cur_id = row[12:]
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleEditError(
            f"the {current.type} relation was changed elsewhere (revision {current.revision}, "
            f"this edit was based on {expected_revision}); the view has been reloaded"
        )
    values = change(session, current, doc_id, cur_id)
    now = utcnow()
    values.update(revision=current.revision + 1, updated_at=now)
    session.connection().execute(update(_TABLE).where(_TABLE.c.id == rel_id).values(**values))
    touch_in_progress(session, doc_id, cur_id)
    shown = {k: v for k, v in values.items() if k in ("note", "deleted_at", "revision")}
    if "type_id" in values:
        shown["type"] = session.scalar(
            select(RelationType.name).where(RelationType.id == values["type_id"])
        )
    return replace(current, **shown, updated_at=now)


def delete_relation(db: Database, uid: str, expected_revision: int | None = None) -> RelationRecord:
    def change(_s: Session, rel: RelationRecord, _d: int, _c: int) -> dict[str, Any]:
        if rel.deleted_at is not None:
            raise CuratorError(f"the {rel.type} relation is already deleted")
        return {"deleted_at": utcnow()}

    return _edit(db, uid, expected_revision, change)


def restore_relation(
    db: Database, uid: str, expected_revision: int | None = None
) -> RelationRecord:
    """Bring a deleted relation back (undo of delete, redo of add); its ends must be live."""

    def change(session: Session, rel: RelationRecord, doc_id: int, cur_id: int) -> dict[str, Any]:
        if rel.deleted_at is None:
            return {}
        _end(session, rel.head, doc_id, cur_id, "head")
        _end(session, rel.tail, doc_id, cur_id, "tail")
        type_id, _ = live_type(session, rel.type)
        if _duplicate(session, type_id, rel.head, rel.tail):
            raise RelationRuleError(f"the same {rel.type} relation is already there")
        return {"deleted_at": None}

    return _edit(db, uid, expected_revision, change)


def retype_relation(
    db: Database, uid: str, type_name: str, expected_revision: int | None = None
) -> RelationRecord:
    """Give a relation another type; the ends must fit the new type's rules."""

    def change(session: Session, rel: RelationRecord, doc_id: int, cur_id: int) -> dict[str, Any]:
        type_id, kind = live_type(session, type_name)
        (head_label, _), (tail_label, _), duplicate = _ends(
            session, type_id, rel.head, rel.tail, doc_id, cur_id
        )
        check_ends(kind, head_label, tail_label)
        if kind.name != rel.type and duplicate:
            raise RelationRuleError(f"the same {kind.name} relation is already there")
        return {"type_id": type_id}

    return _edit(db, uid, expected_revision, change)


def set_relation_note(
    db: Database, uid: str, note: str, expected_revision: int | None = None
) -> RelationRecord:
    def change(_s: Session, _r: RelationRecord, _d: int, _c: int) -> dict[str, Any]:
        return {"note": note}

    return _edit(db, uid, expected_revision, change)


def relation_counts(db: Database, document_uid: str) -> dict[str, int]:
    """Live relations per curator on one document."""
    query = live_only(
        select(Curator.name, Relation.id)
        .join(Document, Document.id == Relation.document_id)
        .join(Curator, Curator.id == Relation.curator_id)
        .where(Document.uid == document_uid)
    )
    counts: dict[str, int] = {}
    with db.read() as session:
        for name, _ in session.execute(query):
            counts[name] = counts.get(name, 0) + 1
    return counts
