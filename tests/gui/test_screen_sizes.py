"""What a curator sees on a 1024x700 laptop and on a 1600x1000 desktop: nothing cut off.

Each test drives the window with real keys at one of the two sizes and
checks what is drawn: a widget inside the screen, a quote not elided, a
hint whole in the status bar, the side panes back at their width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from curator.core.storage.db import Database
from curator.gui.main_window import MainWindow
from curator.gui.pane_splitter import SIDE_FLOOR
from curator.gui.span_table import TEXT
from curator.gui.status_message import ElidedLabel
from curator.gui.window_host import WindowHost
from tests.gui.helpers import open_by_title, press
from tests.gui.test_relation_flow import select, tag

SMALL, LARGE = (1024, 700), (1600, 1000)
Key = Qt.Key


def sized(window: MainWindow, qtbot, size: tuple[int, int]) -> MainWindow:  # type: ignore[no-untyped-def]
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    return window


def on_screen(widget: QWidget) -> QRect:
    """*widget*'s rectangle in screen coordinates."""
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


@pytest.fixture
def host(qtbot, samples_db: Database) -> Iterator[WindowHost]:  # type: ignore[no-untyped-def]
    made = WindowHost(samples_db, "tester")
    with qtbot.waitExposed(made.window):
        made.window.show()
    qtbot.waitUntil(lambda: not made.window.suggestions.worker.busy())
    yield made
    made.window.close()
    made.dispose()


def test_the_first_window_fits_the_screen_with_its_status_bar(host: WindowHost, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window's first size is larger than the test screen (800x600), as on a laptop."""
    window = host.window
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.width() < 1500
    qtbot.waitUntil(lambda: area.contains(on_screen(window)))
    for part in (window.statusBar(), window.span_table, window.doc_list):
        assert area.contains(on_screen(part)), part.objectName()
    assert window.windowState() & Qt.WindowState.WindowMaximized


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["1024x700", "1600x1000"])
def test_closing_the_guidelines_gives_the_side_panes_their_width_back(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
    size: tuple[int, int],
) -> None:
    sized(window, qtbot, size)
    before = window.splitter.sizes()
    titles = window.doc_list.table.columnWidth(0)

    press(window, Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)  # the guidelines open
    qtbot.waitUntil(window.guidelines.isVisible)
    qtbot.waitUntil(lambda: sum(window.splitter.sizes()) < sum(before))
    press(window, Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)  # and close
    qtbot.waitUntil(lambda: not window.guidelines.isVisible())
    qtbot.waitUntil(lambda: sum(window.splitter.sizes()) == sum(before))

    after = window.splitter.sizes()
    assert abs(after[0] - before[0]) <= 2 and abs(after[2] - before[2]) <= 2, (before, after)
    assert after[0] > SIDE_FLOOR
    assert window.doc_list.table.columnWidth(0) >= titles - 2  # titles as readable as before
    assert after[1] >= window.view.reading_width()


def test_a_dragged_pane_width_is_the_curators_choice(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """After a drag nothing is given back: the curator chose the widths."""
    sized(window, qtbot, SMALL)
    window.resize(900, 700)  # the panes lend the article some width
    qtbot.waitUntil(lambda: window.width() == 900)
    window.splitter.moveSplitter(window.splitter.sizes()[0] + 10, 1)  # as a drag does
    left = window.splitter.sizes()[0]
    sized(window, qtbot, SMALL)
    assert window.splitter.sizes()[0] == left


@pytest.mark.parametrize("size", [SMALL, LARGE, (1280, 800)], ids=["1024", "1600", "1280"])
def test_the_span_tables_quotes_are_not_elided(window: MainWindow, qtbot, size) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "CAR-T")
    tag(window, ("CAR-T cell therapy", "therapy", 0), ("complete remission", "outcome", 0))
    sized(window, qtbot, size)
    table = window.span_table
    qtbot.waitUntil(lambda: table.source.rowCount() == 2)
    room = table.visualRect(table.source.index(0, TEXT)).width()
    quote = table.fontMetrics().horizontalAdvance("CAR-T cell therapy")
    assert room >= quote + 12, (size, room, quote)  # the cell's margins and the text


def test_a_relation_hint_is_whole_at_1024x700(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    sized(window, qtbot, SMALL)
    open_by_title(window, "CAR-T")
    spans = tag(window, ("CAR-T cell therapy", "therapy", 0), ("CD7", "target", 0))
    select(window, spans["CAR-T cell therapy"])
    press(window, Key.Key_R)
    press(window, Key.Key_Tab)
    bar = window.statusBar()
    message = bar.message  # type: ignore[attr-defined]
    assert message.full_text().startswith("Link to target “CD7”")
    qtbot.waitUntil(lambda: not message.is_elided())
    assert message.text().endswith("Esc: cancel")
    assert not window.status.database.isVisible()  # its room went to the hint
    assert "Database: " in window.status.curator.toolTip()


def test_an_elided_message_is_never_clipped(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Shortened to the room inside its margins: the last letters are drawn, not cut."""
    label = ElidedLabel()
    label.setContentsMargins(4, 0, 4, 0)
    qtbot.addWidget(label)
    label.resize(300, 24)
    label.show()
    hint = "Link to target “plasma cells” (2 of 3)? Enter: acts_on · Tab: next · Esc: cancel"
    label.set_full_text(hint)
    assert label.is_elided()
    drawn = label.fontMetrics().horizontalAdvance(label.text())
    assert drawn <= label.contentsRect().width(), (drawn, label.contentsRect().width())
    assert label.text().endswith("Esc: cancel")
    label.resize(label.sizeHint().width(), 24)
    assert not label.is_elided()
