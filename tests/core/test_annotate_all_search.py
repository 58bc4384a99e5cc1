"""Annotate all across documents: the searched phrase in every document found, one
transaction per document, nothing skipped without its reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete

from curator.core.articles import corpus, documents
from curator.core.articles.text import text_uid
from curator.core.errors import CuratorError
from curator.core.search.annotate_all import (
    NEW,
    OVERLAPS,
    TAGGED,
    MySpan,
    Occurrence,
    Options,
    _with_mine,
    apply_plan,
    find_occurrences,
    outcome,
    phrase_of,
)
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.spans.boundaries import occurrences
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Document

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def samples(db: Database) -> Database:
    corpus.import_articles(db, [DATA])
    return db


def _texts(db: Database) -> dict[str, str]:
    return {d.uid: documents.get_document(db, d.uid).text for d in documents.list_documents(db)}


def _live(db: Database, uid: str, curator: str = "ann") -> list[tuple[str, int, int]]:
    return [(s.label, s.start, s.end) for s in annotate.spans_for(db, uid, curator)]


def test_the_phrase_is_the_searchs_words_and_span_searches_or_prefixes_are_refused() -> None:
    assert phrase_of('"bone  marrow"') == "bone marrow"
    assert phrase_of("bone marrow") == "bone marrow"
    with pytest.raises(CuratorError, match="label:"):
        phrase_of("label:therapy bcma")
    with pytest.raises(CuratorError, match="prefix"):
        phrase_of("eltrom*")


def test_every_document_found_with_the_in_document_rules(samples: Database) -> None:
    plan = find_occurrences(samples, "ann", "response")
    texts = _texts(samples)
    expected = {
        uid: occurrences(text, "response") for uid, text in texts.items() if "response" in text
    }
    expected = {uid: places for uid, places in expected.items() if places}
    assert {d.document_uid: [o.key for o in d.occurrences] for d in plan.documents} == expected
    assert len(plan.documents) == 3 and plan.searched >= 3
    counts = plan.counts("outcome")
    assert (counts.occurrences, counts.documents, counts.tagged) == (16, 3, 0)
    first = plan.documents[0].occurrences[0]
    assert first.quote.lower() == "response" and "\n" not in first.context()
    assert plan.default_label() is None  # never tagged: the curator chooses


def test_whole_words_and_case_follow_the_options(samples: Database) -> None:
    loose = find_occurrences(samples, "ann", "CAR", Options(whole_word=False))
    strict = find_occurrences(samples, "ann", "CAR")
    cased = find_occurrences(samples, "ann", "car", Options(case_sensitive=True))
    n = lambda plan: plan.counts("therapy").occurrences  # noqa: E731
    assert n(loose) >= n(strict) > n(cased) == 0


def test_already_tagged_and_overlapping_occurrences_are_told_apart(samples: Database) -> None:
    plan = find_occurrences(samples, "ann", "response")
    doc = plan.documents[0]
    a, b, c = doc.occurrences[:3]
    annotate.add_spans(
        samples,
        doc.document_uid,
        "ann",
        [
            NewSpan(a.start, a.end, "outcome"),  # exactly: already tagged
            NewSpan(max(0, b.start - 9), b.end, "outcome"),  # a wider span crosses it
        ],
    )
    annotate.add_span(samples, doc.document_uid, "bo", NewSpan(c.start, c.end, "outcome"))
    plan = find_occurrences(samples, "ann", "response")
    a, b, c = plan.documents[0].occurrences[:3]
    assert (a.status("outcome"), b.status("outcome"), c.status("outcome")) == (
        TAGGED,
        OVERLAPS,
        NEW,  # another curator's span is their own reading, not a reason to skip
    )
    assert a.status("target") == OVERLAPS  # the same place under another label
    assert "outcome" in b.reason("outcome")
    counts = plan.counts("outcome")
    assert (counts.tagged, counts.overlapping) == (1, 1)
    assert counts.summary("outcome") == (
        "16 occurrences in 3 documents; 1 already tagged as outcome, 1 overlaps a span of yours"
    )
    assert plan.default_label() == "outcome"  # the phrase's own label
    chosen = plan.default_choice("outcome")
    assert a.key not in chosen[doc.document_uid] and b.key not in chosen[doc.document_uid]
    assert b.key in plan.default_choice("outcome", include_overlapping=True)[doc.document_uid]


def test_apply_writes_one_batch_per_document_and_names_what_it_skipped(
    samples: Database,
) -> None:
    plan = find_occurrences(samples, "ann", "response")
    chosen = plan.default_choice("outcome")
    first, second, third = (d.document_uid for d in plan.documents)
    del chosen[third]  # this document left out
    # tagged elsewhere between the preview and the apply: skipped, named
    late = plan.documents[1].occurrences[0]
    annotate.add_span(samples, second, "ann", NewSpan(late.start, late.end, "outcome"))
    chosen[first].append((0, 3))  # not an occurrence: refused, named
    results = apply_plan(samples, "ann", "outcome", plan, chosen)
    assert [r.document_uid for r in results] == [first, second]
    by_doc = {r.document_uid: r for r in results}
    assert [s.reason for s in by_doc[first].skipped] == ["not an occurrence of “response”"]
    assert [s.reason for s in by_doc[second].skipped] == ["already tagged as outcome"]
    texts = _texts(samples)
    for uid in (first, second):
        live = _live(samples, uid)
        assert {(s, e) for _l, s, e in live} == set(occurrences(texts[uid], "response"))
        assert all(label == "outcome" for label, _s, _e in live)
    assert _live(samples, third) == []
    n = len(by_doc[first].spans) + len(by_doc[second].spans)
    assert outcome("outcome", results) == (
        f"Tagged {n} occurrences as outcome in 2 documents; 2 skipped"
    )
    # applied again: everything is already tagged, nothing doubles
    again = find_occurrences(samples, "ann", "response")
    assert again.counts("outcome").tagged == n + 1


def test_a_failing_document_is_rolled_back_whole_and_the_others_stand(
    samples: Database,
) -> None:
    plan = find_occurrences(samples, "ann", "response")
    chosen = plan.default_choice("outcome")
    gone = plan.documents[0]
    with samples.write() as session:  # removed by another program since the preview
        session.execute(delete(Document).where(Document.uid == gone.document_uid))
    results = apply_plan(samples, "ann", "outcome", plan, chosen)
    assert "no longer in the database" in results[0].error and not results[0].spans
    assert all(r.spans for r in results[1:])
    assert "1 document failed" in outcome("outcome", results)


def test_an_unknown_label_writes_nothing(samples: Database) -> None:
    plan = find_occurrences(samples, "ann", "response")
    results = apply_plan(samples, "ann", "nope", plan, plan.default_choice("nope"))
    assert all("unknown label" in r.error for r in results)
    assert all(_live(samples, d.document_uid) == [] for d in plan.documents)


def test_a_title_only_match_counts_as_searched_with_no_occurrence(db: Database) -> None:
    texts = {"Zanubrutinib notes": "Nothing about it here.", "Other": "Zanubrutinib, zanubrutinib."}
    corpus.store_articles(
        db,
        [corpus.Article(Path(f"{t}.txt"), text_uid(x), t, x) for t, x in texts.items()],
    )
    plan = find_occurrences(db, "ann", "zanubrutinib")
    assert plan.searched == 2 and len(plan.documents) == 1
    assert plan.documents[0].document_uid == text_uid(texts["Other"])
    assert plan.counts("therapy").occurrences == 2


def test_postgres_finds_and_applies_the_same(pg_url: str, samples: Database) -> None:
    pg = open_database(pg_url)
    try:
        migrate.upgrade(pg)
        corpus.import_articles(pg, [DATA])
        lite = find_occurrences(samples, "ann", "response")
        team = find_occurrences(pg, "ann", "response")
        assert {d.document_uid: d.occurrences for d in team.documents} == {
            d.document_uid: d.occurrences for d in lite.documents
        }
        results = apply_plan(pg, "ann", "outcome", team, team.default_choice("outcome"))
        assert sum(len(r.spans) for r in results) == 16 and not any(r.error for r in results)
        assert find_occurrences(pg, "ann", "response").counts("outcome").tagged == 16
    finally:
        pg.dispose()


_extent = st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda t: (t[0], t[0] + t[1]))


@given(
    places=st.lists(_extent, max_size=20, unique=True),
    spans=st.lists(st.tuples(st.sampled_from(["therapy", "target"]), _extent), max_size=30),
)
def test_the_spans_crossing_each_occurrence_are_exactly_the_overlapping_ones(
    places: list[tuple[int, int]], spans: list[tuple[str, tuple[int, int]]]
) -> None:
    found = [Occurrence(s, e, "", "", "") for s, e in sorted(places)]
    mine = [MySpan(label, s, e, "") for label, (s, e) in spans]
    marked = _with_mine(found, list(mine))
    for o in marked:
        assert o.mine == tuple(sorted(m for m in mine if m.start < o.end and o.start < m.end))
