"""Importing JSONL: all or nothing, and safe to repeat.

The whole file is one transaction: the first bad line raises an InputError
naming the file and line, and the database is left as it was. Lines of our
own schema restore spans with their uids and history; when a uid is already
stored, the later ``updated_at`` wins and a tie keeps what is stored, the
same rule as merging, so importing a file twice changes nothing. Spans from
other tools become new spans of ``curator`` with origin ``imported``, and a
span the curator already has (same place, same label) is not added twice.
"""

from __future__ import annotations

import codecs
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.curators import curator_id, validate_name
from curator.core.db import Database
from curator.core.documents import touch_in_progress
from curator.core.errors import CuratorError, InputError
from curator.core.interchange.common import Progress
from curator.core.interchange.jsonl_read import (
    IncomingDocument,
    IncomingSpan,
    LineError,
    parse_line,
)
from curator.core.models import STATUSES, Annotation, Document, DocumentStatus, Label, utcnow

# Colours for labels added by an import, after the four Okabe-Ito ones in use.
EXTRA_COLORS = ("#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")


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
    unit: str = "lines"
    """What ``lines`` counts: JSONL lines, or the documents of an XML file."""

    def summary(self) -> str:
        text = (
            f"{self.path}: {self.lines} {self.unit}, {self.documents_added} documents added, "
            f"{self.documents_present} already present; {self.spans_added} spans added, "
            f"{self.spans_updated} updated, {self.spans_unchanged} unchanged"
        )
        if self.labels_added:
            text += f"; new labels: {', '.join(self.labels_added)}"
        return text


def import_jsonl(
    db: Database,
    path: Path | str,
    *,
    curator: str | None = None,
    add_labels: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one JSONL file in one transaction (see the module docstring).

    *curator* owns spans from other tools' lines; *progress* is called with
    (bytes read, bytes in the file), since the number of lines is not known
    before the end.
    """
    with db.write() as session:
        return import_jsonl_in(
            session, Path(path), curator=curator, add_labels=add_labels, progress=progress
        )


def import_jsonl_in(
    session: Session,
    path: Path,
    *,
    curator: str | None = None,
    add_labels: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """The same, inside a transaction the caller owns (a mixed import of several files)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    store = SpanStore(session, path, curator, add_labels)
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), 1):
        offset += len(raw) + 1
        if not raw.strip():
            continue
        try:
            incoming = parse_line(_decode(raw))
            store.add(incoming)
        except LineError as exc:
            raise InputError(path, str(exc), number) from None
        store.report.lines += 1
        if progress:
            progress(min(offset, len(data)), len(data))
    if store.report.lines == 0:
        raise InputError(path, "holds no JSON lines")
    return store.report


def _decode(raw: bytes) -> object:
    if b"\x00" in raw:
        raise LineError("contains NUL bytes; this looks like a binary file, not JSONL")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"is not valid JSON: {exc.msg} (column {exc.colno})") from None


class SpanStore:
    """Writes parsed lines into the session, with lookups cached for the file."""

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
        self.report = ImportReport(path=path, unit=unit)
        self.labels: dict[str, int] = {
            name: id_
            for name, id_ in session.execute(
                select(Label.name, Label.id).order_by(Label.position, Label.name)
            )
        }
        self.curators: dict[str, int] = {}

    def _label_id(self, name: str) -> int:
        found = self.labels.get(name)
        if found is not None:
            return found
        if not self.add_labels:
            known = ", ".join(self.labels)
            raise LineError(f"unknown label {name!r} (labels: {known}); use --add-labels to add it")
        position = len(self.labels)
        row = Label(
            name=name,
            color=EXTRA_COLORS[len(self.report.labels_added) % len(EXTRA_COLORS)],
            shortcut=None,
            description="",
            position=position,
        )
        self.session.add(row)
        self.session.flush()
        self.labels[name] = row.id
        self.report.labels_added.append(name)
        return row.id

    def _curator_id(self, name: str) -> int:
        if name not in self.curators:
            found = curator_id(self.session, name)
            assert found is not None
            self.curators[name] = found
        return self.curators[name]

    def _document_id(self, doc: IncomingDocument, source: str) -> int:
        found = self.session.scalar(select(Document.id).where(Document.uid == doc.uid))
        if found is not None:
            self.report.documents_present += 1
            return found
        row = Document(uid=doc.uid, title=doc.title, source=source, text=doc.text, meta=doc.meta)
        self.session.add(row)
        self.session.flush()
        self.report.documents_added += 1
        return row.id

    def add(self, doc: IncomingDocument) -> None:
        for span in doc.spans:
            self._label_id(span.label)  # unknown labels fail before anything else
        doc_id = self._document_id(doc, str(self.report.path))
        if doc.own:
            self._add_status(doc_id, doc.status)
            self._add_own_spans(doc_id, doc.spans)
        else:
            self._add_foreign_spans(doc_id, doc.spans)

    def _add_status(self, doc_id: int, status: dict[str, str]) -> None:
        """Progress never goes back on import: the furthest of the two states is kept."""
        for name, value in status.items():
            cur_id = self._curator_id(name)
            row = self.session.get(DocumentStatus, (doc_id, cur_id))
            if row is None:
                self.session.add(
                    DocumentStatus(document_id=doc_id, curator_id=cur_id, status=value)
                )
            elif STATUSES.index(value) > STATUSES.index(row.status):
                row.status = value
                row.updated_at = utcnow()

    def _existing(self, uids: Iterable[str]) -> dict[str, Annotation]:
        wanted = list(uids)
        found: dict[str, Annotation] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for row in self.session.scalars(select(Annotation).where(Annotation.uid.in_(chunk))):
                found[row.uid] = row
        return found

    def _add_own_spans(self, doc_id: int, spans: list[IncomingSpan]) -> None:
        existing = self._existing(s.uid for s in spans if s.uid)
        for span in spans:
            assert span.uid and span.curator and span.updated_at and span.created_at
            row = existing.get(span.uid)
            if row is None:
                row = Annotation(uid=span.uid, document_id=doc_id)
                self._fill(row, span)
                self.session.add(row)
                self.report.spans_added += 1
            elif row.document_id != doc_id:
                raise LineError(f"span {span.uid} belongs to another document in the database")
            elif span.updated_at > row.updated_at:
                self._fill(row, span)
                self.report.spans_updated += 1
            else:
                self.report.spans_unchanged += 1
        self.session.flush()

    def _fill(self, row: Annotation, span: IncomingSpan) -> None:
        assert span.curator is not None
        row.curator_id = self._curator_id(span.curator)
        row.label_id = self._label_id(span.label)
        row.start, row.end, row.text = span.start, span.end, span.text
        row.note, row.origin, row.revision = span.note, span.origin, span.revision
        assert span.created_at is not None and span.updated_at is not None
        row.created_at, row.updated_at = span.created_at, span.updated_at
        row.deleted_at = span.deleted_at

    def _add_foreign_spans(self, doc_id: int, spans: list[IncomingSpan]) -> None:
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
            self._add_spans_of(doc_id, self._curator_id(name), mine)
        self.session.flush()

    def _add_spans_of(self, doc_id: int, cur_id: int, spans: list[IncomingSpan]) -> None:
        held = {
            (start, end, label_id)
            for start, end, label_id in self.session.execute(
                select(Annotation.start, Annotation.end, Annotation.label_id).where(
                    Annotation.document_id == doc_id,
                    Annotation.curator_id == cur_id,
                    Annotation.deleted_at.is_(None),
                )
            )
        }
        now = utcnow()
        added = 0
        for span in spans:
            key = (span.start, span.end, self._label_id(span.label))
            if key in held:
                self.report.spans_unchanged += 1
                continue
            held.add(key)
            self.session.add(
                Annotation(
                    uid=str(uuid.uuid4()),
                    document_id=doc_id,
                    curator_id=cur_id,
                    label_id=key[2],
                    start=span.start,
                    end=span.end,
                    text=span.text,
                    note=span.note,
                    origin="imported",
                    created_at=now,
                    updated_at=now,
                    revision=1,
                )
            )
            added += 1
        self.report.spans_added += added
        if added:
            touch_in_progress(self.session, doc_id, cur_id)
