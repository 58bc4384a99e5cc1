"""Spans and document progress (curator.core.spans.annotate, curator.core.articles.documents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from curator.core.articles import documents
from curator.core.articles.corpus import Article, store_articles
from curator.core.articles.text import text_uid
from curator.core.errors import CuratorError, NotFoundError, StaleEditError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, DocumentStatus
from curator.core.storage.records import Span

TEXT = "Rising TNF-𝛼 levels.\nTreated with ruxolitinib\nand eltrombopag; ORR 81.8%."
OTHER = "A second article about CD7-directed CAR-T cells."


def add_document(db: Database, text: str, title: str) -> str:
    uid = text_uid(text)
    store_articles(db, [Article(path=Path(f"/src/{title}.txt"), uid=uid, title=title, text=text)])
    return uid


@pytest.fixture
def doc(db: Database) -> str:
    return add_document(db, TEXT, "alpha")


@pytest.fixture
def doc2(db: Database) -> str:
    return add_document(db, OTHER, "beta")


def where(term: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(term)
    return start, start + len(term)


def new_span(term: str, label: str = "therapy", note: str = "") -> NewSpan:
    return NewSpan(*where(term), label=label, note=note)


def annotation_rows(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Annotation)) or 0


def status_of(db: Database, uid: str, curator: str) -> str | None:
    (summary,) = [d for d in documents.list_documents(db) if d.uid == uid]
    return summary.status.get(curator)


# --- adding ------------------------------------------------------------------


def test_add_span_stores_what_it_returns(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib", note="JAK1/2"))
    assert (span.start, span.end, span.text) == (*where("ruxolitinib"), "ruxolitinib")
    assert (span.label, span.curator, span.document_uid) == ("therapy", "alice", doc)
    assert (span.note, span.origin, span.revision, span.deleted_at) == ("JAK1/2", "manual", 1, None)
    assert span.created_at == span.updated_at
    assert span.created_at.tzinfo is not None
    assert annotate.get_span(db, span.uid) == span
    assert annotate.spans_for(db, doc) == [span]


def test_span_uids_are_unique_uuids(db: Database, doc: str) -> None:
    spans = annotate.add_spans(db, doc, "alice", [new_span("ruxolitinib"), new_span("eltrombopag")])
    assert len({s.uid for s in spans}) == 2
    assert all(len(s.uid) == 36 and s.uid.count("-") == 4 for s in spans)


def test_text_after_astral_character_slices_by_code_points(db: Database, doc: str) -> None:
    assert TEXT.index("𝛼") < TEXT.index("levels")
    span = annotate.add_span(db, doc, "alice", new_span("levels", "outcome"))
    assert span.text == "levels" == TEXT[span.start : span.end]
    alpha = annotate.add_span(db, doc, "alice", new_span("TNF-𝛼", "target"))
    assert alpha.text == "TNF-𝛼"
    assert alpha.end - alpha.start == 5


def test_span_crossing_a_newline(db: Database, doc: str) -> None:
    start, end = where("ruxolitinib\nand")
    span = annotate.add_span(db, doc, "alice", NewSpan(start, end, "therapy"))
    assert span.text == "ruxolitinib\nand" == TEXT[start:end]
    assert annotate.get_span(db, span.uid).text == "ruxolitinib\nand"


def test_whole_text_is_a_valid_span(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", NewSpan(0, len(TEXT), "outcome"))
    assert span.text == TEXT


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 3), (5, 5), (6, 5), (0, len(TEXT) + 1), (len(TEXT), len(TEXT) + 1)],
    ids=["negative", "empty", "reversed", "past-end", "at-end"],
)
def test_out_of_range_or_empty_span_is_refused(
    db: Database, doc: str, start: int, end: int
) -> None:
    with pytest.raises(CuratorError, match="outside the text"):
        annotate.add_span(db, doc, "alice", NewSpan(start, end, "therapy"))
    assert annotation_rows(db) == 0
    assert status_of(db, doc, "alice") is None  # the whole unit of work rolled back


@pytest.mark.parametrize("term", ["Rising", "TNF-𝛼", "𝛼", "levels.\nTreated", "81.8%."])
def test_one_span_quotes_exactly_what_the_text_holds(db: Database, doc: str, term: str) -> None:
    """One span reads only its quote from the database (not the whole text): the
    quote counts characters as Python does, past a character outside the BMP,
    across a line break and up to the text's last character."""
    start, end = where(term)
    span = annotate.add_span(db, doc, "alice", NewSpan(start, end, "therapy"))
    assert span.text == TEXT[start:end] == term
    assert annotate.get_span(db, span.uid) == span
    assert status_of(db, doc, "alice") == "in_progress"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (0, len(TEXT) + 1), (len(TEXT) - 1, 999)])
def test_one_span_and_several_are_refused_with_the_same_message(
    db: Database, doc: str, start: int, end: int
) -> None:
    messages = []
    for items in ([NewSpan(start, end, "therapy")], [NewSpan(start, end, "therapy")] * 2):
        with pytest.raises(CuratorError) as refused:
            annotate.add_spans(db, doc, "alice", items)
        messages.append(str(refused.value))
    assert (
        messages[0]
        == messages[1]
        == (f"span {start}-{end} is outside the text (0-{len(TEXT)}) or empty")
    )
    assert annotation_rows(db) == 0


@pytest.mark.parametrize("term", ["Rising", "TNF-𝛼", "levels.\nTreated", "81.8%."])
def test_a_caller_holding_the_text_stores_the_same_quote(db: Database, doc: str, term: str) -> None:
    """The open article's text given (the label key): the quote is cut from it, and
    the row stored is what reading the quote from the database stores."""
    start, end = where(term)
    held = annotate.add_spans(db, doc, "alice", [NewSpan(start, end, "therapy")], text=TEXT)
    read = annotate.add_spans(db, doc, "bob", [NewSpan(start, end, "therapy")])
    assert held[0].text == read[0].text == term
    assert annotate.get_span(db, held[0].uid) == held[0]
    assert status_of(db, doc, "alice") == "in_progress"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (0, len(TEXT) + 1)])
def test_a_caller_holding_the_text_is_refused_as_any_other(
    db: Database, doc: str, start: int, end: int
) -> None:
    with pytest.raises(CuratorError) as refused:
        annotate.add_spans(db, doc, "alice", [NewSpan(start, end, "therapy")], text=TEXT)
    assert str(refused.value) == f"span {start}-{end} is outside the text (0-{len(TEXT)}) or empty"
    assert annotation_rows(db) == 0
    assert status_of(db, doc, "alice") is None
    with pytest.raises(NotFoundError):
        annotate.add_spans(db, "0" * 64, "alice", [new_span("ruxolitinib")], text=TEXT)


def test_a_curator_new_to_the_database_adds_a_span_and_starts_the_document(
    db: Database, doc: str
) -> None:
    annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    span = annotate.add_span(db, doc, "zoe", new_span("eltrombopag"))
    assert span.curator == "zoe"
    assert [s.text for s in annotate.spans_for(db, doc, "zoe")] == ["eltrombopag"]
    assert status_of(db, doc, "zoe") == "in_progress"


def test_add_spans_is_all_or_nothing(db: Database, doc: str) -> None:
    with pytest.raises(CuratorError):
        annotate.add_spans(
            db, doc, "alice", [new_span("ruxolitinib"), NewSpan(0, len(TEXT) + 5, "therapy")]
        )
    assert annotation_rows(db) == 0


def test_unknown_label_document_and_origin_are_refused(db: Database, doc: str) -> None:
    with pytest.raises(NotFoundError, match=r"unknown label 'drug'.*therapy, target"):
        annotate.add_span(db, doc, "alice", new_span("ruxolitinib", "drug"))
    with pytest.raises(NotFoundError, match="no document"):
        annotate.add_span(db, "0" * 64, "alice", new_span("ruxolitinib"))
    with pytest.raises(CuratorError, match="unknown origin"):
        annotate.add_span(db, doc, "alice", new_span("ruxolitinib"), origin="guessed")
    assert annotation_rows(db) == 0


def test_origin_is_kept(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"), origin="suggested")
    assert annotate.get_span(db, span.uid).origin == "suggested"


# --- editing -----------------------------------------------------------------------

Edit = Callable[[Database, Span], Span]

EDITS: dict[str, Edit] = {
    "delete": lambda db, s: annotate.delete_span(db, s.uid, s.revision),
    "restore": lambda db, s: annotate.restore_span(db, s.uid, s.revision),
    "relabel": lambda db, s: annotate.relabel_span(db, s.uid, "target", s.revision),
    "resize": lambda db, s: annotate.resize_span(db, s.uid, s.start, s.end - 2, s.revision),
    "note": lambda db, s: annotate.set_note(db, s.uid, "checked", s.revision),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_every_edit_bumps_revision_and_updated_at(db: Database, doc: str, name: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    edited = EDITS[name](db, span)
    assert edited.uid == span.uid
    assert edited.revision == span.revision + 1
    assert edited.updated_at > span.updated_at
    assert edited.created_at == span.created_at
    assert annotate.get_span(db, span.uid) == edited


@pytest.mark.parametrize("name", list(EDITS))
def test_stale_edit_is_refused_and_changes_nothing(db: Database, doc: str, name: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    current = annotate.set_note(db, span.uid, "edited in another window", span.revision)
    with pytest.raises(StaleEditError, match=r"revision 2, this edit was based on 1"):
        EDITS[name](db, span)  # still based on revision 1
    assert annotate.get_span(db, span.uid) == current


def test_edit_of_unknown_span_is_refused(db: Database, doc: str) -> None:
    with pytest.raises(NotFoundError, match="no span"):
        annotate.set_note(db, "00000000-0000-0000-0000-000000000000", "x")
    with pytest.raises(NotFoundError, match="no span"):
        annotate.get_span(db, "nope")


def test_edit_without_expected_revision_always_applies(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    annotate.set_note(db, span.uid, "one")
    edited = annotate.set_note(db, span.uid, "two")
    assert (edited.note, edited.revision) == ("two", 3)


def test_delete_is_a_tombstone(db: Database, doc: str) -> None:
    keep = annotate.add_span(db, doc, "alice", new_span("eltrombopag"))
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    deleted = annotate.delete_span(db, span.uid, span.revision)
    assert deleted.deleted
    assert isinstance(deleted.deleted_at, dt.datetime)
    assert span.updated_at < deleted.deleted_at <= deleted.updated_at
    assert annotation_rows(db) == 2  # the row is still there
    assert annotate.spans_for(db, doc) == [keep]
    assert annotate.spans_for(db, doc, include_deleted=True) == [deleted, keep]  # text order
    assert annotate.get_span(db, span.uid) == deleted


def test_delete_twice_is_refused(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    deleted = annotate.delete_span(db, span.uid)
    with pytest.raises(CuratorError, match="already deleted"):
        annotate.delete_span(db, span.uid)
    assert annotate.get_span(db, span.uid) == deleted


def test_restore_brings_a_deleted_span_back(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    deleted = annotate.delete_span(db, span.uid, 1)
    restored = annotate.restore_span(db, span.uid, deleted.revision)
    assert restored.deleted_at is None
    assert restored.revision == 3
    assert annotate.spans_for(db, doc) == [restored]


def test_relabel(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    assert annotate.relabel_span(db, span.uid, "outcome").label == "outcome"
    with pytest.raises(NotFoundError, match="unknown label"):
        annotate.relabel_span(db, span.uid, "nonsense")
    assert annotate.get_span(db, span.uid).label == "outcome"
    assert annotate.get_span(db, span.uid).revision == 2


def test_resize_keeps_quote_equal_to_text_slice(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("levels", "outcome"))
    start, end = where("TNF-𝛼 levels")
    resized = annotate.resize_span(db, span.uid, start, end, span.revision)
    assert resized.text == TEXT[start:end] == "TNF-𝛼 levels"
    start, end = where("𝛼")
    resized = annotate.resize_span(db, span.uid, start, end, resized.revision)
    assert resized.text == "𝛼"
    assert (resized.start, resized.end) == (start, start + 1)


@pytest.mark.parametrize(("start", "end"), [(-1, 4), (4, 4), (9, 3), (0, len(TEXT) + 1)])
def test_resize_out_of_range_is_refused(db: Database, doc: str, start: int, end: int) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    with pytest.raises(CuratorError, match="outside the text"):
        annotate.resize_span(db, span.uid, start, end, span.revision)
    assert annotate.get_span(db, span.uid) == span


def test_set_note(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    noted = annotate.set_note(db, span.uid, "JAK inhibitor — 𝛼 note", span.revision)
    assert annotate.get_span(db, span.uid).note == "JAK inhibitor — 𝛼 note" == noted.note


def test_spans_for_filters_by_curator_and_orders_by_position(db: Database, doc: str) -> None:
    late = annotate.add_span(db, doc, "alice", new_span("eltrombopag"))
    early = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    bobs = annotate.add_span(db, doc, "bob", new_span("levels", "outcome"))
    assert annotate.spans_for(db, doc) == [bobs, early, late]
    assert annotate.spans_for(db, doc, "alice") == [early, late]
    assert annotate.spans_for(db, doc, "bob") == [bobs]
    assert annotate.spans_for(db, doc, "carol") == []


# --- status, last opened, lists and counts -------------------------------------------


def test_first_edit_moves_new_document_to_in_progress(db: Database, doc: str) -> None:
    assert status_of(db, doc, "alice") is None
    annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    assert status_of(db, doc, "alice") == "in_progress"
    assert status_of(db, doc, "bob") is None


def test_edit_moves_a_new_status_row_to_in_progress(db: Database, doc: str) -> None:
    documents.set_status(db, doc, "alice", "new")
    assert status_of(db, doc, "alice") == "new"
    annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    assert status_of(db, doc, "alice") == "in_progress"


def test_done_stays_done_after_an_edit(db: Database, doc: str) -> None:
    span = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    documents.set_status(db, doc, "alice", "done")
    annotate.set_note(db, span.uid, "late note")
    annotate.delete_span(db, span.uid)
    assert status_of(db, doc, "alice") == "done"


def test_set_status(db: Database, doc: str) -> None:
    documents.set_status(db, doc, "alice", "done")
    assert status_of(db, doc, "alice") == "done"
    documents.set_status(db, doc, "alice", "in_progress")
    assert status_of(db, doc, "alice") == "in_progress"
    with pytest.raises(CuratorError, match="unknown status"):
        documents.set_status(db, doc, "alice", "finished")
    with pytest.raises(NotFoundError):
        documents.set_status(db, "f" * 64, "alice", "done")
    assert status_of(db, doc, "alice") == "in_progress"


def test_set_status_updates_timestamp(db: Database, doc: str) -> None:
    documents.set_status(db, doc, "alice", "in_progress")
    with db.read() as session:
        first = session.scalar(select(DocumentStatus.updated_at))
    documents.set_status(db, doc, "alice", "done")
    with db.read() as session:
        second = session.scalar(select(DocumentStatus.updated_at))
    assert first is not None and second is not None and second > first


def test_mark_opened_and_last_opened(db: Database, doc: str, doc2: str) -> None:
    assert documents.last_opened(db, "alice") is None
    documents.mark_opened(db, doc, "alice")
    assert documents.last_opened(db, "alice") == doc
    documents.mark_opened(db, doc2, "alice")
    assert documents.last_opened(db, "alice") == doc2
    documents.mark_opened(db, doc, "alice")
    assert documents.last_opened(db, "alice") == doc
    assert documents.last_opened(db, "bob") is None
    documents.mark_opened(db, doc2, "bob")
    assert documents.last_opened(db, "bob") == doc2
    assert documents.last_opened(db, "alice") == doc
    # Opening is not an edit: the status stays new.
    assert status_of(db, doc, "alice") == "new"


def test_list_documents_counts_and_status_per_curator(db: Database, doc: str, doc2: str) -> None:
    a1 = annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    annotate.add_span(db, doc, "alice", new_span("eltrombopag"))
    annotate.add_span(db, doc, "bob", new_span("levels", "outcome"))
    annotate.delete_span(db, a1.uid)  # tombstones are not counted
    documents.set_status(db, doc2, "carol", "done")
    rows = documents.list_documents(db)
    assert [r.title for r in rows] == ["alpha", "beta"]  # ordered by title
    alpha, beta = rows
    assert (alpha.uid, alpha.length) == (doc, len(TEXT))
    assert alpha.spans == {"alice": 1, "bob": 1}
    assert alpha.status == {"alice": "in_progress", "bob": "in_progress"}
    assert (beta.uid, beta.length, beta.spans, beta.status) == (
        doc2,
        len(OTHER),
        {},
        {"carol": "done"},
    )


def test_list_documents_of_empty_database(db: Database) -> None:
    assert documents.list_documents(db) == []


def test_span_counts(db: Database, doc: str, doc2: str) -> None:
    annotate.add_span(db, doc, "alice", new_span("ruxolitinib"))
    gone = annotate.add_span(db, doc, "alice", new_span("eltrombopag"))
    annotate.delete_span(db, gone.uid)
    start, end = where("CAR-T", OTHER)
    annotate.add_spans(db, doc2, "alice", [NewSpan(start, end, "therapy"), NewSpan(0, 1, "expert")])
    annotate.add_span(db, doc2, "bob", NewSpan(start, end, "therapy"))
    assert annotate.span_counts(db, "alice") == {doc: 1, doc2: 2}
    assert annotate.span_counts(db, "bob") == {doc2: 1}
    assert annotate.span_counts(db, "alice", [doc2]) == {doc2: 2}
    assert annotate.span_counts(db, "alice", []) == {}
    assert annotate.span_counts(db, "nobody") == {}


def test_get_document_and_prefix_resolution(db: Database, doc: str, doc2: str) -> None:
    info = documents.get_document(db, doc)
    assert (info.uid, info.title, info.text) == (doc, "alpha", TEXT)
    assert info.meta == {"file_name": "alpha.txt"}
    assert documents.resolve_document_uid(db, doc[:12]) == doc
    assert documents.resolve_document_uid(db, doc) == doc
    with pytest.raises(NotFoundError):
        documents.resolve_document_uid(db, "zzzz")
    with pytest.raises(NotFoundError):
        documents.get_document(db, "0" * 64)
