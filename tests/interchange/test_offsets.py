"""Offset pitfalls through every format: BOM, CRLF, NFD, astral characters, newlines, nesting."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.articles import corpus
from curator.core.articles.documents import get_document
from curator.core.interchange.common import LossError
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.storage.records import Span
from tests.interchange.conftest import tuples
from tests.interchange.test_formats import _read

# A BOM, CRLF line ends, "Café" in NFD, and 𝛼 (outside the BMP) before most spans.
RAW = (
    b"\xef\xbb\xbfTNF-\xf0\x9d\x9b\xbc signalling study\r\n"
    b"Cafe\xcc\x81 trial: ruxolitinib\r\n"
    b"across lines; CD19 CAR-T cell therapy \xf0\x9d\x9b\xbc+ cells\r\n"
)
TEXT = (
    "TNF-𝛼 signalling study\nCafé trial: ruxolitinib\n"
    "across lines; CD19 CAR-T cell therapy 𝛼+ cells\n"
)


def _spans(db: Database, tmp_path: Path) -> list[Span]:
    path = tmp_path / "messy.txt"
    path.write_bytes(RAW)
    (article,) = corpus.import_articles(db, [path]).added
    text = get_document(db, article.uid).text
    assert text == TEXT

    def at(phrase: str, label: str) -> NewSpan:
        start = text.index(phrase)
        return NewSpan(start, start + len(phrase), label)

    annotate.add_spans(
        db,
        article.uid,
        "ana",
        [
            at("TNF-𝛼", "target"),
            at("Café", "expert"),
            at("ruxolitinib", "therapy"),
            at("CD19 CAR-T cell therapy", "therapy"),
            at("CD19", "target"),  # nested inside the therapy
            at("𝛼+", "target"),
        ],
    )
    annotate.add_spans(db, article.uid, "bo", [at("ruxolitinib\nacross lines", "outcome")])
    spans = annotate.spans_for(db, article.uid)
    assert all(text[s.start : s.end] == s.text for s in spans)
    return spans


@pytest.mark.parametrize("fmt", ["spacy", "bioc-xml", "bioc-json", "brat", "labelstudio"])
def test_pitfalls_survive_every_format(db: Database, tmp_path: Path, fmt: str) -> None:
    spans = _spans(db, tmp_path)
    out = tmp_path / f"out{interchange.FORMATS[fmt].suffix}"
    report = interchange.export(db, fmt, out)
    assert report.problems == []
    read, texts = _read(fmt, out)
    assert read == tuples(spans)
    assert list(texts.values()) == [TEXT]


def test_pitfalls_survive_jsonl(db: Database, empty_db: Database, tmp_path: Path) -> None:
    spans = _spans(db, tmp_path)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    export_jsonl(db, first)
    import_jsonl(empty_db, first)
    export_jsonl(empty_db, second)
    assert second.read_bytes() == first.read_bytes()
    assert tuples(annotate.spans_for(empty_db, spans[0].document_uid)) == tuples(spans)


def test_brat_leaves_out_spans_that_start_on_a_newline(db: Database, tmp_path: Path) -> None:
    spans = _spans(db, tmp_path)
    doc = spans[0].document_uid
    start = TEXT.index("\nacross")
    odd = annotate.add_span(db, doc, "ana", NewSpan(start, start + 7, "outcome"))
    with pytest.raises(LossError, match="line break"):
        interchange.export(db, "brat", tmp_path / "brat")
    assert not (tmp_path / "brat").exists()
    report = interchange.export(db, "brat", tmp_path / "brat", allow_loss=True)
    assert len(report.problems) == 1 and "line break" in report.problems[0]
    read, _texts = _read("brat", tmp_path / "brat")
    assert read == tuples(spans)
    assert (odd.start, odd.end) not in {(t[3], t[4]) for t in read}
