"""``python -m tests.gui.first_frame_child CURATOR_ARGS...``: ``curator`` as its script runs it.

Under ``CURATOR_REPORT_PAINTED=1`` it prints one JSON line per painted event
saying what had been imported by then and which windows were on screen with
which titles, then (once the main window is complete, or the usual start's window is
loaded and its article painted) one ``complete`` line, and quits. A message
box is reported as a ``dialog`` line and closed.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from curator import launch
from curator.gui import paint_report

_report = paint_report.report
_seen: set[str] = set()


def _state(event: str) -> dict[str, object]:
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    return {
        "event": event,
        "sqlalchemy": any(m.split(".")[0] == "sqlalchemy" for m in sys.modules),
        "cli": "curator.cli" in sys.modules,
        "windows": [(type(w).__name__, w.windowTitle()) for w in shown],
    }


def _done(firsts: list[Any]) -> bool:
    if firsts:
        return firsts[0].main is not None and bool(firsts[0].main.is_loaded)
    from curator.gui.main_window import MainWindow  # the usual start: its article painted

    mains = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return bool(mains) and mains[0].is_loaded and (mains[0].ws.document is None or "text" in _seen)


def _complete() -> None:
    from curator.gui.first_frame import FirstWindow

    firsts = [w for w in QApplication.topLevelWidgets() if isinstance(w, FirstWindow)]
    if not _done(firsts):
        QTimer.singleShot(20, _complete)
        return
    state = _state("complete")
    if firsts and firsts[0].main is not None:
        main = firsts[0].main
        state["main_title"] = main.windowTitle()
        state["documents"] = main.doc_model.rowCount()
        state["text_chars"] = len(main.view.text())
        state["embedded"] = main.window() is firsts[0]
    print(json.dumps(state), flush=True)
    QApplication.quit()


def _dismiss_dialogs() -> None:
    """Say what a modal message box showed, and close it as the curator would."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        print(json.dumps({"event": "dialog", "text": box.text()}), flush=True)
        box.done(0)
    QTimer.singleShot(20, _dismiss_dialogs)


def report(event: str) -> None:
    _report(event)
    if event in _seen:
        return
    print(json.dumps(_state(event)), flush=True)
    if not _seen:
        QTimer.singleShot(0, _complete)
        QTimer.singleShot(0, _dismiss_dialogs)
    _seen.add(event)


paint_report.report = report  # looked up by name when a frame is reported

if __name__ == "__main__":
    sys.exit(launch.main(sys.argv[1:]))
