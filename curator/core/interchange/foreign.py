"""Other tools' files, once read: records checked and stored like JSONL lines.

Every importer of another tool's format turns its file into :class:`Record`
objects, one per document: a minimal span line (``text``, ``spans``,
``meta``, ``title``) and the file line each part came from. They are then
checked by the JSONL reader (offsets inside the text, quotes equal to the
text at the offsets, canonical text) and written by the JSONL store, in the
caller's transaction, so every format obeys the same rules: all or nothing,
``FILE:LINE`` errors, and a second import of the same file changes nothing.

Relations between spans travel as the minimal line's ``relations`` between
span ``id`` s (:meth:`Record.add_relation`), each with its own file line;
those the database cannot hold are screened out first
(:func:`~curator.core.interchange.relation_store.screen_relations`). What a
format holds that the data model does not (identifiers, attributes, events,
relations of unknown types) goes through :class:`Losses`: refused by file
and line, unless the user allowed the loss, and then named and counted in
the report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.errors import InputError
from curator.core.interchange.jsonl_read import IncomingDocument, LineError, parse_line
from curator.core.interchange.jsonl_store import BulkStore, ImportReport
from curator.core.storage.models import Document

_SPAN_NUMBER = re.compile(r"^span (\d+):")
_RELATION_NUMBER = re.compile(r"^relation (\d+):")


@dataclass(frozen=True)
class ImportOptions:
    curator: str | None = None
    """Who owns spans that name no curator of their own."""
    add_labels: bool = False
    allow_loss: bool = False
    """Import what the data model holds and report the rest, rather than refuse the file."""
    skip_bad_documents: bool = False
    """Skip (and report) a document whose spans disagree with its text, rather than refuse."""


@dataclass
class Record:
    line: int
    obj: dict[str, Any]
    span_lines: list[int] = field(default_factory=list)
    curators: list[str | None] = field(default_factory=list)
    """Per span, its curator (None: the importer's)."""
    times: list[tuple[dt.datetime, dt.datetime] | None] = field(default_factory=list)
    """Per span, when it was created and last changed, where the file says (else now)."""
    name: str = ""
    """How the file names this document (an id, a PMID), for reports."""
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    """Proposed spans (``start``, ``end``, ``label``, ``text``, ``source``), not spans."""
    suggestion_lines: list[int] = field(default_factory=list)
    relation_lines: list[int] = field(default_factory=list)
    """Per relation of ``obj["relations"]`` (between span ``id`` s), its file line."""
    uid: str = ""
    """The document's uid and canonical text, once checked."""
    text: str = ""
    plain: IncomingDocument | None = None
    """The record's document made at once, its spans as plain regions (``labelstudio_rows``)."""
    general: Callable[[], Record] | None = None
    """The same record read the general way, for a *plain* document that is not new."""

    def add_span(self, span: dict[str, Any], line: int, curator: str | None = None) -> None:
        self.obj.setdefault("spans", []).append(span)
        self.span_lines.append(line)
        self.curators.append(curator)
        self.times.append(None)

    def add_relation(self, head: object, tail: object, kind: str, line: int) -> None:
        """A link from the span whose ``id`` is *head* to the one whose ``id`` is *tail*."""
        self.obj.setdefault("relations", []).append({"head": head, "tail": tail, "type": kind})
        self.relation_lines.append(line)


class Losses:
    """What a file holds that the data model cannot: refused, or (when allowed) counted."""

    def __init__(self, path: Path, allow: bool) -> None:
        self.path = path
        self.allow = allow
        self.dropped: list[str] = []

    def drop(self, line: int, what: str) -> None:
        if not self.allow:
            raise InputError(
                self.path,
                f"{what}, which the app cannot hold; nothing was imported "
                "(--allow-loss imports the rest and lists what was left out)",
                line,
            )
        self.dropped.append(f"{self.path}:{line}: {what}")


def store_records(  # noqa: PLR0917 - one call per format, all alike
    session: Session,
    path: Path,
    records: list[Record],
    options: ImportOptions,
    losses: Losses,
    unit: str = "documents",
    store: BulkStore | None = None,
) -> ImportReport:
    """Check and store *records* in the caller's transaction; the first problem stops it.

    A record made at once (``plain``) is stored as it is when its document is
    new: neither in the database nor brought by an earlier record (whose
    spans the store would compare with it); else it is read the general way.
    """
    if any(r.relation_lines for r in records):
        from curator.core.interchange.relation_store import screen_relations

        screen_relations(session, records, losses)
    if store is None:
        store = BulkStore(session, path, options.curator, options.add_labels, unit=unit)
    taken = _stored_documents(session, [r.plain.uid for r in records if r.plain is not None])
    kept: list[Record] = []
    for given in records:
        plain, record = given.plain, given
        if plain is not None and plain.uid not in taken:
            taken.add(plain.uid)
            store.add(plain, record.line)
            record.uid, record.text = plain.uid, plain.text
            kept.append(record)
            store.report.lines += 1
            continue
        if plain is not None:
            assert given.general is not None
            record = given.general()
        try:
            incoming = parse_line(record.obj)
            times = record.times or [None] * len(record.curators)
            if not incoming.own:  # the spans were made for this record: set in place
                for span, name, when in zip(incoming.spans, record.curators, times, strict=True):
                    span.curator = name or span.curator
                    span.created_at = when[0] if when else None
                    span.updated_at = when[1] if when else None
            store.add(incoming, record.line)
            taken.add(incoming.uid)
            record.uid = incoming.uid
            record.text = incoming.text
        except LineError as exc:
            found = _SPAN_NUMBER.match(str(exc))
            line = record.span_lines[int(found.group(1)) - 1] if found else record.line
            linked = _RELATION_NUMBER.match(str(exc))
            if linked and int(linked.group(1)) <= len(record.relation_lines):
                line = record.relation_lines[int(linked.group(1)) - 1]
            if options.skip_bad_documents and found:
                store.report.skipped.append(
                    f"document {record.name or record.line} skipped: {path}:{line}: {exc}"
                )
                continue
            raise InputError(path, str(exc), line) from None
        kept.append(record)
        store.report.lines += 1
    store.flush()
    if store.report.lines == 0 and not store.report.skipped:
        raise InputError(path, f"holds no {unit}")
    if any(r.suggestions for r in kept):
        from curator.core.interchange.suggested import store_suggestions

        store_suggestions(store, kept)
    store.report.dropped.extend(losses.dropped)
    return store.report


def _stored_documents(session: Session, uids: list[str]) -> set[str]:
    """Those of *uids* that are documents in the database already."""
    found: set[str] = set()
    for i in range(0, len(uids), 500):
        query = select(Document.uid).where(Document.uid.in_(uids[i : i + 500]))
        found.update(session.scalars(query))
    return found
