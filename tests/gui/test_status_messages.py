"""The status bar never cuts a message off: shown whole, or elided with all of it at hand."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont

from curator.gui.main_window import MainWindow
from curator.gui.status_message import MessageBar
from tests.gui.helpers import (
    on_screen,
    open_by_title,
    press,
    repainted_whole,
    select_with_keys,
    stored,
)


class _LayoutRequests(QObject):
    """Counts the layout requests a widget receives."""

    def __init__(self, watched: QObject) -> None:
        super().__init__(watched)
        self.count = 0
        watched.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.LayoutRequest
        return False


def _small(window: MainWindow, qtbot) -> MessageBar:  # type: ignore[no-untyped-def]
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    bar = window.statusBar()
    assert isinstance(bar, MessageBar)
    return bar


def test_marking_done_says_done_at_1024(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = _small(window, qtbot)
    open_by_title(window, "Adding Eltrombopag")
    window.view.setFocus()
    press(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    shown = bar.message.text()
    assert shown.startswith("✓ marked “Adding Eltrombopag")
    assert shown.endswith("” done")
    assert not bar.message.is_elided()
    assert bar.message.width() >= bar.message.fontMetrics().horizontalAdvance(shown)


def test_a_suggestion_hint_keeps_its_keys_at_1024(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = _small(window, qtbot)
    open_by_title(window, "Adding Eltrombopag")
    window.view.setFocus()
    press(window, Qt.Key.Key_Tab)
    full = bar.currentMessage()
    assert full.startswith("Enter/A accept, X reject, 1–4 relabel, Tab next: ")
    shown = bar.message.text()
    assert shown.startswith("Enter/A accept, X reject, 1–4 relabel, Tab next")
    assert bar.message.width() >= bar.message.fontMetrics().horizontalAdvance(shown)


def test_a_long_message_is_elided_with_the_whole_text_in_its_tooltip(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    bar = _small(window, qtbot)
    long = "Imported " + ", ".join(f"file{i}.txt" for i in range(60)) + ": done"
    bar.showMessage(long, 5000)
    assert bar.currentMessage() == long
    assert bar.message.is_elided()
    assert bar.message.text().endswith(": done") and "…" in bar.message.text()
    assert bar.message.toolTip() == long
    bar.showMessage("short")
    assert bar.message.toolTip() == ""


def test_on_a_narrow_window_the_per_label_counts_move_to_the_tooltip(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    from tests.gui.helpers import select_with_keys

    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    window.resize(1600, 1000)
    full = "1 span (1 target) · 1 unlinked"
    qtbot.waitUntil(lambda: window.status.counts.text() == full)
    _small(window, qtbot)
    qtbot.waitUntil(lambda: window.status.counts.text() == "1 span · 1 unlinked")
    assert window.status.counts.toolTip() == full


def test_a_saved_edit_shows_its_message_without_laying_the_bar_out_again(
    window: MainWindow,
) -> None:
    """Label keys: each message is on screen as a full repaint of the bar draws it,
    and a new message does not lay the bar (and the window) out again: only the
    counts growing wider does."""
    bar = window.statusBar()
    assert isinstance(bar, MessageBar)
    open_by_title(window, "BCMA")
    text = window.view.text()
    on_screen(bar)  # the opening's own layout and repaints done
    requests = _LayoutRequests(bar)
    widened = 0
    words = ("BCMA", "idecabtagene", "vicleucel", "myeloma")
    for word in words:
        start = text.index(word)
        select_with_keys(window, start, start + len(word))
        width = window.status.counts.width()
        press(window, Qt.Key.Key_1)
        assert bar.currentMessage() == f"✓ Saved: add therapy “{word}”"
        assert bar.message.text() == bar.currentMessage()
        shown = on_screen(bar)
        assert repainted_whole(bar) == shown
        widened += window.status.counts.width() != width
    assert requests.count == widened < len(words)
    assert sorted(s.text for s in stored(window)) == sorted(words)


def test_a_taller_message_font_still_grows_the_bar(window: MainWindow) -> None:
    bar = window.statusBar()
    assert isinstance(bar, MessageBar)
    on_screen(bar)
    before = bar.height()
    font = QFont(bar.message.font())
    font.setPointSizeF(font.pointSizeF() * 2.5)
    bar.message.setFont(font)
    bar.showMessage("A larger message")
    on_screen(bar)
    assert bar.height() > before
    assert bar.message.height() >= bar.message.fontMetrics().height()
