"""Active time in the app: counted from what the curator does, stored on switch and close."""

from __future__ import annotations

from PySide6.QtCore import Qt

from curator.core.activity.active_time import active_seconds
from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, press


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_time_between_actions_counts_capped_and_is_stored_on_switch(window: MainWindow) -> None:
    clock = FakeClock()
    window.active_timer.clock = clock
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    window.view.setFocus()
    clock.now = 30.0
    press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # 30 s reading
    clock.now = 630.0
    press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # back from lunch: 120
    assert active_seconds(window.ws.db, "tester").get(doc.uid) is None  # not stored yet
    press(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # next document
    assert window.ws.document is not None and window.ws.document.uid != doc.uid
    assert active_seconds(window.ws.db, "tester")[doc.uid] == {"tester": 150}
    row = window.doc_model.row_of(doc.uid)
    assert row is not None
    tip = window.doc_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "active time: 2 min" in tip


def test_closing_the_window_stores_what_was_counted(window: MainWindow) -> None:
    clock = FakeClock()
    window.active_timer.clock = clock
    doc = window.ws.document
    assert doc is not None
    window.view.setFocus()
    press(window, Qt.Key.Key_Right)  # at 0 on the test's clock
    clock.now = 45.0
    press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    db = window.ws.db
    window.close()
    assert active_seconds(db, "tester")[doc.uid] == {"tester": 45}


def test_the_periodic_flush_stores_without_a_switch(window: MainWindow) -> None:
    clock = FakeClock()
    window.active_timer.clock = clock
    doc = window.ws.document
    assert doc is not None
    assert window.active_timer.flusher.interval() == 30_000  # a kill loses under a minute
    window.view.setFocus()
    press(window, Qt.Key.Key_Right)  # at 0 on the test's clock
    clock.now = 12.0
    press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    window.active_timer.flusher.timeout.emit()
    assert active_seconds(window.ws.db, "tester")[doc.uid] == {"tester": 12}
