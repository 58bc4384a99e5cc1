"""Backups: consistent while another program writes, automatic before a migration, pruned."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from curator import cli
from curator.core.storage import migrate, paths
from tests.conftest import CURRENT_HEAD
from tests.reliability.helpers import (
    assert_user_error,
    curator_in_process,
    integrity,
    run_curator,
)
from tests.reliability.processes import edit_child
from tests.reliability.test_concurrency import _prepare


def _revisions(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return dict(conn.execute("SELECT uid, revision FROM annotation").fetchall())


def test_backup_while_another_program_writes_is_consistent(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(db_path)
    writer = edit_child(db_path, seed=11, curator="ana")
    try:
        writer.wait_for(lambda line: line.startswith("{"))
        for i in range(3):
            before = {}  # what the writer had reported committed when the backup began
            for line in list(writer.out):
                if line.startswith("{"):
                    record = json.loads(line)
                    before[record["uid"]] = record["revision"]
            copy = tmp_path / f"copy{i}.sqlite"

            # The writer is the other program; the backup runs in this one.
            result = curator_in_process(
                monkeypatch, "--db", str(db_path), "db", "backup", "--to", str(copy)
            )

            assert result.returncode == 0, result.stderr
            assert result.stdout.strip() == str(copy)
            assert integrity(copy) == ["ok"]
            assert cli.main(["--db", str(copy), "db", "check"]) == 0
            held = _revisions(copy)
            assert all(held.get(uid, 0) >= rev for uid, rev in before.items())
        assert writer.proc.poll() is None, "the writer kept writing throughout"
    finally:
        writer.kill()


def test_only_the_configured_number_of_backups_is_kept(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(db_path)
    made = []
    keep = {"CURATOR_KEEP_BACKUPS": "2"}
    for _ in range(4):
        result = curator_in_process(monkeypatch, "--db", str(db_path), "db", "backup", env=keep)
        assert result.returncode == 0, result.stderr
        made.append(Path(result.stdout.strip()))
    assert sorted((db_path.parent / "backups").iterdir()) == made[-2:]


def test_migration_backs_up_first_and_prunes_to_the_configured_number(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, newer_migrations: Path
) -> None:
    monkeypatch.setattr(migrate, "migrations_dir", paths.migrations_dir)
    _prepare(db_path)
    monkeypatch.setenv("CURATOR_KEEP_BACKUPS", "2")
    for _ in range(3):
        assert cli.main(["--db", str(db_path), "db", "backup"]) == 0
    monkeypatch.setattr(migrate, "migrations_dir", lambda: newer_migrations)

    assert cli.main(["--db", str(db_path), "list"]) == 0  # any command upgrades

    left = sorted((db_path.parent / "backups").iterdir())
    assert len(left) == 2
    assert left[-1].name.endswith("-before-9999.sqlite")
    with contextlib.closing(sqlite3.connect(left[-1])) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (CURRENT_HEAD,)
        assert conn.execute("SELECT count(*) FROM document").fetchone() == (4,)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CURATOR_KEEP_BACKUPS", "0"), ("CURATOR_KEEP_BACKUPS", "many"),
     ("CURATOR_BUSY_TIMEOUT_MS", "soon"), ("CURATOR_BUSY_TIMEOUT_MS", "-5")],
)  # fmt: skip
def test_bad_settings_are_clear_errors(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    _prepare(db_path)
    args = ("--db", str(db_path), *(["db", "backup"] if "BACKUPS" in variable else ["list"]))
    if value == "many":  # as a real process; the other values in this one
        result = run_curator(*args, env={variable: value})
    else:
        result = curator_in_process(monkeypatch, *args, env={variable: value})
    assert_user_error(result, variable, repr(value))
