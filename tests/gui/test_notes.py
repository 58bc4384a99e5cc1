"""Notes: written in a dialog with room for lines, and marked on the span in the article."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, point_of, press, select_with_keys, stored, write_note


def _tag_bcma(window: MainWindow) -> tuple[int, int]:
    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)  # tagged and selected
    return start, start + 4


def _corner_color(window: MainWindow, end: int) -> QColor:
    """The colour at the top right corner of the span's last character, as painted."""
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(end))
    rect = view.cursorRect(cursor)
    image = view.viewport().grab().toImage()
    return image.pixelColor(QPoint(rect.x() - 2, rect.top() + 1))


def test_a_note_of_two_lines_is_saved_with_ctrl_enter(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _tag_bcma(window)
    write_note(window, qtbot, "antigen on plasma cells\nask whether the gene counts")
    assert stored(window)[0].note == "antigen on plasma cells\nask whether the gene counts"
    assert window.focusWidget() is window.view  # back to the article


def test_escape_cancels_the_note(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _tag_bcma(window)
    write_note(window, qtbot, "first")
    write_note(window, qtbot, "second thoughts", save=False)
    assert stored(window)[0].note == "first"


def test_a_span_with_a_note_is_marked_and_its_tooltip_shows_the_note(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    start, end = _tag_bcma(window)
    label = QColor(window.ws.label_by_name["target"].color)
    assert _corner_color(window, end) != label  # no note: no mark
    write_note(window, qtbot, "<i>plain</i> & kept")
    qtbot.waitUntil(lambda: _corner_color(window, end) == label)
    point = point_of(window, start + 1)
    viewport = window.view.viewport()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    assert "&lt;i&gt;plain&lt;/i&gt; &amp; kept" in QToolTip.text()
