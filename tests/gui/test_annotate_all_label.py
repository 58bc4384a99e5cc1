"""Annotate all: the label is the selection's span's, or chosen with a key in the dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from curator.gui.annotate_all import AnnotateAllDialog
from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, press, select_with_keys, stored

_CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _run_dialog(window: MainWindow, qtbot, keys: list[Qt.Key]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AnnotateAllDialog):
            seen["dialog"] = None
            if dialog is not None:
                dialog.reject()
            return
        seen.update(first_label=dialog.label, first_ok=dialog.ok_button.isEnabled())
        dialog.activateWindow()  # the window manager's job when a dialog opens
        qtbot.waitUntil(dialog.isActiveWindow)
        for key in keys:
            QTest.keyClick(dialog.focusWidget() or dialog, key)
        seen.update(label=dialog.label, ok=dialog.ok_button.isEnabled())
        if dialog.ok_button.isEnabled():
            QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        else:
            dialog.reject()
        seen["dialog"] = "closed"

    QTimer.singleShot(0, drive)
    QTest.keyClick(window.view, Qt.Key.Key_A, _CTRL_SHIFT)
    qtbot.waitUntil(lambda: "dialog" in seen)
    return seen


def test_without_a_span_the_dialog_asks_and_a_label_key_answers(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    text = window.view.text()
    first = text.index("BCMA")
    select_with_keys(window, first, first + 4)
    press(window, Qt.Key.Key_2)  # the last label used: target, and that span stays selected
    phrase = "KarMMa"
    at = text.index(phrase)
    select_with_keys(window, at, at + len(phrase))
    seen = _run_dialog(window, qtbot, [Qt.Key.Key_3])
    assert (seen["first_label"], seen["first_ok"]) == ("", False)  # asks, never "target"
    assert (seen["label"], seen["ok"]) == ("outcome", True)
    tagged = [s for s in stored(window) if s.text.lower() == phrase.lower()]
    assert tagged and {s.label for s in tagged} == {"outcome"}
    assert len(tagged) == text.lower().count(phrase.lower())


def test_a_selection_on_a_span_defaults_to_its_label(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    text = window.view.text()
    at = text.index("KarMMa")
    select_with_keys(window, at, at + len("KarMMa"))
    press(window, Qt.Key.Key_3)
    first = text.index("BCMA")
    select_with_keys(window, first, first + 4)
    press(window, Qt.Key.Key_2)
    select_with_keys(window, at, at + len("KarMMa"))  # back on the outcome span
    seen = _run_dialog(window, qtbot, [])
    assert seen["first_label"] == "outcome"
