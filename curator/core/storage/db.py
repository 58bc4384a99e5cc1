"""Engines and units of work.

No engine exists at import time: :func:`open_database` builds one for the URL
it is given. SQLite connections get WAL (readers never block the writer),
``synchronous=FULL`` (a commit that returned is on disk, even after a power
cut), enforced foreign keys and a busy timeout. Writes begin with ``BEGIN
IMMEDIATE`` so two processes queue for the write lock up front instead of
failing half-way through a transaction; how long they queue is the busy
timeout (``CURATOR_BUSY_TIMEOUT_MS``, default 15 s), after which the user gets
a clear "locked by another program" message.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from curator.core import environment
from curator.core.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

BUSY_TIMEOUT_MS = 15_000

# PostgreSQL advisory lock keys (any 64-bit numbers this app alone uses):
# "HEMECUR" in ASCII, then what the lock guards.
BULK_WRITE_LOCK = 0x48454D4543555201
MIGRATION_LOCK = 0x48454D4543555202
# How long an import or merge on a server queues behind another one.
SERVER_QUEUE_TIMEOUT_MS = 300_000


def configured_busy_timeout_ms() -> int:
    """How long a writer waits for another program's write lock, in milliseconds.

    ``CURATOR_BUSY_TIMEOUT_MS`` overrides the default: a shared folder on a
    slow network may want longer, and the tests want it short.
    """
    return environment.whole_number(
        "CURATOR_BUSY_TIMEOUT_MS",
        BUSY_TIMEOUT_MS,
        minimum=0,
        maximum=86_400_000,
        unit="milliseconds",
    )


def _configure_sqlite(engine: Engine, timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the driver's own
        # implicit transactions would defeat BEGIN IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        # WAL is switched on once, by migrate.upgrade(), after the file was
        # accepted: a database we refuse must stay byte-identical.
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass
class Database:
    """One database and the session factories for reading and for writing."""

    url: str
    engine: Engine
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    _reader: sessionmaker[Session] = field(init=False, repr=False)
    _writer: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        write_engine = self.engine
        if self.is_sqlite:
            write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        # expire_on_commit=False: objects stay readable after the commit
        # without a reload per attribute (measured: 85 ms per autosave at
        # 20,000 spans otherwise).
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(write_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not self.is_sqlite or not self.engine.url.database:
            return None
        return Path(self.engine.url.database)

    def enable_wal(self) -> None:
        """Switch a SQLite file to WAL (persistent in the file; a no-op when already on).

        The switch needs the file to itself for a moment, and SQLite does not
        wait for that (the busy timeout is not consulted there): a program
        starting on the same new file at the same moment made it fail at once
        with "database is locked". So it is tried again after short pauses,
        until the busy timeout has passed, as any other lock wait would.
        """
        if self.path is None:
            return
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        pause = 0.002
        while True:
            raw = self.engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                    raise
            finally:
                raw.close()
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def ensure_writable(self) -> None:
        """Refuse a SQLite database this process cannot write, before any work is done.

        The app commits every edit at once, so a read-only file (permissions,
        a read-only folder or medium, a ``mode=ro`` URL) must be found at
        start-up, not at the first edit. The probe takes the write lock (so a
        database held by another program waits the busy timeout, then fails
        clearly) and creates a table inside a transaction that is rolled
        back: nothing reaches the file. Root passes permission checks, which
        is why this asks SQLite rather than ``os.access``.
        """
        if not self.is_sqlite:
            return
        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with translate_errors(self), engine.connect() as conn, conn.begin() as trans:
            conn.execute(text("CREATE TABLE curator_write_probe (x INTEGER)"))
            trans.rollback()

    @property
    def display_name(self) -> str:
        """What to show the user: a file path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    @contextlib.contextmanager
    def write(self, *, bulk: bool = False) -> Iterator[Session]:
        """A unit of work that commits on success and rolls back on any error.

        *bulk* (imports): writers that read many rows, decide, then write,
        take turns on a server as they do on SQLite (see
        :func:`queue_bulk_writer`).
        """
        with translate_errors(self), self._writer.begin() as session:
            if bulk and not self.is_sqlite:
                queue_bulk_writer(session.connection())
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self), self._reader() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def insert_if_missing(session: Session, model: type[DeclarativeBase], **values: Any) -> None:
    """INSERT that quietly does nothing when the row's unique key already exists.

    Two curators (or two windows) creating the same row at once, such as a
    curator's first edit on a shared server: the loser of the race waits for
    the winner's commit and then finds the row, instead of failing with a
    unique violation and losing the edit.
    """
    session.execute(upsert_statement(session, model).values(**values).on_conflict_do_nothing())


def upsert_statement(
    session: Session, model: type[DeclarativeBase]
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the session's dialect, which knows ``ON CONFLICT`` (PostgreSQL, SQLite).

    Each dialect's module is imported here, for the database in use: the
    PostgreSQL one costs ~30 ms at every start of a SQLite user's app.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(model)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(model)


def queue_bulk_writer(conn: Connection) -> None:
    """On PostgreSQL, wait for any other import or merge to commit before this one goes on.

    SQLite already lets one writer at a time in (BEGIN IMMEDIATE). On a
    server, two imports or merges of the same documents would each decide
    from what they read, then both write: a unique violation for the later
    one, a span added twice, or a newer version of a span overwritten by an
    older one. Holding a transaction-scoped advisory lock from the first
    statement makes them take turns, each reading what the previous one
    committed. Single edits from the app do not queue here; the rows they
    share with an import (curators, statuses) are written as upserts, and
    the rare remaining clash is retried (:func:`curator.core.storage.retry.retried`).
    The wait is bounded (``SERVER_QUEUE_TIMEOUT_MS``); nothing is written
    when it runs out.
    """
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text(f"SET LOCAL lock_timeout = {SERVER_QUEUE_TIMEOUT_MS}"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BULK_WRITE_LOCK})
    conn.execute(text("SET LOCAL lock_timeout TO DEFAULT"))


@contextlib.contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Turn the driver's operational failures into messages a user can act on."""
    try:
        yield
    except IntegrityError:
        raise  # a bug in our code, not something the user can fix
    except DBAPIError as exc:
        raise DatabaseError(describe_driver_error(db, exc)) from exc


def describe_driver_error(db: Database, exc: DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    name = db.display_name
    if "lock timeout" in text and not db.is_sqlite:
        return (
            f"{name}: another import, merge or upgrade kept the database busy for "
            f"{_seconds(SERVER_QUEUE_TIMEOUT_MS)}; nothing was written. Try again"
        )
    if "locked" in text or "busy" in text:
        return (
            f"{name}: the database is locked by another program and stayed locked for "
            f"{_seconds(db.busy_timeout_ms)}; nothing was written. Close the other program "
            "or try again (CURATOR_BUSY_TIMEOUT_MS sets how long to wait)"
        )
    if "readonly" in text or "read-only" in text:
        return (
            f"{name}: the database is read-only, and every edit is saved at once; "
            "check the permissions of the file and its folder, or work on a copy"
        )
    if "not a database" in text or "malformed" in text:
        return f"{name}: this file is not a Heme Curator database (or it is damaged)"
    if "unable to open" in text:
        return f"{name}: cannot open the database file (does its folder exist?)"
    return f"{name}: {text}"


def _seconds(ms: int) -> str:
    return f"{ms // 1000} s" if ms % 1000 == 0 else f"{ms / 1000:g} s"


def open_database(url: str) -> Database:
    """Create the engine for *url*; nothing is read or written yet."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"{url}: not a database URL or a path to a SQLite file") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).parent.is_dir():
            raise DatabaseError(f"{database}: the folder for this database does not exist")
        timeout_ms = configured_busy_timeout_ms()
        engine = create_engine(url, connect_args={"timeout": timeout_ms / 1000})
        _configure_sqlite(engine, timeout_ms)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:  # unknown dialect, missing driver
            shown = parsed.render_as_string(hide_password=True)
            raise DatabaseError(f"cannot use database URL {shown!r}: {exc}") from exc
        timeout_ms = BUSY_TIMEOUT_MS
    return Database(url=url, engine=engine, busy_timeout_ms=timeout_ms)
