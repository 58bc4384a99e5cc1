"""``curator list`` without SQLAlchemy: the same answer as the full command line.

The quick path (``curator.cli_quick_list``) takes ``curator list`` of a SQLite
file at the current schema; its exit status, stdout and stderr are compared
with those of :func:`curator.cli.main` on the same database, and what it does
not take must reach the full command line.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from curator import cli, cli_quick, cli_quick_list
from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from tests import fresh_db
from tests.quick_process import run_counting_sqlalchemy


@pytest.fixture(autouse=True)
def _no_tuning_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CURATOR_") and name not in cli_quick._HARMLESS:
            monkeypatch.delenv(name)


def _empty(path: Path) -> Path:
    return fresh_db.fresh_path(path)


def _both(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, str]:
    """Run *argv* both ways; assert the same status and output; give stdout and stderr."""
    capsys.readouterr()
    quick = cli_quick.run(argv)
    quick_out = capsys.readouterr()
    assert quick is not None, "the quick path declined a command it takes"
    full = cli.main(argv)
    full_out = capsys.readouterr()
    assert (quick, quick_out.out, quick_out.err) == (full, full_out.out, full_out.err)
    return quick_out.out, quick_out.err


@pytest.mark.parametrize("extra", [[], ["--json"], ["-q"], ["--curator", "ana"]], ids=repr)
def test_an_empty_database_lists_the_same(
    db_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    _empty(db_path)
    args = ["--db", str(db_path), *extra[:2], "list"] if extra != ["--json"] else []
    args = args or ["--db", str(db_path), "list", "--json"]
    out, err = _both(capsys, args)
    assert (out == "[]\n") if extra == ["--json"] else ("no documents yet" in err)


@pytest.mark.parametrize("as_json", [False, True])
def test_documents_with_spans_statuses_and_long_titles_list_the_same(
    populated: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    db = open_database(f"sqlite:///{populated}")
    try:
        (first, second, *_) = documents.list_documents(db)
        for curator in ("ana", "bo", "Zoë"):
            annotate.add_span(db, first.uid, curator, NewSpan(0, 5, "therapy"))
        annotate.delete_span(
            db, annotate.add_span(db, second.uid, "bo", NewSpan(1, 4, "target")).uid
        )
    finally:
        db.dispose()
    with sqlite3.connect(populated) as con:
        con.execute("UPDATE document SET title = ? WHERE id = 1", ("é" * 69 + '"\\\n' * 3,))
        con.execute("UPDATE document SET title = ? WHERE id = 2", ("x" * 70,))
        con.execute("UPDATE document_status SET active_seconds = 7")
    out, _ = _both(capsys, ["--db", str(populated), "list", *(["--json"] if as_json else [])])
    assert "ana:1" in out or '"ana": 1' in out


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--json", "x"],
        ["list", "--jso"],
        ["list", "--db", "x.sqlite"],
        ["--db=x.sqlite", "list"],
        ["-q", "export"],
        ["lis"],
    ],
    ids=repr,
)
def test_what_it_does_not_take_goes_to_the_full_command(argv: list[str]) -> None:
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick_list.run_list(argv)


def test_a_database_the_full_start_would_change_or_name_otherwise_goes_to_it(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "none.sqlite"
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick_list.run_list(["--db", str(missing), "list"])
    assert not missing.exists()
    odd = _empty(tmp_path / "a b#c.sqlite")
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick_list.run_list(["--db", str(odd), "list"])
    old = _empty(tmp_path / "old.sqlite")
    with sqlite3.connect(old) as con:
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick_list.run_list(["--db", str(old), "list"])


def test_python_dash_m_curator_list_runs_without_sqlalchemy(tmp_path: Path) -> None:
    path = _empty(tmp_path / "c.sqlite")
    done, imported = run_counting_sqlalchemy(["--db", str(path), "list", "--json"])
    assert imported == "[]"
    assert done.stdout == "[]\n"
