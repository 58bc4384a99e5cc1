"""Start the app as a user would, in its own process, and report what it showed.

``python -m tests.reliability.gui_child PATH_OR_URL`` runs ``curator.gui.app.run``
offscreen. Any message box that appears is answered (closed) and its title
and text are printed as one JSON line; the app's return code is printed
last. A main window that opens is closed at once, so a good database ends
the run with 0 and a bad one with the box's text and 1. Running the app in
its own process lets the read-only case drop root's powers (see
``helpers.as_ordinary_user``).
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from curator.core.storage.paths import database_url
from curator.gui.app import run


def main(url: str) -> int:
    app = QApplication(sys.argv)

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox):
            print(json.dumps({"title": modal.windowTitle(), "text": modal.text()}), flush=True)
            modal.done(0)
        for widget in app.topLevelWidgets():
            # The app paints its window first and reads the article right after.
            loaded = getattr(widget, "is_loaded", True)
            if isinstance(widget, QMainWindow) and widget.isVisible() and loaded:
                print(json.dumps({"window": widget.windowTitle()}), flush=True)
                widget.close()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    code = run(db_url=database_url(url), curator="tester")
    print(json.dumps({"returned": code}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
