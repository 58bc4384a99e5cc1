"""What the CLI tests share: running ``curator`` in-process or as a real process."""

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

from curator import cli

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DATA = REPO / "data"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process, with this test's (isolated) environment."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "curator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``curator ARGS`` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()  # drop anything printed before
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listing(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, Any]]:
    code, out, err = call(capsys, "--db", str(db), "list", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert isinstance(result, list)
    return result


def document_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM document").fetchone()[0]


def article_files(folder: Path, count: int, prefix: str = "article") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        path = folder / f"{prefix}_{i:02d}.txt"
        path.write_text(f"{prefix} title {i}\n\nBody of {prefix} {i}: ruxolitinib.\n")
        files.append(path)
    return files


def assert_user_error(code: int, err: str, *needles: str) -> None:
    assert code == 1, err
    assert err.startswith("error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)
