"""At launch the keys reach the article; the span table follows the article's selection."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.gui.main_window import MainWindow
from curator.gui.span_table import TEXT
from tests.gui.helpers import open_by_title, press, select_with_keys, stored


def test_at_launch_tab_and_enter_reach_the_suggestions(window: MainWindow) -> None:
    assert window.focusWidget() is window.view
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.statusBar().currentMessage().startswith("Enter/A accept")
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    assert len(stored(window)) == 1  # accepted into the curator's spans


def _table_text(window: MainWindow) -> str | None:
    index = window.span_table.currentIndex()
    if not index.isValid() or not window.span_table.selectionModel().isRowSelected(
        index.row(), index.parent()
    ):
        return None
    return str(window.span_table.model().index(index.row(), TEXT).data())


def test_the_span_table_follows_the_span_selected_in_the_article(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    start = text.index("BCMA CAR-T")
    select_with_keys(window, start, start + len("BCMA CAR-T"))
    press(window, Qt.Key.Key_1)
    assert _table_text(window) == "BCMA CAR-T"  # tagged, so selected, in both
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    assert _table_text(window) == "BCMA"
    window.view.select_range(start + 1, start + 1)
    QTest.keyClick(window.view, Qt.Key.Key_C)  # the next span there
    assert _table_text(window) == "BCMA CAR-T"
