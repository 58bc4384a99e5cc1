"""The open editor's compact span records: same spans, quotes cut from the text."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from curator.core.articles import corpus
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.spans.live_spans import live_spans
from curator.core.storage import migrate
from curator.core.storage.db import Database
from curator.core.storage.models import Document
from curator.core.storage.records import LiveSpan, SpanSource

DATA = Path(__file__).resolve().parents[2] / "data"
TEXT = "TNF-𝛼 blockade 😀 with infliximab"


def test_quote_after_a_non_bmp_character_is_the_text_slice() -> None:
    source = SpanSource("doc", "ana", TEXT)
    start = TEXT.index("infliximab")
    record = LiveSpan("u", "therapy", start, start + 10, note="", origin="manual",
                      revision=1, source=source)  # fmt: skip
    assert record.text == "infliximab"
    assert record.end == len(TEXT)
    astral = LiveSpan("v", "target", 4, 5, note="", origin="manual", revision=1, source=source)
    assert astral.text == "𝛼" and astral.end == 5
    assert (record.document_uid, record.curator, record.deleted) == ("doc", "ana", False)


def test_loaded_records_match_the_full_spans(db: Database) -> None:
    migrate.upgrade(db)
    uid = corpus.import_articles(db, [DATA / "03_myeloma_bcma.txt"]).added[0].uid
    with db.read() as session:
        text = session.scalar(select(Document.text).where(Document.uid == uid))
    assert text is not None and "TNF-𝛼" in text
    made = []
    for i, word in enumerate(("TNF-𝛼", "BCMA", "myeloma", "BCMA")):
        start = text.index(word, i)
        made.append(annotate.add_span(db, uid, "ana", NewSpan(start, start + len(word), "target")))
    annotate.add_span(db, uid, "ben", NewSpan(0, 4, "expert"))  # another curator's: left out
    annotate.set_note(db, made[1].uid, "twice", made[1].revision)
    annotate.delete_span(db, made[2].uid, made[2].revision)
    annotate.relabel_span(db, made[3].uid, "therapy", made[3].revision)

    source = SpanSource(uid, "ana", text)
    records = live_spans(db, source)
    full = annotate.spans_for(db, uid, "ana")
    fields = ("uid", "label", "start", "end", "text", "note", "origin", "revision", "curator")
    assert [[getattr(r, f) for f in fields] for r in records] == [
        [getattr(s, f) for f in fields] for s in full
    ]
    assert all(r.source is source for r in records)  # one shared text, not a copy per span
    assert [LiveSpan.of(s, source) for s in full] == records
