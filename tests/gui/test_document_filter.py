"""The document filter finds titles, words of the text and ids; titles tell apart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.articles.document_filter import documents_matching
from curator.gui.main_window import MainWindow
from tests.gui.helpers import type_into


def _titles(window: MainWindow) -> list[str]:
    rows = {uid: title for uid, title, _n, _s in window.doc_model.rows}
    return [rows[uid] for uid in window.doc_list.ordered_uids()]


def _type_filter(window: MainWindow, qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    box = window.doc_list.filter_box
    box.setFocus()
    box.selectAll()
    QTest.keyClick(box, Qt.Key.Key_Delete)
    if text:
        type_into(box, text)
    qtbot.waitUntil(lambda: not window.doc_list._filter_timer.isActive())


def test_the_filter_matches_words_of_the_text_not_only_titles(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _type_filter(window, qtbot, "Neal Young")  # a name in one article's text
    assert len(_titles(window)) == 1 and _titles(window)[0].startswith("Adding Eltrombopag")
    _type_filter(window, qtbot, "bcma-directed")  # a title, ignoring case
    assert [t[:4] for t in _titles(window)] == ["BCMA"]
    _type_filter(window, qtbot, "no such words anywhere")
    assert _titles(window) == []
    _type_filter(window, qtbot, "")
    assert len(_titles(window)) == 4


def test_the_filter_matches_the_start_of_an_id(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    uid, title, _n, _s = window.doc_model.rows[2]
    _type_filter(window, qtbot, uid[:10])
    assert _titles(window) == [title]


def test_a_truncated_title_has_its_whole_title_and_id_as_tooltip(window: MainWindow) -> None:
    window.resize(1024, 700)
    model = window.doc_list.proxy
    index = model.index(0, 0)
    tip = str(index.data(Qt.ItemDataRole.ToolTipRole))
    uid = window.doc_list.ordered_uids()[0]
    title = str(index.data(Qt.ItemDataRole.DisplayRole))
    assert title in tip.replace("&#x27;", "'") and f"id {uid[:12]}" in tip
    assert window.doc_list.table.textElideMode() == Qt.TextElideMode.ElideMiddle


def test_matching_escapes_like_wildcards(window: MainWindow) -> None:
    text = window.ws.document.text if window.ws.document else ""
    assert "t" in text and "y" in text  # unescaped, "t%y" and "t_y" would match much
    assert documents_matching(window.ws.db, "t%y") == set()
    assert documents_matching(window.ws.db, "t_y") == set()
    assert len(documents_matching(window.ws.db, "")) == 4
