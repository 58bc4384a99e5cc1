"""At 1024x700 the article keeps room to read; the side panes give way."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from curator.core.spans.boundaries import is_word_char
from curator.gui.main_window import MainWindow
from curator.gui.pane_splitter import SIDE_FLOOR


def _broken_words(window: MainWindow) -> list[str]:
    """Words the article view splits across two of its lines, as shown."""
    view = window.view
    text = view.document().toPlainText()
    broken = []
    block = view.document().begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount() - 1):
            cut = block.position() + layout.lineAt(i + 1).textStart()
            if is_word_char(text[cut - 1]) and is_word_char(text[cut]):
                broken.append(text[max(0, cut - 10) : cut + 10])
        block = block.next()
    return broken


def test_small_window_gives_the_article_the_room(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    left, center, right = window.splitter.sizes()
    assert center >= window.view.reading_width()
    assert left >= SIDE_FLOOR and right >= SIDE_FLOOR  # shrunk, still usable
    assert center > left and center > right
    assert _broken_words(window) == []


def test_a_large_saved_layout_is_fitted_to_a_smaller_window(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    first = make_window()
    first.resize(1600, 1000)
    first.splitter.setSizes([500, 500, 600])
    first.close()
    second = make_window()
    second.resize(1024, 700)
    qtbot.waitUntil(lambda: second.width() == 1024)
    assert second.splitter.sizes()[1] >= second.view.reading_width()
    assert _broken_words(second) == []


def test_a_side_pane_can_be_dragged_shut(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    handle = window.splitter.handle(2)  # between the article and the span table
    middle = QPoint(handle.width() // 2, handle.height() // 2)
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    far = QPoint(middle.x() + window.splitter.sizes()[2] + 50, middle.y())
    QTest.mouseMove(handle, far)
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=far)
    assert window.splitter.sizes()[2] == 0
    window.resize(1000, 700)  # and it stays shut when the window changes
    qtbot.waitUntil(lambda: window.width() == 1000)
    assert window.splitter.sizes()[2] == 0
    assert _broken_words(window) == []


def test_narrow_side_panes_keep_room_for_titles_and_quotes(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from curator.gui.span_table import END, START, TEXT

    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    table = window.span_table
    assert table.isColumnHidden(START) and table.isColumnHidden(END)
    assert table.columnWidth(TEXT) >= 100
    titles = window.doc_list.table
    assert titles.isColumnHidden(1)  # the span count; the title and status stay
    assert titles.columnWidth(0) >= 120
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.width() == 1600)
    window.splitter.setSizes([400, 700, 500])  # the curator widens the side panes
    assert not table.isColumnHidden(START) and not titles.isColumnHidden(1)
