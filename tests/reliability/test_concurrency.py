"""Two programs on one SQLite file: nothing lost, no "database is locked" crash.

Writers take the write lock with ``BEGIN IMMEDIATE`` and wait for it up to
the busy timeout, so concurrent writers queue instead of failing. In WAL
mode a commit itself never waits for a lock (readers do not block it and
the automatic checkpoint after a commit gives up quietly), so there is no
busy error at commit time to retry; these tests would show one if there
were. Only a lock held longer than the timeout is an error, and it comes
as a clear message with nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from curator import cli
from curator.core.articles import corpus
from curator.core.storage.db import Database, open_database
from curator.gui.main_window import MainWindow
from tests import fresh_db
from tests.gui.helpers import open_by_title, press, select_with_keys, stored
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import DATA, count, curator_cmd, integrity, write_articles
from tests.reliability.processes import Child, edit_child, lock_holder, release
from tests.reliability.test_crash import stored_spans


def _prepare(path: Path) -> None:
    database = fresh_db.fresh_database(path)
    try:
        corpus.import_articles(database, [DATA])
    finally:
        database.dispose()


def _final_states(child: Child) -> dict[str, dict[str, object]]:
    states: dict[str, dict[str, object]] = {}
    for line in child.out:
        if line != "ready":
            record = json.loads(line)
            record.pop("op")
            states[record["uid"]] = record
    return states


def test_two_editors_and_an_import_at_once_lose_nothing(db_path: Path, tmp_path: Path) -> None:
    _prepare(db_path)
    folder = tmp_path / "batch"
    files = write_articles(folder, 150, tag="concurrent", words=400)
    editors = [edit_child(db_path, seed=i, curator=f"curator{i}", limit=150) for i in (1, 2)]
    importer = Child(curator_cmd("--db", str(db_path), "import", str(folder)))

    codes = [c.finish() for c in [*editors, importer]]

    assert codes == [0, 0, 0], [c.err[-3:] for c in [*editors, importer]]
    reported = {}
    for editor in editors:
        reported.update(_final_states(editor))
    assert len(reported) > 0
    assert stored_spans(db_path) == reported
    assert count(db_path, "SELECT count(*) FROM document") == 4 + len(files)
    assert integrity(db_path) == ["ok"]


def test_programs_starting_together_on_a_new_file_all_succeed(tmp_path: Path) -> None:
    """The first start creates the schema; the others wait for it and find it done."""
    db = tmp_path / "new.sqlite"
    folders = [tmp_path / f"part{i}" for i in range(3)]
    for i, folder in enumerate(folders):
        write_articles(folder, 20, tag=f"part{i}")
    children = [Child(curator_cmd("--db", str(db), "import", str(f))) for f in folders]

    codes = [c.finish() for c in children]

    assert codes == [0, 0, 0], [c.err[-3:] for c in children]
    assert count(db, "SELECT count(*) FROM document") == 60
    assert cli.main(["--db", str(db), "db", "check"]) == 0


def _tag(window: MainWindow, phrase: str, key: Qt.Key) -> None:
    text = window.view.text()
    start = text.index(phrase)
    select_with_keys(window, start, start + len(phrase))
    press(window, key)


def test_the_app_edits_while_a_cli_import_runs(window: MainWindow, tmp_path: Path) -> None:
    db = window.ws.db
    assert db.path is not None
    folder = tmp_path / "batch"
    files = write_articles(folder, 300, tag="alongside", words=600)
    importer = Child(
        curator_cmd("--db", str(db.path), "import", str(folder)), env={"CURATOR_PROGRESS": "lines"}
    )
    open_by_title(window, "BCMA")
    # The import has read its files and is about to write (or writing): the
    # app's edits now queue for the write lock behind it.
    importer.wait_for(lambda line: f"importing {len(files)}/{len(files)} files" in line)
    phrases = ["idecabtagene vicleucel", "BCMA", "Nikhil Munshi"]
    for phrase, key in zip(phrases, (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_4), strict=True):
        _tag(window, phrase, key)

    assert importer.finish() == 0, importer.err[-3:]
    assert sorted(s.text for s in stored(window)) == sorted(phrases)
    assert count(db.path, "SELECT count(*) FROM document") == 4 + len(files)


def test_an_edit_while_another_program_holds_the_lock_is_refused_clearly(
    qtbot,  # type: ignore[no-untyped-def]
    samples_db: Database,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("CURATOR_BUSY_TIMEOUT_MS", "200")
    assert samples_db.path is not None
    database = open_database(samples_db.url)  # opened with the short timeout
    window = MainWindow(database, "tester")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    open_by_title(window, "BCMA")
    holder = lock_holder(samples_db.path)
    answerer = ModalAnswerer()
    try:
        _tag(window, "BCMA", Qt.Key.Key_2)
        qtbot.waitUntil(lambda: answerer.boxes != [], timeout=30_000)
    finally:
        answerer.stop()
        release(holder)
    ((_title, text),) = answerer.boxes
    assert str(samples_db.path) in text
    assert "locked by another program" in text
    assert "Not saved" in window.statusBar().currentMessage()
    assert stored(window) == []
    # Once the other program lets go, the same edit goes through (the window
    # is active again once the box is closed, as a window manager makes it).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _tag(window, "BCMA", Qt.Key.Key_2)
    assert [s.text for s in stored(window)] == ["BCMA"]
    database.dispose()
