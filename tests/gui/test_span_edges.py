"""Span edges: brackets kept paired when snapping and stepping, edges dragged with the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from curator.gui.main_window import MainWindow
from tests.gui.helpers import click_span, open_by_title, press, select_with_keys, stored


def _edge_point(window: MainWindow, cp: int) -> QPoint:
    """The viewport pixel on the caret line at code point *cp*: where an edge is grabbed."""
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.center().x(), rect.center().y())


def _tag(window: MainWindow, phrase: str, key: Qt.Key = Qt.Key.Key_1) -> tuple[int, int]:
    start = window.view.text().index(phrase)
    select_with_keys(window, start, start + len(phrase))
    press(window, key)
    return start, start + len(phrase)


def test_a_selection_ending_inside_brackets_takes_the_closing_one(window: MainWindow) -> None:
    open_by_title(window, "Adding Eltrombopag")
    _tag(window, "Severe aplastic anemia (SAA")
    assert [s.text for s in stored(window)] == ["Severe aplastic anemia (SAA)"]


def test_alt_right_steps_over_an_abbreviation_with_its_bracket(window: MainWindow) -> None:
    open_by_title(window, "Adding Eltrombopag")
    _tag(window, "Severe aplastic anemia")
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in stored(window)] == ["Severe aplastic anemia (SAA)"]
    QTest.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in stored(window)] == ["Severe aplastic anemia"]


def test_dragging_the_end_edge_resizes_in_one_undoable_edit(window: MainWindow) -> None:
    open_by_title(window, "Adding Eltrombopag")
    start, end = _tag(window, "aplastic anemia")
    (span,) = stored(window)
    click_span(window, span)
    assert window.view.selected_span() == span.uid
    viewport = window.view.viewport()
    target = window.view.text().index("(SAA)") + 3  # inside "SAA": snaps to the word, ")" too
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_edge_point(window, end))
    QTest.mouseMove(viewport, _edge_point(window, target))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=_edge_point(window, target))
    (resized,) = stored(window)
    assert (resized.uid, resized.text) == (span.uid, "aplastic anemia (SAA)")
    assert window.view.selected_span() == span.uid
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [(s.start, s.end) for s in stored(window)] == [(start, end)]


def test_dragging_the_start_edge_over_a_word(window: MainWindow) -> None:
    open_by_title(window, "Adding Eltrombopag")
    start, _end = _tag(window, "aplastic anemia")
    (span,) = stored(window)
    click_span(window, span)
    viewport = window.view.viewport()
    target = window.view.text().index("Severe aplastic") + 2
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_edge_point(window, start))
    QTest.mouseMove(viewport, _edge_point(window, target))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=_edge_point(window, target))
    assert [s.text for s in stored(window)] == ["Severe aplastic anemia"]
    assert window.ws.undo_stack.count() == 2  # the tag, then one resize
