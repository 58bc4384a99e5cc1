"""The open database is never read as an input file: it is refused by stat, before any read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_merge_repeat import call
from tests.reliability.helpers import fingerprint, settle


@pytest.mark.parametrize("how", ["itself", "symlink", "as named"])
def test_importing_the_database_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, how: str
) -> None:
    # Named like an article, or as it usually is: a file given by name is read
    # whatever its suffix.
    live = tmp_path / ("live.sqlite" if how == "as named" else "live.txt")
    assert call(capsys, "--db", str(live), "db", "upgrade")[0] == 0
    given = live
    if how == "symlink":
        given = tmp_path / "article.txt"
        given.symlink_to(live)
    settle(live)
    before = fingerprint(live)
    code, out, err = call(capsys, "--db", str(live), "import", str(given))
    assert out == ""
    assert code == 1
    assert err == f"error: {given}: is the database being imported into, not an input file\n"
    settle(live)
    assert fingerprint(live) == before
