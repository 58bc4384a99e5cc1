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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from curator.core.cores import core_to_spare
from curator.core.snapshot_child import SnapshotChild, pinned_job, tell

if TYPE_CHECKING:  # the child imports only the standard library: it starts while the command waits
    import numpy as np
    import numpy.typing as npt

    from curator.core.storage.db import Database

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


class SpansProcess(SnapshotChild):
    """The child process, from the command's side."""

    module = __name__

    def read(self, query: str) -> bool:
        """Ask the pinned child for the values of *query*'s rows."""
        return self.ask(" ".join(query.split()))

    def values(self) -> tuple[npt.NDArray[np.int64] | None, bool]:
        """Wait for the child's values: (the values, False), (None, True) if a row
        did not pack, or (None, False) if the child failed."""
        import numpy as np

        said = self.finished((b"done", b"null"))
        if said is None:
            return None, False
        if said == b"null":
            return None, True
        self.part.seek(0)
        return np.frombuffer(self.part.read(), dtype=np.int64), False


def main() -> int:
    """The child: pin a snapshot when told, write the values of the query asked for."""
    from array import array
    from itertools import chain

    pinned = pinned_job()
    if pinned is None:
        return 0  # not needed after all
    con, fd, query = pinned
    values = array("q")
    try:
        values.extend(chain.from_iterable(con.execute(query)))
    except TypeError:  # a NULL: an offset too large to pack
        tell("null")
        return 0
    with os.fdopen(fd, "wb") as out:
        values.tofile(out)
    tell("done")
    return 0
