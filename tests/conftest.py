"""Shared fixtures: real SQLite files in temporary folders, never mocks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless Qt for every test run; set before any Qt import so that pytest-qt
# creates its QApplication on the offscreen platform. A developer can still
# watch the GUI tests with QT_QPA_PLATFORM=xcb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from curator.core import migrate
from curator.core.db import Database, open_database

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "data"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


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


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A migrated SQLite database in a temporary file."""
    database = open_database(f"sqlite:///{db_path}")
    migrate.upgrade(database)
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
