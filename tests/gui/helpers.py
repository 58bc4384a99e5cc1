"""Drive the window the way a curator does: real key and mouse events."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEventLoop, QPoint, Qt
from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from curator.core.spans import annotate
from curator.core.storage.records import Span
from curator.gui.main_window import MainWindow


def open_by_title(window: MainWindow, fragment: str) -> None:
    """Open a document as a click in the list does, and let its first suggestions arrive."""
    for uid, title, _n, _s in window.doc_model.rows:
        if fragment in title:
            window.ws.open_document(uid)
            suggestions_settled(window)
            return
    raise AssertionError(f"no document titled like {fragment!r}")


def type_into(edit: Any, text: str, timeout_s: float = 5.0) -> None:
    """Type *text* key by key into a line edit once it has the keyboard focus.

    A key sent to a widget goes through the shortcut map of the focused one
    first: typed before the focus arrived (a busy machine activates windows
    late), a letter that is also a window shortcut would be taken by it.
    """
    deadline = time.monotonic() + timeout_s
    if not edit.hasFocus():
        edit.setFocus()
    while not edit.hasFocus():
        assert time.monotonic() < deadline, "the line edit never got the keyboard focus"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    QTest.keyClicks(edit, text)
    assert edit.text().endswith(text), f"typed {text!r}, the edit holds {edit.text()!r}"


def suggestions_settled(window: MainWindow, timeout_s: float = 20.0) -> None:
    """Process events until the first suggestions computed in the background are drawn."""
    deadline = time.monotonic() + timeout_s
    while window.suggestions.worker.busy():
        assert time.monotonic() < deadline, "the first suggestions never arrived"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def point_of(window: MainWindow, cp: int) -> QPoint:
    """The viewport pixel of a code-point position (middle of the character's line)."""
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 2, rect.center().y())


def select_with_keys(window: MainWindow, start: int, end: int) -> None:
    """Put the caret at *start*, then extend with Shift+Right presses, as a user does."""
    view = window.view
    view.setFocus()
    view.select_range(start, start)
    u16 = view.utf16()
    for _ in range(u16.to_utf16(end) - u16.to_utf16(start)):
        QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def press(
    window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    widget = window.focusWidget() or window.view
    QTest.keyClick(widget, key, modifier)


def click_span(window: MainWindow, span: Span) -> None:
    QTest.mouseClick(
        window.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=point_of(window, (span.start + span.end) // 2),
    )


def stored(window: MainWindow, *, include_deleted: bool = False) -> list[Span]:
    """What the database holds for the open document and this curator."""
    doc = window.ws.document
    assert doc is not None
    return annotate.spans_for(
        window.ws.db, doc.uid, window.ws.curator, include_deleted=include_deleted
    )


def marks_at(window: MainWindow, cp: int) -> list[Any]:
    """The annotations the view draws at *cp*, innermost first (suggestions left out)."""
    return [s for s in window.view.spans_at(cp) if not window.ws.span_style(s).dashed]


def write_note(window: MainWindow, qtbot: Any, note: str, *, save: bool = True) -> None:
    """N on the selected span, type *note* (lines split by Enter), Ctrl+Enter (or Escape)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from curator.gui.note_editor import NoteDialog

    done: list[bool] = []

    def type_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NoteDialog)
        dialog.activateWindow()  # the window manager's job when a dialog opens
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.edit.selectAll()
        for i, line in enumerate(note.split("\n")):
            if i:
                QTest.keyClick(dialog.edit, Qt.Key.Key_Return)
            QTest.keyClicks(dialog.edit, line)
        if save:
            QTest.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        else:
            QTest.keyClick(dialog.edit, Qt.Key.Key_Escape)
        done.append(True)

    window.activateWindow()  # the window manager's job when a dialog closed before
    qtbot.waitUntil(window.isActiveWindow)
    QTimer.singleShot(0, type_it)
    QTest.keyClick(window.view, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: bool(done))


def on_screen(widget: QWidget) -> QImage:
    """What the window's backing store holds for *widget* once the repaints an edit
    scheduled ran: what was repainted, not a fresh rendering (``grab`` paints anew)."""
    for _ in range(3):  # the repaints, and what they posted in turn
        QApplication.processEvents()
    window = widget.window()
    corner = widget.mapTo(window, QPoint(0, 0))
    shot = widget.screen().grabWindow(
        window.winId(), corner.x(), corner.y(), widget.width(), widget.height()
    )
    return shot.toImage()


def repainted_whole(widget: QWidget) -> QImage:
    """*widget* painted afresh, all of it, as the backing store then holds it."""
    widget.repaint()
    return on_screen(widget)
