"""Shared fixtures: real SQLite files in temporary folders, never mocks."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless Qt for every test run; set before any Qt import so that pytest-qt
# creates its QApplication on the offscreen platform. A developer can still
# watch the GUI tests with QT_QPA_PLATFORM=xcb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No app a test starts (in process or as a child it may kill) trains a
# suggestion model in the background unless that test asks for one.
os.environ["CURATOR_MODEL_SUGGESTIONS"] = "off"

from curator.core.storage import migrate
from curator.core.storage.db import Database
from tests import fresh_db

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "data"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def _current_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from curator.core.storage import paths

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


CURRENT_HEAD = _current_head()  # the schema this code writes


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own database, name or settings."""
    monkeypatch.delenv("CURATOR_DB", raising=False)
    monkeypatch.setenv("CURATOR_NAME", "tester")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "curator.sqlite"


@pytest.fixture(scope="session")
def migrated_template() -> Path:
    """An empty database the real migrations brought to head, once per test process."""
    return fresh_db.template()


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A migrated SQLite database in a temporary file (see ``tests/fresh_db.py``)."""
    database = fresh_db.fresh_database(db_path)
    migrate.upgrade(database)  # as the app does at start: one query finds it at head
    yield database
    database.dispose()


@pytest.fixture
def sample_articles() -> Path:
    return SAMPLE_DATA


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    from tests.pg_server import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """URL of a new, empty PostgreSQL database for one test."""
    from tests.pg_server import fresh_database

    return fresh_database(pg_server)


@pytest.fixture
def newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The real migrations plus one more revision on top, as the next release would ship."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from curator.core.storage import paths

    folder = tmp_path / "migrations-next"
    shutil.copytree(paths.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    (folder / "versions" / "9999_extra.py").write_text(
        '"""Add a table."""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        "revision = '9999'\n"
        f"down_revision = {head!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        "    op.create_table('extra', sa.Column('id', sa.Integer(), primary_key=True))\n\n\n"
        "def downgrade() -> None:\n"
        "    op.drop_table('extra')\n"
    )
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    yield folder
