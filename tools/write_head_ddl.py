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

from alembic import command

from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.core.storage.new_database import schema_statements

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
            cfg = migrate.alembic_config(db)
            with migrate.schema_change(db) as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            db.dispose()
        with contextlib.closing(sqlite3.connect(path)) as conn:
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return revision, schema_statements(conn)


def main() -> int:
    revision, statements = migrated_statements()
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
