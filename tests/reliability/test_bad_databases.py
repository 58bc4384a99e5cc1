"""Databases the app must refuse: a newer schema, not a database, read-only, locked.

Each through ``import``, ``list`` and ``db upgrade`` (in a child process for
the read-only cases, which need a user without root's powers; in this process
for the others), and
through starting the app: a clear message naming the file, exit 1, no
traceback, and the file byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    DATA,
    as_ordinary_user,
    assert_user_error,
    curator_in_process,
    fingerprint,
    run_curator,
    settle,
)
from tests.reliability.processes import Child, lock_holder, release

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


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
def test_bad_database_in_cli(
    tmp_path: Path, populated: Path, monkeypatch: pytest.MonkeyPatch, case: str, command: str
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    path = populated.rename(folder / "curator.sqlite")
    with DATABASE_CASES[case](path) as (needles, env):
        before = fingerprint(path)
        args = ("--db", str(path), *COMMANDS[command])
        if "read-only" in case:  # a real process, without root's powers over the file
            result = run_curator(*args, env=env, ordinary_user=True)
        else:  # the same refusal in this process (see curator_in_process)
            result = curator_in_process(monkeypatch, *args, env=env)
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
