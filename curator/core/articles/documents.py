"""Documents as the curator sees them: list, open, and progress status."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, func, select, update
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
    with db.read() as session:
        docs = session.execute(
            select(Document.id, Document.uid, Document.title, func.length(Document.text)).order_by(
                Document.title, Document.id
            )
        ).all()
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for doc_id, name, n in session.execute(
            select(Annotation.document_id, Curator.name, func.count())
            .join(Curator, Curator.id == Annotation.curator_id)
            .where(Annotation.deleted_at.is_(None))
            .group_by(Annotation.document_id, Curator.name)
        ):
            counts[doc_id][name] = n
        status: dict[int, dict[str, str]] = defaultdict(dict)
        active: dict[int, dict[str, int]] = defaultdict(dict)
        for doc_id, name, value, seconds in session.execute(
            select(
                DocumentStatus.document_id,
                Curator.name,
                DocumentStatus.status,
                DocumentStatus.active_seconds,
            ).join(Curator, Curator.id == DocumentStatus.curator_id)
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


def touch_in_progress(session: Session, doc_id: int, cur_id: int) -> None:
    """A first edit moves a new document to in-progress; done stays done.

    Core statements, as every edit runs this: one read when the document is
    already in progress or done, the usual case.
    """
    key = {"doc": doc_id, "cur": cur_id}
    conn = session.connection()
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

    The document list calls this for every row at start and for a single row
    after an edit, so it is two grouped queries whatever the number of rows.
    """
    with db.read() as session:
        cur_id = curator_id(session, curator, create=False)
        query = select(Document.id, Document.uid, Document.title).order_by(
            Document.title, Document.id
        )
        if uids is not None:
            query = query.where(Document.uid.in_(uids))
        docs = session.execute(query).all()
        counts: dict[int, int] = {}
        status: dict[int, str] = {}
        if cur_id is not None:
            count_query = (
                select(Annotation.document_id, func.count())
                .where(Annotation.curator_id == cur_id, Annotation.deleted_at.is_(None))
                .group_by(Annotation.document_id)
            )
            status_query = select(DocumentStatus.document_id, DocumentStatus.status).where(
                DocumentStatus.curator_id == cur_id
            )
            if uids is not None:
                ids = [d[0] for d in docs]
                count_query = count_query.where(Annotation.document_id.in_(ids))
                status_query = status_query.where(DocumentStatus.document_id.in_(ids))
            counts = {doc: n for doc, n in session.execute(count_query)}
            status = {doc: st for doc, st in session.execute(status_query)}
    return [(uid, title, counts.get(i, 0), status.get(i, "new")) for i, uid, title in docs]
