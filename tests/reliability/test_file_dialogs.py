"""File dialogs never cost the app its database locks: nothing tagged afterwards is lost.

SQLite's locks are POSIX locks, dropped by closing any descriptor of the
file in the process. A file dialog that opened the database to guess its
type (Qt's stock dialogs do) silently unlocked it: another program's next
read checkpointed and deleted the ``-wal`` file the app still wrote into,
and every span tagged after that vanished with a kill -9.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.reliability.helpers import integrity, run_curator
from tests.reliability.processes import Child, edit_child

DIALOGS = 4  # merge, import, export's Choose…, open database's Browse…


def _app_child(db: Path, tmp_path: Path, prefix: list[str] | None = None) -> Child:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "tests.reliability.dialog_child", str(db)]
    return Child([*(prefix or []), *cmd], env=env)


def _stored_uids(db: Path, curator: str) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT a.uid FROM annotation a JOIN curator c ON c.id = a.curator_id"
            " WHERE c.name = ? AND a.deleted_at IS NULL",
            (curator,),
        ).fetchall()
    return {uid for (uid,) in rows}


def _saved(child: Child) -> set[str]:
    return {line.split()[1] for line in child.out if line.startswith("saved ")}


def test_spans_tagged_after_every_file_dialog_survive_kill_9(
    populated: Path, tmp_path: Path
) -> None:
    app = _app_child(populated, tmp_path)
    try:
        written = _edit_around_other_programs(app, populated)
    finally:
        app.kill()

    saved = _saved(app)
    assert len(saved) == 7
    assert _stored_uids(populated, "ana") == saved
    assert _stored_uids(populated, "bob") == written
    assert integrity(populated) == ["ok"]


def _edit_around_other_programs(app: Child, db: Path) -> set[str]:
    """Let other programs read and write while the app waits, then let it edit; their spans."""
    app.wait_for(lambda line: line.startswith("dialogs shown"))
    assert f"dialogs shown: {DIALOGS}" in app.out, (app.out, app.err[-5:])

    # Other programs on the same file meanwhile: a reader (the last one out
    # checkpoints, and deletes the -wal file if it can lock the database) and
    # a writer.
    assert run_curator("--db", str(db), "list").returncode == 0
    writer = edit_child(db, seed=7, curator="bob", limit=3)
    assert writer.finish() == 0
    last = {r["uid"]: r for r in map(json.loads, writer.out[1:])}
    assert run_curator("--db", str(db), "list").returncode == 0

    assert app.proc.stdin is not None
    app.proc.stdin.write(b"go\n")
    app.proc.stdin.flush()
    app.wait_for(lambda line: line == "edited")
    return {uid for uid, record in last.items() if not record["deleted"]}


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to trace system calls")
def test_no_file_dialog_opens_the_database_file(populated: Path, tmp_path: Path) -> None:
    """Between the app's first edit and the last dialog closed, no open of the file at all."""
    trace = tmp_path / "trace.txt"
    prefix = ["strace", "-f", "-qq", "-e", "trace=openat,write", "-o", str(trace)]
    app = _app_child(populated, tmp_path, prefix)
    try:
        app.wait_for(lambda line: line.startswith("dialogs shown"))
        assert app.proc.stdin is not None
        app.proc.stdin.write(b"quit\n")
        app.proc.stdin.flush()
        assert app.finish(timeout=60) == 0
    finally:
        app.kill()  # strace and the app, if anything above failed
    assert f"dialogs shown: {DIALOGS}" in app.out, (app.out, app.err[-5:])
    lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
    first = next(i for i, line in enumerate(lines) if 'write(1, "saved ' in line)
    last = next(i for i, line in enumerate(lines) if 'write(1, "dialogs shown' in line)
    name = f'"{populated}"'
    assert any(name in line for line in lines[:first]), "SQLite's own open is not in the trace"
    opened = [line for line in lines[first:last] if "openat(" in line and name in line]
    assert opened == [], "\n".join(opened)
