"""A curated database over the shared corpus: all four labels, two curators, the hard cases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from curator.core.articles import corpus, documents
from curator.core.concepts.linking import link_span
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.concepts import Concept
from curator.core.storage.db import Database
from curator.core.storage.records import Span
from tests import fresh_db
from tests.conftest import SHARED_CORPUS

# (label, phrase) per article, found by text: every article has all four labels,
# and 001 nests a target inside a therapy.
PHRASES = {
    "000_bf78562633a04b3c.txt": [
        ("therapy", "CAR-T cell therapy"),
        ("target", "DNA methylation"),
        ("outcome", "overall cure rates have risen significantly"),
        ("expert", "Xiaofan Zhu"),
    ],
    "001_1236fa8a8719e06c.txt": [
        ("therapy", "allogeneic CD5 CAR-T therapy"),
        ("target", "CD5"),
        ("outcome", "improved prognoses"),
        ("expert", "Jing Pan"),
    ],
    "003_c70d665678d1da56.txt": [
        ("therapy", "ruxolitinib"),
        ("target", "NF-κB"),
        ("outcome", "overall response rate reached 81.8%"),
        ("expert", "Rong Fu"),
    ],
}


# Concepts linked to ana's spans by label; names with non-ASCII, two ids on one span.
LINKS = {
    "target": [Concept("HGNC:1633", "CD19")],
    "therapy": [Concept("NCIT:C126102", "CAR-T cell therapy"), Concept("MESH:D000076962", "x")],
    "expert": [Concept("PERSON:6f1c9a4e0d7b4c559e613f1b2a9d8c70", "Rong Fū")],
}


@dataclass
class Curated:
    db: Database
    live: list[Span]
    deleted: list[Span]


def crossing_newline(text: str) -> tuple[int, int]:
    """The last word of a paragraph through the first word of the next (whole words)."""
    k = text.index("\n", 200)
    start = max(text.rfind(" ", 0, k), text.rfind("\n", 0, k)) + 1
    after = k
    while text[after] == "\n":
        after += 1
    end = min(i for i in (text.find(" ", after), text.find("\n", after)) if i != -1)
    return start, end


def tuples(spans: list[Span]) -> set[tuple[str, str, str, int, int, str]]:
    return {(s.document_uid, s.curator, s.label, s.start, s.end, s.text) for s in spans}


def curate_corpus(db: Database) -> Curated:
    report = corpus.import_articles(db, [SHARED_CORPUS])
    assert len(report.added) == 3
    deleted = []
    for article in report.added:
        text = documents.get_document(db, article.uid).text
        items = []
        for label, phrase in PHRASES[article.path.name]:
            start = text.index(phrase)
            if label == "target" and phrase == "CD5":
                start = text.index("allogeneic CD5") + len("allogeneic ")
            items.append(NewSpan(start, start + len(phrase), label))
        added = annotate.add_spans(db, article.uid, "ana", items)
        for span in added:  # every label linked: ids travel with the spans
            if span.label in LINKS:
                link_span(db, span.uid, LINKS[span.label])
        start, end = crossing_newline(text)
        assert "\n" in text[start:end]
        (across,) = annotate.add_spans(db, article.uid, "bo", [NewSpan(start, end, "outcome")])
        annotate.set_note(db, across.uid, "crosses a line break; check the PDF")
        gone = annotate.add_span(db, article.uid, "bo", NewSpan(0, 7, "expert"))
        deleted.append(annotate.delete_span(db, gone.uid))
    live = [s for a in report.added for s in annotate.spans_for(db, a.uid)]
    return Curated(db=db, live=live, deleted=deleted)


@pytest.fixture
def curated(db: Database) -> Curated:
    assert SHARED_CORPUS.is_dir(), f"the shared corpus is missing: {SHARED_CORPUS}"
    return curate_corpus(db)


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    """A second, empty database: where an export is imported."""
    other = fresh_db.fresh_database(tmp_path / "other.sqlite")
    yield other
    other.dispose()
