"""Tagging, relabelling, deleting, resizing and notes, checked in the database."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from curator.gui.main_window import MainWindow
from tests.gui.helpers import (
    click_span,
    marks_at,
    open_by_title,
    point_of,
    press,
    select_with_keys,
    stored,
    write_note,
)


def _find(window: MainWindow, phrase: str, nth: int = 0) -> tuple[int, int]:
    text = window.view.text()
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def test_selection_and_key_tag_a_span_after_an_astral_character(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    assert "𝛼" in text[:400], "the sample must put an astral character early"
    start, end = _find(window, "idecabtagene vicleucel")
    assert text.index("𝛼") < start
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_1)
    spans = stored(window)
    assert [(s.label, s.start, s.end, s.text) for s in spans] == [
        ("therapy", start, end, "idecabtagene vicleucel")
    ]
    assert marks_at(window, start + 1)[0].uid == spans[0].uid


def test_rough_selection_snaps_to_words_without_spaces_or_punctuation(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "idecabtagene vicleucel")
    select_with_keys(window, start + 3, end - 2)  # mid-word on both sides
    press(window, Qt.Key.Key_1)
    (span,) = stored(window)
    assert (span.start, span.end) == (start, end)


def test_character_precision_toggle_keeps_the_exact_selection(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    window.snap_action.trigger()
    start, end = _find(window, "idecabtagene vicleucel")
    select_with_keys(window, start + 3, end - 2)
    press(window, Qt.Key.Key_1)
    (span,) = stored(window)
    assert (span.start, span.end) == (start + 3, end - 2)


def test_undo_removes_from_the_database_and_redo_restores(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_2)
    (span,) = stored(window)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == []
    assert [s.uid for s in stored(window, include_deleted=True)] == [span.uid]
    assert marks_at(window, start) == []
    QTest.keyClick(
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    (again,) = stored(window)
    assert (again.uid, again.label, again.start) == (span.uid, "target", start)
    assert marks_at(window, start)[0].uid == span.uid


def test_click_then_another_key_relabels(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_1)
    (span,) = stored(window)
    window.view.select_range(0, 0)
    window.view.set_selected_span(None)  # a first click, not a second one that cycles
    click_span(window, span)
    assert window.view.selected_span() == span.uid
    press(window, Qt.Key.Key_2)
    (relabelled,) = stored(window)
    assert relabelled.label == "target"
    assert relabelled.revision == span.revision + 1


def test_click_then_delete_removes_the_span(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_2)
    (span,) = stored(window)
    window.view.select_range(0, 0)
    window.view.set_selected_span(None)  # a first click, not a second one that cycles
    click_span(window, span)
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored(window) == []
    assert stored(window, include_deleted=True)[0].deleted_at is not None


def test_alt_arrows_move_the_edges_by_a_word(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "idecabtagene vicleucel")
    first_word_end = start + len("idecabtagene")
    select_with_keys(window, start, first_word_end)
    press(window, Qt.Key.Key_1)
    (span,) = stored(window)
    assert span.text == "idecabtagene"
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    (grown,) = stored(window)
    assert (grown.start, grown.end, grown.text) == (start, end, "idecabtagene vicleucel")
    QTest.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    (shrunk,) = stored(window)
    assert shrunk.text == "idecabtagene"
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window)[0].text == "idecabtagene vicleucel"


def test_note_is_written_from_the_keyboard(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_2)
    write_note(window, qtbot, "antigen on plasma cells")
    qtbot.waitUntil(lambda: stored(window)[0].note == "antigen on plasma cells")


def test_hover_shows_label_curator_and_note_as_formatted_text(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_2)
    write_note(window, qtbot, "<b> is not bold & stays literal")
    qtbot.waitUntil(lambda: stored(window)[0].note == "<b> is not bold & stays literal")
    point = point_of(window, start + 1)
    viewport = window.view.viewport()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    tip = QToolTip.text()
    assert "<b>target</b> · tester" in tip  # the label in bold, not "&lt;b&gt;"
    assert "&lt;b&gt; is not bold &amp; stays literal" in tip  # the curator's words escaped
    assert "&amp;lt;" not in tip


def test_label_keys_typed_in_the_filter_box_do_not_tag(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    box = window.doc_list.filter_box
    box.setFocus()
    QTest.keyClicks(box, "12")
    assert box.text() == "12"
    assert stored(window) == []


def test_label_bar_button_tags_the_selection(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start, end = _find(window, "BCMA")
    select_with_keys(window, start, end)
    button = window.label_bar.widgetForAction(window.label_actions[1])
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [(s.label, s.text) for s in stored(window)] == [("target", "BCMA")]


def test_span_crossing_a_line_break(window: MainWindow) -> None:
    open_by_title(window, "CD7")
    text = window.view.text()
    i = text.index("off-the-shelf\ntherapy")
    select_with_keys(window, i, i + len("off-the-shelf\ntherapy"))
    press(window, Qt.Key.Key_1)
    (span,) = stored(window)
    assert span.text == "off-the-shelf\ntherapy"


def test_overlapping_and_nested_spans_are_all_shown(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    outer_start, outer_end = _find(window, "BCMA CAR-T")
    select_with_keys(window, outer_start, outer_end)
    press(window, Qt.Key.Key_1)
    select_with_keys(window, outer_start, outer_start + 4)
    press(window, Qt.Key.Key_2)
    assert sorted(s.label for s in stored(window)) == ["target", "therapy"]
    labels_at_bcma = [s.label for s in marks_at(window, outer_start + 1)]
    assert labels_at_bcma == ["target", "therapy"]  # shortest first
    assert window.span_model.rowCount() == 2
