"""What every export shares: choosing what leaves the database, and writing it safely.

An export reads one consistent snapshot (a single read transaction) of the
selected documents, their spans and statuses, so every format sees the same
data in the same order. Files are written next to their destination and
renamed into place only when complete: a crash or a full disk never leaves a
half-written export where the user expects a finished one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError, NotFoundError
from curator.core.files.atomic import (
    atomic_directory,
    atomic_write_bytes,
    atomic_write_text,
    atomic_writer,
)
from curator.core.files.leftovers import bounded_name
from curator.core.interchange.relation_rows import load_relations
from curator.core.spans.annotate import _utc, stored_concepts
from curator.core.storage import fragments as pieces_of
from curator.core.storage.concepts import EMPTY, NO_CONCEPTS
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, DocumentStatus, Label
from curator.core.storage.records import LabelInfo, RelationRecord, Span
from curator.core.suggest.stored import SuggestionInfo
from curator.core.wording import counted

Progress = Callable[[int, int], None]
"""Called with (documents done, documents in all) while an export or import runs."""


@dataclass(frozen=True)
class Selection:
    """Which part of the database an export holds; None means everything."""

    curators: Sequence[str] | None = None
    documents: Sequence[str] | None = None
    with_deleted: bool = False
    with_suggestions: bool = False
    allow_loss: bool = False
    """Write what the format holds and list the rest, rather than refuse the export."""


@dataclass(frozen=True)
class ExportDocument:
    uid: str
    title: str
    text: str
    meta: dict[str, object]
    status: dict[str, str]
    spans: list[Span]
    # Pending suggestions, when asked for (None: not asked for, so not written).
    suggestions: list[SuggestionInfo] | None = None
    relations: list[RelationRecord] = field(default_factory=list)
    """Links between the document's exported spans (see :mod:`.relation_rows`)."""
    active_seconds: dict[str, int] = field(default_factory=dict)  # curator -> time, if any


@dataclass
class ExportReport:
    """What an export wrote, and the spans a format could not hold exactly."""

    format: str
    path: Path
    documents: int = 0
    spans: int = 0
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """One message per span left out because the format cannot hold it unchanged."""
    relations: int = 0
    """Relations written."""
    lost_relations: list[str] = field(default_factory=list)
    """One message per relation left out: the format holds none, or an end was left out."""
    label_file: Path | None = None
    """The label set written beside the export (JSONL: ``NAME.labels.json``)."""

    def summary(self) -> str:
        text = f"exported {counted(self.documents, 'document')}, {counted(self.spans, 'span')} "
        if self.relations:
            text += f"and {counted(self.relations, 'relation')} "
        text += f"as {self.format} to {self.path}"
        if self.label_file is not None:
            text += f", the label set beside it in {self.label_file.name}"
        if self.problems:
            text += f"; {counted(len(self.problems), 'span')} left out (see the messages)"
        if self.lost_relations:
            text += f"; {counted(len(self.lost_relations), 'relation')} left out"
        return text

    def losses(self) -> list[str]:
        """Every message of what was (or would be) left out: spans, then relations."""
        return [*self.problems, *self.lost_relations]


class LossError(CuratorError):
    """An export would leave spans out, and the user did not allow it; nothing was written."""

    def __init__(self, report: ExportReport) -> None:
        self.report = report
        lost = report.losses()
        shown = "; ".join(lost[:3])
        more = f" (and {len(lost) - 3} more)" if len(lost) > 3 else ""
        parts = []
        if report.problems:
            parts.append(f"{len(report.problems)} of {len(report.problems) + report.spans} spans")
        if report.lost_relations:
            n = len(report.lost_relations)
            parts.append(f"{n} of {n + report.relations} relations")
        super().__init__(
            f"{report.format} cannot hold {' and '.join(parts)}: {shown}{more}; "
            "nothing was written (--allow-loss writes the rest and lists what was left out)"
        )


def check_loss(report: ExportReport, selection: Selection) -> None:
    """Refuse, before anything is written, an export that would leave spans or relations out
    unasked."""
    if (report.problems or report.lost_relations) and not selection.allow_loss:
        raise LossError(report)


def no_relations(docs: Sequence[ExportDocument], report: ExportReport) -> None:
    """A format that holds no relations: every relation of the export is a loss."""
    from curator.core.interchange.relation_rows import relation_loss

    report.lost_relations.extend(
        relation_loss(d, r, report.format) for d in docs for r in d.relations
    )


def in_pieces(doc: ExportDocument, span: Span, fmt: str) -> str | None:
    """The problem to report for a mention in several pieces that *fmt* cannot hold, or None."""
    if span.fragments is None:
        return None
    return (
        f"{doc.uid[:12]} {span.curator}: {span.label} span {span.start}-{span.end} "
        f"{span.text!r} is in {len(span.fragments)} pieces; {fmt} holds one stretch of text"
    )


def span_sort_key(span: Span) -> tuple[int, int, str, str, str]:
    """The one order of spans in every export: stable across databases."""
    return (span.start, span.end, span.label, span.curator, span.uid)


def curator_names(db: Database) -> list[str]:
    with db.read() as session:
        return sorted(session.scalars(select(Curator.name)))


def _check_curators(db: Database, names: Sequence[str]) -> None:
    with db.read() as session:
        known = set(session.scalars(select(Curator.name)))
    missing = [n for n in names if n not in known]
    if missing:
        listed = ", ".join(sorted(known)) or "none yet"
        raise NotFoundError(f"no curator named {missing[0]!r} (curators: {listed})")


# A batch's spans as stored, by ids: the curator and label names come from one read
# of each table, the document's uid from the batch, and the timestamps as the
# driver gives them (SQLite: text) for _SpanMaker to convert once per spelling.
# Run on the session's own DBAPI connection (same transaction, so the same
# snapshot): SQLAlchemy's row objects were a tenth of a Label Studio export.
# Every value in it is an integer id from the database itself: no parameters.
_EXPORT_SPANS = (
    'SELECT uid, document_id, curator_id, label_id, start, "end", text, note, origin, '
    "revision, created_at, updated_at, deleted_at, concepts, fragments FROM annotation "
    "WHERE document_id IN ({documents})"
)


def _spans_sql(documents: Sequence[int], curators: Sequence[int] | None, deleted: bool) -> str:
    sql = _EXPORT_SPANS.format(documents=", ".join(str(int(i)) for i in documents))
    if curators is not None:
        sql += f" AND curator_id IN ({', '.join(str(int(i)) for i in curators) or 'NULL'})"
    if not deleted:
        sql += " AND deleted_at IS NULL"
    return sql


class _SpanMaker:
    """Spans of an export from rows of ``_EXPORT_SPANS``, sharing what rows repeat.

    An export converts every span it writes: a Python call per timestamp
    (``_utc``) and three joins per row were most of a Label Studio export.
    Names come from dicts read once; a timestamp is parsed once per distinct
    spelling (a span's two stamps are often equal, and an imported document's
    spans share theirs).
    """

    def __init__(self, session: Session, documents: dict[int, str]) -> None:
        self.documents = documents
        self.curators: dict[int, str] = {
            row[0]: row[1] for row in session.execute(select(Curator.id, Curator.name))
        }
        self.labels: dict[int, str] = {
            row[0]: row[1] for row in session.execute(select(Label.id, Label.name))
        }
        self.times: dict[object, dt.datetime | None] = {None: None}

    def time(self, value: object) -> dt.datetime | None:
        found = self.times.get(value, _MISSING)
        if found is _MISSING:
            found = self.times[value] = _utc(value)
        return found  # type: ignore[return-value]

    def span(self, row: Sequence[Any]) -> Span:
        uid, doc, curator, label, start, end, text, note, origin, revision = row[:10]
        times = self.times
        created = times.get(row[10]) or self.time(row[10])
        updated = times.get(row[11]) or self.time(row[11])
        gone = row[12]
        deleted = None if gone is None else self.time(gone)
        assert created is not None and updated is not None
        linked = stored_concepts(row[13]) if row[13] != EMPTY else NO_CONCEPTS
        parts = None if row[14] is None else pieces_of.decode(row[14])
        return Span(
            uid, self.documents[doc], self.curators[curator], self.labels[label], start, end,
            text, note, origin, revision,
            created, updated, deleted, linked, parts,
        )  # fmt: skip


_MISSING = object()


STREAM_BATCH = 100
"""Documents an export reads at a time: its memory is a batch, whatever the database holds."""


class DocumentStream:
    """The selected documents with their spans, read a batch at a time in one snapshot.

    Every export goes through this, so none holds more than a batch of
    documents: what it writes streams to its temporary file as it is read.
    Iterating gives :class:`ExportDocument` in (title, uid) order; ``len()``
    is known before the first document is read.
    """

    def __init__(
        self,
        db: Database,
        session: Session,
        selection: Selection,
        rows: list[tuple[int, str]],
        progress: Progress | None,
    ) -> None:
        self.db = db
        self.session = session
        self.selection = selection
        self.rows = rows
        self.progress = progress

    def __len__(self) -> int:
        return len(self.rows)

    def curators(self) -> list[str]:
        """The curators with spans among the selected documents, sorted (one query)."""
        query = (
            select(Curator.name).distinct().join(Annotation, Annotation.curator_id == Curator.id)
        )
        if not self.selection.with_deleted:
            query = query.where(Annotation.deleted_at.is_(None))
        if self.selection.curators is not None:
            query = query.where(Curator.name.in_(list(self.selection.curators)))
        if self.selection.documents is not None:
            query = query.where(Annotation.document_id.in_([i for i, _ in self.rows]))
        return sorted(self.session.scalars(query))

    def __iter__(self) -> Iterator[ExportDocument]:
        done = 0
        for first in range(0, len(self.rows), STREAM_BATCH):
            batch = self.rows[first : first + STREAM_BATCH]
            for doc in self._batch(batch):
                yield doc
                done += 1
                if self.progress:
                    self.progress(done, len(self.rows))

    def _batch(self, batch: list[tuple[int, str]]) -> list[ExportDocument]:
        selection, session = self.selection, self.session
        ids = [doc_id for doc_id, _ in batch]
        query = select(Document.id, Document.title, Document.text, Document.meta)
        found = {row.id: row for row in session.execute(query.where(Document.id.in_(ids)))}
        # The spans come as plain driver rows (see _EXPORT_SPANS), not the ORM's loading
        # (which was most of an export's time) nor SQLAlchemy's row objects.
        status_query = (
            select(
                DocumentStatus.document_id,
                Curator.name,
                DocumentStatus.status,
                DocumentStatus.active_seconds,
            )
            .join(Curator, Curator.id == DocumentStatus.curator_id)
            .where(DocumentStatus.document_id.in_(ids))
        )
        chosen = None
        if selection.curators is not None:
            names = list(selection.curators)
            chosen = list(session.scalars(select(Curator.id).where(Curator.name.in_(names))))
            status_query = status_query.where(Curator.name.in_(list(selection.curators)))
        spans: dict[int, list[Span]] = {doc_id: [] for doc_id in ids}
        make = _SpanMaker(session, dict(batch)).span
        driver = session.connection().connection.dbapi_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            cursor.execute(_spans_sql(ids, chosen, selection.with_deleted))
            while rows := cursor.fetchmany(5000):
                for row in rows:
                    spans[row[1]].append(make(row))
        finally:
            cursor.close()
        status: dict[int, dict[str, str]] = {}
        active: dict[int, dict[str, int]] = {}
        for doc_id, name, value, seconds in session.execute(status_query):
            status.setdefault(doc_id, {})[name] = value
            if seconds:
                active.setdefault(doc_id, {})[name] = int(seconds)
        relations = load_relations(session, dict(batch), selection.curators, selection.with_deleted)
        pending = (
            _pending(self.db, [uid for _, uid in batch], selection)
            if selection.with_suggestions
            else None
        )
        result = []
        for doc_id, uid in batch:
            d = found[doc_id]
            result.append(
                ExportDocument(
                    uid=uid,
                    title=d.title,
                    text=d.text,
                    meta=dict(d.meta or {}),
                    status=dict(sorted(status.get(doc_id, {}).items())),
                    active_seconds=dict(sorted(active.get(doc_id, {}).items())),
                    spans=sorted(spans.get(doc_id, []), key=span_sort_key),
                    suggestions=None if pending is None else pending.get(uid, []),
                    relations=relations.get(doc_id, []),
                )
            )
        return result


@contextlib.contextmanager
def document_stream(
    db: Database, selection: Selection, progress: Progress | None = None
) -> Iterator[DocumentStream]:
    """The selected documents, to iterate inside this block (one read transaction).

    Unknown curator names and document ids are errors rather than empty
    exports: an empty file after a typo looks like lost work.
    """
    if selection.curators is not None:
        _check_curators(db, selection.curators)
    with db.read() as session:
        query = select(Document.id, Document.uid)
        if selection.documents is not None:
            wanted = list(dict.fromkeys(selection.documents))
            query = query.where(Document.uid.in_(wanted))
        rows = [
            (i, uid) for i, uid in session.execute(query.order_by(Document.title, Document.uid))
        ]
        if selection.documents is not None and len(rows) != len(wanted):
            found = {uid for _, uid in rows}
            missing = next(u for u in wanted if u not in found)
            raise NotFoundError(f"no document with id {missing}")
        yield DocumentStream(db, session, selection, rows, progress)


def load_documents(
    db: Database, selection: Selection, progress: Progress | None = None
) -> list[ExportDocument]:
    """The selected documents with their spans, ordered by (title, uid), all in memory.

    For callers that need them all at once; exports iterate
    :func:`document_stream` instead.
    """
    with document_stream(db, selection, progress) as docs:
        return list(docs)


def _pending(
    db: Database, uids: list[str], selection: Selection
) -> dict[str, list[SuggestionInfo]]:
    """Pending suggestions per document, for the selected curators."""
    from curator.core.suggest.stored import pending_suggestions

    with db.read() as session:
        names = list(selection.curators or session.scalars(select(Curator.name)))
    result: dict[str, list[SuggestionInfo]] = {}
    for uid in uids:
        found = [s for name in names for s in pending_suggestions(db, uid, name)]
        result[uid] = sorted(found, key=lambda s: (s.start, s.end, s.label, s.curator))
    return result


def export_labels(db: Database) -> list[LabelInfo]:
    """Labels in their display order, for formats that declare them up front."""
    with db.read() as session:
        rows = session.scalars(select(Label).order_by(Label.position, Label.name))
        return [LabelInfo(r.name, r.color, r.shortcut, r.description) for r in rows]


def curators_of(docs: Sequence[ExportDocument] | DocumentStream, selection: Selection) -> list[str]:
    """The curators an export speaks for: those asked for, else those with spans."""
    if selection.curators is not None:
        return sorted(dict.fromkeys(selection.curators))
    if isinstance(docs, DocumentStream):
        return docs.curators()
    return sorted({s.curator for d in docs for s in d.spans})


_UNSAFE = re.compile(r"[^\w.@+-]")
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")
MAX_NAME = 100
"""Characters of a file name taken from data."""
MAX_NAME_BYTES = 200
"""UTF-8 bytes of a file name taken from data: file systems count bytes (255 at most), and
room is left for ``.txt``, ``.ann`` and the ``_`` that keeps two curators' folders apart."""


def safe_file_name(name: str, fallback: str) -> str:
    """A file name made from data (a curator name) that names one entry in one folder.

    Separators, NUL and anything else outside ``[\\w.@+-]`` become ``_``, so
    ``../x``, ``/etc`` or ``a/b`` cannot climb out of or into another folder;
    leading and trailing dots go (``..`` and hidden files), and the names
    Windows reserves for devices (``CON``, ``nul.txt``, ``COM1`` ...) get a
    ``_`` in front. An empty result becomes *fallback*.
    """
    safe = _UNSAFE.sub("_", name).strip(".")[:MAX_NAME]
    safe = bounded_name(safe, MAX_NAME_BYTES).rstrip(".")
    if _WINDOWS_RESERVED.match(safe):
        safe = "_" + safe
    return safe or fallback


def child_path(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it is an entry directly inside *folder*."""
    path = folder / name
    if name in ("", ".", "..") or path.parent != folder or os.sep in name or "\0" in name:
        raise CuratorError(f"{name!r} cannot be a file name inside {folder}; nothing was written")
    return path


__all__ = [
    "atomic_directory",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_writer",
]
