"""Bad input, case by case: a clear message naming the file, and not a byte changed.

Each case runs through the surfaces a curator can reach it from: the real
``curator`` command in a child process (exit 1, ``error: ...``, no
traceback) and the app (a dialog, not a crash). The database is compared
byte for byte before and after (see ``helpers`` for why that is sound in WAL
mode). Malformed span files (JSONL, XML entities) are in ``test_bad_spans``
and export names that would leave the chosen folder in ``test_export_paths``.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.db import open_database
from curator.gui.main_window import MainWindow
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import (
    DATA,
    as_ordinary_user,
    assert_user_error,
    count,
    fingerprint,
    run_curator,
    settle,
)
from tests.reliability.processes import Child, lock_holder, release

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


# --- article files --------------------------------------------------------------------

ArticleCase = Callable[[Path], tuple[Path, list[str]]]


def _binary(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "figure.txt"
    path.write_bytes(PNG_HEADER + bytes(range(256)))
    return path, [str(path), "binary"]


def _not_utf8(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "notes.txt"
    path.write_bytes("Title\nsecond line\ncaf\u00e9 au lait\n".encode("latin-1"))
    return path, [f"{path}:3:", "UTF-8"]


def _empty(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path, [str(path), "empty"]


def _oversized(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "big.txt"  # over the 0.001 MB limit the tests set
    path.write_text("Big article\n" + "ruxolitinib " * 500, encoding="utf-8")
    return path, [str(path), "over the", "limit"]


ARTICLE_CASES: dict[str, ArticleCase] = {
    "binary": _binary,
    "not-utf8": _not_utf8,
    "empty": _empty,
    "oversized": _oversized,
}
SIZE_LIMIT = {"CURATOR_MAX_FILE_MB": "0.001"}


@pytest.mark.parametrize("case", list(ARTICLE_CASES))
def test_bad_article_in_cli(populated: Path, tmp_path: Path, case: str) -> None:
    bad, needles = ARTICLE_CASES[case](tmp_path)
    good = tmp_path / "good.txt"
    good.write_text("A good article\nshort\n", encoding="utf-8")
    before = fingerprint(populated)

    result = run_curator("--db", str(populated), "import", str(good), str(bad), env=SIZE_LIMIT)

    assert_user_error(result, *needles)
    assert fingerprint(populated) == before
    assert count(populated, "SELECT count(*) FROM document") == 4


@pytest.mark.parametrize("case", list(ARTICLE_CASES))
def test_bad_article_in_gui_shows_a_dialog(
    qtbot,  # type: ignore[no-untyped-def]
    populated: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    monkeypatch.setenv("CURATOR_MAX_FILE_MB", SIZE_LIMIT["CURATOR_MAX_FILE_MB"])
    bad, needles = ARTICLE_CASES[case](tmp_path)
    database = open_database(f"sqlite:///{populated}")
    window = MainWindow(database, "tester")  # opening records the last-opened document
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    database.dispose()
    settle(populated)
    before = fingerprint(populated)

    answerer = ModalAnswerer(file=bad)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File > Import
    qtbot.waitUntil(lambda: answerer.boxes != [], timeout=30_000)
    answerer.stop()

    ((title, text),) = answerer.boxes
    assert title == "Import failed — nothing was imported"
    for needle in needles:
        assert needle in text
    assert window.isVisible()
    database.dispose()
    assert fingerprint(populated) == before


# --- databases the app must refuse ----------------------------------------------------


@contextlib.contextmanager
def _newer(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zzzz'")
        conn.commit()
    settle(path)
    yield [str(path), "newer version", "9999zzzz"], {}


@contextlib.contextmanager
def _not_a_database(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    path.unlink()
    path.write_text("my notes, not a database\n" * 200, encoding="utf-8")
    yield [str(path), "not a Heme Curator database"], {}


@contextlib.contextmanager
def _read_only_file(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    path.chmod(0o444)
    try:
        yield [str(path), "read-only"], {}
    finally:
        path.chmod(0o644)


@contextlib.contextmanager
def _read_only_folder(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    path.parent.chmod(0o555)  # no -wal or -shm file can be made beside it
    try:
        yield [str(path), "read-only"], {}
    finally:
        path.parent.chmod(0o755)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    holder = lock_holder(path)  # another program holds BEGIN EXCLUSIVE
    try:
        yield [str(path), "locked by another program", "0.3 s"], {"CURATOR_BUSY_TIMEOUT_MS": "300"}
    finally:
        release(holder)


DATABASE_CASES = {
    "newer-version": _newer,
    "not-a-database": _not_a_database,
    "read-only-file": _read_only_file,
    "read-only-folder": _read_only_folder,
    "locked": _locked,
}
COMMANDS = {
    "import": ["import", str(DATA / "01_car_t_t_all.txt")],
    "list": ["list"],
    "upgrade": ["db", "upgrade"],
}


def _wal_cleared(path: Path) -> None:
    """A read-only open leaves an empty -wal behind; it carries nothing."""
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(DATABASE_CASES))
def test_bad_database_in_cli(tmp_path: Path, populated: Path, case: str, command: str) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    path = populated.rename(folder / "curator.sqlite")
    with DATABASE_CASES[case](path) as (needles, env):
        before = fingerprint(path)
        result = run_curator(
            "--db", str(path), *COMMANDS[command], env=env, ordinary_user="read-only" in case
        )
        assert_user_error(result, *needles)
        _wal_cleared(path)
    assert fingerprint(path) == before
    assert not (folder / "backups").exists()


@pytest.mark.parametrize("case", list(DATABASE_CASES))
def test_bad_database_in_gui_shows_a_dialog_and_returns_1(
    tmp_path: Path, populated: Path, case: str
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    path = populated.rename(folder / "curator.sqlite")
    with DATABASE_CASES[case](path) as (needles, env):
        before = fingerprint(path)
        cmd = [sys.executable, "-m", "tests.reliability.gui_child", str(path)]
        child = Child(as_ordinary_user(cmd) if "read-only" in case else cmd, env=env)
        assert child.finish(timeout=120) == 0, child.err
        _wal_cleared(path)
    shown = [json.loads(line) for line in child.out]
    assert shown[-1] == {"returned": 1}, shown
    ((box),) = shown[:-1]
    assert box["title"] == "Heme Curator cannot open its database"
    for needle in needles:
        assert needle in box["text"]
    assert not any("Traceback" in line for line in child.err), child.err
    assert fingerprint(path) == before


def test_gui_child_opens_a_good_database(populated: Path) -> None:
    """The harness above can tell success from failure: a good file opens the window."""
    child = Child([sys.executable, "-m", "tests.reliability.gui_child", str(populated)])
    assert child.finish(timeout=120) == 0, child.err
    shown = [json.loads(line) for line in child.out]
    assert shown[-1] == {"returned": 0}
    assert any("window" in item for item in shown)
