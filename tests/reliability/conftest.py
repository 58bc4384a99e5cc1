"""Reliability fixtures: the GUI's (isolated QSettings, real windows) and a settled database."""

import shutil
from pathlib import Path

import pytest

from curator.core.articles import corpus
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from tests.gui.conftest import _isolated_settings, make_window, samples_db, window
from tests.reliability.helpers import DATA, settle

__all__ = ["_isolated_settings", "make_window", "populated", "samples_db", "window"]


@pytest.fixture
def populated(db_path: Path, migrated_template: Path) -> Path:
    """The four sample articles, every connection closed and the WAL checkpointed."""
    shutil.copyfile(migrated_template, db_path)
    database = open_database(f"sqlite:///{db_path}")
    try:
        migrate.upgrade(database)
        corpus.import_articles(database, [DATA])
    finally:
        database.dispose()
    settle(db_path)
    return db_path
