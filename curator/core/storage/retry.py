"""Running a whole transaction again when a server refused it for a clash with another writer.

On PostgreSQL two transactions can still collide where neither waits for
the other: a deadlock (the server aborts one), a serialization failure, or a
unique key another session committed between our read and our insert (two
curators' first edit on a document both creating its status row). Each of
these rolls the transaction back completely, so running the whole unit of
work again, which reads what the other committed, is safe. The number of
attempts and the pause between them (random, doubling) are bounded, so a
real fault still surfaces as an error. SQLite is never retried: it lets one
writer in at a time, and its lock waits are the busy timeout's business.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

from curator.core.storage.db import Database

P = ParamSpec("P")
R = TypeVar("R")

# serialization_failure, deadlock_detected, unique_violation
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "23505"})
ATTEMPTS = 8
FIRST_PAUSE_S = 0.02


class ConcurrentChangeError(Exception):
    """A row this transaction decided on was changed by another writer before it was locked."""


def is_transient(exc: BaseException) -> bool:
    """Whether *exc* (or the driver error it wraps) is a clash worth retrying."""
    if isinstance(exc, ConcurrentChangeError):
        return True
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DBAPIError):
            return getattr(seen.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
        seen = seen.__cause__
    return False


def retried(
    function: Callable[Concatenate[Database, P], R],
) -> Callable[Concatenate[Database, P], R]:
    """Run *function* (one unit of work on its first argument, the database) again on a clash.

    Only for functions that open and commit their own transaction and do
    nothing outside the database that a second run would repeat.
    """

    @functools.wraps(function)
    def run(db: Database, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if db.is_sqlite:
            return function(db, *args, **kwargs)
        for attempt in range(ATTEMPTS):
            try:
                return function(db, *args, **kwargs)
            except Exception as exc:
                if attempt == ATTEMPTS - 1 or not is_transient(exc):
                    raise
                time.sleep(random.uniform(0.5, 1.0) * FIRST_PAUSE_S * 2**attempt)
        raise AssertionError("unreachable")

    return run
