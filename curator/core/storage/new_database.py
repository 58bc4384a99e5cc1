"""A new, empty SQLite file made at the head schema in one transaction, without Alembic.

Running the migrations on a new file imports Alembic and replays every step,
copying tables in batch mode: about 0.2 s of CPU at the first start of the
app and at every import into a new database. The end of that road is always
the same schema, so it is kept as the statements that create it
(:mod:`.head_ddl`, written by ``tools/write_head_ddl.py`` from a database the
migrations made) and run directly, then stamped with the head revision.

Only for a local file that holds nothing yet, and only when the statements
were written at the head the migration files name: any other case (an older
schema, a foreign file, a server, a migration added without rewriting the
statements) goes through Alembic as before. A test makes a database each way
and compares their ``sqlite_master``, revision, rows and pragmas, so a
migration that forgets to rewrite the statements fails it.

Two programs starting on the same new file queue for the write lock here as
in :func:`.migrate.schema_change`; the second finds tables and leaves the
schema to the usual check, which finds it at head.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from curator.core.storage import head_ddl
from curator.core.storage.db import Database

# The tables an FTS5 table keeps its index in: made by its CREATE VIRTUAL TABLE.
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
_ORDER = {"table": 0, "index": 1, "view": 2, "trigger": 3}


def looks_new(db: Database, head: str | None) -> bool:
    """True when *db* is a local SQLite file with no schema at all (also a missing file).

    *head* is the head revision the migration files name; the statements are
    used only when they were written at that revision.
    """
    if db.path is None or head is None or head != head_ddl.REVISION:
        return False
    try:
        with db.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1").first() is None
    except DBAPIError:
        return False  # not a database...: the usual check says what it is


def create_at_head(conn: Connection) -> bool:
    """Create the head schema on *conn*, inside its write transaction, if the file is empty.

    False when the file holds something already (another program made it
    while this one waited for the lock): nothing is written then.
    """
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1").first() is not None:
        return False
    for statement in head_ddl.STATEMENTS:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(
        "INSERT INTO alembic_version (version_num) VALUES (?)", (head_ddl.REVISION,)
    )
    return True


def schema_statements(conn: sqlite3.Connection) -> list[str]:
    """The statements that make *conn*'s schema and rows again, in an order that works.

    Tables, then their rows (the seeded labels and relation types; not the
    revision, which :func:`create_at_head` writes), each FTS5 index rebuilt
    as the migration that made it left it, then indexes, views, triggers.
    Indexes SQLite makes for constraints, and the tables an FTS5 table makes
    for itself, come with their owners' statements and are left out.
    """
    rows = conn.execute("SELECT rowid, type, name, sql FROM sqlite_master").fetchall()
    virtual = [name for _, kind, name, sql in rows if _is_virtual(kind, sql)]
    kept = sorted(
        (_ORDER[kind], rowid, name, sql)
        for rowid, kind, name, sql in rows
        if sql is not None and not _is_shadow(name, virtual)
    )
    tables = [(name, sql) for order, _, name, sql in kept if order == 0]
    statements = [sql for _, sql in tables]
    for name, _ in tables:
        if name not in virtual and name != "alembic_version":
            statements.extend(_row_inserts(conn, name))
    statements.extend(f"INSERT INTO {name}({name}) VALUES ('rebuild')" for name in virtual)
    statements.extend(sql for order, _, _, sql in kept if order > 0)
    return statements


def _row_inserts(conn: sqlite3.Connection, table: str) -> list[str]:
    """One INSERT per row of *table*, its values spelled by SQLite's own ``quote()``."""
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    quoted = " || ', ' || ".join(f'quote("{c}")' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    query = f"""SELECT 'INSERT INTO "{table}" ({names}) VALUES (' || {quoted} || ')'"""
    return [sql for (sql,) in conn.execute(f'{query} FROM "{table}" ORDER BY rowid')]


def _is_virtual(kind: str, sql: str | None) -> bool:
    return kind == "table" and sql is not None and sql.upper().startswith("CREATE VIRTUAL TABLE")


def _is_shadow(name: str, virtual: Iterable[str]) -> bool:
    return any(name == owner + suffix for owner in virtual for suffix in _SHADOW_SUFFIXES)


_CONSTRAINT = re.compile(r"(CONSTRAINT|PRIMARY KEY|UNIQUE|CHECK|FOREIGN KEY)\b", re.IGNORECASE)


def _items(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE body, commas in brackets or quotes kept."""
    items: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in body:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    items.append("".join(current).strip())
    return items


def normalized(sql: str | None) -> str | None:
    """*sql* with its whitespace collapsed and a table's constraints sorted.

    Alembic's batch mode writes a copied table's constraints in an order that
    changes from run to run; columns keep theirs (it is the table's).
    """
    if sql is None:
        return None
    sql = " ".join(sql.split())
    head, bracket, rest = sql.partition("(")
    if not head.upper().startswith("CREATE TABLE") or not rest.endswith(")"):
        return sql
    items = _items(rest[:-1])
    columns = [i for i in items if not _CONSTRAINT.match(i)]
    constraints = sorted(i for i in items if _CONSTRAINT.match(i))
    return head + bracket + ", ".join(columns + constraints) + ")"
