"""A second process that builds the later half of an export's lines, in the same snapshot.

The lines of the JSONL and Label Studio exports are built by SQLite
(:mod:`.jsonl_sql`, :mod:`.labelstudio_sql`), which two threads of one
process do no faster than one (see :mod:`curator.core.snapshot_child`). So,
where the machine has a second core and the database is large enough for it
to matter (see ``curator.cli_quick``), the command starts this module as a
child before it opens the database; the child pins the command's snapshot,
then builds the lines of the documents it is given into an unnamed
temporary file in the destination's folder, which the command copies after
its own half. If the child cannot help, the command builds those lines
itself, and the bytes are the same either way. Its job is a JSON line; its
answer ``done``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import IO, Any

from curator.core.snapshot_child import SnapshotChild, pinned_job, tell


class LinesProcess(SnapshotChild):
    """The child process, from the command's side."""

    module = __name__

    def build(self, job: dict[str, Any]) -> bool:
        """Ask the pinned child for the lines *job* names (see :func:`main`)."""
        return self.ask(json.dumps(job))

    def take_later_half(self, job: dict[str, Any], order: list[int]) -> int:
        """Ask the child for the later half of the documents *order*; where the command's end.

        Half way when the child took the job, else the whole of *order*.
        """
        half = len(order) // 2
        return half if self.build({**job, "ids": order[half:]}) else len(order)

    def copy_into(self, out: IO[bytes]) -> bool:
        """Wait for the child's lines and append them to *out*; False if it failed."""
        import shutil

        if self.finished() is None:
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


def _build(con: sqlite3.Connection, out: IO[bytes], job: dict[str, Any]) -> None:
    if job["kind"] == "jsonl":
        from curator.core.interchange.jsonl_sql import write_part

        write_part(con, out, job)
    else:
        from curator.core.interchange.labelstudio_sql import write_part as write_tasks_part

        write_tasks_part(con, out, job)


def main() -> int:
    """The child: pin a snapshot when told, build the lines asked for into the part file."""
    pinned = pinned_job()
    if pinned is None:
        return 0  # not needed after all
    con, fd, job = pinned
    with os.fdopen(fd, "wb", buffering=1 << 20) as out:
        _build(con, out, json.loads(job))
    tell("done")
    return 0
