"""Ctrl+L reaches the document list from the keyboard, and Enter or Escape come back.

Every key is a real key event sent to the widget that has the focus, as a
curator without a mouse would press it; what a label key tags is read back
from the database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from curator.gui.help import keyboard_sections
from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, press, stored, type_into

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _uid_titled(window: MainWindow, fragment: str) -> str:
    return next(uid for uid, title, _n, _s in window.doc_model.rows if fragment in title)


def test_ctrl_l_filter_down_enter_opens_the_document_and_a_label_key_tags_it(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "CD7-Directed")
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(window, Qt.Key.Key_L, CTRL)
    box = window.doc_list.filter_box
    qtbot.waitUntil(box.hasFocus)
    type_into(box, "myeloma")
    press(window, Qt.Key.Key_Down)  # at once: the typed filter is applied first
    assert window.doc_list.table.hasFocus()
    assert window.doc_list.ordered_uids() == [_uid_titled(window, "BCMA")]
    press(window, Qt.Key.Key_Return)
    doc = window.ws.document
    assert doc is not None and doc.uid == _uid_titled(window, "BCMA")
    assert window.view.hasFocus()
    # The caret is in the article: select "BCMA" with the keys and tag it target.
    start = window.view.text().index("BCMA")
    window.view.select_range(start, start)
    for _ in "BCMA":
        press(window, Qt.Key.Key_Right, SHIFT)
    press(window, Qt.Key.Key_2)
    assert [(s.label, s.text) for s in stored(window)] == [("target", "BCMA")]


def test_ctrl_l_opens_a_list_dragged_shut_and_selects_the_filter_to_type_over(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    sizes = window.splitter.sizes()
    window.splitter.setSizes([0, sizes[0] + sizes[1], sizes[2]])
    assert window.splitter.sizes()[0] == 0
    box = window.doc_list.filter_box
    box.setText("thrombo")
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(window, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(box.hasFocus)
    assert window.splitter.sizes()[0] >= window.doc_list.minimumWidth()
    assert window.doc_list.isVisible()
    assert box.selectedText() == "thrombo"
    type_into(box, "eltrombopag")  # typed over the selected text
    assert box.text() == "eltrombopag"


def test_escape_clears_the_filter_then_goes_back_to_the_article(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    opened = window.ws.document
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(window, Qt.Key.Key_L, CTRL)
    box = window.doc_list.filter_box
    type_into(box, "no such words anywhere")
    press(window, Qt.Key.Key_Down)  # no rows: the focus stays in the box
    assert box.hasFocus() and window.doc_list.ordered_uids() == []
    press(window, Qt.Key.Key_Escape)
    assert box.text() == "" and box.hasFocus()
    assert len(window.doc_list.ordered_uids()) == 4
    press(window, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    assert window.ws.document == opened  # leaving opened nothing else


def test_a_filter_hiding_the_open_document_opens_no_other(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "CD7-Directed")
    cd7 = _uid_titled(window, "CD7-Directed")
    press(window, Qt.Key.Key_L, CTRL)
    box = window.doc_list.filter_box
    type_into(box, "myeloma")
    qtbot.waitUntil(lambda: window.doc_list.ordered_uids() == [_uid_titled(window, "BCMA")])
    assert window.ws.document is not None and window.ws.document.uid == cd7
    assert not window.doc_list.table.currentIndex().isValid()  # no row marked as open
    press(window, Qt.Key.Key_Escape)  # clears: the open document's row is marked again
    table, proxy, model = window.doc_list.table, window.doc_list.proxy, window.doc_model
    assert model.uid_at(proxy.mapToSource(table.currentIndex()).row()) == cd7
    assert window.ws.document.uid == cd7


def test_escape_in_the_rows_goes_back_to_the_article(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "Thrombopoietin")
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(window, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(window.doc_list.filter_box.hasFocus)
    press(window, Qt.Key.Key_Down)  # no filter: onto the open document's row
    table = window.doc_list.table
    assert table.hasFocus()
    assert window.ws.document is not None
    assert window.ws.document.uid == _uid_titled(window, "Thrombopoietin")
    press(window, Qt.Key.Key_Escape)
    assert window.view.hasFocus()


def test_the_key_is_in_the_keyboard_map_with_the_moves_through_documents(
    window: MainWindow,
) -> None:
    rows = keyboard_sections(window.all_actions)["Moving through documents"]
    assert ("Ctrl+L", "Go to document list") in rows
    keys = [k for k, _does in rows]
    assert "Down / Escape in the document filter" in keys
    assert "Up, Down / Enter / Escape in the document list" in keys
