"""The app in its own process: every file dialog shown on its database's folder, then edits.

``python -m tests.reliability.dialog_child DB`` opens the main window on DB
(offscreen) and tags one span, so SQLite holds its locks and writes into
the ``-wal`` file. Then each file dialog of the app (merge, import, export,
open database) is opened the way the curator opens it, on the folder that
holds DB, left until it has listed the folder, and cancelled. It prints
``dialogs shown`` and waits for a line on stdin, while the test lets other
programs read and write the database; ``quit`` ends it there. Then it tags more spans through the
window, printing ``saved UID`` after each commit, prints ``edited`` and
waits to be killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QPushButton

from curator.core.storage.db import open_database
from curator.gui.app import configure_application
from curator.gui.export_dialog import ExportDialog
from curator.gui.main_window import MainWindow
from curator.gui.open_database import OpenDatabaseDialog

LISTED_FOR_S = 1.0
"""How long a dialog stays once it shows the folder: enough to list and draw every row."""


class DialogCanceller:
    """Cancels each file dialog once it has shown the database's folder for a while.

    The folder, not the file: a dialog whose name filter hides ``*.sqlite``
    still lists it (its filter applies to names already read).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.listed_at: float | None = None
        self.shown = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, QFileDialog):
            return
        model = modal.findChild(QFileSystemModel)
        assert model is not None
        if model.rootPath() != str(self.db_path.parent):
            return  # not on the folder yet
        if self.listed_at is None:
            self.listed_at = time.monotonic()
        elif time.monotonic() - self.listed_at > LISTED_FOR_S:
            self.listed_at = None
            self.shown += 1
            modal.reject()


def show_every_file_dialog(window: MainWindow, db_path: Path) -> int:
    """Open each file dialog as the curator does; return how many were shown and cancelled."""
    canceller = DialogCanceller(db_path)
    for action in window.all_actions:  # the menu commands, as chosen from the menu
        if action.text() in ("&Merge curators' files…", "&Import articles and spans…"):
            action.trigger()

    export = ExportDialog(window.ws.db, window.ws.curator, window)
    export.path_edit.setText(str(db_path.with_name("spans.jsonl")))
    choose = next(b for b in export.findChildren(QPushButton) if b.text() == "Choose…")
    QTest.mouseClick(choose, Qt.MouseButton.LeftButton)
    export.reject()

    opener = OpenDatabaseDialog(window.ws.db, window)
    opener.field.setText(str(db_path))
    browse = next(b for b in opener.findChildren(QPushButton) if b.text() == "Browse…")
    QTest.mouseClick(browse, Qt.MouseButton.LeftButton)
    opener.reject()
    canceller.timer.stop()
    return canceller.shown


def tag(window: MainWindow, start: int, end: int) -> str:
    before = set(window.ws.spans)
    window.view.select_range(start, end)
    window.editor.apply_label("therapy")
    (uid,) = set(window.ws.spans) - before
    return uid


def main(db_path: Path) -> None:
    app = QApplication(sys.argv)
    configure_application(app)
    os.chdir(db_path.parent)  # where a curator who started the app beside their file is
    db = open_database(f"sqlite:///{db_path}")
    window = MainWindow(db, "ana")
    window.show()
    QApplication.processEvents()
    assert window.ws.document is not None
    # The first suggestions are read in their own thread, on a connection
    # SQLite opens for it. The test looks for any open of the file after the
    # first edit, so that connection is made before it, as the GUI tests wait.
    deadline = time.monotonic() + 60
    while window.suggestions.worker.busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert not window.suggestions.worker.busy(), "the first suggestions took over a minute"
    print(f"saved {tag(window, 0, 5)}", flush=True)
    print(f"dialogs shown: {show_every_file_dialog(window, db_path)}", flush=True)
    if sys.stdin.readline().strip() == "quit":
        return
    length = len(window.ws.document.text)
    for i in range(1, 7):
        start = (i * 37) % (length - 10)
        print(f"saved {tag(window, start, start + 6)}", flush=True)
    print("edited", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
    os._exit(0)  # the window and its database go with the process, as at a kill
