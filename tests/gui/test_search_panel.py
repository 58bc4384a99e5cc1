"""Ctrl+Shift+F: search every document, Enter on a hit opens it with the match selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, press, stored

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _search(window: MainWindow, qtbot: Any, query: str) -> None:
    press(window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.search_panel
    qtbot.waitUntil(panel.edit.hasFocus)
    QTest.keyClicks(panel.edit, query)
    QTest.keyClick(panel.edit, Qt.Key.Key_Return)


def test_a_text_hit_opens_its_document_with_the_match_selected_then_tags(
    window: MainWindow, qtbot: Any
) -> None:
    open_by_title(window, "Eltrombopag")
    _search(window, qtbot, "myeloma")
    panel = window.search_panel
    assert panel.isVisible() and panel.results.count() >= 1
    assert panel.summary.text().startswith(f"{panel.results.count()} document")
    hit = panel.results.item(0).data(Qt.ItemDataRole.UserRole + 1)
    assert "myeloma" in hit.context.lower()
    QTest.keyClick(panel.edit, Qt.Key.Key_Down)  # into the list
    assert panel.results.hasFocus()
    QTest.keyClick(panel.results, Qt.Key.Key_Return)
    doc = window.ws.document
    assert doc is not None and doc.uid == hit.document_uid
    start, end = window.view.selection_range()
    assert doc.text[start:end].lower() == "myeloma"
    assert window.view.hasFocus()
    press(window, Qt.Key.Key_2)  # the match is selected: a label key tags it
    assert [(s.label, s.text.lower()) for s in stored(window)] == [("target", "myeloma")]


def test_a_span_hit_opens_at_the_span(window: MainWindow, qtbot: Any) -> None:
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    at = doc.text.index("teclistamab") if "teclistamab" in doc.text else 100
    annotate.add_span(window.ws.db, doc.uid, "bo", NewSpan(at, at + 5, "outcome", note="see"))
    open_by_title(window, "Eltrombopag")
    _search(window, qtbot, "curator:bo note:see")
    panel = window.search_panel
    assert panel.results.count() == 1
    assert panel.summary.text().startswith("1 span")
    QTest.keyClick(panel.edit, Qt.Key.Key_Down)
    QTest.keyClick(panel.results, Qt.Key.Key_Return)
    assert window.ws.document is not None and window.ws.document.uid == doc.uid
    assert window.view.selection_range() == (at, at + 5)


def test_a_bad_query_says_so_and_escape_goes_back_to_the_article(
    window: MainWindow, qtbot: Any
) -> None:
    _search(window, qtbot, "label:")
    panel = window.search_panel
    assert panel.results.count() == 0
    assert "needs a value" in panel.summary.text()
    QTest.keyClick(panel.edit, Qt.Key.Key_Escape)
    assert window.view.hasFocus()


def test_keyboard_map_lists_the_search(window: MainWindow) -> None:
    from curator.gui.help import keyboard_sections

    rows = {
        does: keys for keys, does in keyboard_sections(window.all_actions)["Undo, redo and find"]
    }
    assert rows["Search all documents…"] == "Ctrl+Shift+F"
