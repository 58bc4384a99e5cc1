"""Where spans overlap, repeated clicks (or C) go through every span there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, point_of, press, select_with_keys, stored


def _nested(window: MainWindow) -> tuple[int, dict[str, str]]:
    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA CAR-T")
    select_with_keys(window, start, start + len("BCMA CAR-T"))
    press(window, Qt.Key.Key_1)
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    _click(window, start + len("BCMA CAR-T") + 3)  # off the spans: none selected
    assert window.view.selected_span() is None
    return start, {s.uid: s.label for s in stored(window)}


def _click(window: MainWindow, cp: int) -> None:
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, cp), delay=600
    )


def test_clicking_again_selects_the_next_span_there(window: MainWindow) -> None:
    start, labels = _nested(window)
    picked = []
    for _ in range(3):
        _click(window, start + 2)
        picked.append(labels[window.view.selected_span() or ""])
    assert picked == ["target", "therapy", "target"]
    assert window.span_table.currentIndex().isValid()


def test_c_cycles_and_delete_removes_the_span_chosen(window: MainWindow) -> None:
    start, labels = _nested(window)
    _click(window, start + 2)
    assert labels[window.view.selected_span() or ""] == "target"
    QTest.keyClick(window.view, Qt.Key.Key_C)
    assert labels[window.view.selected_span() or ""] == "therapy"
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert [s.label for s in stored(window)] == ["target"]


def test_c_typed_in_the_filter_box_is_text(window: MainWindow) -> None:
    start, _labels = _nested(window)
    _click(window, start + 2)
    selected = window.view.selected_span()
    filter_box = window.doc_list.filter_box
    filter_box.setFocus()
    QTest.keyClick(filter_box, Qt.Key.Key_C)
    assert filter_box.text() == "c"
    assert window.view.selected_span() == selected
