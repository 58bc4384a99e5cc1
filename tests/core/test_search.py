"""Corpus-wide search: document text through FTS5 (or PostgreSQL's), spans by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core.articles import corpus, documents
from curator.core.articles.text import text_uid
from curator.core.concepts.linking import link_span
from curator.core.errors import CuratorError
from curator.core.search import search
from curator.core.search.documents import fts_query, locate_hit
from curator.core.search.query import locate, parse
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.concepts import Concept
from curator.core.storage.db import Database, open_database

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def samples(db: Database) -> Database:
    corpus.import_articles(db, [DATA])
    return db


def _titles(db: Database, query: str) -> list[str]:
    return [hit.title.split(":")[0][:18] for hit in search(db, query).hits]


def _doc(db: Database, fragment: str) -> tuple[str, str]:
    uid = next(d.uid for d in documents.list_documents(db) if fragment in d.title)
    return uid, documents.get_document(db, uid).text


def test_words_phrases_and_prefixes_find_documents_with_marked_context(samples: Database) -> None:
    result = search(samples, "marrow failure")
    assert result.kind == "text" and result.total == len(result.hits) >= 1
    hit = result.hits[0]
    marked = [hit.context[a:b].lower() for a, b in hit.marks]
    assert "marrow" in marked and "failure" in marked
    assert "\x02" not in hit.context and "\n" not in hit.context
    assert search(samples, '"bone marrow failure"').total == 1
    assert search(samples, "eltrombopag ruxolitinib-that-is-not-there").total == 0
    assert search(samples, "eltrom*").total == search(samples, "eltrombopag").total >= 2
    assert search(samples, "ELTROMBOPAG").total == search(samples, "eltrombopag").total


@pytest.mark.parametrize(
    "query", ['x"y', "AND", "NEAR(a b)", "-bcma", "a OR", "col:zz", "(", "*", "^bcma", "'"]
)
def test_query_syntax_never_reaches_fts5(samples: Database, query: str) -> None:
    result = search(samples, query)  # no error: every term is a quoted string
    assert result.kind == "text"


def test_fts_terms_are_quoted() -> None:
    assert fts_query(("bone marrow", 'a"b', "eltrom*")) == '"bone marrow" "a""b" "eltrom"*'


def test_a_new_or_changed_document_is_found_at_once(samples: Database) -> None:
    assert search(samples, "zanubrutinibolike").total == 0
    text = "Zanubrutinibolike was tried.\n\nIn twelve patients."
    article = corpus.Article(Path("z.txt"), text_uid(text), "Z", text)
    corpus.store_articles(samples, [article])
    assert _titles(samples, "zanubrutinibolike") == ["Z"]


def test_empty_and_overlong_queries_are_refused() -> None:
    for bad in ("", "   ", "label:", "x" * 501):
        with pytest.raises(CuratorError):
            parse(bad)


def test_spans_by_label_curator_note_concept_and_quote(samples: Database) -> None:
    uid, text = _doc(samples, "BCMA")
    at = text.index("BCMA")
    ann = annotate.add_span(samples, uid, "ann", NewSpan(at, at + 4, "target", note="Check DOSE"))
    ann = link_span(samples, ann.uid, [Concept("HGNC:11913", "TNFRSF17")])
    bo = annotate.add_span(samples, uid, "bo", NewSpan(at, at + 4, "therapy"))
    gone = annotate.add_span(samples, uid, "bo", NewSpan(at + 5, at + 9, "target"))
    annotate.delete_span(samples, gone.uid)
    found = lambda q: [h.span_uid for h in search(samples, q).hits]  # noqa: E731
    assert found("label:target") == [ann.uid]  # the deleted one is left out
    assert found("curator:bo") == [bo.uid]
    assert found("note:dose") == found("concept:hgnc:11913") == found("concept:TNFRSF") == [ann.uid]
    assert sorted(found("bcma curator:ann")) == [ann.uid]
    assert found("label:outcome") == []
    assert found("note:100%") == []  # LIKE's wildcards are plain characters
    hit = search(samples, "label:target").hits[0]
    assert (hit.start, hit.end, hit.label, hit.curator) == (at, at + 4, "target", "ann")
    a, b = hit.marks[0]
    assert hit.context[a:b] == "BCMA"


def test_a_text_hit_is_located_in_its_document_ignoring_case_and_accents(
    samples: Database,
) -> None:
    query = parse("Myeloma")
    hit = search(samples, "Myeloma").hits[0]
    where = locate_hit(samples, hit, query)
    text = documents.get_document(samples, hit.document_uid).text
    assert where is not None and text[where[0] : where[1]].lower() == "myeloma"
    assert locate("Anémie aplasique", ("anemie",)) == (0, 6)
    # one character for one, even where lower case would grow: offsets stay the text's
    assert locate("İstanbul ẞ x", ("ß", "x")) == (9, 10)


def test_postgres_uses_the_servers_text_search(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        migrate.upgrade(db)
        corpus.import_articles(db, [DATA])
        result = search(db, "marrow failure")
        assert result.total >= 1
        assert any("marrow" in h.context[a:b].lower() for h in result.hits for a, b in h.marks)
        assert search(db, "label:therapy").kind == "spans"
    finally:
        db.dispose()
