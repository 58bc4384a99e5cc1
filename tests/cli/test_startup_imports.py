"""A command's start-up imports only what it uses.

Alembic (with Mako and Pygments), the PostgreSQL dialect and its drivers, and
the import/export formats cost more than the rest of a ``curator list``; they
are loaded when an upgrade is due, a server is used, or a file is read or
written. Each check runs in a fresh interpreter, where ``sys.modules`` shows
exactly what a start loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from curator import cli
from curator.core import interchange
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.core.storage.paths import migrations_dir
from curator.core.storage.schema_head import head_revision
from tests.conftest import CURRENT_HEAD
from tests.quick_process import child_report

HEAVY = ("alembic", "mako", "pygments", "psycopg", "psycopg2", "curator.core.interchange")
REPORT = (
    "import json, sys\n"
    f"heavy = {HEAVY!r}\n"
    "loaded = sorted(m for m in sys.modules if m.startswith(heavy) "
    "or m.startswith('sqlalchemy.dialects.postgresql'))\n"
    "print(json.dumps(loaded), file=sys.stderr)\n"
)


def _loaded_after(code: str) -> list[str]:
    loaded: list[str] = child_report(code + "\n" + REPORT)
    return loaded


def test_importing_the_cli_loads_no_migration_tool_server_driver_or_format() -> None:
    assert _loaded_after("import curator.cli") == []


def test_list_on_a_current_database_loads_none_of_them(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    db.dispose()
    code = (
        "from curator.cli import main\n"
        f"assert main(['--db', {str(path)!r}, 'list', '--json']) == 0\n"
    )
    assert _loaded_after(code) == []


def test_a_new_file_gets_the_head_schema_without_alembic(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    code = f"from curator.cli import main\nassert main(['--db', {str(path)!r}, 'list']) == 0\n"
    assert _loaded_after(code) == []
    db = open_database(f"sqlite:///{path}")
    try:
        assert migrate.at_head(db)
        assert migrate.schema_state(db).at_head
    finally:
        db.dispose()


def test_a_database_to_upgrade_still_gets_alembic_and_ends_at_head(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "older.sqlite"
    db = open_database(f"sqlite:///{path}")
    try:
        cfg = migrate.alembic_config(db)
        with migrate.schema_change(db) as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0007_activity_search")
    finally:
        db.dispose()
    code = f"from curator.cli import main\nassert main(['--db', {str(path)!r}, 'list']) == 0\n"
    assert "alembic" in _loaded_after(code)
    db = open_database(f"sqlite:///{path}")
    try:
        assert migrate.at_head(db)
        assert migrate.schema_state(db).at_head
    finally:
        db.dispose()


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert head_revision(migrations_dir()) == CURRENT_HEAD


def test_a_newer_release_head_is_read_too(newer_migrations: Path) -> None:
    assert head_revision(newer_migrations) == "9999"


def test_unreadable_revision_files_leave_the_answer_to_alembic(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text("revision = '0001'\ndown_revision = None\n")
    (versions / "0002_merge.py").write_text("revision = '0002'\ndown_revision = ('0001', 'x')\n")
    assert head_revision(tmp_path) is None
    (versions / "0002_merge.py").write_text("revision = '0002'\ndown_revision = '0001'\n")
    (versions / "0003_b.py").write_text("revision = '0003'\ndown_revision = '0001'\n")
    assert head_revision(tmp_path) is None  # two heads
    (versions / "0003_b.py").write_text("revision = '0003'\ndown_revision = '0002'\n")
    assert head_revision(tmp_path) == "0003"


def test_the_parser_offers_every_export_format() -> None:
    assert list(cli.EXPORT_FORMATS) == list(interchange.FORMATS)


@pytest.mark.parametrize("stamp", ["0001", "ffffffffffff"])
def test_a_database_not_at_head_is_not_taken_for_current(tmp_path: Path, stamp: str) -> None:
    path = tmp_path / "stamped.sqlite"
    db = open_database(f"sqlite:///{path}")
    try:
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = ?", (stamp,))
        assert not migrate.at_head(db)
    finally:
        db.dispose()
