"""A child process that reads the database in the command's own snapshot: both sides of it.

Two connections on two threads of one process do not read or build faster
than one: SQLite counts its memory under one lock per process, taken by
every allocation, and the ``sqlite3`` driver takes the interpreter's lock
back for every row. Two processes share neither. So a command that reads a
large SQLite file may start a child (the export's
:mod:`curator.core.interchange.lines_process`, agreement's
:mod:`curator.core.agreement.spans_process`), which begins its read
transaction while the command holds the write lock for a moment, so that
both read one snapshot, then does half the work into an unnamed temporary
file the command reads back.

A child only ever saves time: if it cannot start, pin the snapshot in time
or finish, the command does that half itself. Protocol, one line each way on
the child's standard input and output: ``pin`` / ``pinned``, then the job /
the child's answer. The child imports only the standard library and the
module it runs: it starts while the command waits.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Self

if TYPE_CHECKING:
    import subprocess

PIN_WAIT_S = 1.0
"""How long the command waits for the child to pin its snapshot before going alone."""


class SnapshotChild:
    """The child process, from the command's side."""

    module: str
    """The module whose ``main()`` the child runs (a subclass names its own)."""

    def __init__(self, child: subprocess.Popen[bytes], part: IO[bytes]) -> None:
        self.child = child
        self.part = part
        self.pinned = False
        self.asked = False

    @classmethod
    def start(cls, database: Path, folder: Path | None = None) -> Self | None:
        """A child reading *database*, its part file in *folder* (else the temporary
        folder); None where it cannot help."""
        import subprocess
        import tempfile

        if os.name != "posix" or (os.cpu_count() or 1) < 2 or not sys.executable:
            return None
        if getattr(sys, "frozen", False):
            return None  # the desktop build's executable is the app, not a Python that takes -c
        try:
            part = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (kept open by the object)
        except OSError:
            return None
        # Isolated (-I -S: no environment, user or site paths, no current folder), with
        # the folder this very package was imported from first: the same code, quickly.
        root = str(Path(__file__).resolve().parents[2])
        program = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            f"from {cls.module} import main; raise SystemExit(main())"
        )
        try:
            child = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-S",
                    "-c",
                    program,
                    root,
                    str(part.fileno()),
                    str(database),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                pass_fds=(part.fileno(),),
            )
        except OSError:
            part.close()
            return None
        return cls(child, part)

    def say(self, line: str) -> bool:
        """Send the child one line; False if it is gone."""
        assert self.child.stdin is not None
        try:
            self.child.stdin.write(line.encode("utf-8") + b"\n")
            self.child.stdin.flush()
        except OSError:
            return False
        return True

    def heard(self, timeout: float | None) -> bytes:
        """The child's next line, stripped; empty if none came within *timeout* seconds."""
        import select

        out = self.child.stdout
        assert out is not None
        if timeout is not None and not select.select([out], [], [], timeout)[0]:
            return b""
        return out.readline().strip()

    def pin(self) -> bool:
        """Have the child begin its read transaction (call while the write lock is held)."""
        self.pinned = self.say("pin") and self.heard(PIN_WAIT_S) == b"pinned"
        return self.pinned

    def ask(self, job: str) -> bool:
        """Give the pinned child its job (one line)."""
        self.asked = self.pinned and self.say(job)
        return self.asked

    def finished(self, answers: tuple[bytes, ...] = (b"done",)) -> bytes | None:
        """Wait for the child's answer to its job: one of *answers*, or None if it failed."""
        if not self.asked:
            return None
        said = self.heard(None)
        if self.child.wait() != 0 or said not in answers:
            return None
        return said

    def close(self) -> None:
        """End the child (if still running) and drop its part file."""
        try:
            if self.child.poll() is None:
                self.child.kill()
            self.child.wait()
        except OSError:
            pass
        for stream in (self.child.stdin, self.child.stdout, self.part):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


def tell(word: str) -> None:
    """The child's side: one line to the command."""
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def pinned_job() -> tuple[sqlite3.Connection, int, str] | None:
    """The child's side: its read transaction begun when told, and the job it is given.

    (connection, part file descriptor, the job's line), or None when the
    command did not need the child after all.
    """
    fd, database = int(sys.argv[2]), sys.argv[3]
    con = sqlite3.connect(database, isolation_level=None)
    if sys.stdin.readline().strip() != "pin":
        return None
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM alembic_version").fetchone()  # the snapshot begins
    tell("pinned")
    job = sys.stdin.readline()
    if not job.strip():
        return None
    return con, fd, job
