"""The find bar highlights every match while typing and counts from the top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, type_into


def _highlighted(window: MainWindow) -> list[str]:
    return [s.cursor.selectedText() for s in window.view.extraSelections()]


def test_typing_highlights_all_matches_and_counts_them(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_into(window.find_bar.edit, "bcm")
    n = text.lower().count("bcm")
    assert n > 2
    assert window.find_bar.status.text() == f"{n} matches"
    assert len(_highlighted(window)) == n
    assert {h.lower() for h in _highlighted(window)} == {"bcm"}
    type_into(window.find_bar.edit, "a-d")
    m = text.lower().count("bcma-d")
    assert window.find_bar.status.text() == (f"{m} matches" if m != 1 else "1 match")
    assert len(_highlighted(window)) == m
    type_into(window.find_bar.edit, "zzz")
    assert window.find_bar.status.text() == "no match"
    assert _highlighted(window) == []


def test_the_first_enter_goes_to_the_first_match_from_the_top(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    positions = [i for i in range(len(text)) if text.startswith("BCMA", i)]
    window.view.setFocus()
    window.view.select_range(len(text), len(text))  # the caret at the very end
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_into(window.find_bar.edit, "BCMA")
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.view.selection_range() == (positions[0], positions[0] + 4)
    assert window.find_bar.status.text() == f"1 of {len(positions)}"
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.status.text() == f"2 of {len(positions)}"
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert _highlighted(window) == []
    assert window.view.selection_range() == (positions[1], positions[1] + 4)
    QTest.keyClick(window.view, Qt.Key.Key_F3)  # on from there, with the bar closed
    assert window.view.selection_range() == (positions[2], positions[2] + 4)
