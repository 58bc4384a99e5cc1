"""Counting a curator's active time on the open document, from what they do in the window.

What a curator does in the article is an action: moving the caret or the
selection (keys or mouse), scrolling, selecting a span, any edit
(:class:`curator.core.activity.active_time.ActiveClock` caps the gap
between two actions at two minutes). Signals rather than an application
event filter: nothing runs for the thousands of other events.

What was counted is stored every 30 s, when another document is opened or
the curator changes, and when the window closes: a kill loses at most the
last half minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from curator.core.activity.active_time import FLUSH_SECONDS, ActiveClock, add_active_seconds
from curator.core.errors import CuratorError
from curator.core.storage.records import DocumentInfo
from curator.gui.workspace import Workspace


class ActiveTimer(QObject):
    stored = Signal(str)  # document uid whose time was just stored

    def __init__(
        self,
        ws: Workspace,
        view: QPlainTextEdit,
        window: QWidget,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.ws = ws
        self.window = window
        self.clock = clock
        self.counter = ActiveClock()
        self._owner: tuple[str, str] | None = None  # (document uid, curator) being timed
        self.flusher = QTimer(self)
        self.flusher.setInterval(FLUSH_SECONDS * 1000)
        self.flusher.timeout.connect(self.flush)
        self.flusher.start()
        ws.document_opened.connect(self._on_document_opened)
        ws.curator_changed.connect(self._on_curator_changed)
        ws.span_changed.connect(self.action)
        view.cursorPositionChanged.connect(self.action)
        view.selectionChanged.connect(self.action)
        view.verticalScrollBar().valueChanged.connect(self.action)
        window.installEventFilter(self)  # its closing

    def action(self, *_args: object) -> None:
        """The curator did something in the open document."""
        if self._owner is not None:
            self.counter.touch(self.clock())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.flush()
            self.counter.pause()
        return False

    def flush(self) -> None:
        """Store the seconds counted so far for the document being timed."""
        if self._owner is None:
            return
        seconds = self.counter.take()
        if seconds <= 0:
            return
        uid, curator = self._owner
        try:
            add_active_seconds(self.ws.db, uid, curator, seconds)
        except CuratorError:
            self.counter.pending += seconds  # tried again at the next flush
            return
        self.stored.emit(uid)

    def _start(self) -> None:
        doc = self.ws.document
        self._owner = (doc.uid, self.ws.curator) if doc is not None else None
        self.counter.pause()
        if self._owner is not None:
            self.counter.touch(self.clock())  # opening it is the first action

    def _on_document_opened(self, _doc: DocumentInfo) -> None:
        self.flush()
        self._start()

    def _on_curator_changed(self, _name: str) -> None:
        self.flush()
        self._start()
