"""File > Open database… and Open recent: the window moves to another database, intact."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from curator.core.articles import corpus, documents
from curator.core.opening import prepare_database
from curator.core.spans import annotate
from curator.core.storage.db import Database
from curator.gui.main_window import MainWindow
from curator.gui.open_database import FAILED_TITLE, OpenDatabaseDialog
from curator.gui.recent_databases import KEY
from curator.gui.window_host import WindowHost
from tests.gui.conftest import DATA
from tests.gui.helpers import open_by_title, press, select_with_keys, stored, type_into
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import fingerprint, settle

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
Step = Callable[[OpenDatabaseDialog], None]


class DialogDriver:
    """Runs one step each time the Open database dialog is the active modal window.

    A step that fails, or a modal window still open after ``TIMEOUT_S``
    (an unexpected message box, say), is closed and recorded, so that the
    test fails with what was seen instead of waiting in ``exec()`` forever.
    """

    TIMEOUT_S = 60.0

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps
        self.closed: list[str] = []
        self.deadline = time.monotonic() + self.TIMEOUT_S
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, QDialog):
            return
        if time.monotonic() > self.deadline:
            self.closed.append(f"{type(modal).__name__} {modal.windowTitle()!r} left open")
            modal.reject()
        elif isinstance(modal, OpenDatabaseDialog) and self.steps:
            try:
                self.steps.pop(0)(modal)
            except BaseException:
                self.closed.append("a step failed")
                modal.reject()
                raise

    def stop(self) -> None:
        self.timer.stop()
        assert not self.closed, self.closed


def type_and_open(entry: str | Path) -> Step:
    def step(dialog: OpenDatabaseDialog) -> None:
        dialog.field.selectAll()
        type_into(dialog.field, str(entry))
        QTest.keyClick(dialog.field, Qt.Key.Key_Return)

    return step


def browse_and_open(dialog: OpenDatabaseDialog) -> None:
    """Browse… (the file name is typed into the real file dialog), then Open."""
    browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Browse…")
    QTest.mouseClick(browse, Qt.MouseButton.LeftButton)
    QTest.keyClick(dialog.field, Qt.Key.Key_Return)


def cancel(dialog: OpenDatabaseDialog) -> None:
    QTest.keyClick(dialog, Qt.Key.Key_Escape)


@pytest.fixture
def host(qtbot, samples_db: Database) -> Iterator[WindowHost]:  # type: ignore[no-untyped-def]
    """The app's own owner of the window (qtbot does not own it: replaced windows are deleted)."""
    made = WindowHost(samples_db, "tester")
    with qtbot.waitActive(made.window):
        made.window.show()
        made.window.activateWindow()
    qtbot.waitUntil(lambda: not made.window.suggestions.worker.busy())  # the first suggestions
    yield made
    made.window.close()
    made.dispose()


def open_through_dialog(qtbot, host: WindowHost, steps: list[Step]) -> MainWindow:  # type: ignore[no-untyped-def]
    """Ctrl+Shift+O, the dialog driven by *steps*; returns the window showing afterwards."""
    driver = DialogDriver(steps)
    QTest.keyClick(host.window, Qt.Key.Key_O, CTRL_SHIFT)
    driver.stop()
    assert not driver.steps, "the dialog closed before every step ran"
    host.window.activateWindow()  # as the window manager does when a dialog closes
    qtbot.waitUntil(host.window.isActiveWindow)  # shortcuts go to the active window
    return host.window


def tag_first_phrase(window: MainWindow, phrase: str) -> None:
    open_by_title(window, "BCMA")
    start = window.view.text().index(phrase)
    select_with_keys(window, start, start + len(phrase))
    press(window, Qt.Key.Key_1)


def all_spans(db: Database) -> list[tuple[str, str]]:
    return [
        (s.label, s.text)
        for d in documents.list_documents(db)
        for s in annotate.spans_for(db, d.uid)
    ]


def test_a_second_database_opened_from_the_menu_takes_the_edits(
    qtbot,  # type: ignore[no-untyped-def]
    host: WindowHost,
    samples_db: Database,
    tmp_path: Path,
) -> None:
    first = host.window
    tag_first_phrase(first, "BCMA")  # an edit in the first database, on the undo stack
    assert first.ws.undo_stack.canUndo()
    second = tmp_path / "second.sqlite"  # a colleague's project file, with the same articles
    made = prepare_database(f"sqlite:///{second}")
    corpus.import_articles(made, [DATA])
    made.dispose()
    answerer = ModalAnswerer(file=second)
    window = open_through_dialog(qtbot, host, [browse_and_open])
    answerer.stop()

    assert answerer.boxes == []
    assert window is not first and window.ws.db.path == second
    assert window.ws.curator == "tester"
    assert not window.ws.undo_stack.canUndo(), "the first database's history came along"
    assert str(second) in window.status.database.full_text()  # elided: in its tooltip
    assert window.statusBar().currentMessage() == f"✓ Opened {second}"

    tag_first_phrase(window, "idecabtagene vicleucel")
    assert [(s.label, s.text) for s in stored(window)] == [("therapy", "idecabtagene vicleucel")]
    assert all_spans(window.ws.db) == [("therapy", "idecabtagene vicleucel")]
    assert all_spans(samples_db) == [("therapy", "BCMA")]


def test_a_new_name_opens_a_new_empty_database(
    qtbot,  # type: ignore[no-untyped-def]
    host: WindowHost,
    tmp_path: Path,
) -> None:
    fresh = tmp_path / "project.sqlite"
    answerer = ModalAnswerer(file=fresh)
    window = open_through_dialog(qtbot, host, [browse_and_open])
    answerer.stop()

    assert answerer.boxes == []
    assert window.ws.db.path == fresh
    assert documents.list_documents(window.ws.db) == []  # no sample articles slipped in
    assert window.doc_model.rowCount() == 0


def test_a_file_that_is_not_a_database_is_refused_and_the_window_stays(
    qtbot,  # type: ignore[no-untyped-def]
    host: WindowHost,
    samples_db: Database,
    tmp_path: Path,
) -> None:
    first = host.window
    first_path = samples_db.path
    assert first_path is not None
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list, not a database\n")
    samples_db.dispose()
    settle(first_path)
    before = fingerprint(first_path)

    answerer = ModalAnswerer()
    window = open_through_dialog(qtbot, host, [type_and_open(notes), cancel])
    answerer.stop()

    ((title, text),) = answerer.boxes
    assert title == FAILED_TITLE
    assert str(notes) in text and "not a Heme Curator database" in text
    assert f"Still working on {first_path}" in text
    assert window is first and window.ws.db is samples_db
    assert notes.read_text() == "shopping list, not a database\n"
    assert QSettings().value(KEY) is None, "a refused database entered the recent list"
    samples_db.dispose()
    settle(first_path)
    assert fingerprint(first_path) == before
    tag_first_phrase(window, "BCMA")  # and the window still works on it
    assert all_spans(samples_db) == [("therapy", "BCMA")]


def test_a_missing_folder_is_refused_and_the_first_file_is_untouched(
    qtbot,  # type: ignore[no-untyped-def]
    host: WindowHost,
    samples_db: Database,
    tmp_path: Path,
) -> None:
    first_path = samples_db.path
    assert first_path is not None
    missing = tmp_path / "folder-that-is-missing" / "x.sqlite"
    samples_db.dispose()
    settle(first_path)
    before = fingerprint(first_path)

    answerer = ModalAnswerer()
    open_through_dialog(qtbot, host, [type_and_open(missing), cancel])
    answerer.stop()

    assert [title for title, _ in answerer.boxes] == [FAILED_TITLE]
    assert "folder for this database does not exist" in answerer.boxes[0][1]
    samples_db.dispose()
    settle(first_path)
    assert fingerprint(first_path) == before


def test_recent_list_keeps_servers_without_password_and_reopens_the_first(
    qtbot,  # type: ignore[no-untyped-def]
    host: WindowHost,
    samples_db: Database,
    pg_url: str,
    tmp_path: Path,
) -> None:
    first_path = samples_db.path
    with_password = pg_url.replace("://curator@", "://curator:s3cret-pw@")
    assert "s3cret-pw" in with_password
    second = tmp_path / "second.sqlite"
    open_through_dialog(qtbot, host, [type_and_open(second)])
    window = open_through_dialog(qtbot, host, [type_and_open(with_password)])

    assert window.ws.db.path is None
    assert "s3cret-pw" not in window.status.database.text()
    assert QSettings().value(KEY) == [pg_url, str(second)]
    QSettings().sync()
    settings_file = Path(QSettings().fileName())
    assert "s3cret-pw" not in settings_file.read_text()

    seen: list[list[str]] = []

    def look(dialog: OpenDatabaseDialog) -> None:
        seen.append([dialog.recent.item(i).text() for i in range(dialog.recent.count())])
        cancel(dialog)

    open_through_dialog(qtbot, host, [look])
    assert seen == [[pg_url, str(second)]]

    # First the file itself, so that it is in the list; then Open recent from the menu.
    window = open_through_dialog(qtbot, host, [type_and_open(str(first_path))])
    window = open_through_dialog(qtbot, host, [type_and_open(pg_url)])
    assert QSettings().value(KEY) == [pg_url, str(first_path), str(second)]
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    file_menu = QApplication.activePopupWidget()
    QTest.keyClick(file_menu, Qt.Key.Key_R)  # Open &recent
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not file_menu)
    recent_menu = QApplication.activePopupWidget()
    assert [a.text() for a in recent_menu.actions()] == [pg_url, str(first_path), str(second)]
    QTest.keyClick(recent_menu, Qt.Key.Key_Down)
    QTest.keyClick(recent_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: host.window is not window)
    assert host.window.ws.db.path == first_path
    assert QSettings().value(KEY) == [str(first_path), pg_url, str(second)]
