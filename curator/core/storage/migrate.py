"""Bring a database to the schema this code knows, safely.

Run in-process at every start (app and CLI). A database already at the
current schema is recognised with one query against the head revision read
from the migration files (:mod:`.schema_head`): Alembic is imported only when
there is something to upgrade, or for ``db upgrade`` and ``db check``. A new,
empty SQLite file gets the head schema directly (:mod:`.new_database`). A
database that already holds
data is copied first (SQLite's online backup API, so the copy is consistent
even while another process writes); a database stamped with a revision this
code does not know came from a newer version and is refused untouched. Only
the newest automatic backups are kept (``CURATOR_KEEP_BACKUPS``, default 5).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shlex
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from curator.core import environment
from curator.core.errors import DatabaseError
from curator.core.files import leftovers
from curator.core.storage import new_database
from curator.core.storage.database_path import sqlite_problem
from curator.core.storage.db import (
    MIGRATION_LOCK,
    SERVER_QUEUE_TIMEOUT_MS,
    Database,
    translate_errors,
)
from curator.core.storage.paths import migrations_dir
from curator.core.storage.schema_head import head_revision

if TYPE_CHECKING:
    from alembic.config import Config

KEEP_BACKUPS = 5


def keep_backups() -> int:
    """How many automatic backups of a database to keep (``CURATOR_KEEP_BACKUPS``)."""
    return environment.whole_number(
        "CURATOR_KEEP_BACKUPS", KEEP_BACKUPS, minimum=1, maximum=10_000, unit="backups to keep"
    )


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    has_data: bool

    @property
    def at_head(self) -> bool:
        return self.current == self.head


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["connection"] = None
    return cfg


def schema_state(db: Database) -> SchemaState:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(db))
    head = script.get_current_head()
    assert head is not None
    with translate_errors(db), db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current is not None:
        try:
            known = script.get_revision(current) is not None
        except Exception:
            known = False
        if not known:
            raise DatabaseError(
                f"{db.display_name}: this database was written by a newer version of "
                f"Heme Curator (schema {current}); this version knows schemas up to {head}. "
                "Install the newer version to open it; the database was left untouched."
            )
    return SchemaState(current=current, head=head, has_data=bool(tables - {"alembic_version"}))


def upgrade_command(db: Database) -> str:
    """The command that upgrades *db* itself, ready to paste into a shell.

    It names the database: a bare ``curator db upgrade`` would upgrade
    whichever database ``CURATOR_DB`` or the default points at.
    """
    return f"curator --db {shlex.quote(db.display_name)} db upgrade"


@contextlib.contextmanager
def _one_upgrade_at_a_time(db: Database) -> Iterator[None]:
    """On PostgreSQL, hold the server-wide migration lock across the check and the upgrade.

    Several programs starting at once on a new server database would each
    find it empty and each create the schema: one wins, the others fail
    (a duplicate type, or tables without a schema version yet). Under a
    session advisory lock they queue, and each one after the first finds the
    database at head. The lock's connection is closed, never returned to the
    pool, so the lock cannot outlive this block (a killed program's lock is
    released by the server with its connection). SQLite needs none of this:
    the upgrade runs under its write lock (BEGIN IMMEDIATE).
    """
    if db.is_sqlite:
        yield
        return
    with translate_errors(db), db.engine.connect() as conn:
        try:
            conn.execute(text(f"SET lock_timeout = {SERVER_QUEUE_TIMEOUT_MS}"))
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()
            yield
        finally:
            conn.invalidate()


def at_head(db: Database) -> bool:
    """True when *db* is at the schema this code ships, found with one query.

    False means "ask Alembic" (:func:`schema_state`): an empty or foreign
    database, an older or newer schema, a file that is not a database, or
    migration files whose head cannot be read plainly.
    """
    head = head_revision(migrations_dir())
    if head is None:
        return False
    try:
        with db.engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return list(versions) == [head]
    except DBAPIError:
        return False  # no such table, not a database...: the full check says what


def upgrade(db: Database, *, backup: bool = True) -> Path | None:
    """Upgrade to head; return the backup made first, if any."""
    current = at_head(db)
    new = not current and new_database.looks_new(db, head_revision(migrations_dir()))
    state = None if current or new else schema_state(db)
    db.ensure_writable()
    with translate_errors(db):
        db.enable_wal()
    if new:
        with translate_errors(db), schema_change(db) as conn:
            made = new_database.create_at_head(conn)
        if made:
            return None
        state = schema_state(db)  # another program made it meanwhile: the usual way
    if state is None or state.at_head:
        return None  # a schema at head was committed whole: no lock needed to see it
    with _one_upgrade_at_a_time(db):
        return _upgrade(db, schema_state(db) if not db.is_sqlite else state, backup)


def _upgrade(db: Database, state: SchemaState, backup: bool) -> Path | None:
    if state.at_head:
        return None  # another program upgraded it while this one waited
    if state.current is None and state.has_data:
        raise DatabaseError(
            f"{db.display_name}: this database holds tables but no Heme Curator schema "
            "version; it was not made by this app and was left untouched"
        )
    made = None
    if backup and state.has_data and db.path is not None:
        made = backup_sqlite(db, reason=f"before-{state.head[:12]}")
    run_migrations(db)
    return made


def run_migrations(db: Database) -> None:
    """Run the migration files up to head, in one transaction under the write lock.

    No checks and no backup: :func:`upgrade` decides when this is due. A new
    file usually gets its schema from :mod:`.new_database` instead; the
    tool that writes those statements, and the test that compares the two
    ways, call this to have the migrations' own result.
    """
    from alembic import command

    cfg = alembic_config(db)
    with translate_errors(db), schema_change(db) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextlib.contextmanager
def schema_change(db: Database) -> Iterator[Connection]:
    """One transaction for migrations, under the write lock, foreign keys checked at the end.

    Under the write lock (BEGIN IMMEDIATE on SQLite), so that two programs
    starting on the same new file queue here; Alembic reads the revision
    again inside the lock and the second finds nothing left to do. SQLite
    changes a table by copying it, and dropping the old copy of a table that
    others refer to (``label``) fails while foreign keys are enforced: they
    are switched off for the transaction (only possible outside one), and
    ``foreign_key_check`` must find nothing broken before it commits.
    """
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            yield conn
        return
    engine = db.engine.execution_options(sqlite_begin="IMMEDIATE")
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(
                        f"{db.display_name}: the schema upgrade would leave "
                        f"{len(broken)} broken reference(s) in table {broken[0][0]}; "
                        "nothing was changed"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def backup_sqlite(
    db: Database,
    to: Path | None = None,
    *,
    reason: str = "manual",
    keep: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Copy a SQLite database consistently, even while it is being written.

    Automatic backups go to a ``backups`` folder beside the database, named
    with a UTC timestamp; only the newest *keep* of them are kept (default:
    :func:`keep_backups`). *to* may be a file name or an existing folder, which
    then receives a copy named as the automatic ones are. The copy is written
    as ``NAME.PID@HOST.partial`` and renamed when complete; partial copies of
    a process that died are removed by the next backup to the same folder,
    and are never counted or pruned as backups.
    With *progress* ``(pages copied, pages in all)``, the copy goes in steps
    of :data:`BACKUP_STEP_PAGES` (a write by another program between steps
    restarts it, which SQLite handles); without, in one.
    """
    if keep is None:
        keep = keep_backups()
    source = db.path
    if source is None:
        raise DatabaseError(
            f"{db.display_name}: backups of a server database are made with the server's "
            "own tools (for PostgreSQL: pg_dump)"
        )
    if not source.exists():
        raise DatabaseError(f"{source}: no database file to back up")
    problem = sqlite_problem(source)
    if problem is not None:  # before anything is created beside it
        raise DatabaseError(f"{source}: {problem}; there is nothing to back up")
    automatic = to is None
    if to is None:
        folder = source.parent / "backups"
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"{folder}: cannot create the backups folder ({exc.strerror or exc}); "
                "give a writable place with --to"
            ) from exc
        to = folder / backup_name(source, reason)
    to = to.expanduser().resolve()
    if to.is_dir():
        to = to / backup_name(source, reason)
    if to == source:
        raise DatabaseError(f"{to}: a backup cannot overwrite the database itself")
    if not to.parent.is_dir():
        raise DatabaseError(f"{to}: the folder {to.parent} does not exist; nothing was written")
    leftovers.remove_stale(to.parent, _PARTIAL)
    partial = to.with_name(f"{to.name}.{leftovers.owner_tag()}.partial")
    try:
        with (
            contextlib.closing(
                sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
            ) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.execute(f"PRAGMA busy_timeout = {db.busy_timeout_ms}")
            if progress is None:
                src.backup(dst)
            else:
                src.backup(
                    dst,
                    pages=BACKUP_STEP_PAGES,
                    progress=lambda _status, left, total: progress(total - left, total),
                    sleep=0,
                )
        leftovers.checkpoint("backup-copied")
        partial.replace(to)
    except (sqlite3.Error, OSError) as exc:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
        reason_text = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise DatabaseError(
            f"{source}: backup to {to} failed: {reason_text}; nothing was written there"
        ) from exc
    if automatic:
        _prune_backups(to.parent, source, keep)
    return to


_PARTIAL = re.compile(rf".+\.(?P<owner>{leftovers.TAG_PATTERN})\.partial(-journal)?")
"""A copy being written, and SQLite's journal of it."""


def backup_name(source: Path, reason: str) -> str:
    """``STEM-TIMESTAMP-REASON.SUFFIX``: sorts by time, and says which database and why."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{source.stem}-{stamp}-{reason}{source.suffix}"


BACKUP_STEP_PAGES = 4096  # 16 MB at SQLite's default page size


def _prune_backups(folder: Path, source: Path, keep: int) -> None:
    """Delete this database's oldest automatic backups; nothing else in the folder.

    Partial copies left by older versions (``NAME.partial``, without an
    owner) go too, once nothing has written to them for a day.
    """
    stem = re.escape(source.stem) + r"-\d{8}T\d{12}Z-[^/]*" + re.escape(source.suffix)
    mine = re.compile(stem)
    backups = sorted(p for p in folder.iterdir() if mine.fullmatch(p.name))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)
    unowned = re.compile(stem + r"\.partial(-journal)?")
    for path in folder.iterdir():
        if unowned.fullmatch(path.name) and leftovers.untouched_for_a_day(path):
            path.unlink(missing_ok=True)
