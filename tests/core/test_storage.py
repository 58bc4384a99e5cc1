"""Storage: SQLite settings, schema vs migrations, constraints, paths, backups."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from curator.core.errors import DatabaseError
from curator.core.spans.annotate import list_labels
from curator.core.storage import migrate, paths
from curator.core.storage.db import BUSY_TIMEOUT_MS, Database, open_database
from curator.core.storage.models import (
    DEFAULT_LABELS,
    Annotation,
    Base,
    Curator,
    Document,
    Label,
    described_by_orm,
)
from tests.conftest import CURRENT_HEAD
from tests.core.storage_helpers import add_documents, sqlite_url

REPO = Path(__file__).resolve().parents[2]


# --- connection settings -----------------------------------------------------------


def test_pragmas_on_every_connection(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS
    assert BUSY_TIMEOUT_MS > 0


def test_wal_is_persistent_in_the_file(db: Database, db_path: Path) -> None:
    db.dispose()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_write_takes_the_write_lock_up_front(db: Database, db_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer is turned away at BEGIN, not half-way through."""
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        with db.write() as session:
            session.execute(select(1))  # nothing written yet, but the lock is held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after the commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_write_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(Curator(name="ghost"))
        session.flush()
        raise RuntimeError("boom")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Curator)) == 0


def test_read_sees_committed_write(db: Database) -> None:
    with db.write() as session:
        session.add(Curator(name="alice"))
    with db.read() as session:
        assert session.scalars(select(Curator.name)).all() == ["alice"]


def test_database_path_and_display_name(db: Database, db_path: Path) -> None:
    assert db.is_sqlite
    assert db.path == db_path
    assert db.display_name == str(db_path)


def test_server_url_display_name_hides_the_password() -> None:
    pytest.importorskip("psycopg")
    server = open_database("postgresql+psycopg://ann:s3cret@db.example.org/heme")
    try:
        assert server.path is None
        assert not server.is_sqlite
        assert "s3cret" not in server.display_name
        assert "db.example.org" in server.display_name
    finally:
        server.dispose()


# --- schema --------------------------------------------------------------------


def test_migrations_match_the_orm_metadata(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": described_by_orm,
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_empty_database_upgrades_to_head(db_path: Path) -> None:
    database = open_database(sqlite_url(db_path))
    try:
        before = migrate.schema_state(database)
        assert before.current is None
        assert not before.has_data
        assert not before.at_head
        assert migrate.upgrade(database) is None  # nothing to back up
        after = migrate.schema_state(database)
        assert after.at_head
        assert after.current == after.head == CURRENT_HEAD
        assert after.has_data
    finally:
        database.dispose()
    assert not (db_path.parent / "backups").exists()


def test_seeded_labels_in_order_with_keys_and_colors(db: Database) -> None:
    labels = list_labels(db)
    assert [lab.name for lab in labels] == ["therapy", "target", "outcome", "expert"]
    assert [lab.shortcut for lab in labels] == ["1", "2", "3", "4"]
    assert [lab.color for lab in labels] == ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    assert all(lab.description for lab in labels)
    # The migration's frozen copy agrees with the code's defaults.
    assert [(lab.name, lab.color, lab.shortcut, lab.description) for lab in labels] == list(
        DEFAULT_LABELS
    )


def test_foreign_keys_are_declared_in_the_file(db: Database, db_path: Path) -> None:
    db.dispose()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        fks = {(r[2], r[3]) for r in conn.execute("PRAGMA foreign_key_list(annotation)")}
    assert fks == {("document", "document_id"), ("curator", "curator_id"), ("label", "label_id")}


# --- integrity enforced by the database itself ----------------------------------------


@pytest.fixture
def parents(db: Database) -> dict[str, int]:
    """A document, a curator and a label to hang annotation rows on."""
    (uid,) = add_documents(db, "Ruxolitinib reduced spleen volume.")
    with db.write() as session:
        doc_id = session.scalar(select(Document.id).where(Document.uid == uid))
        cur = Curator(name="alice")
        session.add(cur)
        session.flush()
        label_id = session.scalar(select(Label.id).where(Label.name == "therapy"))
        assert doc_id is not None and label_id is not None
        return {"document_id": doc_id, "curator_id": cur.id, "label_id": label_id}


def annotation_row(parents: dict[str, int], **overrides: object) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    row: dict[str, object] = {
        "uid": str(uuid.uuid4()),
        **parents,
        "start": 0,
        "end": 11,
        "text": "Ruxolitinib",
        "note": "",
        "origin": "manual",
        "created_at": now,
        "updated_at": now,
        "revision": 1,
    }
    row.update(overrides)
    return row


def test_valid_annotation_row_is_accepted(db: Database, parents: dict[str, int]) -> None:
    with db.write() as session:
        session.add(Annotation(**annotation_row(parents)))
    with db.read() as session:
        assert session.scalars(select(Annotation.text)).all() == ["Ruxolitinib"]


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"start": -1, "end": 2, "text": "abc"}, "ck_annotation_start_not_negative"),
        ({"start": 5, "end": 5, "text": ""}, "ck_annotation_start_before_end"),
        # No quote has a negative length: either check may be the one reported.
        ({"start": 6, "end": 5, "text": ""}, "ck_annotation_(start_before_end|quote_length)"),
        ({"start": 0, "end": 11, "text": "Ruxolitini"}, "ck_annotation_quote_length"),
        ({"revision": 0}, "ck_annotation_revision_positive"),
        ({"origin": "guessed"}, "ck_annotation_origin_known"),
    ],
    ids=["negative-start", "empty", "reversed", "quote-length", "revision-0", "origin"],
)
def test_check_constraints_are_enforced_by_the_database(
    db: Database, parents: dict[str, int], overrides: dict[str, object], constraint: str
) -> None:
    with pytest.raises(IntegrityError, match=constraint), db.write() as session:
        session.add(Annotation(**annotation_row(parents, **overrides)))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Annotation)) == 0


def test_quote_length_counts_code_points_not_bytes(db: Database) -> None:
    """SQLite's length() of TEXT counts characters: an astral 𝛼 is one."""
    (uid,) = add_documents(db, "TNF-𝛼 levels")
    with db.write() as session:
        doc_id = session.scalar(select(Document.id).where(Document.uid == uid))
        cur = Curator(name="bob")
        session.add(cur)
        session.flush()
        label_id = session.scalar(select(Label.id).where(Label.name == "target"))
        assert doc_id is not None and label_id is not None
        row = annotation_row(
            {"document_id": doc_id, "curator_id": cur.id, "label_id": label_id},
            start=0,
            end=5,
            text="TNF-𝛼",
        )
        session.execute(insert(Annotation), [row])
    with db.read() as session:
        assert session.execute(select(Annotation.text, func.length(Annotation.text))).one() == (
            "TNF-𝛼",
            5,
        )


def test_duplicate_annotation_uid_is_refused(db: Database, parents: dict[str, int]) -> None:
    uid = str(uuid.uuid4())
    with db.write() as session:
        session.execute(insert(Annotation), [annotation_row(parents, uid=uid)])
    with (
        pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: annotation\.uid"),
        db.write() as session,
    ):
        session.execute(insert(Annotation), [annotation_row(parents, uid=uid)])


def test_duplicate_document_uid_is_refused(db: Database) -> None:
    (uid,) = add_documents(db, "one text")
    with (
        pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: document\.uid"),
        db.write() as session,
    ):
        session.add(Document(uid=uid, title="again", source="", text="other text", meta={}))


def test_document_uid_must_be_a_sha256(db: Database) -> None:
    with pytest.raises(IntegrityError, match="ck_document_uid_sha256"), db.write() as session:
        session.add(Document(uid="abc", title="t", source="", text="x", meta={}))


def test_duplicate_curator_and_empty_name_are_refused(db: Database) -> None:
    with db.write() as session:
        session.add(Curator(name="alice"))
    with pytest.raises(IntegrityError, match=r"curator\.name"), db.write() as session:
        session.add(Curator(name="alice"))
    with pytest.raises(IntegrityError, match="ck_curator_name_not_empty"), db.write() as session:
        session.add(Curator(name=""))


def test_duplicate_label_shortcut_is_refused(db: Database) -> None:
    with pytest.raises(IntegrityError, match=r"label\.shortcut"), db.write() as session:
        session.add(Label(name="disease", color="#000000", shortcut="1", description=""))


@pytest.mark.parametrize("column", ["document_id", "curator_id", "label_id"])
def test_nonexistent_parent_is_refused(db: Database, parents: dict[str, int], column: str) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.write() as session:
        session.execute(insert(Annotation), [annotation_row(parents, **{column: 9999})])


def test_deleting_a_document_cascades_to_its_annotations(
    db: Database, parents: dict[str, int]
) -> None:
    with db.write() as session:
        session.execute(insert(Annotation), [annotation_row(parents)])
    with db.write() as session:
        session.execute(delete(Document).where(Document.id == parents["document_id"]))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Annotation)) == 0


def test_timestamps_round_trip_as_aware_utc(db: Database, parents: dict[str, int]) -> None:
    stamp = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    with db.write() as session:
        session.execute(insert(Annotation), [annotation_row(parents, updated_at=stamp)])
    with db.read() as session:
        assert session.scalar(select(Annotation.updated_at)) == stamp


def test_naive_timestamps_are_refused(db: Database, parents: dict[str, int]) -> None:
    naive = dt.datetime(2026, 1, 2, 3, 4, 5)
    with pytest.raises(Exception, match="naive"), db.write() as session:
        session.execute(insert(Annotation), [annotation_row(parents, updated_at=naive)])


# --- where the database lives ------------------------------------------------------------


def test_database_url_explicit_path_is_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.database_url("work.sqlite") == f"sqlite:///{tmp_path / 'work.sqlite'}"
    assert paths.database_url(str(tmp_path / "a.sqlite")) == f"sqlite:///{tmp_path / 'a.sqlite'}"


def test_database_url_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.database_url("~/c.sqlite") == f"sqlite:///{tmp_path / 'c.sqlite'}"


def test_database_url_passes_urls_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATOR_DB", "/elsewhere/env.sqlite")
    url = "postgresql+psycopg://team@db.example.org/heme"
    assert paths.database_url(url) == url
    assert paths.database_url("sqlite:////tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"


def test_database_url_uses_curator_db_when_no_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATOR_DB", str(tmp_path / "env.sqlite"))
    assert paths.database_url(None) == f"sqlite:///{tmp_path / 'env.sqlite'}"
    # --db wins over the environment.
    assert paths.database_url(str(tmp_path / "arg.sqlite")) == (
        f"sqlite:///{tmp_path / 'arg.sqlite'}"
    )
    monkeypatch.setenv("CURATOR_DB", "postgresql+psycopg://team@db/heme")
    assert paths.database_url() == "postgresql+psycopg://team@db/heme"


def test_database_url_default_is_in_the_user_data_dir_created_on_demand(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "xdg-data" / "heme-curator"  # XDG_DATA_HOME set by conftest
    assert not folder.exists()
    assert paths.database_url() == f"sqlite:///{folder / 'curator.sqlite'}"
    assert folder.is_dir()
    assert paths.default_database_path() == folder / "curator.sqlite"


def test_open_database_in_missing_folder_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "c.sqlite"
    with pytest.raises(DatabaseError, match="folder for this database does not exist"):
        open_database(sqlite_url(missing))
    assert not missing.parent.exists()


def test_open_database_with_unknown_dialect_is_refused() -> None:
    with pytest.raises(DatabaseError, match="cannot use database URL"):
        open_database("nosuchdb://host/x")


def test_open_database_touches_nothing_until_used(db_path: Path) -> None:
    database = open_database(sqlite_url(db_path))
    database.dispose()
    assert not db_path.exists()


def test_file_that_is_not_a_database_is_a_clear_database_error(db_path: Path) -> None:
    # BUG: the "file is not a database" error is raised by the PRAGMA in the
    # connect hook as sqlalchemy.exc.DatabaseError, which translate_errors()
    # does not catch (it only catches OperationalError), so the user gets a
    # traceback instead of the message describe_operational_error() has for it.
    db_path.write_text("these are my notes, not a database\n" * 50)
    before = db_path.read_bytes()
    database = open_database(sqlite_url(db_path))
    try:
        with pytest.raises(DatabaseError, match="not a Heme Curator database"):
            migrate.upgrade(database)
    finally:
        database.dispose()
    assert db_path.read_bytes() == before


def test_migrations_folder_is_found() -> None:
    assert paths.migrations_dir() == REPO / "migrations"
    assert (paths.migrations_dir() / "env.py").is_file()
