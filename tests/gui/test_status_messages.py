"""The status bar never cuts a message off: shown whole, or elided with all of it at hand."""

from __future__ import annotations

from PySide6.QtCore import Qt

from curator.gui.main_window import MainWindow
from curator.gui.status_message import MessageBar
from tests.gui.helpers import open_by_title, press


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
