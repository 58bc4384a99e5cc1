"""A second process reading the later half of the spans agreement compares, in the same snapshot.

Reading a million spans is a third of ``curator agreement``: SQLite steps
through the rows and the driver makes a Python integer of each packed row
(:func:`curator.core.agreement.data._packed`). A thread does not share that
work (the driver takes the interpreter's lock back for every row: measured,
no less wall time), nor a second connection on a thread (SQLite's memory
lock per process). A second process does: where the machine has a core to
spare and the database is large, the command starts this module as a child
before it imports what the report needs; the child begins its read
transaction while the command holds the write lock for a moment (as the
export's child does, :mod:`curator.core.interchange.lines_process`), so
that both read one snapshot; then it reads the rows of the later half of
the span ids into an unnamed temporary file, eight bytes a row, while the
command reads the first half.

The child only ever saves time: if it cannot start, pin the snapshot or
finish, the command reads that half itself, and the report is the same.
Protocol, one line each way on its standard input and output: ``pin`` /
``pinned``, then the query / ``done`` (``null`` when a row does not pack).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from curator.core.cores import core_to_spare

if TYPE_CHECKING:  # the child imports only the standard library: it starts while the command waits
    import subprocess

    import numpy as np
    import numpy.typing as npt

    from curator.core.storage.db import Database

_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from curator.core.agreement.spans_process import main; raise SystemExit(main())"
)
PIN_WAIT_S = 1.0
"""How long the command waits for the child to pin its snapshot before going alone."""
HELPED_FROM_BYTES = 64 << 20
"""A database file this large gets a second process reading half the spans: below,
its start (some 40 ms of CPU) weighs more than the half it would read."""


@contextmanager
def helper_for(db: Database) -> Iterator[SpansProcess | None]:
    """A child to read half of *db*'s spans where it can help, ended on leaving.

    Started first, before the command imports what the report needs, so that
    its own start is over when it is asked to pin the snapshot.
    """
    path = db.path
    try:
        large = path is not None and path.stat().st_size >= HELPED_FROM_BYTES
    except OSError:
        large = False
    helper = SpansProcess.start(path) if path is not None and large and core_to_spare() else None
    try:
        yield helper
    finally:
        if helper is not None:
            helper.close()


class SpansProcess:
    """The child process, from the command's side."""

    def __init__(self, child: subprocess.Popen[bytes], part: IO[bytes]) -> None:
        self.child = child
        self.part = part
        self.pinned = False
        self.asked = False

    @classmethod
    def start(cls, database: Path) -> SpansProcess | None:
        """A child reading *database*; None where it cannot help."""
        import subprocess
        import tempfile

        if os.name != "posix" or (os.cpu_count() or 1) < 2 or not sys.executable:
            return None
        if getattr(sys, "frozen", False):
            return None  # the desktop build's executable is the app, not a Python that takes -c
        try:
            part = tempfile.TemporaryFile()  # noqa: SIM115 (kept open by the object)
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

    def _heard(self, timeout: float | None) -> bytes:
        import select

        out = self.child.stdout
        assert out is not None
        if timeout is not None and not select.select([out], [], [], timeout)[0]:
            return b""
        return out.readline().strip()

    def pin(self) -> bool:
        """Have the child begin its read transaction (call while the write lock is held)."""
        self.pinned = self._say("pin") and self._heard(PIN_WAIT_S) == b"pinned"
        return self.pinned

    def read(self, query: str) -> bool:
        """Ask the pinned child for the values of *query*'s rows."""
        self.asked = self.pinned and self._say(" ".join(query.split()))
        return self.asked

    def values(self) -> tuple[npt.NDArray[np.int64] | None, bool]:
        """Wait for the child's values: (the values, False), (None, True) if a row
        did not pack, or (None, False) if the child failed."""
        import numpy as np

        if not self.asked:
            return None, False
        said = self._heard(None)
        if self.child.wait() != 0 or said not in (b"done", b"null"):
            return None, False
        if said == b"null":
            return None, True
        self.part.seek(0)
        return np.frombuffer(self.part.read(), dtype=np.int64), False

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


def _say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def main() -> int:
    """The child: pin a snapshot when told, write the values of the query asked for."""
    import sqlite3
    from array import array
    from itertools import chain

    fd, database = int(sys.argv[2]), sys.argv[3]
    con = sqlite3.connect(database, isolation_level=None)
    if sys.stdin.readline().strip() != "pin":
        return 0  # not needed after all
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM alembic_version").fetchone()  # the snapshot begins
    _say("pinned")
    query = sys.stdin.readline()
    if not query.strip():
        return 0  # not needed after all
    values = array("q")
    try:
        values.extend(chain.from_iterable(con.execute(query)))
    except TypeError:  # a NULL: an offset too large to pack
        _say("null")
        return 0
    with os.fdopen(fd, "wb") as out:
        values.tofile(out)
    _say("done")
    return 0
