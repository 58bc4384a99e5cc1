"""A second process that builds the later half of an export's lines, in the same snapshot.

The lines of the JSONL and Label Studio exports are built by SQLite
(:mod:`.jsonl_sql`, :mod:`.labelstudio_sql`). Two connections on two threads
of one process do not build them faster than one: SQLite counts its memory
under one lock per process (the memory statistics the ``sqlite3`` module
leaves on), taken by every allocation of every connection, and the string
building allocates for each span, so the threads mostly wait on each other
(measured: more CPU and no less wall time than one thread). Two processes do
not share it. So, where the machine has a second core (and the database is
large enough for it to matter, see ``curator.cli_quick``), the command starts
this module as a child process before it opens the database; the child opens
its own read transaction while the command's write probe holds the write
lock, so both see the same snapshot; it then builds the lines of the
documents it is given into an unnamed temporary file in the destination's
folder, which the command copies after its own half.

The child only ever speeds an export up: if it cannot start, pin the
snapshot in time, or finish, the command builds those lines itself, and the
bytes are the same either way. Protocol, one line each way on its standard
input and output: ``pin`` / ``pinned``, then a JSON job / ``done``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # the child imports only what it needs: it starts while the command waits
    import subprocess

_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from curator.core.interchange.lines_process import main; raise SystemExit(main())"
)
PIN_WAIT_S = 1.0
"""How long the write probe waits for the child to pin its snapshot before going alone."""


class LinesProcess:
    """The child process, from the command's side."""

    def __init__(self, child: subprocess.Popen[bytes], part: IO[bytes]) -> None:
        self.child = child
        self.part = part
        self.pinned = False
        self.asked = False

    @classmethod
    def start(cls, database: Path, folder: Path) -> LinesProcess | None:
        """A child reading *database*, its part file in *folder*; None where it cannot help."""
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
        root = str(Path(__file__).resolve().parents[3])
        try:
            child = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _CHILD, root, str(part.fileno()), str(database)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                pass_fds=(part.fileno(),),
            )
        except OSError:
            part.close()
            return None
        return cls(child, part)

    def _say(self, line: str) -> bool:
        assert self.child.stdin is not None
        try:
            self.child.stdin.write(line.encode("utf-8") + b"\n")
            self.child.stdin.flush()
        except OSError:
            return False
        return True

    def _heard(self, word: bytes, timeout: float | None) -> bool:
        import select

        out = self.child.stdout
        assert out is not None
        if timeout is not None and not select.select([out], [], [], timeout)[0]:
            return False
        return out.readline().strip() == word

    def pin(self) -> bool:
        """Have the child begin its read transaction (call while the write lock is held)."""
        self.pinned = self._say("pin") and self._heard(b"pinned", PIN_WAIT_S)
        return self.pinned

    def build(self, job: dict[str, Any]) -> bool:
        """Ask the pinned child for the lines *job* names (see :func:`main`)."""
        self.asked = self.pinned and self._say(json.dumps(job))
        return self.asked

    def take_later_half(self, job: dict[str, Any], order: list[int]) -> int:
        """Ask the child for the later half of the documents *order*; where the command's end.

        Half way when the child took the job, else the whole of *order*.
        """
        half = len(order) // 2
        return half if self.build({**job, "ids": order[half:]}) else len(order)

    def copy_into(self, out: IO[bytes]) -> bool:
        """Wait for the child's lines and append them to *out*; False if it failed."""
        import shutil

        if not self.asked or not self._heard(b"done", None) or self.child.wait() != 0:
            return False
        out.flush()
        size = os.fstat(self.part.fileno()).st_size
        sent = 0
        try:  # in the kernel, no copy through this process
            while sent < size:
                n = os.sendfile(out.fileno(), self.part.fileno(), sent, size - sent)
                if n == 0:
                    break
                sent += n
        except OSError:
            pass
        out.seek(0, os.SEEK_END)
        self.part.seek(sent)
        shutil.copyfileobj(self.part, out)
        return True

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


def _build(con: sqlite3.Connection, out: IO[bytes], job: dict[str, Any]) -> None:
    if job["kind"] == "jsonl":
        from curator.core.interchange.jsonl_sql import write_part

        write_part(con, out, job)
    else:
        from curator.core.interchange.labelstudio_sql import write_part as write_tasks_part

        write_tasks_part(con, out, job)


def main() -> int:
    """The child: pin a snapshot when told, build the lines asked for into the part file."""
    fd, database = int(sys.argv[2]), sys.argv[3]
    con = sqlite3.connect(database, isolation_level=None)
    if sys.stdin.readline().strip() != "pin":
        return 0  # not needed after all
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM alembic_version").fetchone()  # the snapshot begins
    sys.stdout.write("pinned\n")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        return 0  # not needed after all
    with os.fdopen(fd, "wb", buffering=1 << 20) as out:
        _build(con, out, json.loads(line))
    sys.stdout.write("done\n")
    sys.stdout.flush()
    return 0
