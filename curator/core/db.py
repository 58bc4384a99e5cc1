"""Engines and units of work.

No engine exists at import time: :func:`open_database` builds one for the URL
it is given. SQLite connections get WAL (readers never block the writer),
``synchronous=FULL`` (a commit that returned is on disk, even after a power
cut), enforced foreign keys and a busy timeout. Writes begin with ``BEGIN
IMMEDIATE`` so two processes queue for the write lock up front instead of
failing half-way through a transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from curator.core.errors import DatabaseError

BUSY_TIMEOUT_MS = 15_000


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the driver's own
        # implicit transactions would defeat BEGIN IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
        """Switch a SQLite file to WAL (persistent in the file; a no-op when already on)."""
        if self.path is None:
            return
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
        finally:
            raw.close()

    @property
    def display_name(self) -> str:
        """What to show the user: a file path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that commits on success and rolls back on any error."""
        with translate_errors(self), self._writer.begin() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self), self._reader() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


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
    if "locked" in text or "busy" in text:
        return (
            f"{name}: the database is locked by another program and stayed locked for "
            f"{BUSY_TIMEOUT_MS // 1000} s; close the other program or try again"
        )
    if "readonly" in text or "read-only" in text:
        return f"{name}: the database is read-only; check the file's permissions"
    if "not a database" in text or "malformed" in text:
        return f"{name}: this file is not a Heme Curator database (or it is damaged)"
    if "unable to open" in text:
        return f"{name}: cannot open the database file (does its folder exist?)"
    return f"{name}: {text}"


def open_database(url: str) -> Database:
    """Create the engine for *url*; nothing is read or written yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).parent.is_dir():
            raise DatabaseError(f"{database}: the folder for this database does not exist")
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:  # unknown dialect, missing driver
            raise DatabaseError(f"cannot use database URL {url!r}: {exc}") from exc
    return Database(url=url, engine=engine)
