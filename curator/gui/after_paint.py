"""Run something right after a widget was first painted.

The main window reads its document list and opens the last article only
once it is on screen: a curator sees the window at once rather than nothing
while the article and its spans are read. A paint event is delivered while
Qt draws the window; the action is posted from it, so it runs when that
frame is complete.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, action: Callable[[], object]) -> None:
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        self._action()
        self.deleteLater()


def after_first_paint(widget: QWidget, action: Callable[[], object]) -> None:
    """Call *action* once, after the first frame in which *widget* was painted."""
    _FirstPaint(widget, action)
