"""Stored suggestions: computing, accepting, rejecting, and what never comes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from curator.core.articles.corpus import Article, store_articles
from curator.core.articles.text import text_uid
from curator.core.errors import CuratorError, StaleEditError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Suggestion
from curator.core.suggest import stored as suggestions

TEXT = (
    "Prof. Anna Kowalczyk: teclistamab targets BCMA; the overall response rate was 63%. "
    "Teclistamab again."
)
OTHER = "Xiaofan Zhu treated patients with teclistamab and targeted the NETs."


def add_docs(db: Database, *texts: str) -> list[str]:
    articles = [
        Article(path=Path(f"/src/{i}.txt"), uid=text_uid(t), title=f"doc {i}", text=t)
        for i, t in enumerate(texts)
    ]
    store_articles(db, articles)
    return [a.uid for a in articles]


def pending(db: Database, uid: str, curator: str = "ann") -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in suggestions.pending_suggestions(db, uid, curator)]


def table_counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Suggestion)) or 0,
            session.scalar(select(func.count()).select_from(Annotation)) or 0,
        )


def test_compute_stores_pending_suggestions_that_are_not_annotations(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    added = suggestions.compute(db, uid, "ann")
    assert added == {"expert": 1, "therapy": 2, "target": 1, "outcome": 1}
    assert pending(db, uid) == [
        ("expert", "Anna Kowalczyk"),
        ("therapy", "teclistamab"),
        ("target", "BCMA"),
        ("outcome", "overall response rate was 63%"),
        ("therapy", "Teclistamab"),
    ]
    assert annotate.spans_for(db, uid, "ann") == []
    assert annotate.span_counts(db, "ann") == {}
    # Computing again adds nothing; another curator gets their own.
    assert suggestions.compute(db, uid, "ann") == {}
    assert len(pending(db, uid, "bob")) == 0
    suggestions.compute(db, uid, "bob")
    assert len(pending(db, uid, "bob")) == 5


def test_accept_creates_a_suggested_span_and_marks_the_suggestion(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    suggestions.compute(db, uid, "ann")
    first = suggestions.pending_suggestions(db, uid, "ann", "therapy")[0]
    span = suggestions.accept(db, first.id)
    assert (span.label, span.text, span.origin, span.curator) == (
        "therapy",
        "teclistamab",
        "suggested",
        "ann",
    )
    assert annotate.spans_for(db, uid, "ann") == [span]
    stored = suggestions.get_suggestion(db, first.id)
    assert (stored.state, stored.annotation_uid) == ("accepted", span.uid)
    assert ("therapy", "teclistamab") not in pending(db, uid)
    with pytest.raises(CuratorError, match="already accepted"):
        suggestions.accept(db, first.id)


def test_accept_under_another_label(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    suggestions.compute(db, uid, "ann")
    bcma = suggestions.pending_suggestions(db, uid, "ann", "target")[0]
    span = suggestions.accept(db, bcma.id, "therapy")
    assert (span.label, span.text) == ("therapy", "BCMA")


def test_accept_is_one_transaction(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    suggestions.compute(db, uid, "ann")
    items = suggestions.pending_suggestions(db, uid, "ann")
    before = table_counts(db)
    with pytest.raises(CuratorError, match="unknown label"):
        suggestions.accept(db, items[0].id, "no-such-label")
    with pytest.raises(CuratorError, match="no suggestion"):
        suggestions.accept_many(db, [items[0].id, 999_999])
    assert table_counts(db) == before
    assert len(pending(db, uid)) == len(items)
    assert annotate.spans_for(db, uid, "ann", include_deleted=True) == []


def test_rejected_is_never_suggested_again_in_that_document(db: Database) -> None:
    uid, _other = add_docs(db, TEXT, OTHER)
    suggestions.compute(db, uid, "ann")
    bcma = suggestions.pending_suggestions(db, uid, "ann", "target")[0]
    assert suggestions.reject(db, bcma.id).state == "rejected"
    assert ("target", "BCMA") not in pending(db, uid)
    assert suggestions.compute(db, uid, "ann") == {}
    assert ("target", "BCMA") not in pending(db, uid)
    # Undo of the rejection brings it back; the other curator was never affected.
    suggestions.compute(db, uid, "bob")
    assert ("target", "BCMA") in pending(db, uid, "bob")
    suggestions.unreject(db, bcma.id)
    assert ("target", "BCMA") in pending(db, uid)


def test_existing_annotation_is_never_suggested_again(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    start = TEXT.index("BCMA")
    annotate.add_span(db, uid, "ann", NewSpan(start, start + 4, "target"))
    suggestions.compute(db, uid, "ann")
    assert ("target", "BCMA") not in pending(db, uid)
    with db.read() as session:
        rows = session.scalars(select(Suggestion.text)).all()
    assert "BCMA" not in rows


def test_manual_span_over_the_same_extent_hides_a_pending_suggestion(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    suggestions.compute(db, uid, "ann")
    start = TEXT.index("BCMA")
    span = annotate.add_span(db, uid, "ann", NewSpan(start, start + 4, "therapy"))
    assert ("target", "BCMA") not in pending(db, uid)
    annotate.delete_span(db, span.uid)
    assert ("target", "BCMA") in pending(db, uid)


def test_unaccept_then_accept_brings_the_same_span_back(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    suggestions.compute(db, uid, "ann")
    item = suggestions.pending_suggestions(db, uid, "ann", "expert")[0]
    span = suggestions.accept(db, item.id)
    (gone,) = suggestions.unaccept(db, [item.id], {span.uid: span.revision})
    assert gone.deleted and gone.uid == span.uid
    assert ("expert", "Anna Kowalczyk") in pending(db, uid)
    again = suggestions.accept(db, item.id)
    assert again.uid == span.uid and not again.deleted
    with pytest.raises(StaleEditError):
        suggestions.unaccept(db, [item.id], {span.uid: span.revision})
    assert suggestions.get_suggestion(db, item.id).state == "accepted"


def test_accept_label_takes_all_pending_of_that_label(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    suggestions.compute(db, uid, "ann")
    spans = suggestions.accept_label(db, uid, "ann", "therapy")
    assert [s.text for s in spans] == ["teclistamab", "Teclistamab"]
    assert all(s.origin == "suggested" for s in spans)
    assert [label for label, _ in pending(db, uid)] == ["expert", "target", "outcome"]


def test_learned_strings_come_from_the_team_in_other_documents(db: Database) -> None:
    _uid, other = add_docs(db, TEXT, OTHER)
    zhu = OTHER.index("Xiaofan Zhu")
    nets = OTHER.index("NETs")
    annotate.add_span(db, other, "bob", NewSpan(zhu, zhu + 11, "expert"))
    annotate.add_span(db, other, "cy", NewSpan(nets, nets + 4, "target"))
    third = "NETs were studied by Xiaofan Zhu."
    (uid3,) = add_docs(db, third)
    suggestions.compute(db, uid3, "ann")
    learned = [
        (s.label, s.text, s.source) for s in suggestions.pending_suggestions(db, uid3, "ann")
    ]
    assert learned == [("target", "NETs", "learned"), ("expert", "Xiaofan Zhu", "learned")]


def test_compute_on_first_open_only_once(db: Database) -> None:
    (uid,) = add_docs(db, TEXT)
    assert suggestions.compute_on_first_open(db, uid, "ann") is True
    for item in suggestions.pending_suggestions(db, uid, "ann"):
        suggestions.reject(db, item.id)
    assert suggestions.compute_on_first_open(db, uid, "ann") is False
    assert pending(db, uid) == []
