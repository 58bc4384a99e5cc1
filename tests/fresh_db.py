"""Fresh migrated SQLite databases for tests, the migrations run once per test process.

Running the real migrations on an empty file takes a few hundred
milliseconds (SQLite copies tables in batch mode, and each step is read and
executed by Alembic). A test that only needs an empty database at head gets a
byte copy of one the migrations made in this process instead; the
migrations themselves, their backups and the first start on a new file are
tested on their own (``tests/core/test_migrations.py``, ``test_storage.py``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database

_MADE: list[Path] = []


def template() -> Path:
    """The database at head that every copy starts from (made on first use)."""
    if not _MADE:
        folder = Path(tempfile.mkdtemp(prefix="curator-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.sqlite"
        database = open_database(f"sqlite:///{path}")
        migrate.upgrade(database, backup=False)
        database.dispose()
        leftovers = [p.name for p in folder.iterdir() if p != path]
        assert not leftovers, f"the template database left {leftovers} beside it"
        _MADE.append(path)
    return _MADE[0]


def fresh_path(path: Path) -> Path:
    """Write an empty database at head to *path* and return it."""
    shutil.copyfile(template(), path)
    return path


def fresh_database(path: Path) -> Database:
    """An open, empty database at head at *path*."""
    database = open_database(f"sqlite:///{fresh_path(path)}")
    assert migrate.at_head(database)
    return database
