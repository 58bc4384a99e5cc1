"""Write ``curator/core/storage/head_ddl.py``: the head schema as the migrations leave it.

Usage: ``python tools/write_head_ddl.py`` after adding a migration. It runs
every migration with Alembic on a new file in a temporary folder, reads the
statements back from its ``sqlite_master`` and writes them with the head
revision. ``tests/core/test_new_database.py`` fails until this is done.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from curator.core.storage import head_ddl, migrate
from curator.core.storage.db import open_database
from curator.core.storage.new_database import normalized, schema_statements

TARGET = Path(__file__).resolve().parent.parent / "curator" / "core" / "storage" / "head_ddl.py"

HEADER = '''"""The head schema's statements, as the migrations leave a new SQLite file.

Written by ``tools/write_head_ddl.py`` from a database the migrations made;
do not edit by hand. Run that tool after adding a migration
(``tests/core/test_new_database.py`` fails until then).
"""

'''


def migrated_statements() -> tuple[str, list[str]]:
    """The head revision and the schema statements of a new file migrated by Alembic."""
    with tempfile.TemporaryDirectory(prefix="curator-head-ddl-") as folder:
        path = Path(folder) / "head.sqlite"
        db = open_database(f"sqlite:///{path}")
        try:
            db.enable_wal()
            migrate.run_migrations(db)
        finally:
            db.dispose()
        with contextlib.closing(sqlite3.connect(path)) as conn:
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return revision, schema_statements(conn)


def unchanged(revision: str, statements: list[str]) -> bool:
    """True when the written file already says this, up to the order of tables' constraints.

    That order changes from one run of the migrations to the next (see
    :func:`~curator.core.storage.new_database.normalized`); rewriting the file
    for it would only make a change with no meaning.
    """
    if revision != head_ddl.REVISION or len(statements) != len(head_ddl.STATEMENTS):
        return False
    return all(
        normalized(new) == normalized(old)
        for new, old in zip(statements, head_ddl.STATEMENTS, strict=True)
    )


def main() -> int:
    revision, statements = migrated_statements()
    if unchanged(revision, statements):
        print(f"{TARGET} is current at revision {revision}: {len(statements)} statements")
        return 0
    body = "".join(f"    {statement!r},\n" for statement in statements)
    TARGET.write_text(
        f"{HEADER}REVISION = {revision!r}\n\nSTATEMENTS = (\n{body})\n", encoding="utf-8"
    )
    ruff = Path(sys.executable).with_name("ruff")
    if ruff.exists():
        subprocess.run([str(ruff), "format", "-q", str(TARGET)], check=True)
    print(f"wrote {TARGET} at revision {revision}: {len(statements)} statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
