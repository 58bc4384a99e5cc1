"""CLI fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import SAMPLE_DATA, call


@pytest.fixture
def populated(db_path: Path, migrated_template: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the four sample articles, imported through the CLI.

    The database starts as a copy of the migrated template: the first start
    on a new file is tested on its own, and migrating here again would only
    add time.
    """
    shutil.copyfile(migrated_template, db_path)
    code, _, err = call(capsys, "--db", str(db_path), "import", str(SAMPLE_DATA))
    assert code == 0, err
    return db_path
