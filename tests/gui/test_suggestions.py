"""Suggestions in the workspace, driven with real keys and checked in the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.suggest import stored as suggestions
from curator.gui.main_window import MainWindow
from tests.gui.helpers import (
    click_span,
    marks_at,
    open_by_title,
    press,
    select_with_keys,
    stored,
    type_into,
)


def pending(window: MainWindow) -> list[tuple[str, str]]:
    doc = window.ws.document
    assert doc is not None
    return [
        (s.label, s.text)
        for s in suggestions.pending_suggestions(window.ws.db, doc.uid, window.ws.curator)
    ]


def dashed_marks(window: MainWindow) -> set[tuple[int, int, str]]:
    """What the view draws dashed, found through its public hit test at every character."""
    view = window.view
    return {
        (s.start, s.end, s.label)
        for cp in range(len(view.text()))
        for s in view.spans_at(cp)
        if window.ws.span_style(s).dashed
    }


def pending_marks(window: MainWindow) -> set[tuple[int, int, str]]:
    doc = window.ws.document
    assert doc is not None
    items = suggestions.pending_suggestions(window.ws.db, doc.uid, window.ws.curator)
    return {(s.start, s.end, s.label) for s in items}


def key(
    window: MainWindow, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    window.view.setFocus()
    QTest.keyClick(window.view, k, mod)


def test_opening_a_fresh_document_shows_dashed_suggestions_not_spans(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    found = pending(window)
    assert {label for label, _ in found} == {"therapy", "target", "outcome", "expert"}
    assert ("therapy", "idecabtagene vicleucel") in found
    assert ("expert", "Nikhil Munshi") in found
    assert dashed_marks(window) == pending_marks(window)
    assert len(pending_marks(window)) == len(found)
    assert stored(window) == []
    assert window.status.counts.text() == "0 spans"
    assert window.suggestions.count_label.text() == f"{len(found)} suggestions pending"


def test_tab_then_enter_accepts_and_x_rejects(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    before = pending(window)
    key(window, Qt.Key.Key_Tab)
    first = window.suggestions.selected()
    assert first is not None and (first.label, first.text) == before[0]
    key(window, Qt.Key.Key_Return)
    (span,) = stored(window)
    assert (span.label, span.text, span.origin) == (first.label, first.text, "suggested")
    assert pending(window) == before[1:]
    assert (span.start, span.end, span.label) not in dashed_marks(window)
    assert [s.uid for s in marks_at(window, span.start)] == [span.uid]
    # The next suggestion is selected at once: X rejects it.
    second = window.suggestions.selected()
    assert second is not None and (second.label, second.text) == before[1]
    key(window, Qt.Key.Key_X)
    assert pending(window) == before[2:]
    assert len(stored(window)) == 1
    assert suggestions.get_suggestion(window.ws.db, second.id).state == "rejected"
    assert window.status.counts.text().startswith("1 span (")


def test_shift_tab_goes_back_and_a_accepts(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    before = pending(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    selected = window.suggestions.selected()
    assert selected is not None and (selected.label, selected.text) == before[0]
    key(window, Qt.Key.Key_A)
    assert [(s.label, s.text) for s in stored(window)] == [before[0]]


def test_label_key_on_a_selected_suggestion_accepts_it_as_that_label(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    key(window, Qt.Key.Key_Tab)
    first = window.suggestions.selected()
    assert first is not None and first.label == "target"
    key(window, Qt.Key.Key_1)
    (span,) = stored(window)
    assert (span.label, span.text, span.origin) == ("therapy", first.text, "suggested")
    assert suggestions.get_suggestion(window.ws.db, first.id).state == "accepted"


def test_accept_all_of_a_label_then_undo_and_redo(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    therapies = [t for label, t in pending(window) if label == "therapy"]
    action = next(
        a for a in window.suggestions.accept_label_actions if a.text().endswith("therapy")
    )
    action.trigger()
    assert sorted(s.text for s in stored(window)) == sorted(therapies)
    assert all(s.origin == "suggested" for s in stored(window))
    assert not any(label == "therapy" for label, _ in pending(window))
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == []
    assert sorted(t for label, t in pending(window) if label == "therapy") == sorted(therapies)
    QTest.keyClick(
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert sorted(s.text for s in stored(window)) == sorted(therapies)


def test_undo_of_an_accept_makes_it_pending_again(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    before = pending(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_Return)
    (span,) = stored(window)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == []
    assert pending(window) == before
    assert [s.uid for s in stored(window, include_deleted=True)] == [span.uid]
    assert dashed_marks(window) == pending_marks(window)
    assert (span.start, span.end, span.label) in dashed_marks(window)


def test_undo_of_a_reject_brings_it_back(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    before = pending(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_X)
    assert pending(window) == before[1:]
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pending(window) == before


def test_enter_in_the_find_bar_still_finds(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_into(window.find_bar.edit, "myeloma")
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    start, end = window.view.selection_range()
    assert window.view.text()[start:end].lower() == "myeloma"
    assert stored(window) == []


def test_rejected_suggestion_is_not_back_after_suggest_again(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    before = pending(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_X)
    window.suggestions.again_action.trigger()
    assert pending(window) == before[1:]


def test_tagging_a_suggestions_extent_by_hand_hides_it_until_deleted(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    phrase = "idecabtagene vicleucel"
    start = text.index(phrase)
    extent = (start, start + len(phrase))
    assert any(m[:2] == extent for m in dashed_marks(window))
    select_with_keys(window, *extent)
    press(window, Qt.Key.Key_2)  # tagged by hand, as target: the suggestion is moot
    assert not any(m[:2] == extent for m in pending_marks(window))
    assert dashed_marks(window) == pending_marks(window)
    other = text.index("BCMA")
    select_with_keys(window, other, other + 4)
    press(window, Qt.Key.Key_2)  # an unrelated span: marks stay as they are
    assert dashed_marks(window) == pending_marks(window)
    span = next(s for s in stored(window) if (s.start, s.end) == extent)
    click_span(window, span)
    press(window, Qt.Key.Key_Delete)  # the suggestion is back
    assert any(m[:2] == extent for m in pending_marks(window))
    assert dashed_marks(window) == pending_marks(window)


def test_uncertain_first_tab_visits_outcomes_before_names_and_enter_accepts(
    window: MainWindow,
) -> None:
    open_by_title(window, "BCMA")
    window.view.select_range(0, 0)
    reading = pending(window)
    key(window, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert window.suggestions.order_action.isChecked()
    key(window, Qt.Key.Key_Tab)
    # Outcome patterns have the lowest prior (0.55): the first outcome in the text comes first,
    # although a target, a therapy and an expert come before it in reading order.
    outcomes = [t for label, t in reading if label == "outcome"]
    chosen = window.suggestions.selected()
    assert chosen is not None and (chosen.label, chosen.text) == ("outcome", outcomes[0])
    assert reading.index(("outcome", outcomes[0])) > 0
    key(window, Qt.Key.Key_Return)
    (span,) = stored(window)
    assert (span.label, span.text, span.origin) == ("outcome", outcomes[0], "suggested")
    assert suggestions.get_suggestion(window.ws.db, chosen.id).state == "accepted"
    # The next selected is the next least confident: the second outcome, accepted with A.
    second = window.suggestions.selected()
    assert second is not None and (second.label, second.text) == ("outcome", outcomes[1])
    key(window, Qt.Key.Key_A)
    assert [(s.label, s.text) for s in stored(window)] == [
        ("outcome", outcomes[0]),
        ("outcome", outcomes[1]),
    ]
    assert suggestions.get_suggestion(window.ws.db, second.id).state == "accepted"


def test_uncertain_first_is_kept_in_the_settings(make_window) -> None:  # type: ignore[no-untyped-def]
    first = make_window()
    assert not first.suggestions.order_action.isChecked()
    first.view.setFocus()
    QTest.keyClick(first.view, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert first.suggestions.order_action.isChecked()
    first.close()
    second = make_window()
    assert second.suggestions.order_action.isChecked()
    second.view.setFocus()
    QTest.keyClick(second.view, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    second.close()
    assert not make_window().suggestions.order_action.isChecked()
