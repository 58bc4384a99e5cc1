"""Documents as the curator sees them: list, open, and progress status."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError, NotFoundError
from curator.core.safe_text import shown
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database, insert_if_missing
from curator.core.storage.models import (
    STATUSES,
    Annotation,
    Curator,
    Document,
    DocumentStatus,
    utcnow,
)
from curator.core.storage.records import DocumentInfo, DocumentSummary
from curator.core.storage.retry import retried


def document_id(session: Session, uid: str) -> int:
    found = session.scalar(select(Document.id).where(Document.uid == uid))
    if found is None:
        raise NotFoundError(f"no document with id {uid}")
    return found


def resolve_document_uid(db: Database, prefix: str) -> str:
    """Accept a full uid or an unambiguous prefix of one (as git does).

    Ids are hex digits; anything else cannot match, and is answered before
    it reaches the database (a stray non-UTF-8 byte could not even be sent).
    """
    if not prefix or prefix.strip("0123456789abcdefABCDEF"):
        raise NotFoundError(f"no document with id {shown(prefix)} (ids are hex digits)")
    with db.read() as session:
        matches = list(
            session.scalars(
                select(Document.uid)
                .where(Document.uid.startswith(prefix, autoescape=True))
                .limit(2)
            )
        )
    if not matches:
        raise NotFoundError(f"no document with id {prefix}")
    if len(matches) > 1:
        raise CuratorError(f"document id {prefix} is ambiguous; give more characters")
    return matches[0]


def list_documents(db: Database) -> list[DocumentSummary]:
    """Every document with its span counts and statuses per curator (``curator list``).

    Core statements on the tables rather than ORM ones: an ORM statement
    first sets up every mapped class (~20 ms), more than these queries take
    on an empty database, and ``curator list`` is often run in scripts.
    """
    doc, ann, cur, st = (
        Document.__table__.c,
        Annotation.__table__.c,
        Curator.__table__.c,
        DocumentStatus.__table__.c,
    )
    with db.read() as session:
        conn = session.connection()
        docs = conn.execute(
            select(doc.id, doc.uid, doc.title, func.length(doc.text)).order_by(doc.title, doc.id)
        ).all()
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for doc_id, name, n in conn.execute(
            select(ann.document_id, cur.name, func.count())
            .join_from(Annotation.__table__, Curator.__table__, cur.id == ann.curator_id)
            .where(ann.deleted_at.is_(None))
            .group_by(ann.document_id, cur.name)
        ):
            counts[doc_id][name] = n
        status: dict[int, dict[str, str]] = defaultdict(dict)
        active: dict[int, dict[str, int]] = defaultdict(dict)
        for doc_id, name, value, seconds in conn.execute(
            select(st.document_id, cur.name, st.status, st.active_seconds).join_from(
                DocumentStatus.__table__, Curator.__table__, cur.id == st.curator_id
            )
        ):
            status[doc_id][name] = value
            active[doc_id][name] = int(seconds)
    return [
        DocumentSummary(
            uid=uid,
            title=title,
            length=length or 0,
            spans=dict(sorted(counts[doc_id].items())),
            status=dict(sorted(status[doc_id].items())),
            active_seconds=dict(sorted(active[doc_id].items())),
        )
        for doc_id, uid, title, length in docs
    ]


def get_document(db: Database, uid: str) -> DocumentInfo:
    with db.read() as session:
        row = session.scalar(select(Document).where(Document.uid == uid))
        if row is None:
            raise NotFoundError(f"no document with id {uid}")
        return DocumentInfo(
            uid=row.uid, title=row.title, source=row.source, text=row.text, meta=dict(row.meta)
        )


_KEY = (
    DocumentStatus.document_id == bindparam("doc"),
    DocumentStatus.curator_id == bindparam("cur"),
)
_STATUS = select(DocumentStatus.status).where(*_KEY)
_START = (
    update(DocumentStatus)
    .where(*_KEY, DocumentStatus.status == "new")
    .values(status="in_progress", updated_at=bindparam("now"))
)


def _status_row(session: Session, doc_id: int, cur_id: int) -> DocumentStatus:
    row = session.get(DocumentStatus, (doc_id, cur_id))
    if row is None:  # first touch; another window may be making the same row now
        insert_if_missing(
            session, DocumentStatus, document_id=doc_id, curator_id=cur_id, status="new"
        )
        row = session.get(DocumentStatus, (doc_id, cur_id))
        assert row is not None
    return row


@retried
def set_status(db: Database, uid: str, curator: str, status: str) -> None:
    if status not in STATUSES:
        raise CuratorError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    with db.write() as session:
        cur_id = curator_id(session, curator)
        assert cur_id is not None
        row = _status_row(session, document_id(session, uid), cur_id)
        row.status = status
        row.updated_at = utcnow()


_UNREAD = "?"  # no status given: touch_in_progress reads it


def touch_in_progress(
    session: Session, doc_id: int, cur_id: int, status: str | None = _UNREAD
) -> None:
    """A first edit moves a new document to in-progress; done stays done.

    Core statements, as every edit runs this: one read when the document is
    already in progress or done, the usual case, and none when the caller
    read the *status* (None: no row yet) in the same transaction.
    """
    key = {"doc": doc_id, "cur": cur_id}
    conn = session.connection()
    if status == _UNREAD:
        status = conn.execute(_STATUS, key).scalar()
    if status is None:  # first touch; another window may be making the same row now
        insert_if_missing(
            session, DocumentStatus, document_id=doc_id, curator_id=cur_id, status="new"
        )
    if status in (None, "new"):
        conn.execute(_START, {**key, "now": utcnow()})


@retried
def mark_opened(db: Database, uid: str, curator: str) -> None:
    """Remember the document a curator opened last, to reopen it next time."""
    with db.write() as session:
        cur_id = curator_id(session, curator)
        assert cur_id is not None
        _status_row(session, document_id(session, uid), cur_id).opened_at = utcnow()


def last_opened(db: Database, curator: str) -> str | None:
    with db.read() as session:
        return session.scalar(
            select(Document.uid)
            .join(DocumentStatus, DocumentStatus.document_id == Document.id)
            .join(Curator, Curator.id == DocumentStatus.curator_id)
            .where(Curator.name == curator, DocumentStatus.opened_at.is_not(None))
            .order_by(DocumentStatus.opened_at.desc())
            .limit(1)
        )


def curator_rows(
    db: Database, curator: str, uids: list[str] | None = None
) -> list[tuple[str, str, int, str]]:
    """(uid, title, live span count, status) per document, as one curator sees them.

    The document list calls this for a single row after its status was set;
    for every row at start it reads :func:`document_rows` and counts only the
    rows it shows (:func:`live_span_counts`).
    """
    rows = document_rows(db, curator, uids)
    counts = live_span_counts(db, curator, None if uids is None else [r[0] for r in rows])
    return [(uid, title, counts.get(uid, 0), status) for uid, title, status in rows]


def document_rows(
    db: Database, curator: str, uids: list[str] | None = None
) -> list[tuple[str, str, str]]:
    """(uid, title, status) per document, by title: what the list needs to show every row.

    Two Core queries over the documents and the curator's statuses, none
    over the spans, so 10,000 documents holding a million spans list in
    milliseconds (Core rows: the ORM's cost 2-3x as much at 10,000).
    """
    doc, st = Document.__table__.c, DocumentStatus.__table__.c
    with db.read() as session:
        cur_id = curator_id(session, curator, create=False)
        conn = session.connection()
        query = select(doc.id, doc.uid, doc.title).order_by(doc.title, doc.id)
        if uids is not None:
            query = query.where(doc.uid.in_(uids))
        docs = conn.execute(query).all()
        status: dict[int, str] = {}
        if cur_id is not None:
            status_query = select(st.document_id, st.status).where(st.curator_id == cur_id)
            if uids is not None:
                status_query = status_query.where(st.document_id.in_([d[0] for d in docs]))
            status = {doc_id: value for doc_id, value in conn.execute(status_query)}
    return [(uid, title, status.get(i, "new")) for i, uid, title in docs]


_COUNT_CHUNK = 500  # uids per query: well under every driver's limit on parameters


def live_span_counts(db: Database, curator: str, uids: list[str] | None = None) -> dict[str, int]:
    """The curator's live spans per document uid (documents without any are left out).

    With *uids*, only those documents are counted, each through the
    (document, curator) index: the document list asks for the rows on
    screen. Without, every span of the curator is read once (sorting the
    list by its count needs them all).
    """
    with db.read() as session:
        cur_id = curator_id(session, curator, create=False)
        if cur_id is None:
            return {}
        live = (
            select(Annotation.document_id, func.count().label("n"))
            .where(Annotation.curator_id == cur_id, Annotation.deleted_at.is_(None))
            .group_by(Annotation.document_id)
        )

        def counted(spans: Select[int, int]) -> dict[str, int]:
            per = spans.subquery()
            query = select(Document.uid, per.c.n).join(per, per.c.document_id == Document.id)
            return {uid: n for uid, n in session.execute(query)}

        if uids is None:
            return counted(live)
        counts: dict[str, int] = {}
        for i in range(0, len(uids), _COUNT_CHUNK):
            ids = select(Document.id).where(Document.uid.in_(uids[i : i + _COUNT_CHUNK]))
            counts.update(counted(live.where(Annotation.document_id.in_(ids))))
        return counts
