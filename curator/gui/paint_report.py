"""``CURATOR_REPORT_PAINTED=1``: say on stdout when the window and the article were painted.

For measuring start-up from outside the process (``benchmarks/bench_start.py``):
the benchmark notes the time, starts ``curator gui``, and reads these lines.
Each is ``painted EVENT SECONDS CPU``: SECONDS is ``time.monotonic()``, a clock
every process of the machine shares, and CPU the process's own CPU time so far
(``time.process_time()``), which other work on a shared machine barely changes:

- ``window``: the first frame of the main window (empty until it loads), or of
  the first frame ``curator gui`` paints before the rest of the app is
  imported (:mod:`curator.gui.first_frame`), which already shows the article;
- ``text``: the first frame showing the article, the window titled with it;
- ``complete``: the first frame of the complete main window showing the
  article, when it takes edits (the same frame as ``text`` unless the first
  frame came before the main window);
- ``suggestions``: a first opening's suggestions were stored and drawn.

Nothing is printed without the variable.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the first frame reports before the main window's module is imported
    from curator.gui.main_window import MainWindow

VARIABLE = "CURATOR_REPORT_PAINTED"
_seen: set[str] = set()  # each event once per process, whichever window painted it


def requested() -> bool:
    return os.environ.get(VARIABLE, "") not in ("", "0")


def report(event: str) -> None:
    if event in _seen:
        return
    _seen.add(event)
    now, cpu = time.monotonic(), time.process_time()
    print(f"painted {event} {now:.6f} {cpu:.6f}", flush=True, file=sys.stdout)


class _Reporter(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.view.viewport().installEventFilter(self)
        window.suggestions.first_computed.connect(lambda _uid: report("suggestions"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # Posted: it runs once the frame being painted is complete.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        report("window")
        if self.window.ws.document is not None:
            report("text")
            report("complete")
            self.window.view.viewport().removeEventFilter(self)


class _FirstFrame(QObject):
    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        report("window")
        report("text")


def watch(window: MainWindow) -> None:
    """Report *window*'s first frames (call before it is shown)."""
    _Reporter(window)


def watch_first_frame(viewport: QWidget) -> None:
    """Report the first frame's paint: the window, titled, showing the article."""
    _FirstFrame(viewport)
