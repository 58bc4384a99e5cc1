"""The relation in focus is drawn where its ends are now: after a scroll or a font change.

The overlay keeps its drawing while the ends' boxes stay put; these tests
look at the painted pixels, so a drawing kept past a move would fail them.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from curator.core.storage.records import Span
from curator.gui.main_window import MainWindow
from tests.gui.test_relation_flow import Key, Keys, car_t, select


def outlined_at(window: MainWindow, span: Span) -> tuple[int, int]:
    """A point on the left side of the outline drawn round *span* (the head: solid)."""
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(span.start))
    rect = view.cursorRect(cursor)
    return rect.left() - 2, rect.center().y()


def painted_near(image: QImage, point: tuple[int, int], color: QColor) -> bool:
    x0, y0 = point
    for x in range(x0 - 1, x0 + 2):
        for y in range(y0 - 1, y0 + 2):
            found = image.pixelColor(x, y)
            if all(
                abs(a - b) <= 40
                for a, b in zip(found.getRgb()[:3], color.getRgb()[:3], strict=True)
            ):
                return True
    return False


def grab(window: MainWindow) -> QImage:
    QApplication.processEvents()
    return window.view.viewport().grab().toImage()


def test_the_arc_follows_its_ends_after_a_scroll_and_a_font_change(window: MainWindow) -> None:
    spans = car_t(window)
    therapy = spans["CAR-T cell therapy"]
    select(window, therapy)
    Keys(window)(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    ui = window.relations
    ui.show_table()
    ui.table.selectRow(0)
    ends = ui.overlay.ends()
    assert ends is not None and ends[0] == therapy.uid
    color = QColor(ends[2])
    view = window.view
    before = outlined_at(window, therapy)
    assert painted_near(grab(window), before, color)

    bar = view.verticalScrollBar()
    assert bar.value() < bar.maximum()
    bar.setValue(bar.value() + 1)  # one line down: the head moves up on screen
    moved = outlined_at(window, therapy)
    assert moved != before
    assert painted_near(grab(window), moved, color)

    font = view.font()
    font.setPointSizeF(font.pointSizeF() + 6)
    view.setFont(font)
    bigger = outlined_at(window, therapy)
    assert bigger != moved
    assert painted_near(grab(window), bigger, color)
