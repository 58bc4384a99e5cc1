"""Adding and editing spans: the only place annotations are written.

Every function is one committed unit of work and returns the span as stored,
so a caller (the GUI's undo commands, the CLI) can show exactly what the
database holds. Edits carry the revision they were based on; if another
curator or window changed the span since, the edit is refused rather than
silently overwriting their work (optimistic concurrency). Deletion is a
tombstone so that it travels through merges like any other edit.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import String, Table, bindparam, func, insert, select, type_coerce, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from curator.core.articles.documents import touch_in_progress
from curator.core.errors import CuratorError, NotFoundError, StaleEditError
from curator.core.labels.retired import RetiredLabelError, refuse_retired, retired_message
from curator.core.storage import fragments as pieces_of
from curator.core.storage.concepts import EMPTY, NO_CONCEPTS, Concept, decode, encode
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database
from curator.core.storage.fragments import extent, normalise, quote
from curator.core.storage.models import (
    ORIGINS,
    Annotation,
    Curator,
    Document,
    DocumentStatus,
    Label,
    utcnow,
)
from curator.core.storage.records import LabelInfo, Span
from curator.core.storage.relation_ends import restore_relations_of, tombstone_relations_of
from curator.core.storage.retry import retried


@dataclass(frozen=True, slots=True)
class NewSpan:
    start: int
    end: int
    label: str
    note: str = ""
    fragments: tuple[tuple[int, int], ...] | None = None
    """A mention in several pieces: the pieces (start/end are then their extent)."""


def list_labels(db: Database) -> list[LabelInfo]:
    with db.read() as session:
        rows = session.scalars(select(Label).order_by(Label.position, Label.name))
        return [
            LabelInfo(r.name, r.color, r.shortcut, r.description, r.deleted_at is not None)
            for r in rows
        ]


def _label_id(session: Session, name: str) -> int:
    found = session.scalar(select(Label.id).where(Label.name == name))
    if found is None:
        known = ", ".join(session.scalars(select(Label.name).order_by(Label.position)))
        raise NotFoundError(f"unknown label {name!r} (labels: {known})")
    return found


_SPAN_COLUMNS = (
    Annotation.uid,
    Document.uid,
    Curator.name,
    Label.name,
    Annotation.start,
    Annotation.end,
    Annotation.text,
    Annotation.note,
    Annotation.origin,
    Annotation.revision,
    Annotation.created_at,
    Annotation.updated_at,
    Annotation.deleted_at,
    Annotation.concepts,
    Annotation.fragments,
)


# Selects are immutable: each query below derives a new one from this base.
_SPANS = (
    select(*_SPAN_COLUMNS)
    .join(Document, Document.id == Annotation.document_id)
    .join(Curator, Curator.id == Annotation.curator_id)
    .join(Label, Label.id == Annotation.label_id)
)

# The same columns with the timestamps left raw for _span to convert: per-value
# type processing was most of the time of loading 20,000 spans.
_RAW_SPANS = _SPANS.with_only_columns(
    *_SPAN_COLUMNS[:-5],
    *(type_coerce(c, String) for c in _SPAN_COLUMNS[-5:-2]),
    Annotation.concepts,
    Annotation.fragments,
)


# Prepared once: the statements of an edit, so a key press compiles nothing.
_LABEL_IDS = select(Label.name, Label.id, Label.deleted_at).where(
    Label.name.in_(bindparam("names", expanding=True))
)
# What adding spans reads besides the labels, in one statement: the document's
# id, the curator's (None: new to this database), their status row (None: no
# row yet) and the text. One span without pieces reads only its quote: the
# text of a 1 MB article, decoded for every key press, was a tenth of the
# edit's CPU time. A caller that holds the text (the open article, the label
# key's case) reads none of it: even the quote's substr walks the 1 MB value.
_ID_OF_CURATOR = select(Curator.id).where(Curator.name == bindparam("curator")).scalar_subquery()
_STATUS_OF = (
    select(DocumentStatus.status)
    .where(DocumentStatus.document_id == Document.id, DocumentStatus.curator_id == _ID_OF_CURATOR)
    .scalar_subquery()
)
_ADD_IDS = select(Document.id, _ID_OF_CURATOR, _STATUS_OF).where(Document.uid == bindparam("uid"))
_ADD_CONTEXT = _ADD_IDS.add_columns(Document.text)
_ADD_ONE_CONTEXT = _ADD_IDS.add_columns(
    func.substr(Document.text, bindparam("first"), bindparam("count"))
)
_DOCUMENT_TEXT_OF = select(Document.text).where(Document.id == bindparam("id"))
_TABLE = cast(Table, Annotation.__table__)
_INSERT_SPAN = insert(_TABLE)
_UPDATE_SPAN = update(_TABLE)
_EDIT_ROW = _RAW_SPANS.add_columns(Annotation.id, Annotation.document_id, Annotation.curator_id)


def _utc(value: Any) -> dt.datetime | None:
    """A stored timestamp (SQLite text or a naive server datetime) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC)


@functools.lru_cache(maxsize=4096)
def stored_concepts(stored: str) -> tuple[Concept, ...]:
    """Decoded once per spelling: an article links the same name to the same id many times."""
    return decode(stored)


def _span(row: Sequence[Any], quotes: dict[str, str] | None = None) -> Span:
    """A span from a row of _RAW_SPANS.

    Why not ``Span(*row)``: an open article may hold 20,000 spans, so the
    strings every row repeats (document, curator, label, origin) are shared
    through ``sys.intern``, equal quotes through *quotes* (one article names
    the same drug or antigen many times) and an unedited span's two equal
    timestamps are one object: about 7 MB less for such an article.
    """
    uid, doc, curator, label, start, end, text, note, origin, revision, created, updated, gone = (
        row[:13]
    )
    linked = stored_concepts(row[13]) if row[13] != EMPTY else NO_CONCEPTS
    parts = row[14]
    intern = sys.intern
    created_at = _utc(created)
    updated_at = created_at if updated == created else _utc(updated)
    assert created_at is not None and updated_at is not None
    if quotes is not None:
        text = quotes.setdefault(text, text)
    return Span(
        uid, intern(doc), intern(curator), intern(label), start, end, text, note,
        intern(origin), revision, created_at, updated_at, _utc(gone), linked,
        None if parts is None else pieces_of.decode(parts),
    )  # fmt: skip


def spans_for(
    db: Database,
    document_uid: str,
    curator: str | None = None,
    *,
    include_deleted: bool = False,
) -> list[Span]:
    """The spans of a document, optionally of one curator, in text order."""
    query = _RAW_SPANS.where(Document.uid == document_uid)
    if curator is not None:
        query = query.where(Curator.name == curator)
    if not include_deleted:
        query = query.where(Annotation.deleted_at.is_(None))
    query = query.order_by(Annotation.start, Annotation.end, Annotation.uid)
    with db.read() as session:
        result = session.connection().execute(query)
        # Batches of fetchmany: not one driver call per row, nor 20,000 rows held at once.
        quotes: dict[str, str] = {}
        return [_span(row, quotes) for batch in result.partitions(2000) for row in batch]


def get_span(db: Database, uid: str) -> Span:
    with db.read() as session:
        row = session.connection().execute(_RAW_SPANS.where(Annotation.uid == uid)).first()
    if row is None:
        raise NotFoundError(f"no span with id {uid}")
    return _span(row)


def _check_range(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise CuratorError(f"span {start}-{end} is outside the text (0-{len(text)}) or empty")


@retried
def add_spans(
    db: Database,
    document_uid: str,
    curator: str,
    items: Sequence[NewSpan],
    *,
    origin: str = "manual",
    text: str | None = None,
) -> list[Span]:
    """Add several spans in one transaction (annotate-all, imports, a label key).

    *text*: the document's text as the caller read it from this database (an
    open article), so that it is not read again. A document's text is never
    changed once stored (its id is the text's hash), so the quotes cut from it
    are the stored text's.
    """
    with db.write() as session:
        return add_spans_in(session, document_uid, curator, items, origin=origin, text=text)


def add_spans_in(
    session: Session,
    document_uid: str,
    curator: str,
    items: Sequence[NewSpan],
    *,
    origin: str = "manual",
    text: str | None = None,
) -> list[Span]:
    """:func:`add_spans` inside a caller's unit of work (accepting a suggestion).

    Plain Core statements, no ORM objects: a key press in the editor waits
    for this, and unit-of-work bookkeeping cost more than the insert itself.
    """
    if origin not in ORIGINS:
        raise CuratorError(f"unknown origin {origin!r}")
    conn = session.connection()
    one = items[0] if text is None and len(items) == 1 and items[0].fragments is None else None
    doc_id, cur_id, status, cut = _add_context(conn, document_uid, curator, one, text)
    if cur_id is None:  # new to this database: made now, and no status row yet
        cur_id = curator_id(session, curator)
        assert cur_id is not None
    names = sorted({item.label for item in items})
    label_ids: dict[str, int] = {}
    for name, id_, retired in conn.execute(_LABEL_IDS, {"names": names}):
        if retired is not None:
            raise RetiredLabelError(retired_message(name, retired))
        label_ids[name] = id_
    now = utcnow()
    spans: list[Span] = []
    for item in items:
        start, end, parts = item.start, item.end, None
        if one is not None:
            said = cut
            if not (0 <= start < end and len(said) == end - start):
                whole = conn.execute(_DOCUMENT_TEXT_OF, {"id": doc_id}).scalar_one()
                _check_range(whole, start, end)  # refused, the message naming the text's length
                said = whole[start:end]
        else:
            if item.fragments is not None:
                parts = normalise(item.fragments, len(cut))
                if parts is not None:
                    start, end = extent(parts)
            _check_range(cut, start, end)
            said = quote(cut, parts, start, end)
        if item.label not in label_ids:
            label_ids[item.label] = _label_id(session, item.label)  # raises: unknown label
        span = Span(
            str(uuid.uuid4()), document_uid, curator, item.label, start, end,
            said, item.note, origin, 1, now, now, None, NO_CONCEPTS, parts,
        )  # fmt: skip
        spans.append(span)
    if spans:
        conn.execute(
            _INSERT_SPAN,
            [
                {"uid": s.uid, "document_id": doc_id, "curator_id": cur_id,
                 "label_id": label_ids[s.label], "start": s.start, "end": s.end,
                 "text": s.text, "note": s.note, "origin": origin, "created_at": now,
                 "updated_at": now, "deleted_at": None, "revision": 1,
                 "fragments": pieces_of.encode(s.fragments)}
                for s in spans
            ],
        )  # fmt: skip
        touch_in_progress(session, doc_id, cur_id, status)
    return spans


def _add_context(
    conn: Connection, document_uid: str, curator: str, one: NewSpan | None, text: str | None
) -> tuple[int, int | None, str | None, str]:
    """The document's id, the curator's, their status and the text adding cuts from:
    *one* span's quote, or the whole text (the caller's *text*, then not read)."""
    key: dict[str, object] = {"uid": document_uid, "curator": curator}
    if text is not None:
        statement = _ADD_IDS
    elif one is not None:  # its quote, 1-based; a span past the end gets a shorter one
        key.update(first=one.start + 1, count=max(one.end - one.start, 0))
        statement = _ADD_ONE_CONTEXT
    else:
        statement = _ADD_CONTEXT
    found = conn.execute(statement, key).first()
    if found is None:
        raise NotFoundError(f"no document with id {document_uid}")
    return found[0], found[1], found[2], found[3] if text is None else text


def add_span(
    db: Database,
    document_uid: str,
    curator: str,
    span: NewSpan,
    *,
    origin: str = "manual",
) -> Span:
    return add_spans(db, document_uid, curator, [span], origin=origin)[0]


# A change to one span: given the span as stored and (if asked for) the
# document's text, the Span fields to set (label, start, end, text, note, deleted_at,
# concepts).
Change = Callable[[Session, Span, str], dict[str, Any]]


@retried
def _edit(
    db: Database,
    uid: str,
    expected_revision: int | None,
    change: Change,
    *,
    needs_text: bool = False,
) -> Span:
    """Apply *change* to one span if it is still at *expected_revision*.

    The document's text is read only for a change that needs it (*needs_text*):
    for a 1 MB article that read was a tenth of a delete's time.
    """
    with db.write() as session:
        return edit_in(session, uid, expected_revision, change, needs_text=needs_text)


def edit_in(
    session: Session,
    uid: str,
    expected_revision: int | None,
    change: Change,
    *,
    needs_text: bool = True,
) -> Span:
    """:func:`_edit` inside a caller's unit of work (undoing an accepted suggestion).

    One read of the span (locked on PostgreSQL; SQLite's BEGIN IMMEDIATE
    serialises), one UPDATE, and the span as stored built from both.
    """
    query = _EDIT_ROW.where(Annotation.uid == uid)
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(of=_TABLE)
    conn = session.connection()
    row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"no span with id {uid}")
    current = _span(row[: len(_SPAN_COLUMNS)])
    ann_id, doc_id, cur_id = row[len(_SPAN_COLUMNS) :]
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleEditError(
            f"span “{current.text}” was changed elsewhere (revision {current.revision}, "
            f"this edit was based on {expected_revision}); the view has been reloaded"
        )
    text = ""
    if needs_text:
        found = session.scalar(select(Document.text).where(Document.id == doc_id))
        assert found is not None
        text = found
    fields = change(session, current, text)
    values = {k: v for k, v in fields.items() if k not in ("label", "concepts")}
    if "concepts" in fields:
        values["concepts"] = encode(fields["concepts"])
    if "label" in fields:
        if fields["label"] != current.label:  # relabelling to a retired label adds to it
            refuse_retired(session, [fields["label"]])
        values["label_id"] = _label_id(session, fields["label"])
    now = utcnow()
    values.update(revision=current.revision + 1, updated_at=now)
    conn.execute(_UPDATE_SPAN.where(_TABLE.c.id == ann_id).values(**values))
    if "deleted_at" in fields:
        _carry_to_relations(session, uid, current.deleted_at, fields["deleted_at"])
    touch_in_progress(session, doc_id, cur_id)
    return replace(current, **fields, revision=current.revision + 1, updated_at=now)


def _carry_to_relations(
    session: Session, uid: str, was: dt.datetime | None, now: dt.datetime | None
) -> None:
    """A span's deletion tombstones its relations with the same time; its restore, those."""
    if was is None and now is not None:
        tombstone_relations_of(session, [uid], now)
    elif was is not None and now is None:
        restore_relations_of(session, [uid], was)


def mark_deleted(_s: Session, span: Span, _t: str) -> dict[str, Any]:
    """A change for :func:`edit_in`: tombstone the span."""
    if span.deleted_at is not None:
        raise CuratorError(f"span “{span.text}” is already deleted")
    return {"deleted_at": utcnow()}


def mark_restored(_s: Session, _span: Span, _t: str) -> dict[str, Any]:
    """A change for :func:`edit_in`: bring a tombstoned span back."""
    return {"deleted_at": None}


def delete_span(db: Database, uid: str, expected_revision: int | None = None) -> Span:
    return _edit(db, uid, expected_revision, mark_deleted)


def restore_span(db: Database, uid: str, expected_revision: int | None = None) -> Span:
    """Bring a deleted span back (undo of delete, redo of add)."""
    return _edit(db, uid, expected_revision, mark_restored)


def relabel_span(db: Database, uid: str, label: str, expected_revision: int | None = None) -> Span:
    def change(_s: Session, _span: Span, _t: str) -> dict[str, Any]:
        return {"label": label}

    return _edit(db, uid, expected_revision, change)


def resize_span(
    db: Database, uid: str, start: int, end: int, expected_revision: int | None = None
) -> Span:
    def change(_s: Session, span: Span, text: str) -> dict[str, Any]:
        if span.fragments is not None:
            raise CuratorError(
                f"span “{span.text}” is in {len(span.fragments)} pieces; resizing would join "
                "them: delete it and tag it again"
            )
        _check_range(text, start, end)
        return {"start": start, "end": end, "text": text[start:end]}

    return _edit(db, uid, expected_revision, change, needs_text=True)


def set_note(db: Database, uid: str, note: str, expected_revision: int | None = None) -> Span:
    def change(_s: Session, _span: Span, _t: str) -> dict[str, Any]:
        return {"note": note}

    return _edit(db, uid, expected_revision, change)


def span_counts(
    db: Database, curator: str, document_uids: Iterable[str] | None = None
) -> dict[str, int]:
    """Live span count per document for one curator (the document list's column)."""
    doc = aliased(Document)
    query = (
        select(doc.uid, func.count(Annotation.id))
        .join(Annotation, Annotation.document_id == doc.id)
        .join(Curator, Curator.id == Annotation.curator_id)
        .where(Curator.name == curator, Annotation.deleted_at.is_(None))
        .group_by(doc.uid)
    )
    if document_uids is not None:
        query = query.where(doc.uid.in_(list(document_uids)))
    with db.read() as session:
        return {uid: n for uid, n in session.execute(query)}
