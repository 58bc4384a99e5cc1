"""``curator db upgrade / check / backup``, and databases this version must not touch."""

from __future__ import annotations

import contextlib
import json
import shlex
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import SAMPLE_DATA, assert_user_error, call, document_count, listing
from tests.conftest import CURRENT_HEAD

# --- db upgrade / check / backup ---------------------------------------------------------


def test_db_upgrade_new_then_current(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, _, err = call(capsys, "--db", str(db_path), "db", "upgrade")
    assert code == 0, err
    assert f"upgraded from empty to {CURRENT_HEAD}" in err
    code, _, err = call(capsys, "--db", str(db_path), "db", "upgrade")
    assert code == 0, err
    assert f"already at schema {CURRENT_HEAD}" in err
    assert not (db_path.parent / "backups").exists()


def test_db_upgrade_at_head_with_data_keeps_data_and_makes_no_backup(
    capsys: pytest.CaptureFixture[str], populated: Path
) -> None:
    docs = listing(capsys, populated)
    code, _, err = call(capsys, "--db", str(populated), "db", "upgrade")
    assert code == 0, err
    assert "backed up" not in err
    assert not (populated.parent / "backups").exists()
    assert listing(capsys, populated) == docs


def test_db_check_passes_on_a_current_database(
    capsys: pytest.CaptureFixture[str], populated: Path
) -> None:
    code, out, err = call(capsys, "--db", str(populated), "db", "check")
    assert code == 0, err
    assert out == ""
    assert "ok (schema at head, integrity check passed)" in err


@pytest.mark.parametrize("exists", [True, False], ids=["empty-file", "no-file"])
def test_db_check_fails_on_a_never_migrated_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exists: bool
) -> None:
    """The hint names this database, quoted for the shell (a bare one upgrades another)."""
    db_path = tmp_path / "Ana's data" / "curator.sqlite"
    db_path.parent.mkdir()
    if exists:
        db_path.touch()
    code, _, err = call(capsys, "--db", str(db_path), "db", "check")
    if exists:
        hint = f"run: curator --db {shlex.quote(str(db_path))} db upgrade"
        assert_user_error(code, err, "nothing (empty database)", hint)
    else:
        assert_user_error(code, err, "there is no database here")
        assert not db_path.exists()


def test_db_check_reports_broken_foreign_keys(
    capsys: pytest.CaptureFixture[str], populated: Path
) -> None:
    with contextlib.closing(sqlite3.connect(populated)) as conn:  # foreign keys off here
        conn.execute(
            "INSERT INTO document_status (document_id, curator_id, status, updated_at)"
            " VALUES (1, 999, 'new', '2026-01-01 00:00:00')"
        )
        conn.commit()
    code, _, err = call(capsys, "--db", str(populated), "db", "check")
    assert_user_error(code, err, "1 rows break foreign keys")


def test_db_backup_to_path_is_a_valid_copy(
    capsys: pytest.CaptureFixture[str], populated: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copy.sqlite"
    code, out, err = call(capsys, "--db", str(populated), "db", "backup", "--to", str(target))
    assert code == 0, err
    assert out.strip() == str(target)
    code, _, err = call(capsys, "--db", str(target), "db", "check")
    assert code == 0, err
    assert listing(capsys, target) == listing(capsys, populated)


def test_db_backup_default_goes_to_backups_folder(
    capsys: pytest.CaptureFixture[str], populated: Path
) -> None:
    code, out, err = call(capsys, "--db", str(populated), "db", "backup")
    assert code == 0, err
    made = Path(out.strip())
    assert made.parent == populated.parent / "backups"
    assert made.is_file()
    assert document_count(made) == 4


def test_db_backup_onto_itself_is_refused(
    capsys: pytest.CaptureFixture[str], populated: Path
) -> None:
    before = populated.read_bytes()
    code, out, err = call(capsys, "--db", str(populated), "db", "backup", "--to", str(populated))
    assert_user_error(code, err, "cannot overwrite")
    assert out == ""
    assert populated.read_bytes() == before


# --- databases this version must not touch ------------------------------------------------


@pytest.fixture
def newer_db(populated: Path) -> Path:
    """A database stamped with a schema revision from a newer Heme Curator."""
    with contextlib.closing(sqlite3.connect(populated)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zzzz'")
        conn.commit()
    return populated


@pytest.mark.parametrize(
    "args",
    [["db", "upgrade"], ["db", "check"], ["import", str(SAMPLE_DATA)]],
    ids=["upgrade", "check", "import"],
)
def test_every_command_refuses_unknown_revision(
    capsys: pytest.CaptureFixture[str], newer_db: Path, args: list[str]
) -> None:
    before = newer_db.read_bytes()
    code, out, err = call(capsys, "--db", str(newer_db), *args)
    assert_user_error(code, err, "newer version", "9999zzzz")
    assert out == ""
    assert newer_db.read_bytes() == before


# --- upgrade with a backup first, as the next release will do ------------------------------


def test_any_command_upgrades_with_a_backup_first(
    capsys: pytest.CaptureFixture[str], populated: Path, newer_migrations: Path
) -> None:
    code, out, err = call(capsys, "--db", str(populated), "list", "--json")
    assert code == 0, err
    assert "database upgraded; the previous version was kept at" in err
    (backup,) = (populated.parent / "backups").iterdir()
    assert str(backup) in err
    assert len(json.loads(out)) == 4
    assert document_count(backup) == 4
    with contextlib.closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (CURRENT_HEAD,)
    with contextlib.closing(sqlite3.connect(populated)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
    # Now at head: no further backups.
    code, _, err = call(capsys, "--db", str(populated), "list")
    assert code == 0
    assert "upgraded" not in err
    assert len(list((populated.parent / "backups").iterdir())) == 1


def test_db_upgrade_command_reports_backup(
    capsys: pytest.CaptureFixture[str], populated: Path, newer_migrations: Path
) -> None:
    code, _, err = call(capsys, "--db", str(populated), "db", "upgrade")
    assert code == 0, err
    assert "backed up to" in err
    assert f"upgraded from {CURRENT_HEAD} to 9999" in err


def test_db_check_reports_an_old_schema(
    capsys: pytest.CaptureFixture[str], populated: Path, newer_migrations: Path
) -> None:
    code, _, err = call(capsys, "--db", str(populated), "db", "check")
    hint = f"run: curator --db {shlex.quote(str(populated))} db upgrade"
    assert_user_error(code, err, f"schema is at {CURRENT_HEAD}, not 9999", hint)
