"""Child processes whose output is read as it comes, so they can be killed mid-stream."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from tests.reliability.helpers import REPO


class Child:
    """A process whose stdout and stderr lines are collected by background threads."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.PIPE,
            cwd=REPO,
            env={**os.environ, **(env or {})},
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.out), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.err), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _pump(stream: IO[bytes], into: list[str]) -> None:
        # Only whole lines count: a line cut by the kill has no "\n" and was
        # never fully reported.
        for raw in stream:
            line = raw.decode("utf-8", "replace")
            if line.endswith("\n"):
                into.append(line[:-1])

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 60) -> None:
        """Wait until a line satisfies *predicate* (or the process ends)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(predicate(line) for line in self.out + self.err):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.005)
        for thread in self._threads:
            thread.join(timeout=5)
        if not any(predicate(line) for line in self.out + self.err):
            raise AssertionError(f"child never printed the line waited for: {self.err[-5:]}")

    def kill(self) -> int:
        """SIGKILL: no cleanup handler, no atexit, no flush: a power cut for the process."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        return self.finish()

    def finish(self, timeout: float = 120) -> int:
        code = self.proc.wait(timeout=timeout)
        for thread in self._threads:
            thread.join(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code


def edit_child(db: Path, seed: int, curator: str, limit: int | None = None) -> Child:
    args = [sys.executable, "-m", "tests.reliability.edit_child", str(db), str(seed), curator]
    if limit is not None:
        args.append(str(limit))
    return Child(args)


def lock_holder(db: Path) -> Child:
    """Another program that takes the write lock and holds it until told to stop."""
    code = (
        "import sqlite3, sys\n"
        f"conn = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "conn.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
        "conn.execute('ROLLBACK')\n"
        "conn.close()\n"
    )
    child = Child([sys.executable, "-c", code])
    child.wait_for(lambda line: line == "locked")
    return child


def release(holder: Child) -> None:
    assert holder.proc.stdin is not None
    holder.proc.stdin.write(b"\n")
    holder.proc.stdin.flush()
    assert holder.finish() == 0
