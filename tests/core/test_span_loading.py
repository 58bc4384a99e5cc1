"""Loading spans through raw rows gives exactly what the ORM holds, on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from curator.core.articles import corpus
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import concepts, fragments, migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Annotation, Curator, Document, Label

DATA = Path(__file__).resolve().parents[2] / "data"


def _orm_view(db: Database, uid: str) -> list[tuple[object, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(Annotation, Document.uid, Curator.name, Label.name)
            .join(Document, Document.id == Annotation.document_id)
            .join(Curator, Curator.id == Annotation.curator_id)
            .join(Label, Label.id == Annotation.label_id)
            .where(Document.uid == uid)
            .order_by(Annotation.start, Annotation.end, Annotation.uid)
        ).all()
        return [
            (a.uid, doc, cur, label, a.start, a.end, a.text, a.note, a.origin, a.revision,
             a.created_at, a.updated_at, a.deleted_at, concepts.decode(a.concepts),
             fragments.decode(a.fragments))
            for a, doc, cur, label in rows
        ]  # fmt: skip


def _exercise(db: Database) -> None:
    migrate.upgrade(db)
    uid = corpus.import_articles(db, [DATA / "03_myeloma_bcma.txt"]).added[0].uid
    with db.read() as session:
        text = session.scalar(select(Document.text).where(Document.uid == uid))
    assert text is not None
    spans = []
    for i, word in enumerate(("BCMA", "TNF-𝛼", "myeloma", "BCMA")):
        start = text.index(word, i)
        new = NewSpan(start, start + len(word), "target")
        spans.append(annotate.add_span(db, uid, "ana", new))
    first, second = text.index("BCMA"), text.index("myeloma")
    pieces = ((first, first + 4), (second, second + 7))
    spans.append(annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=pieces)))
    assert spans[-1].fragments == pieces and spans[-1].text == "BCMA myeloma"
    annotate.set_note(db, spans[1].uid, "stated twice", spans[1].revision)
    annotate.delete_span(db, spans[2].uid, spans[2].revision)
    annotate.relabel_span(db, spans[3].uid, "therapy", spans[3].revision)
    loaded = annotate.spans_for(db, uid, include_deleted=True)
    expected = _orm_view(db, uid)
    assert [tuple(getattr(s, f) for f in s.__slots__) for s in loaded] == expected
    for span in loaded:
        assert span.created_at.tzinfo == dt.UTC and span.updated_at.tzinfo == dt.UTC
        assert span == annotate.get_span(db, span.uid)
    assert [s.deleted for s in loaded].count(True) == 1
    assert {s.uid for s in annotate.spans_for(db, uid, "ana")} == {
        s.uid for s in loaded if not s.deleted
    }
    edited = next(s for s in loaded if s.note)
    assert edited.updated_at > edited.created_at


def test_raw_span_rows_match_the_orm_on_sqlite(db: Database) -> None:
    _exercise(db)


@pytest.mark.postgres
def test_raw_span_rows_match_the_orm_on_postgres(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        _exercise(db)
    finally:
        db.dispose()
