"""What a path to a SQLite database may be, and what a symbolic link there means.

A database path that is a symbolic link means the file it points to, and
only if that file already is a SQLite database: the link is followed (the
database, its ``-wal`` and ``-shm`` files and its ``backups`` folder live
beside the file it points to, which is where SQLite itself keeps them). A
link whose target is missing, empty, or anything but a SQLite database is
refused before anything is created or written: following it would turn
``/etc/passwd`` into a place to make a ``backups`` folder beside, or a
dangling link into a new database somewhere the user never chose.

The test asks SQLite itself (a read-only connection): reading the file's
header with ``open()`` would be simpler, but closing any descriptor of a file
drops every POSIX lock this process holds on it, including the locks of an
open database connection to the same file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from curator.core.errors import DatabaseError


def sqlite_problem(path: Path) -> str | None:
    """Why *path* is not a SQLite database file, or None when it is one (an empty file counts)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if path.is_dir():
        return "is a folder"
    if not os.path.isfile(path):
        return "is not a regular file"
    if info.st_size == 0:
        return None
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error:
        return "is not a SQLite database"
    return None


def database_file(given: Path) -> Path:
    """The file a database path stands for: *given* itself, or the target of a link.

    Refuses a link that does not lead to an existing, non-empty SQLite database.
    """
    path = given.expanduser()
    resolved = path.resolve()
    if not path.is_symlink():
        return resolved
    problem = sqlite_problem(resolved)
    if problem is None and resolved.stat().st_size == 0:
        problem = "is empty"
    if problem is not None:
        raise DatabaseError(
            f"{path}: is a symbolic link to {resolved}, which {problem}; a link is only "
            "followed to an existing Heme Curator database. Nothing was created or changed"
        )
    return resolved
