"""Files left behind by a killed command are cleaned up; a brat export is replaced atomically.

Each command runs in a child process that stops at a named step (while its
temporary exists, or half-way through replacing a folder) and is killed
there with SIGKILL, so no cleanup of any kind runs. Then the same operation
runs again, for real: it removes what the dead process left (and nothing
that a live process owns), and the destination holds a complete export at
every moment: the previous one or the new one, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from curator.core.files import leftovers
from curator.core.spans import annotate
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from tests.reliability.helpers import run_curator, settle
from tests.reliability.processes import Child

Versions = tuple[Path, dict[str, bytes], dict[str, bytes]]


def paused(
    step: str, *args: str, fallback: bool = False, env: dict[str, str] | None = None
) -> Child:
    """``curator ARGS`` stopped at *step*; the caller kills it."""
    swap = "fallback" if fallback else "exchange"
    cmd = [sys.executable, "-m", "tests.reliability.pause_child", step, swap, *args]
    child = Child(cmd, env)
    child.wait_for(lambda line: line == f"paused at {step}")
    assert child.proc.poll() is None, child.err[-5:]
    return child


def owner(pid: int) -> str:
    """The owner tag of process *pid* on this machine."""
    return f"{pid}@{leftovers.owner_tag().split('@')[1]}"


def dead_owner() -> str:
    """The owner tag of a process that has exited (and was reaped)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return owner(int(proc.stdout))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under *root*, by relative path, with its bytes."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def add_span(db_path: Path, curator: str, start: int = 0, end: int = 4) -> None:
    database = open_database(f"sqlite:///{db_path}")
    try:
        uid = database_uids(db_path)[0]
        annotate.add_span(database, uid, curator, annotate.NewSpan(start, end, "target"))
    finally:
        database.dispose()
    settle(db_path)


def database_uids(db_path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return [r[0] for r in conn.execute("SELECT uid FROM document ORDER BY uid")]


def export(db_path: Path, out: Path, fmt: str) -> None:
    result = run_curator("--db", str(db_path), "export", "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr


def hidden(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


@pytest.fixture
def spans_db(populated: Path) -> Path:
    add_span(populated, "ana")
    return populated


# --- JSONL export --------------------------------------------------------------------------


def test_killed_jsonl_export_leaves_the_old_file_and_its_temporary_goes_next_time(
    spans_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "spans.jsonl"
    out.parent.mkdir()
    export(spans_db, out, "jsonl")
    before = out.read_bytes()
    live = out.parent / f".spans.jsonl.{owner(os.getpid())}.x.tmp"
    live.write_bytes(b"a live process is writing this")  # owned by this (live) test process
    add_span(spans_db, "bea", 5, 9)

    child = paused("file-written", "--db", str(spans_db), "export", "-o", str(out))
    child.kill()

    assert out.read_bytes() == before
    left = [n for n in hidden(out.parent) if n != live.name]
    assert len(left) == 1 and re.fullmatch(r"\.spans\.jsonl\.\d+@[\w-]+\.\w+\.tmp", left[0])
    assert (out.parent / left[0]).stat().st_size > len(before)  # the complete new export

    export(spans_db, out, "jsonl")

    assert hidden(out.parent) == [live.name]  # the dead one's went; the live one's stayed
    assert b'"bea"' in out.read_bytes()


# --- brat: temporaries and atomic replacement ----------------------------------------------


@pytest.fixture
def brat_versions(spans_db: Path, tmp_path: Path) -> Versions:
    """(database, the export before, the export after a new span), made the ordinary way."""
    export(spans_db, tmp_path / "v1", "brat")
    add_span(spans_db, "bea", 5, 9)
    export(spans_db, tmp_path / "v2", "brat")
    v1, v2 = tree(tmp_path / "v1"), tree(tmp_path / "v2")
    assert v1 != v2 and "bea" not in {k.split("/")[0] for k in v1}
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "v1").rename(out / "brat")
    return spans_db, v1, v2


@pytest.mark.parametrize(
    ("step", "fallback", "expected"),
    [("before-exchange", False, "v1"), ("after-exchange", False, "v2"),
     ("before-exchange", True, "v1")],
)  # fmt: skip
def test_a_kill_during_a_brat_replacement_leaves_one_complete_export(
    brat_versions: Versions,
    tmp_path: Path,
    step: str,
    fallback: bool,
    expected: str,
) -> None:
    db_path, v1, v2 = brat_versions
    dest = tmp_path / "out" / "brat"
    args = ("--db", str(db_path), "export", "--format", "brat", "-o", str(dest))

    paused(step, *args, fallback=fallback).kill()

    assert tree(dest) == (v1 if expected == "v1" else v2)
    assert len(hidden(dest.parent)) == 1  # the dead export's temporary tree
    export(db_path, dest, "brat")
    assert tree(dest) == v2
    assert hidden(dest.parent) == []


def test_a_kill_between_the_two_renames_is_undone_by_the_next_export(
    brat_versions: Versions, tmp_path: Path
) -> None:
    """Systems without a one-step swap move the old tree aside first; a kill right then
    leaves it aside, and the next export to the same place moves it back before anything
    else: here that next export is killed too, before its own swap, and the previous
    export is at the destination again."""
    db_path, v1, v2 = brat_versions
    dest = tmp_path / "out" / "brat"
    args = ("--db", str(db_path), "export", "--format", "brat", "-o", str(dest))

    paused("between-renames", *args, fallback=True).kill()
    assert not dest.exists()
    paused("before-exchange", *args, fallback=True).kill()

    assert tree(dest) == v1
    export(db_path, dest, "brat")
    assert tree(dest) == v2
    assert hidden(dest.parent) == []


def test_import_of_a_folder_never_reads_a_temporary_export_tree(
    spans_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("One article\n\nAbout ruxolitinib.\n", "utf-8")
    paused("before-rename", "--db", str(spans_db), "export", "--format", "brat",
           "-o", str(folder / "brat")).kill()  # fmt: skip
    assert len(hidden(folder)) == 1
    target = tmp_path / "fresh.sqlite"

    result = run_curator("--db", str(target), "import", str(folder))

    assert result.returncode == 0, result.stderr
    assert "1 document added" in result.stderr


# --- merge ---------------------------------------------------------------------------------


def test_killed_merge_of_a_jsonl_leaves_a_folder_the_next_merge_removes(
    spans_db: Path, tmp_path: Path
) -> None:
    source = tmp_path / "ana.jsonl"
    export(spans_db, source, "jsonl")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    target = tmp_path / "target.sqlite"
    env = {"TMPDIR": str(scratch)}

    paused("merge-source-loaded", "--db", str(target), "merge", str(source), env=env).kill()
    assert [p.name.startswith("curator-merge-") for p in scratch.iterdir()] == [True]

    result = run_curator("--db", str(target), "merge", str(source), env=env)

    assert result.returncode == 0, result.stderr
    assert list(scratch.iterdir()) == []


# --- backups -------------------------------------------------------------------------------


def test_killed_backup_leaves_a_partial_that_is_never_a_backup_and_is_removed(
    spans_db: Path,
) -> None:
    backups = spans_db.parent / "backups"
    keep = {"CURATOR_KEEP_BACKUPS": "1"}
    paused("backup-copied", "--db", str(spans_db), "db", "backup", env=keep).kill()
    (partial,) = backups.iterdir()
    assert partial.name.endswith(".partial")
    journal = backups / f"curator-20200101T000000000000Z-x.sqlite.{dead_owner()}.partial-journal"
    journal.write_bytes(b"journal of a dead copy")

    made = [run_curator("--db", str(spans_db), "db", "backup", env=keep) for _ in range(2)]

    assert [r.returncode for r in made] == [0, 0], made[-1].stderr
    assert [p.name for p in backups.iterdir()] == [Path(made[-1].stdout.strip()).name]


def test_partials_of_older_versions_are_pruned_only_when_abandoned(spans_db: Path) -> None:
    database = open_database(f"sqlite:///{spans_db}")
    try:
        first = migrate.backup_sqlite(database)
        old = first.with_name(first.name.replace("-manual", "-before-x") + ".partial")
        fresh = first.with_name(first.name.replace("-manual", "-before-y") + ".partial")
        old.write_bytes(b"abandoned")
        fresh.write_bytes(b"maybe still written")
        os.utime(old, (0, 0))
        migrate.backup_sqlite(database)
    finally:
        database.dispose()
    assert not old.exists()
    assert fresh.exists()


def test_leftover_names_are_recognised_only_in_full(tmp_path: Path) -> None:
    dead = dead_owner()
    pattern = re.compile(rf"\.a\.(?P<owner>{leftovers.TAG_PATTERN})\.\w+\.tmp")
    ours = tmp_path / f".a.{dead}.abc.tmp"
    similar = [tmp_path / f"x.a.{dead}.abc.tmp", tmp_path / f".a.{dead}.abc.tmp.txt"]
    alive = tmp_path / f".a.{owner(os.getpid())}.abc.tmp"
    for path in (ours, *similar, alive):
        path.write_text("")
    assert leftovers.remove_stale(tmp_path, pattern) == [ours]
    assert all(path.exists() for path in (*similar, alive))
