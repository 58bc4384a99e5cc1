"""Writing checked JSONL documents into the database in bulk, inside the import's transaction.

Documents are buffered and written a batch at a time with Core ``insert()``
executemany: one statement for the batch's new documents, one lookup of their
ids, then their spans and statuses, again in executemany batches. ORM objects
per span were most of the time of an import (8,000 spans/s at 1,000,000).

Whether a span uid is already stored is asked of the database only when it
can be: when the database held spans before the import, or when the uid was
already seen earlier in this file. Importing into an empty database (the
large case: restoring an export) asks nothing. Timestamps go in as SQLite
stores them ("YYYY-MM-DD HH:MM:SS.ffffff", naive UTC; what ``UTCDateTime``
writes), or as naive UTC datetimes on other databases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import column, exists, insert, select, table, update
from sqlalchemy.orm import Session

from curator.core.errors import InputError
from curator.core.interchange.foreign_store import foreign_spans, plain_spans
from curator.core.interchange.import_report import ImportReport
from curator.core.interchange.incoming import label_problem
from curator.core.interchange.jsonl_read import IncomingDocument, IncomingSpan, LineError
from curator.core.interchange.own_line import own_rows
from curator.core.interchange.retired_spans import refuse_retired_spans
from curator.core.interchange.store_status import insert_started, write_active_time, write_status
from curator.core.labels.retired import retired_labels
from curator.core.storage import concepts, fragments
from curator.core.storage.curators import curator_id
from curator.core.storage.models import (
    Annotation,
    Document,
    Label,
    utcnow,
)
from curator.core.storage.relation_ends import tombstone_relations_of

__all__ = ["BulkStore", "ImportReport", "large_page_cache"]

# Colours for labels added by an import, after the four Okabe-Ito ones in use.
EXTRA_COLORS = ("#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")

_SPAN_COLUMNS = (
    "uid", "document_id", "curator_id", "label_id", "start", "end", "text", "note", "origin",
    "created_at", "updated_at", "deleted_at", "revision", "concepts", "fragments",
)  # fmt: skip
# Untyped columns: values go to the driver as they are (already in the stored spelling).
_SPANS = table("annotation", *(column(name) for name in _SPAN_COLUMNS))
# Most spans have no note, deletion, later revision, concepts or pieces: their rows leave
# those out (and spans of other tools their origin), and the statement writes them as
# constants. A queued row's length tells its shape (see BulkStore._insert_spans).
_PLAIN_DEFAULTS: dict[str, Any] = {
    "note": "", "deleted_at": None, "revision": 1, "concepts": concepts.EMPTY, "fragments": None,
}  # fmt: skip
_SHAPES: dict[int, tuple[tuple[str, ...], dict[str, Any]]] = {
    10: (
        ("uid", "document_id", "curator_id", "label_id", "start", "end", "text", "origin",
         "created_at", "updated_at"),
        _PLAIN_DEFAULTS,
    ),
    9: (
        ("uid", "document_id", "curator_id", "label_id", "start", "end", "text",
         "created_at", "updated_at"),
        {"origin": "imported", **_PLAIN_DEFAULTS},
    ),
}  # fmt: skip
PLAIN_ROW, IMPORTED_ROW = 10, 9
"""Rows of a plain span (origin given), and of a plain span of another tool ("imported")."""


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _shaped_insert(columns: tuple[str, ...], constants: dict[str, Any]) -> str:
    """SQLite's INSERT of a row of *columns*, the other columns given as *constants*."""
    names = ", ".join(f'"{name}"' for name in (*columns, *constants))
    values = ", ".join(["?"] * len(columns) + [_literal(v) for v in constants.values()])
    return f"INSERT INTO annotation ({names}) VALUES ({values})"


_SHAPED_INSERTS = {size: _shaped_insert(*shape) for size, shape in _SHAPES.items()}
DOCUMENT_BATCH = 500
SPAN_BATCH = 20_000


@contextlib.contextmanager
def large_page_cache(session: Session) -> Iterator[None]:
    """A 256 MB page cache for the import's connection while it runs (SQLite).

    With the default 2 MB, a large import spills dirty pages of the uid index
    to the WAL again and again (20 s instead of 16 s for 1,000,000 spans). The
    cache grows only as pages are used, and the old size comes back after.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    (before,) = connection.exec_driver_sql("PRAGMA cache_size").one()
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def span_values(row: tuple[Any, ...]) -> dict[str, Any]:
    """A queued span row, plain or full, as column values."""
    shape = _SHAPES.get(len(row))
    if shape is None:
        return dict(zip(_SPAN_COLUMNS, row, strict=True))
    columns, constants = shape
    return {**dict(zip(columns, row, strict=True)), **constants}


class BulkStore:
    """Takes checked documents line by line; writes them a batch at a time."""

    def __init__(
        self,
        session: Session,
        path: Path,
        curator: str | None,
        add_labels: bool,
        unit: str = "lines",
    ):
        self.session = session
        self.curator = curator
        self.add_labels = add_labels
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.report = ImportReport(path=path, unit=unit)
        self.labels: dict[str, int] = {
            name: id_
            for name, id_ in session.execute(
                select(Label.name, Label.id).order_by(Label.position, Label.name)
            )
        }
        # Labels that take no new spans: checked on every line (empty: nothing to check).
        self.retired = retired_labels(session)
        self.curators: dict[str, int] = {}
        self.had_spans = bool(session.scalar(select(exists().select_from(Annotation))))
        # Uids written by this import while the database had no spans before it
        # (the strings are the parsed ones; far less than an ORM object per span).
        self.seen: set[str] = set()
        # Uids of every line of our own taken so far, written or queued (see plain_rows).
        self.queued: set[str] = set()
        self.pending: list[tuple[int, IncomingDocument]] = []
        self.pending_spans = 0
        self.doc_ids: dict[str, int] = {}  # documents written or found by this import
        self.span_rows: list[tuple[Any, ...]] = []
        # On SQLite the statement is compiled once and rows go to the driver as tuples:
        # building a parameter dict per row was a third of the import.
        dialect = session.get_bind().dialect
        self.insert_sql = str(insert(_SPANS).compile(dialect=dialect))
        self.new_docs: set[str] = set()  # documents of the current batch that this import added
        # (document id, curator id) of documents this import made whose spans it added: their
        # status rows are written in one batch with the spans (none can be stored before).
        self.started: list[tuple[int, int]] = []

    # -- lookups ---------------------------------------------------------------------------

    def _label_id(self, name: str) -> int:
        found = self.labels.get(name)
        if found is not None:
            return found
        if not self.add_labels:
            known = ", ".join(self.labels)
            raise LineError(f"unknown label {name!r} (labels: {known}); use --add-labels to add it")
        row = Label(
            name=name,
            color=EXTRA_COLORS[len(self.report.labels_added) % len(EXTRA_COLORS)],
            shortcut=None,
            description="",
            position=len(self.labels),
        )
        self.session.add(row)
        self.session.flush()
        self.labels[name] = row.id
        self.report.labels_added.append(name)
        return row.id

    def _curator_id(self, name: str) -> int:
        found = self.curators.get(name)
        if found is None:
            found = curator_id(self.session, name)
            assert found is not None
            self.curators[name] = found
        return found

    # -- taking lines ----------------------------------------------------------------------

    def plain_rows(self, raws: list[Any], text: str) -> list[tuple[Any, ...]] | None:
        """A line's spans as rows at once, when they can only be new plain spans (own_rows).

        Only into a database that held no span before the import, and only for
        uids no earlier line of the file brought: anything else (a span that
        may be stored already, one on a retired or unknown label, any problem)
        gives None, and the line takes the general path.
        """
        if not self.sqlite or self.had_spans:
            return None
        labels = {
            name: id_
            for name, id_ in self.labels.items()
            if id_ not in self.retired and not label_problem(name)
        }
        rows = own_rows(raws, text, labels)
        if rows is None or not self.queued.isdisjoint([row[0] for row in rows]):
            return None
        return rows

    def add(self, doc: IncomingDocument, line: int) -> None:
        """Queue one checked line; unknown labels fail here, on their own line."""
        for label in {span.label for span in doc.spans}:
            self._label_id(label)
        if self.retired:
            refuse_retired_spans(doc, self.labels, self.retired)
        if doc.own and not self.had_spans:
            if doc.rows is None:
                self.queued.update([span.uid for span in doc.spans if span.uid])
            else:
                self.queued.update([row[0] for row in doc.rows])
        self.pending.append((line, doc))
        self.pending_spans += len(doc.spans)
        if doc.plain_regions is not None:
            self.pending_spans += sum(
                len(part[1]) for _, parts in doc.plain_regions for part in parts
            )
        if len(self.pending) >= DOCUMENT_BATCH or self.pending_spans >= SPAN_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write every queued line; a problem found here names the line it came from."""
        batch, self.pending, self.pending_spans = self.pending, [], 0
        if not batch:
            return
        self._write_documents([doc for _, doc in batch])
        for line, doc in batch:
            try:
                self._write_lines_spans(doc)
            except LineError as exc:
                raise InputError(self.report.path, str(exc), line) from None
        self._insert_spans()
        if any(doc.relations for _, doc in batch):
            from curator.core.interchange.relation_store import write_relations

            write_relations(self, batch)

    # -- documents and statuses ------------------------------------------------------------

    def _write_documents(self, docs: Sequence[IncomingDocument]) -> None:
        wanted = [d.uid for d in docs if d.uid not in self.doc_ids]
        found: dict[str, int] = {}
        if wanted:
            query = select(Document.uid, Document.id).where(Document.uid.in_(wanted))
            found.update((uid, id_) for uid, id_ in self.session.execute(query))
        rows: dict[str, dict[str, Any]] = {}
        for doc in docs:
            if doc.uid in self.doc_ids or doc.uid in found or doc.uid in rows:
                self.report.documents_present += 1
                continue
            rows[doc.uid] = {
                "uid": doc.uid,
                "title": doc.title,
                "source": str(self.report.path),
                "text": doc.text,
                "meta": doc.meta,
                "created_at": utcnow(),
            }
        self.report.documents_added += len(rows)
        if rows:
            self.session.execute(insert(Document), list(rows.values()))
            query = select(Document.uid, Document.id).where(Document.uid.in_(list(rows)))
            found.update((uid, id_) for uid, id_ in self.session.execute(query))
        self.doc_ids.update(found)
        self.new_docs = set(rows)

    def _write_lines_spans(self, doc: IncomingDocument) -> None:
        doc_id = self.doc_ids[doc.uid]
        new = doc.uid in self.new_docs  # its first line in this file: no status stored yet
        self.new_docs.discard(doc.uid)
        if doc.own:
            write_status(self, doc_id, doc.status, new)
            write_active_time(self, doc_id, doc.active_seconds)
            if doc.rows is None:
                self._own_spans(doc_id, doc.spans)
            else:
                self._plain_rows(doc_id, doc.rows)
        elif doc.plain_regions is not None:
            assert new, "plain regions come only for documents the import makes"
            plain_spans(self, doc_id, doc.plain_regions)
        else:
            foreign_spans(self, doc_id, doc.spans, new)

    def _insert_spans(self) -> None:
        if self.started:
            insert_started(self)
        if not self.span_rows:
            return
        rows, self.span_rows = self.span_rows, []
        if not self.sqlite:
            self.session.execute(insert(_SPANS), [span_values(row) for row in rows])
            return
        # Runs of plain and full rows, in file order (ids follow it): each value a row
        # leaves out is one bind less per span, about a tenth of SQLite's insert.
        connection = self.session.connection()
        for size, run in itertools.groupby(rows, len):
            sql = _SHAPED_INSERTS.get(size, self.insert_sql)
            connection.exec_driver_sql(sql, list(run))

    def _existing(self, uids: list[str]) -> dict[str, tuple[int, dt.datetime]]:
        """Stored (document id, updated_at) of those *uids* that are stored already."""
        if not uids or not (self.had_spans or not self.seen.isdisjoint(uids)):
            return {}
        self._insert_spans()  # earlier lines' spans must be visible to the lookup
        found: dict[str, tuple[int, dt.datetime]] = {}
        for i in range(0, len(uids), 500):
            query = select(Annotation.uid, Annotation.document_id, Annotation.updated_at)
            if not self.sqlite:
                # Locked until the import commits: an edit made in the app meanwhile
                # waits, instead of being overwritten by an older version from the file.
                query = query.with_for_update()
            for uid, doc_id, updated in self.session.execute(
                query.where(Annotation.uid.in_(uids[i : i + 500]))
            ):
                found[uid] = (doc_id, updated)
        return found

    def _values(self, span: IncomingSpan) -> tuple[Any, ...]:
        if self.sqlite and span.stored_times is not None:
            return span.stored_times
        assert span.created_at is not None and span.updated_at is not None
        created, updated = naive_utc(span.created_at), naive_utc(span.updated_at)
        deleted = naive_utc(span.deleted_at)
        if self.sqlite:  # a span built in memory: spell it as UTCDateTime would
            return tuple(v and f"{v:%Y-%m-%d %H:%M:%S.%f}" for v in (created, updated, deleted))
        return created, updated, deleted

    def _own_spans(self, doc_id: int, spans: list[IncomingSpan]) -> None:
        uids = [s.uid for s in spans if s.uid]
        existing = self._existing(uids)
        if not self.had_spans:
            self.seen.update(uids)
        rows = self.span_rows
        labels, curators = self.labels, self.curators
        added = 0
        for span in spans:
            assert span.uid and span.curator
            stored = existing.get(span.uid) if existing else None
            if stored is None:
                times = span.stored_times if self.sqlite else None
                created, updated, deleted = times or self._values(span)
                cur_id = curators.get(span.curator) or self._curator_id(span.curator)
                if (
                    deleted is None
                    and span.revision == 1
                    and not span.note
                    and not span.concepts
                    and span.fragments is None
                ):
                    rows.append(
                        (span.uid, doc_id, cur_id, labels[span.label], span.start, span.end,
                         span.text, span.origin, created, updated)
                    )  # fmt: skip
                else:
                    rows.append(
                        (span.uid, doc_id, cur_id, labels[span.label], span.start, span.end,
                         span.text, span.note, span.origin, created, updated, deleted,
                         span.revision,
                         concepts.encode(span.concepts) if span.concepts else concepts.EMPTY,
                         None if span.fragments is None else fragments.encode(span.fragments))
                    )  # fmt: skip
                added += 1
            elif stored[0] != doc_id:
                raise LineError(f"span {span.uid} belongs to another document in the database")
            elif span.updated_at is not None and span.updated_at > stored[1]:
                self._update(span)
                self.report.spans_updated += 1
            else:
                self.report.spans_unchanged += 1
        self.report.spans_added += added
        if len(rows) >= SPAN_BATCH:
            self._insert_spans()

    def _plain_rows(self, doc_id: int, rows: list[tuple[Any, ...]]) -> None:
        """A line's rows from :meth:`plain_rows`, given their document and curators' ids.

        Curators are looked up (or made) in the order of their first span, as
        :meth:`_own_spans` does, so their ids come out the same on both paths.
        """
        ids = {name: self._curator_id(name) for name in dict.fromkeys([row[1] for row in rows])}
        self.seen.update([row[0] for row in rows])  # plain rows come only while had_spans is False
        rows = [
            (uid, doc_id, ids[curator], label, start, end, quote, origin, created, updated)
            for uid, curator, label, start, end, quote, origin, created, updated in rows
        ]
        self.span_rows.extend(rows)
        self.report.spans_added += len(rows)
        if len(self.span_rows) >= SPAN_BATCH:
            self._insert_spans()

    def _stamp(self, value: dt.datetime) -> Any:
        """A time as this database's column takes it (UTCDateTime's spelling on SQLite)."""
        naive = naive_utc(value)
        return f"{naive:%Y-%m-%d %H:%M:%S.%f}" if self.sqlite else naive

    def queue_full(self) -> bool:
        """Whether the queued span rows make a batch to write now."""
        return len(self.span_rows) >= SPAN_BATCH

    def _update(self, span: IncomingSpan) -> None:
        """A newer version of a stored span; one that now goes deleted takes its relations.

        As deleting in the app does: the span's live relations are tombstoned at
        the span's own ``deleted_at``, so a later restore brings exactly those back.
        """
        assert span.curator is not None and span.uid is not None
        if span.deleted_at is not None:
            was_live = self.session.scalar(
                select(Annotation.deleted_at.is_(None)).where(Annotation.uid == span.uid)
            )
            if was_live:
                tombstone_relations_of(self.session, [span.uid], span.deleted_at)
        self.session.execute(
            update(Annotation)
            .where(Annotation.uid == span.uid)
            .values(
                curator_id=self._curator_id(span.curator),
                label_id=self._label_id(span.label),
                start=span.start,
                end=span.end,
                text=span.text,
                note=span.note,
                origin=span.origin,
                revision=span.revision,
                created_at=span.created_at,
                updated_at=span.updated_at,
                deleted_at=span.deleted_at,
                concepts=concepts.encode(span.concepts),
                fragments=fragments.encode(span.fragments),
            )
        )
