"""A unit of work refused for a clash with another writer runs again, on a server only.

The clash is a real one: a unique key already committed (SQLSTATE 23505),
what a second curator's first edit meets when another session made the same
row a moment before.
"""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from curator.core.errors import CuratorError
from curator.core.storage import migrate, retry
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Curator
from curator.core.storage.retry import retried


@retried
def _clash_then_succeed(db: Database, calls: list[int], clashes: int) -> int:
    calls.append(1)
    with db.write() as session:
        session.execute(insert(Curator).values(name=f"ana-{len(calls)}"))
        if len(calls) <= clashes:
            session.execute(insert(Curator).values(name="bo"))  # already there: 23505
        return len(session.scalars(select(Curator.name)).all())


@retried
def _refuse(db: Database, calls: list[int]) -> None:
    calls.append(1)
    raise CuratorError("not a clash")


def _with_bo(db: Database) -> Database:
    migrate.upgrade(db)
    with db.write() as session:
        session.execute(insert(Curator).values(name="bo"))
    return db


def test_a_clash_on_a_server_is_run_again_from_the_start(pg_url: str) -> None:
    db = _with_bo(open_database(pg_url))
    try:
        calls: list[int] = []
        assert _clash_then_succeed(db, calls, clashes=2) == 2  # bo, and only the last ana
        assert len(calls) == 3
        with db.read() as session:
            assert sorted(session.scalars(select(Curator.name))) == ["ana-3", "bo"]
    finally:
        db.dispose()


def test_retries_are_bounded_and_only_for_clashes(pg_url: str) -> None:
    db = _with_bo(open_database(pg_url))
    try:
        calls: list[int] = []
        with pytest.raises(IntegrityError):
            _clash_then_succeed(db, calls, clashes=100)
        assert len(calls) == retry.ATTEMPTS
        calls.clear()
        with pytest.raises(CuratorError):
            _refuse(db, calls)
        assert len(calls) == 1
    finally:
        db.dispose()


def test_sqlite_is_never_retried(db: Database) -> None:
    _with_bo(db)
    calls: list[int] = []
    with pytest.raises(IntegrityError):
        _clash_then_succeed(db, calls, clashes=1)
    assert len(calls) == 1
