"""Shared tools of the reliability suite: real processes, real files, exact checks.

How "the database is byte-identical afterwards" is decided: before the bad
input, every connection is closed and the WAL is checkpointed (TRUNCATE), so
the main file holds every committed page. Afterwards, again with every
connection closed, the main file must hash the same and the ``-wal`` file
must be absent or empty: a commit that sits only in the WAL (not yet
checkpointed) would otherwise slip past a hash of the main file. Hashing a
``.dump`` instead was rejected: it ignores the file header (journal mode,
schema cookie, user_version), which is exactly what an unwanted write to a
refused database tends to change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


def settle(path: Path) -> None:
    """Move every committed page into the main file (all other connections closed)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fingerprint(path: Path) -> str:
    """SHA-256 of the main file; fails if a committed change hides in the WAL."""
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{wal} holds uncheckpointed frames"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def count(path: Path, sql: str, *params: object) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def write_articles(folder: Path, n: int, tag: str, words: int = 40) -> list[Path]:
    """*n* distinct articles (distinct text, so distinct document ids)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = " ".join(f"ruxolitinib{i % 97}" for i in range(words))
    files = []
    for i in range(n):
        path = folder / f"{tag}_{i:04d}.txt"
        path.write_text(f"{tag} article {i}\n\n{body} end of {tag} {i}.\n", encoding="utf-8")
        files.append(path)
    return files


def curator_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "curator", *args]


def run_curator(
    *args: str,
    env: dict[str, str] | None = None,
    ordinary_user: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """The real ``curator`` command in a child process."""
    cmd = curator_cmd(*args)
    return subprocess.run(
        as_ordinary_user(cmd) if ordinary_user else cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=REPO,
        timeout=timeout,
        check=False,
    )


def curator_in_process(
    monkeypatch: pytest.MonkeyPatch, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``curator ARGS`` through ``cli.main`` in this process, shaped as ``run_curator``'s result.

    A child process costs most of a CPU second (Python, SQLAlchemy and Alembic
    imported again) and checks nothing more about a refusal: the exit code,
    the one ``error:`` line, the empty stdout and the unchanged file are the
    same in this process, and an exception escaping ``main`` fails the test
    as a traceback would. Each test of a refusal keeps a case or more as a real
    process, so the path through ``python -m curator`` stays covered.
    """
    from tests.reliability.input_builders import environment, run_main

    with environment(monkeypatch, env or {}):
        code, out, err = run_main(*args)
    return subprocess.CompletedProcess(["curator", *args], code, out, err)


def assert_user_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 1, ``error: ...`` on stderr, no traceback, nothing on stdout."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == "", result.stdout
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


# --- a user without root's powers -------------------------------------------------------


def as_ordinary_user(cmd: list[str]) -> list[str]:
    """*cmd* run so that file permissions bind it, even when the tests run as root.

    Root passes every permission check through two capabilities
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); dropping them from the bounding
    set (``setpriv``, util-linux) leaves a root process bound by the owner
    bits like anyone else. CI runs as root, and this keeps the read-only
    cases real there instead of skipped.
    """
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test read-only files as root"
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--", *cmd]
