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
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import column, exists, insert, select, table, update
from sqlalchemy.orm import Session

from curator.core.articles.documents import touch_in_progress
from curator.core.errors import CuratorError, InputError
from curator.core.interchange.jsonl_read import IncomingDocument, IncomingSpan, LineError
from curator.core.interchange.retired_spans import refuse_retired_spans
from curator.core.labels.retired import retired_labels
from curator.core.storage import concepts, fragments
from curator.core.storage.curators import curator_id, validate_name
from curator.core.storage.db import upsert_statement
from curator.core.storage.models import (
    STATUSES,
    Annotation,
    Document,
    DocumentStatus,
    Label,
    utcnow,
)
from curator.core.storage.relation_ends import tombstone_relations_of
from curator.core.wording import counted

# Colours for labels added by an import, after the four Okabe-Ito ones in use.
EXTRA_COLORS = ("#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")

_SPAN_COLUMNS = (
    "uid", "document_id", "curator_id", "label_id", "start", "end", "text", "note", "origin",
    "created_at", "updated_at", "deleted_at", "revision", "concepts", "fragments",
)  # fmt: skip
# Untyped columns: values go to the driver as they are (already in the stored spelling).
_SPANS = table("annotation", *(column(name) for name in _SPAN_COLUMNS))
DOCUMENT_BATCH = 500
SPAN_BATCH = 20_000


@dataclass
class ImportReport:
    path: Path
    lines: int = 0
    documents_added: int = 0
    documents_present: int = 0
    spans_added: int = 0
    spans_updated: int = 0
    spans_unchanged: int = 0
    labels_added: list[str] = field(default_factory=list)
    labels_merged: list[str] = field(default_factory=list)
    """What the label file beside a JSONL changed in the label set (``labels_file``)."""
    dropped: list[str] = field(default_factory=list)
    """What the file held that the app cannot (only with --allow-loss), by file and line."""
    skipped: list[str] = field(default_factory=list)
    """Documents left out with --skip-bad-documents, by id and the line of the problem."""
    suggestions_added: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0
    format: str = "jsonl"
    unit: str = "lines"
    """What ``lines`` counts: JSONL lines, or the documents of an XML file."""

    def summary(self) -> str:
        text = (
            f"{self.path}: {counted(self.lines, self.unit.removesuffix('s'))}, "
            f"{counted(self.documents_added, 'document')} added, "
            f"{self.documents_present} already present; {counted(self.spans_added, 'span')} added, "
            f"{self.spans_updated} updated, {self.spans_unchanged} unchanged"
        )
        if self.relations_added or self.relations_updated or self.relations_unchanged:
            text += (
                f"; {counted(self.relations_added, 'relation')} added, "
                f"{self.relations_updated} updated, {self.relations_unchanged} unchanged"
            )
        if self.suggestions_added:
            text += f"; {counted(self.suggestions_added, 'suggestion')} added"
        if self.labels_added:
            text += f"; new labels: {', '.join(self.labels_added)}"
        if self.labels_merged:
            text += f"; label set: {', '.join(self.labels_merged)}"
        if self.dropped:
            text += f"; {counted(len(self.dropped), 'item')} left out (allowed)"
        if self.skipped:
            text += f"; {counted(len(self.skipped), 'document')} skipped"
        return text


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


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None)


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
        self.pending: list[tuple[int, IncomingDocument]] = []
        self.pending_spans = 0
        self.doc_ids: dict[str, int] = {}  # documents written or found by this import
        self.span_rows: list[tuple[Any, ...]] = []
        # On SQLite the statement is compiled once and rows go to the driver as tuples:
        # building a parameter dict per row was a third of the import.
        self.insert_sql = str(insert(_SPANS).compile(dialect=session.get_bind().dialect))
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

    def add(self, doc: IncomingDocument, line: int) -> None:
        """Queue one checked line; unknown labels fail here, on their own line."""
        for label in {span.label for span in doc.spans}:
            self._label_id(label)
        if self.retired:
            refuse_retired_spans(doc, self.labels, self.retired)
        self.pending.append((line, doc))
        self.pending_spans += len(doc.spans)
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

    def _write_status(self, doc_id: int, status: dict[str, str], new: bool) -> None:
        """Progress never goes back on import: the furthest of the two states is kept."""
        if not status:
            return
        if self.started:  # rows of earlier lines, which this line's status may meet
            self._insert_started()
        ids = {name: self._curator_id(name) for name in status}
        held: dict[int, str] = {}
        if not new:
            query = select(DocumentStatus.curator_id, DocumentStatus.status).where(
                DocumentStatus.document_id == doc_id
            )
            if not self.sqlite:  # the app may be moving it on right now: wait, then compare
                query = query.with_for_update()
            held = {cur_id: value for cur_id, value in self.session.execute(query)}
        now = utcnow()
        for name, value in status.items():
            cur_id = ids[name]
            if cur_id not in held:
                # The curator may be making this row in the app right now (a first
                # edit on a shared server): then it is there, and the rule below applies.
                made = self.session.execute(
                    upsert_statement(self.session, DocumentStatus)
                    .values(document_id=doc_id, curator_id=cur_id, status=value, updated_at=now)
                    .on_conflict_do_nothing()
                )
                if made.rowcount:  # type: ignore[attr-defined]
                    continue
                made_elsewhere = select(DocumentStatus.status).where(
                    DocumentStatus.document_id == doc_id, DocumentStatus.curator_id == cur_id
                )
                held[cur_id] = self.session.scalars(made_elsewhere).one()
            if STATUSES.index(value) > STATUSES.index(held[cur_id]):
                self.session.execute(
                    update(DocumentStatus)
                    .where(DocumentStatus.document_id == doc_id)
                    .where(DocumentStatus.curator_id == cur_id)
                    .values(status=value, updated_at=now)
                )

    def _write_active_time(self, doc_id: int, active: dict[str, int]) -> None:
        """Active time only grows: the larger of the file's and the database's is kept."""
        for name, seconds in active.items():
            cur_id = self._curator_id(name)
            self.session.execute(
                upsert_statement(self.session, DocumentStatus)
                .values(document_id=doc_id, curator_id=cur_id, status="new")
                .on_conflict_do_nothing()
            )
            self.session.execute(
                update(DocumentStatus)
                .where(DocumentStatus.document_id == doc_id)
                .where(DocumentStatus.curator_id == cur_id)
                .where(DocumentStatus.active_seconds < seconds)
                .values(active_seconds=seconds)
            )

    # -- spans -----------------------------------------------------------------------------

    def _write_lines_spans(self, doc: IncomingDocument) -> None:
        doc_id = self.doc_ids[doc.uid]
        new = doc.uid in self.new_docs  # its first line in this file: no status stored yet
        self.new_docs.discard(doc.uid)
        if doc.own:
            self._write_status(doc_id, doc.status, new)
            self._write_active_time(doc_id, doc.active_seconds)
            self._own_spans(doc_id, doc.spans)
        else:
            self._foreign_spans(doc_id, doc.spans, new)

    def _insert_spans(self) -> None:
        if self.started:
            self._insert_started()
        if not self.span_rows:
            return
        if self.sqlite:
            self.session.connection().exec_driver_sql(self.insert_sql, self.span_rows)
        else:
            rows = [dict(zip(_SPAN_COLUMNS, row, strict=True)) for row in self.span_rows]
            self.session.execute(insert(_SPANS), rows)
        self.span_rows = []

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
        created, updated = _naive_utc(span.created_at), _naive_utc(span.updated_at)
        deleted = _naive_utc(span.deleted_at)
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
                rows.append(
                    (span.uid, doc_id, cur_id, labels[span.label], span.start, span.end,
                     span.text, span.note, span.origin, created, updated, deleted, span.revision,
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

    def _foreign_spans(self, doc_id: int, spans: list[IncomingSpan], new: bool = False) -> None:
        """New spans, of the curator a span names (BioC infons), else of the importer's."""
        groups: dict[str | None, list[IncomingSpan]] = {}
        for span in spans:
            groups.setdefault(span.curator or self.curator, []).append(span)
        for curator, mine in groups.items():
            if curator is None:
                raise LineError("these spans carry no curator; name one (curator --curator NAME)")
            try:
                name = validate_name(curator)
            except CuratorError as exc:
                raise LineError(str(exc)) from None
            self._spans_of(doc_id, name, mine, new)

    def _spans_of(
        self, doc_id: int, name: str, spans: list[IncomingSpan], new: bool = False
    ) -> None:
        """Spans of other tools: new spans of the named curator, never a second copy.

        A document this import has just made (*new*) holds nothing yet: its
        spans are only queued, with no query and no status read, and its status
        row is written with the batch. Uids share one random UUID per call and
        count up in its last 48 bits: 74 random bits keep them apart from every
        other document's, at a fraction of the cost of a ``uuid4()`` per span.
        """
        cur_id = self._curator_id(name)
        held: dict[tuple[Any, ...], str] = {}
        if not new:
            self._insert_spans()
            query = select(
                Annotation.start, Annotation.end, Annotation.label_id, Annotation.fragments,
                Annotation.uid,
            ).where(
                Annotation.document_id == doc_id,
                Annotation.curator_id == cur_id,
                Annotation.deleted_at.is_(None),
            )  # fmt: skip
            # Each span learns the uid it is stored under, new or held: relations point at it.
            held = {tuple(row[:4]): row[4] for row in self.session.execute(query)}
        now = utcnow()
        # Each (created, updated) pair spelled once: spans bring none (now) or an annotation's.
        stamps: dict[tuple[dt.datetime | None, dt.datetime | None], tuple[Any, Any]] = {}
        prefix, first = _uid_series()
        labels, rows, encode = self.labels, self.span_rows, fragments.encode
        added = 0
        for span in spans:
            pieces = None if span.fragments is None else encode(span.fragments)
            key = (span.start, span.end, labels[span.label], pieces)
            span.curator = name
            if key in held:
                span.uid = held[key]
                self.report.spans_unchanged += 1
                continue
            span.uid = f"{prefix}{(first + added) & _NODE:012x}"
            held[key] = span.uid
            times = (span.created_at, span.updated_at)
            spelled = stamps.get(times)
            if spelled is None:
                spelled = stamps[times] = (
                    self._stamp(span.created_at or now),
                    self._stamp(span.updated_at or now),
                )
            created, updated = spelled
            linked = span.concepts
            rows.append(
                (span.uid, doc_id, cur_id, key[2], span.start, span.end, span.text, span.note,
                 "imported", created, updated, None, 1,
                 concepts.encode(linked) if linked else concepts.EMPTY, pieces)
            )  # fmt: skip
            added += 1
        self.report.spans_added += added
        if not added:
            return
        if new:
            self.started.append((doc_id, cur_id))
            if len(rows) >= SPAN_BATCH:
                self._insert_spans()
        else:
            self._insert_spans()
            touch_in_progress(self.session, doc_id, cur_id)

    def _stamp(self, value: dt.datetime) -> Any:
        """A time as this database's column takes it (UTCDateTime's spelling on SQLite)."""
        naive = _naive_utc(value)
        return f"{naive:%Y-%m-%d %H:%M:%S.%f}" if self.sqlite else naive

    def _insert_started(self) -> None:
        """Status rows of documents this import made and added spans to: in progress."""
        started, self.started = self.started, []
        now = utcnow()
        rows = [
            {"document_id": doc, "curator_id": cur, "status": "in_progress", "updated_at": now}
            for doc, cur in dict.fromkeys(started)
        ]
        statement = upsert_statement(self.session, DocumentStatus).on_conflict_do_nothing()
        self.session.execute(statement, rows)


_NODE = (1 << 48) - 1


def _uid_series() -> tuple[str, int]:
    """The first 24 characters of a fresh UUID4 and a random start for its 48-bit node."""
    fresh = uuid.uuid4()
    return str(fresh)[:24], fresh.int & _NODE
