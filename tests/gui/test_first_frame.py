"""``curator gui`` paints the article first, then completes the same window.

The subprocess tests run ``curator`` as its script does (``curator.launch``)
and read what it reports at each painted frame (``first_frame_child``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from curator import launch
from curator.core.articles import corpus, documents
from curator.core.articles.text import text_uid
from curator.core.spans import annotate
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.first_article import read_first_article
from curator.gui import first_frame
from curator.gui.main_window import MainWindow
from tests.conftest import CURRENT_HEAD
from tests.gui.helpers import press, select_with_keys

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


def _curator(
    db_path: Path, tmp_path: Path, *args: str, curator: str = "ana", code: int = 0, **env_vars: str
) -> list[dict[str, Any]]:
    env = dict(os.environ)
    env.update(
        CURATOR_REPORT_PAINTED="1",
        QT_QPA_PLATFORM="offscreen",
        CURATOR_MODEL_SUGGESTIONS="off",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        **env_vars,
    )
    env.pop("CURATOR_DB", None)
    command = [sys.executable, "-m", "tests.gui.first_frame_child"]
    command += ["--db", str(db_path), "--curator", curator, *args]
    done = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == code, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    for line in lines:
        line["stderr"] = done.stderr
    return lines


def _events(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {line["event"]: line for line in lines}


@pytest.fixture
def samples(db: Database) -> Database:
    corpus.import_articles(db, [DATA])
    return db


def test_the_first_frame_shows_the_article_titled_before_sqlalchemy_is_imported(
    samples: Database, db_path: Path, tmp_path: Path
) -> None:
    uid, title, _status = documents.document_rows(samples, "ana")[-1]
    documents.mark_opened(samples, uid, "ana")
    events = _events(_curator(db_path, tmp_path, "gui"))
    text = events["text"]
    assert text["windows"] == [["FirstWindow", first_frame.window_title(title)]]
    assert not text["sqlalchemy"] and not text["cli"]
    assert events["window"]["windows"] == text["windows"]  # the window's first frame: the same
    done = events["complete"]
    # The same single window, now holding the real main window with the same article.
    assert done["windows"] == [["FirstWindow", first_frame.window_title(title)]]
    assert done["embedded"] and done["main_title"] == first_frame.window_title(title)
    assert done["documents"] == 4
    assert done["text_chars"] > 0


def test_without_a_command_the_app_starts_the_same_way(
    samples: Database, db_path: Path, tmp_path: Path
) -> None:
    text = _events(_curator(db_path, tmp_path))["text"]
    assert text["windows"][0][0] == "FirstWindow" and not text["sqlalchemy"]


def test_a_bad_setting_found_while_completing_is_an_error_and_nothing_is_written(
    samples: Database, db_path: Path, tmp_path: Path
) -> None:
    samples.dispose()
    before = db_path.read_bytes()
    lines = _curator(db_path, tmp_path, "gui", code=1, CURATOR_KEEP_BACKUPS="many")
    events = _events(lines)
    assert "text" in events and "complete" not in events  # painted, then stopped
    assert "CURATOR_KEEP_BACKUPS" in events["dialog"]["text"]
    (error,) = [line for line in lines[0]["stderr"].splitlines() if line.startswith("error:")]
    assert "CURATOR_KEEP_BACKUPS" in error and "Traceback" not in lines[0]["stderr"]
    assert db_path.read_bytes() == before


def test_a_schema_older_than_head_takes_the_usual_start_with_its_backup(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite"
    old = open_database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    old.dispose()
    text = "Imatinib in CML."
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO document(uid, title, source, text, meta, created_at) VALUES "
            "(?, 'Old article', '', ?, '{}', '2026-01-01 00:00:00')",
            (text_uid(text), text),
        )
    assert read_first_article(path, "ana") is None
    lines = _curator(path, tmp_path, "gui")
    events = _events(lines)
    assert events["text"]["cli"]  # the command line's start, as before
    assert events["text"]["windows"] == [["MainWindow", "Old article — Heme Curator"]]
    assert "database upgraded; the previous version was kept at" in lines[0]["stderr"]
    (backup,) = (tmp_path / "backups").iterdir()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (CURRENT_HEAD,)
    with contextlib.closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("SELECT title FROM document").fetchall() == [("Old article",)]


def test_a_missing_database_is_made_by_the_usual_start(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    events = _events(_curator(path, tmp_path, "gui"))
    assert events["window"]["cli"]
    assert events["window"]["windows"][0][0] == "MainWindow"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (CURRENT_HEAD,)


def test_a_server_url_or_anything_unusual_goes_to_the_command_line_unchanged() -> None:
    url = "postgresql+psycopg://ana@db.invalid/curation"
    assert launch.plain_gui(["--db", url, "gui"]) == (url, None)
    assert launch._first_frame(url, "ana") is None  # no window, no connection tried
    assert QApplication.topLevelWidgets() == [] or all(
        not w.isVisible() for w in QApplication.topLevelWidgets()
    )
    assert launch.plain_gui(["--curator=ana", "-q", "gui"]) == (None, "ana")
    assert launch.plain_gui([]) == (None, None)
    for other in (["list"], ["gui", "--help"], ["--version"], ["--db"], ["gui", "gui"],
                  ["--cur", "ana"], ["--db", "a", "--db", "b"]):  # fmt: skip
        assert launch.plain_gui(other) is None, other


def test_the_completed_window_tags_spans_and_the_database_holds_them(
    qtbot,  # type: ignore[no-untyped-def]
    samples: Database,
    db_path: Path,
    tmp_path: Path,
) -> None:
    article = read_first_article(db_path, "ana")
    assert article is not None
    window = first_frame.FirstWindow(article, samples.url, "ana", seed=False)
    qtbot.addWidget(window)
    assert window.stand_in is not None
    stand_in = window.stand_in.view
    assert stand_in.text() == article.text
    word = article.text.index(" ") + 1
    end = article.text.index(" ", word)
    stand_in.select_range(word, end)  # before the window is complete: not accepted
    QTest.keyClick(stand_in, Qt.Key.Key_1)
    QTest.keyClick(stand_in, Qt.Key.Key_X)
    assert stand_in.text() == article.text
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: window.main is not None and window.main.is_loaded, timeout=20_000)
    main = window.main
    assert isinstance(main, MainWindow)
    assert main.window() is window and window.stand_in is None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    assert window.windowTitle() == first_frame.window_title(article.title)
    assert main.ws.document is not None and main.ws.document.uid == article.uid
    assert annotate.spans_for(samples, article.uid, "ana") == []
    select_with_keys(main, word, end)
    press(main, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: len(annotate.spans_for(samples, article.uid, "ana")) == 1)
    (span,) = annotate.spans_for(samples, article.uid, "ana")
    assert (span.start, span.label) == (word, "therapy")
    # Opening another document retitles the one window.
    other = next(uid for uid, *_ in main.doc_model.rows if uid != article.uid)
    main.ws.open_document(other)
    assert window.windowTitle() == main.windowTitle() != first_frame.window_title(article.title)
    # File > Open database: the new database's window replaces this one, as ever.
    other_path = tmp_path / "other.sqlite"
    other_db = open_database(f"sqlite:///{other_path}")
    migrate.upgrade(other_db)
    assert window.host is not None
    window.host.switch_to(other_db)
    replacement = window.host.window
    qtbot.addWidget(replacement)
    assert replacement.isVisible() and replacement.isWindow() and not window.isVisible()
    assert replacement.ws.db is other_db
    replacement.close()
    other_db.dispose()


def test_the_stand_in_menus_are_the_main_window_s(window: MainWindow) -> None:
    titles = tuple(action.text() for action in window.menuBar().actions())
    assert titles == first_frame.MENU_TITLES
