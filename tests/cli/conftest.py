"""CLI fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import SAMPLE_DATA, call


@pytest.fixture
def populated(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the four sample articles, imported through the CLI."""
    code, _, err = call(capsys, "--db", str(db_path), "import", str(SAMPLE_DATA))
    assert code == 0, err
    return db_path
