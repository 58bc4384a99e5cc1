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
:mod:`curator.core.merge_sqlite`); anything else takes the portable path in
:mod:`curator.core.merge_portable`. Both implement the same rules and are
tested against each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from curator.core import migrate
from curator.core.db import Database, queue_bulk_writer, translate_errors
from curator.core.errors import DatabaseError
from curator.core.retry import retried
from curator.core.wording import counted

MAX_ATTACHED = 8  # SQLite allows 10 attached databases; keep a margin

# How a uid present on both sides with different content was resolved.
RESOLUTIONS = {
    "time": "later updated_at wins",
    "revision": "same updated_at, higher revision wins",
    "digest": "same updated_at and revision, larger content digest wins",
}


@dataclass
class MergeReport:
    """What a merge changed in the target, for the summary the CLI prints."""

    sources: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_updated: int = 0
    curators_added: int = 0
    labels_added: int = 0
    shortcuts_dropped: list[str] = field(default_factory=list)
    spans_added: int = 0
    tombstones_added: int = 0
    spans_updated: int = 0
    spans_deleted: int = 0
    spans_restored: int = 0
    statuses_updated: int = 0
    decisions_added: int = 0
    people_added: int = 0
    people_updated: int = 0
    # (how, winner) -> count, winner "source" or "target"
    conflicts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.documents_added,
                self.documents_updated,
                self.curators_added,
                self.labels_added,
                self.spans_added,
                self.tombstones_added,
                self.spans_updated,
                self.spans_deleted,
                self.spans_restored,
                self.statuses_updated,
                self.decisions_added,
                self.people_added,
                self.people_updated,
            )
        )

    def count_span(
        self, verdict: str, target_deleted: bool, source_deleted: bool, n: int = 1
    ) -> None:
        """Tally *n* source spans by the verdict of the comparison with the target."""
        if verdict == "new":
            if source_deleted:
                self.tombstones_added += n
            else:
                self.spans_added += n
            return
        if verdict == "same":
            return
        how, winner = verdict.split(":")
        self.conflicts[(how, winner)] += n
        if winner != "src":
            return
        if source_deleted and not target_deleted:
            self.spans_deleted += n
        elif target_deleted and not source_deleted:
            self.spans_restored += n
        else:
            self.spans_updated += n

    def to_json(self) -> dict[str, object]:
        """The report as ``curator merge --json`` prints it: every count, conflicts by rule."""
        return {
            "sources": list(self.sources),
            "changed": self.changed,
            "documents_added": self.documents_added,
            "documents_updated": self.documents_updated,
            "spans_added": self.spans_added,
            "spans_updated": self.spans_updated,
            "spans_deleted": self.spans_deleted,
            "spans_restored": self.spans_restored,
            "tombstones_added": self.tombstones_added,
            "curators_added": self.curators_added,
            "labels_added": self.labels_added,
            "statuses_updated": self.statuses_updated,
            "decisions_added": self.decisions_added,
            "shortcuts_dropped": list(self.shortcuts_dropped),
            "conflicts": {
                how: {
                    "from_source": self.conflicts[(how, "src")],
                    "kept_target": self.conflicts[(how, "tgt")],
                }
                for how in RESOLUTIONS
            },
        }

    def lines(self) -> list[str]:
        """The summary, one fact a line."""
        sources = counted(len(self.sources), "source")
        out = [f"merged {sources}: {', '.join(self.sources) or '-'}"]
        out.append(
            f"documents: {self.documents_added} added"
            + (
                f", {self.documents_updated} with an earlier title/source"
                if self.documents_updated
                else ""
            )
        )
        out.append(
            f"spans: {self.spans_added} added, {self.spans_updated} updated, "
            f"{self.spans_deleted} deleted, {self.spans_restored} restored"
            + (
                f", {self.tombstones_added} deletions new to the target"
                if self.tombstones_added
                else ""
            )
        )
        total = sum(self.conflicts.values())
        out.append(f"same span differing on both sides: {total}")
        for how, text in RESOLUTIONS.items():
            src, tgt = self.conflicts[(how, "src")], self.conflicts[(how, "tgt")]
            if src or tgt:
                out.append(f"  {text}: {src} taken from the source, {tgt} kept from the target")
        out.append(
            f"curators: {self.curators_added} added; labels: {self.labels_added} added; "
            f"document status: {self.statuses_updated} updated; "
            f"review decisions: {self.decisions_added} added"
        )
        if self.people_added or self.people_updated:
            out.append(f"people: {self.people_added} added, {self.people_updated} updated")
        out += [
            f"label {name!r}: its shortcut key is already used here, so it was left without one"
            for name in self.shortcuts_dropped
        ]
        if not self.changed:
            out.append("nothing new: the target already held everything")
        return out


TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def stamp(value: dt.datetime | str | None) -> str:
    """A timestamp as SQLite stores it (naive UTC, microseconds): the digest's input."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).strftime(TIME_FORMAT)


def span_digest(*fields: object) -> str:
    """SHA-256 of an annotation's content, the last tie-breaker between versions.

    Fields, in order: document uid, curator name, label name, start, end,
    text, note, origin, created_at, updated_at, deleted_at, revision, and the
    stored concepts. Unlinked concepts (``[]``) are left out, so a span that
    was never linked has the digest it had before spans could be.
    """
    if len(fields) == 13 and fields[12] in ("[]", None):
        fields = fields[:12]
    parts = [stamp(f) if isinstance(f, dt.datetime) or f is None else str(f) for f in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def person_digest(*fields: object) -> str:
    """SHA-256 of a registry person's content: the last tie-breaker between versions.

    Fields, in order: uid, name, variants, affiliation, orcid, created_at,
    updated_at, deleted_at, revision.
    """
    parts = [stamp(f) if isinstance(f, dt.datetime) or f is None else str(f) for f in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


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
    from curator.core import merge_portable, merge_sqlite

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
