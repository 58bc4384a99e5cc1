"""Merging other curators' databases into this one.

The contract (DESIGN.md, "Merging"): documents match by ``uid``, curators and
labels by name, annotations and review decisions by ``uid``. Each piece of
content is a register with a total order, and a merge keeps the maximum:

- an annotation: the version with the larger key ``(updated_at, revision,
  digest)`` wins whole, where *digest* is the SHA-256 of the row's content
  (names, not database ids, so every database computes the same key). A
  tombstone is an edit like any other, so a deletion made after the other
  side's last edit survives, and an edit made after a deletion restores.
- a document's text never conflicts (its uid is the hash of the text); of
  its title, source and meta the earliest import ``(created_at, title,
  source, meta)`` wins.
- ``document_status`` per (document, curator): the later ``(updated_at,
  status)``; ``opened_at`` is the later of the two.
- review decisions are an append-only log: the union by ``uid``.
- a person of the registry (``person``): a register by ``uid`` like an
  annotation, the larger ``(updated_at, revision, digest)`` wins whole.

A span's concepts are part of its content, so they take part in the
annotation's register and its digest and need no rule of their own.

Maxima and unions are idempotent, commutative and associative, so merging
again changes nothing and the order of sources does not matter; every uid
of every source ends up in the target, so nothing is lost silently. Label
*presentation* (colour, shortcut key, description, order) is the target's
when it already has the label: a missing label is added with its colour
and description, and a shortcut key the target already uses is dropped
(reported) rather than duplicated.

Sources are only read, never written (not even upgraded): a source must be
at this version's schema; an older one is refused with the command that
upgrades it, a newer one or a file that is not a database is refused too.
All sources go into the target in one transaction: any failure leaves the
target exactly as it was. SQLite sources into a SQLite target use
``ATTACH`` and set-based ``INSERT ... SELECT ... ON CONFLICT`` (see
:mod:`curator.core.merge.sqlite`); anything else takes the portable path in
:mod:`curator.core.merge.portable`. Both implement the same rules and are
tested against each other.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection

from curator.core.errors import DatabaseError
from curator.core.merge.report import MAX_ATTACHED, MergeReport
from curator.core.storage import migrate
from curator.core.storage.db import Database, queue_bulk_writer, translate_errors
from curator.core.storage.retry import retried


def check_source(source: Database) -> None:
    """Refuse a source this version cannot read as it is; never write to it."""
    name = source.display_name
    if source.path is not None and not source.path.is_file():
        raise DatabaseError(f"{name}: no database file here; nothing was merged")
    try:
        state = migrate.schema_state(source)
    except DatabaseError as exc:
        raise DatabaseError(f"{exc}; nothing was merged") from exc
    if state.current is None:
        raise DatabaseError(
            f"{name}: this is not a Heme Curator database (no schema version); nothing was merged"
        )
    if not state.at_head:
        raise DatabaseError(
            f"{name}: this database is at schema {state.current}, an older version; "
            f"merging reads schema {state.head} only and never changes a source. "
            f"Upgrade it first with: {migrate.upgrade_command(source)}. Nothing was merged"
        )


def merging_into_itself(name: str, target: Database) -> DatabaseError:
    """The one refusal for a source that is the target's own file."""
    return DatabaseError(
        f"{name}: this is the database being merged into ({target.display_name}); "
        "a database cannot be merged into itself. Nothing was merged"
    )


def _same_file(a: Database, b: Database) -> bool:
    """The same file by device and inode, whatever the paths (stat only, never opened)."""
    if a.path is None or b.path is None:
        return False
    try:
        return os.path.samefile(a.path, b.path)
    except OSError:
        return False


@contextlib.contextmanager
def _target_transaction(target: Database) -> Iterator[Connection]:
    engine = target.engine
    if target.is_sqlite:
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    with translate_errors(target), engine.connect() as conn:
        yield conn


@retried
def merge_databases(
    target: Database, sources: Sequence[Database], *, method: str = "auto"
) -> MergeReport:
    """Merge every source into *target* in one transaction; return what changed.

    *method*: ``"auto"`` (ATTACH for SQLite into SQLite, portable otherwise),
    ``"attach"`` or ``"portable"`` (both exist for tests and benchmarks).
    """
    from curator.core.merge import portable as merge_portable
    from curator.core.merge import sqlite as merge_sqlite

    if method not in ("auto", "attach", "portable"):
        raise ValueError(f"unknown merge method {method!r}")
    report = MergeReport()
    todo: list[Database] = []
    for source in sources:
        if _same_file(source, target):
            raise merging_into_itself(source.display_name, target)
        check_source(source)
        report.sources.append(source.display_name)
        todo.append(source)
    attachable = (
        target.is_sqlite and all(s.path is not None for s in todo) and len(todo) <= MAX_ATTACHED
    )
    if method == "attach" and not attachable:
        raise DatabaseError("ATTACH merging needs a SQLite target and SQLite source files")
    use_attach = attachable and method != "portable"
    with _target_transaction(target) as conn:
        if use_attach:
            merge_sqlite.merge(conn, todo, report)
        else:
            with conn.begin():
                queue_bulk_writer(conn)  # one import or merge at a time on a server
                for source in todo:
                    merge_portable.merge(conn, source, report)
    return report
