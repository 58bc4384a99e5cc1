"""Long imports and merges show a progress dialog; Cancel leaves the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from curator.core.articles import corpus, documents
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.gui import import_files, merge_files, progress_dialog
from curator.gui.main_window import MainWindow
from tests.cli.helpers import article_files
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import fingerprint, settle


class Canceller:
    """Presses the progress dialog's Cancel button with the mouse once it shows."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._press)
        self.timer.start(5)

    def _press(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QProgressDialog) and not modal.wasCanceled():
            self.seen.append(modal.labelText())
            button = modal.findChild(QPushButton)
            assert button is not None and button.text() == "Cancel"
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture(autouse=True)
def _dialog_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialog shows from the first step, so a small test import can be cancelled."""
    monkeypatch.setattr(progress_dialog, "SHOW_AFTER_MS", 0)


def _quoted(files: list[Path]) -> str:
    return " ".join(f'"{f}"' for f in files)


def test_cancelled_import_leaves_the_database_as_it_was(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    files = article_files(tmp_path / "many", 40)
    path = window.ws.db.path
    assert path is not None
    before_docs = len(documents.list_documents(window.ws.db))
    settle(path)
    before = fingerprint(path)
    canceller = Canceller()
    answerer = ModalAnswerer(file=_quoted(files))
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(answerer.boxes), timeout=30_000)
    answerer.stop()
    canceller.stop()

    assert canceller.seen and canceller.seen[0].startswith("Importing… ")
    assert " of 40 files" in canceller.seen[0]
    assert answerer.boxes == [
        (import_files.CANCELLED_TITLE, "Importing cancelled; nothing was changed")
    ]
    assert len(documents.list_documents(window.ws.db)) == before_docs
    settle(path)
    assert fingerprint(path) == before
    # Without a cancel, the same import goes through.
    with qtbot.waitActive(window):
        window.activateWindow()
    answerer = ModalAnswerer(file=_quoted(files))
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: len(documents.list_documents(window.ws.db)) == before_docs + 40, timeout=30_000
    )
    answerer.stop()
    assert answerer.boxes == []


def test_cancelled_merge_leaves_the_database_as_it_was(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    sources = []
    for name in ("alice", "bob"):
        source = tmp_path / f"{name}.sqlite"
        db = open_database(f"sqlite:///{source}")
        migrate.upgrade(db)
        corpus.import_articles(db, article_files(tmp_path / name, 3, prefix=name))
        db.dispose()
        settle(source)
        sources.append(source)
    path = window.ws.db.path
    assert path is not None
    settle(path)
    before = fingerprint(path)
    canceller = Canceller()
    answerer = ModalAnswerer(file=_quoted(sources))
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_M, ctrl_shift)
    qtbot.waitUntil(lambda: bool(answerer.boxes), timeout=30_000)
    answerer.stop()
    canceller.stop()

    assert canceller.seen and canceller.seen[0].startswith("Merging… ")
    assert answerer.boxes == [
        (merge_files.CANCELLED_TITLE, "Merging cancelled; nothing was changed")
    ]
    settle(path)
    assert fingerprint(path) == before
