"""The View menu: zoom keys, the article font, light/dark/system theme and label names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QFontDialog

from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.gui.help import keyboard_sections
from curator.gui.main_window import MainWindow
from curator.gui.span_contrast import MIN_GRAPHIC_CONTRAST, blend, contrast
from curator.gui.theme import theme_keeper
from tests.gui.helpers import open_by_title, press

CTRL = Qt.KeyboardModifier.ControlModifier


def _base_lightness(window: MainWindow) -> int:
    QApplication.processEvents()  # palette changes reach the widgets as events
    return window.view.palette().color(QPalette.ColorRole.Base).lightness()


@pytest.fixture(autouse=True)
def _light_again(qapp: QApplication) -> Iterator[None]:
    """The palette is the app's: a dark test must not darken the next one."""
    yield
    QSettings().setValue("view/theme", "system")
    keeper = theme_keeper(qapp)
    keeper.apply(Qt.ColorScheme.Light)


def test_zoom_keys_change_the_text_size_and_the_next_window_keeps_it(make_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window()
    base = window.view.font().pointSizeF()
    press(window, Qt.Key.Key_Equal, CTRL)
    press(window, Qt.Key.Key_Equal, CTRL)
    assert window.view.font().pointSizeF() == base + 2
    press(window, Qt.Key.Key_Minus, CTRL)
    assert window.view.font().pointSizeF() == base + 1
    window.close()
    again: MainWindow = make_window()
    assert again.view.font().pointSizeF() == base + 1
    press(again, Qt.Key.Key_0, CTRL)
    assert again.view.font().pointSizeF() == base
    assert QSettings().value("view/zoom", type=float) == 0.0


def test_zoom_stops_at_a_readable_size(window: MainWindow) -> None:
    for _ in range(40):
        press(window, Qt.Key.Key_Minus, CTRL)
    assert window.view.font().pointSizeF() == 6.0
    window.view.set_article("x" * 10, [])  # still laid out and painted
    window.view.grab()


def test_font_dialog_sets_the_article_font_for_this_and_the_next_window(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window()
    chosen = QFont("DejaVu Sans Mono", 15)

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFontDialog)
        dialog.setCurrentFont(chosen)
        dialog.accept()

    QTimer.singleShot(0, pick)
    next(a for a in window.all_actions if a.text().startswith("&Font")).trigger()
    assert window.view.font().family() == QFont(chosen).family()
    assert window.view.font().pointSizeF() == 15
    window.close()
    again: MainWindow = make_window()
    assert again.view.font().family() == QFont(chosen).family()
    assert again.view.font().pointSizeF() == 15


def test_dark_theme_keeps_every_label_readable_and_is_remembered(make_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window()
    window.view_menu.theme_actions["dark"].trigger()
    assert _base_lightness(window) < 60
    page = window.view.palette().color(QPalette.ColorRole.Base)
    text = window.view.palette().color(QPalette.ColorRole.Text)
    assert page.lightness() < 60 and text.lightness() > 200
    for label in window.ws.labels:
        fill, line = window.view._color(label.color)
        assert contrast(line, page) >= MIN_GRAPHIC_CONTRAST, label.name
        # the article's text stays readable on the span's fill (WCAG AA: 4.5)
        assert contrast(text, blend(fill, page)) >= 4.5, label.name
    window.close()
    again: MainWindow = make_window()
    assert again.view_menu.theme_actions["dark"].isChecked()
    assert _base_lightness(again) < 60
    again.view_menu.theme_actions["light"].trigger()
    assert _base_lightness(again) > 200
    therapy = again.ws.label_by_name["therapy"]
    assert again.view._color(therapy.color)[1] == QColor(therapy.color)  # as chosen


def test_system_theme_follows_the_desktop_while_light_ignores_it(window: MainWindow) -> None:
    hints = QGuiApplication.styleHints()
    window.view_menu.theme_actions["system"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _base_lightness(window) < 60
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _base_lightness(window) > 200
    window.view_menu.theme_actions["light"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _base_lightness(window) > 200


def _pixel_above(window: MainWindow, cp: int, dy: float) -> QColor:
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(cp) + 1)
    rect = view.cursorRect(cursor)
    image = view.viewport().grab().toImage()
    return image.pixelColor(rect.x() + 2, int(rect.top() - dy))


def test_label_names_are_drawn_above_the_spans_and_the_choice_is_kept(make_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window()
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    start = doc.text.index(" the ") + 1  # no suggestion there
    annotate.add_span(window.ws.db, doc.uid, "tester", NewSpan(start, start + 3, "target"))
    window.ws.reload()
    window.view.select_range(start, start)
    orange = QColor(window.ws.label_by_name["target"].color)
    assert _pixel_above(window, start, 6) != orange
    press(window, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.view.label_names_shown()
    shown = [_pixel_above(window, start, dy) for dy in range(2, 14)]
    assert orange in shown, "a tag in the label's colour sits above the span"
    window.close()
    again: MainWindow = make_window()
    assert again.view.label_names_shown()


def test_keyboard_map_lists_the_view_keys(window: MainWindow) -> None:
    sections = keyboard_sections(window.all_actions)
    rows = dict(
        (does, keys)
        for does, keys in ((d, k) for k, d in sections["Text size, font, theme and label names"])
    )
    assert "Ctrl+=" in rows["Zoom in"] and "Ctrl+-" in rows["Zoom out"]
    assert rows["Reset zoom"] == "Ctrl+0"
    assert rows["Show label names on spans"] == "Ctrl+Shift+N"
    assert "Zoom in / out" in rows
