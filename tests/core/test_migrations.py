"""Upgrading at start-up: backups first, newer schemas refused, old ones upgraded."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from curator.core.errors import DatabaseError
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Document
from tests.conftest import CURRENT_HEAD
from tests.core.storage_helpers import (
    add_documents,
    alembic_revision,
    document_count,
    raw_sql,
    sqlite_url,
)

# --- migrations and backups ------------------------------------------------------------


def test_upgrade_at_head_with_data_makes_no_backup_and_keeps_data(
    db: Database, db_path: Path
) -> None:
    uids = add_documents(db, "first article", "second article")
    assert migrate.upgrade(db) is None
    db.dispose()
    assert not (db_path.parent / "backups").exists()
    assert document_count(db_path) == 2
    database = open_database(sqlite_url(db_path))
    try:
        with database.read() as session:
            assert sorted(session.scalars(select(Document.uid))) == sorted(uids)
    finally:
        database.dispose()


def test_unknown_revision_is_refused_and_file_left_identical(db: Database, db_path: Path) -> None:
    add_documents(db, "an article")
    db.dispose()
    raw_sql(db_path, "UPDATE alembic_version SET version_num = '9999zzzz'")
    before = db_path.read_bytes()
    database = open_database(sqlite_url(db_path))
    try:
        with pytest.raises(DatabaseError, match=r"newer version.*9999zzzz.*left untouched"):
            migrate.upgrade(database)
        with pytest.raises(DatabaseError, match="newer version"):
            migrate.schema_state(database)
    finally:
        database.dispose()
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()
    assert alembic_revision(db_path) == ["9999zzzz"]


def test_unknown_revision_in_rollback_journal_file_is_left_identical(db_path: Path) -> None:
    # BUG: the connect hook switches every file to WAL (a change to the file
    # header, bytes 18-19) before schema_state() reads the revision, so a
    # newer database that is not in WAL mode is modified by the very check
    # that refuses it "untouched".
    raw_sql(
        db_path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('9999zzzz')",
        "CREATE TABLE document (id INTEGER PRIMARY KEY, future_column TEXT)",
        "INSERT INTO document VALUES (1, 'from the future')",
    )
    before = db_path.read_bytes()
    database = open_database(sqlite_url(db_path))
    try:
        with pytest.raises(DatabaseError, match="newer version"):
            migrate.upgrade(database)
    finally:
        database.dispose()
    assert db_path.read_bytes() == before


def test_tables_without_a_version_are_refused_and_file_left_identical(
    db: Database, db_path: Path
) -> None:
    add_documents(db, "an article")
    db.dispose()
    raw_sql(db_path, "DELETE FROM alembic_version")
    before = db_path.read_bytes()
    database = open_database(sqlite_url(db_path))
    try:
        with pytest.raises(DatabaseError, match="no Heme Curator schema version"):
            migrate.upgrade(database)
    finally:
        database.dispose()
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()
    assert document_count(db_path) == 1


def test_upgrade_from_older_revision_backs_up_first_and_keeps_data(
    db: Database, db_path: Path, newer_migrations: Path
) -> None:
    uids = add_documents(db, "first article", "second article")
    state = migrate.schema_state(db)
    assert (state.current, state.head, state.has_data) == (CURRENT_HEAD, "9999", True)

    backup = migrate.upgrade(db)

    assert backup is not None
    assert backup.parent == db_path.parent / "backups"
    assert backup.name.startswith("curator-") and backup.name.endswith("-before-9999.sqlite")
    assert migrate.schema_state(db).at_head
    db.dispose()
    assert alembic_revision(db_path) == ["9999"]
    assert alembic_revision(backup) == [CURRENT_HEAD]
    assert document_count(db_path) == document_count(backup) == 2
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT uid FROM document")) == sorted(uids)
        assert conn.execute("SELECT count(*) FROM extra").fetchone() == (0,)


def test_upgrade_without_data_makes_no_backup(db_path: Path, newer_migrations: Path) -> None:
    database = open_database(sqlite_url(db_path))
    try:
        assert migrate.upgrade(database) is None
        assert migrate.schema_state(database).current == "9999"
    finally:
        database.dispose()
    assert not (db_path.parent / "backups").exists()


def test_backup_to_path_is_a_consistent_copy(db: Database, tmp_path: Path) -> None:
    uids = add_documents(db, "one", "two", "three")
    target = tmp_path / "copies" / "copy.sqlite"
    target.parent.mkdir()
    made = migrate.backup_sqlite(db, target)
    assert made == target
    assert not target.with_name("copy.sqlite.partial").exists()
    copy = open_database(sqlite_url(target))
    try:
        assert migrate.schema_state(copy).at_head
        with copy.read() as session:
            assert sorted(session.scalars(select(Document.uid))) == sorted(uids)
    finally:
        copy.dispose()


def test_backup_sees_uncheckpointed_wal_content(db: Database, tmp_path: Path) -> None:
    """The copy includes commits still in the -wal file (a connection stays open)."""
    with db.engine.connect() as keep_open:
        add_documents(db, "committed but maybe only in the WAL")
        made = migrate.backup_sqlite(db, tmp_path / "copy.sqlite")
        keep_open.execute(text("SELECT 1"))
    assert document_count(made) == 1


def test_backup_cannot_overwrite_the_database(db: Database, db_path: Path) -> None:
    with pytest.raises(DatabaseError, match="cannot overwrite"):
        migrate.backup_sqlite(db, db_path)


def test_backup_of_missing_file_is_refused(db_path: Path) -> None:
    database = open_database(sqlite_url(db_path))
    try:
        with pytest.raises(DatabaseError, match="no database file"):
            migrate.backup_sqlite(database)
    finally:
        database.dispose()


def test_backup_of_server_database_is_refused() -> None:
    pytest.importorskip("psycopg")
    server = open_database("postgresql+psycopg://ann@db.example.org/heme")
    try:
        with pytest.raises(DatabaseError, match="pg_dump"):
            migrate.backup_sqlite(server)
    finally:
        server.dispose()


def test_automatic_backups_keep_only_the_newest(db: Database, db_path: Path) -> None:
    add_documents(db, "data")
    made = [migrate.backup_sqlite(db, reason="test", keep=3) for _ in range(5)]
    folder = db_path.parent / "backups"
    left = sorted(folder.iterdir())
    assert left == sorted(made[-3:])
    assert all(document_count(p) == 1 for p in left)
    # A sixth with the default keeps up to KEEP_BACKUPS.
    migrate.backup_sqlite(db)
    assert len(list(folder.iterdir())) == min(4, migrate.KEEP_BACKUPS)


def test_pruning_leaves_other_databases_backups_alone(db: Database, db_path: Path) -> None:
    # BUG: _prune_backups() globs "{stem}-*{suffix}", so the backups of
    # "curator-old.sqlite" in the same folder count as backups of
    # "curator.sqlite": they sort first ("curator-2..." < "curator-o...") and
    # the backup just made is deleted at once, its returned path dangling.
    other = open_database(sqlite_url(db_path.with_name("curator-old.sqlite")))
    try:
        migrate.upgrade(other)
        theirs = [migrate.backup_sqlite(other) for _ in range(migrate.KEEP_BACKUPS)]
    finally:
        other.dispose()
    ours = migrate.backup_sqlite(db)
    assert ours.exists()
    assert all(p.exists() for p in theirs)


def test_backup_of_database_in_folder_with_hash_in_name(tmp_path: Path) -> None:
    # BUG: backup_sqlite() opens the source as the URI f"file:{source}?mode=ro"
    # without percent-encoding, so "#" starts a URI fragment: SQLite opens
    # (and creates, since "?mode=ro" was cut off) the file "…/team" instead,
    # and the "backup" is an empty database, reported as a success.
    folder = tmp_path / "team#1"
    folder.mkdir()
    database = open_database(sqlite_url(folder / "c.sqlite"))
    try:
        migrate.upgrade(database)
        add_documents(database, "must be in the backup")
        made = migrate.backup_sqlite(database, tmp_path / "copy.sqlite")
    finally:
        database.dispose()
    assert document_count(made) == 1
    assert not (tmp_path / "team").exists()  # no stray file made from the cut-off path
