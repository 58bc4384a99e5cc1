"""Search of the annotations: by label, curator, concept (id or name), note, quote.

Every filter must hold; the query's words must each be in the span's quote.
Deleted spans are left out. The context is read by the database (``substr``
around the span), so no article's whole text is loaded for a list of hits.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from curator.core.search.query import Hit, Query, SearchResult
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, Label

AROUND = 40  # characters of context each side


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_spans(db: Database, query: Query, limit: int = 200) -> SearchResult:
    # Where the context starts: max() of two values is SQLite's greatest().
    greatest = func.max if db.is_sqlite else func.greatest
    begin: ColumnElement[int] = greatest(Annotation.start - AROUND, 0)
    around = func.substr(Document.text, begin + 1, Annotation.end - begin + AROUND)
    where: list[ColumnElement[bool]] = [Annotation.deleted_at.is_(None)]
    f = query.filters
    if "label" in f:
        where.append(Label.name == f["label"])
    if "curator" in f:
        where.append(Curator.name == f["curator"])
    if "concept" in f:
        where.append(Annotation.concepts.ilike(_like(f["concept"]), escape="\\"))
    if "note" in f:
        where.append(Annotation.note.ilike(_like(f["note"]), escape="\\"))
    for term in query.terms:
        where.append(Annotation.text.ilike(_like(term.rstrip("*")), escape="\\"))
    base = (
        select(
            Document.uid,
            Document.title,
            Annotation.uid,
            Annotation.start,
            Annotation.end,
            Label.name,
            Curator.name,
            begin,
            around,
        )
        .join(Document, Document.id == Annotation.document_id)
        .join(Label, Label.id == Annotation.label_id)
        .join(Curator, Curator.id == Annotation.curator_id)
        .where(*where)
    )
    with db.read() as session:
        rows = session.execute(
            base.order_by(Document.title, Annotation.start, Annotation.uid).limit(limit)
        ).all()
        total = len(rows)
        if total >= limit:
            counted = select(func.count()).select_from(base.subquery())
            total = session.execute(counted).scalar_one()
    hits = []
    for doc_uid, title, span_uid, start, end, label, curator, at, piece in rows:
        # Line breaks and tabs as spaces: one line, the same length, marks in place.
        flat = "".join(" " if ch in "\r\n\t" else ch for ch in str(piece or ""))
        head = "…" if at > 0 else ""
        marks = ((len(head) + start - int(at), len(head) + end - int(at)),)
        hits.append(
            Hit(doc_uid, title, head + flat + "…", marks, start, end, span_uid, label, curator)
        )
    return SearchResult("spans", hits, int(total))
