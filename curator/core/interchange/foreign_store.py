"""Spans of other tools into the store: new spans of a curator, never a second copy.

Spans from other tools' files carry no uid: each becomes a new span of the
curator it names, or of the importing curator, unless that curator already
holds the same span (place, label, pieces) in the document. Uids are made
here, a series per document (:func:`_uid_series`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import repeat
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from curator.core.articles.documents import touch_in_progress
from curator.core.errors import CuratorError
from curator.core.interchange.jsonl_read import IncomingSpan, LineError
from curator.core.storage import concepts, fragments
from curator.core.storage.curators import validate_name
from curator.core.storage.models import Annotation, utcnow

if TYPE_CHECKING:
    from curator.core.interchange.jsonl_store import BulkStore


def foreign_spans(
    store: BulkStore, doc_id: int, spans: list[IncomingSpan], new: bool = False
) -> None:
    """New spans, of the curator a span names (BioC infons), else of the importer's."""
    groups: dict[str | None, list[IncomingSpan]] = {}
    for span in spans:
        groups.setdefault(span.curator or store.curator, []).append(span)
    for curator, mine in groups.items():
        if curator is None:
            raise LineError("these spans carry no curator; name one (curator --curator NAME)")
        try:
            name = validate_name(curator)
        except CuratorError as exc:
            raise LineError(str(exc)) from None
        _spans_of(store, doc_id, name, mine, new)


def _spans_of(
    store: BulkStore, doc_id: int, name: str, spans: list[IncomingSpan], new: bool = False
) -> None:
    """Spans of other tools: new spans of the named curator, never a second copy.

    A document this import has just made (*new*) holds nothing yet: its
    spans are only queued, with no query and no status read, and its status
    row is written with the batch. Uids share one random UUID per call and
    count up in its last 48 bits: 74 random bits keep them apart from every
    other document's, at a fraction of the cost of a ``uuid4()`` per span.
    """
    cur_id = store._curator_id(name)
    held: dict[tuple[Any, ...], str] = {}
    if not new:
        store._insert_spans()
        query = select(
            Annotation.start, Annotation.end, Annotation.label_id, Annotation.fragments,
            Annotation.uid,
        ).where(
            Annotation.document_id == doc_id,
            Annotation.curator_id == cur_id,
            Annotation.deleted_at.is_(None),
        )  # fmt: skip
        # Each span learns the uid it is stored under, new or held: relations point at it.
        held = {tuple(row[:4]): row[4] for row in store.session.execute(query)}
    now = utcnow()
    # Each (created, updated) pair spelled once: spans bring none (now) or an annotation's.
    stamps: dict[tuple[dt.datetime | None, dt.datetime | None], tuple[Any, Any]] = {}
    prefix, first = _uid_series()
    labels, rows, encode = store.labels, store.span_rows, fragments.encode
    added = 0
    for span in spans:
        pieces = None if span.fragments is None else encode(span.fragments)
        key = (span.start, span.end, labels[span.label], pieces)
        span.curator = name
        if key in held:
            span.uid = held[key]
            store.report.spans_unchanged += 1
            continue
        span.uid = f"{prefix}{(first + added) & _NODE:012x}"
        held[key] = span.uid
        times = (span.created_at, span.updated_at)
        spelled = stamps.get(times)
        if spelled is None:
            spelled = stamps[times] = (
                store._stamp(span.created_at or now),
                store._stamp(span.updated_at or now),
            )
        created, updated = spelled
        linked = span.concepts
        if pieces is None and not linked and not span.note:  # jsonl_store.IMPORTED_ROW
            rows.append(
                (span.uid, doc_id, cur_id, key[2], span.start, span.end, span.text,
                 created, updated)
            )  # fmt: skip
        else:
            rows.append(
                (span.uid, doc_id, cur_id, key[2], span.start, span.end, span.text, span.note,
                 "imported", created, updated, None, 1,
                 concepts.encode(linked) if linked else concepts.EMPTY, pieces)
            )  # fmt: skip
        added += 1
    store.report.spans_added += added
    if not added:
        return
    if new:
        store.started.append((doc_id, cur_id))
        if store.queue_full():
            store._insert_spans()
    else:
        store._insert_spans()
        touch_in_progress(store.session, doc_id, cur_id)


def plain_spans(
    store: BulkStore, doc_id: int, groups: list[tuple[str, list[tuple[Any, ...]]]]
) -> None:
    """A new document's plain regions (``IncomingDocument.plain_regions``) as rows, at once.

    What :func:`_spans_of` makes of the same spans in a new document: per
    curator, in the same order, uids of one series counting up, the
    annotation's times or the time of this call, a status row with the batch.
    The rows are zipped from the regions' columns, without a Python step per span.
    """
    rows = store.span_rows
    now: tuple[str, str] | None = None
    for name, parts in groups:
        cur_id = store._curator_id(name)
        prefix, first = _uid_series()
        uid = (prefix + "{:012x}").format
        made = first
        for given, ids, starts, ends, quotes in parts:
            stamps = given
            if stamps is None:
                if now is None:
                    at = store._stamp(utcnow())
                    now = (at, at)
                stamps = now
            uids = map(uid, map(_NODE.__and__, range(made, made + len(ids))))
            doc, cur, created, updated = (repeat(v) for v in (doc_id, cur_id, *stamps))
            rows += zip(uids, doc, cur, ids, starts, ends, quotes, created, updated, strict=False)
            made += len(ids)
        store.report.spans_added += made - first
        store.started.append((doc_id, cur_id))
        if store.queue_full():
            store._insert_spans()


_NODE = (1 << 48) - 1


def _uid_series() -> tuple[str, int]:
    """The first 24 characters of a fresh UUID4 and a random start for its 48-bit node."""
    fresh = uuid.uuid4()
    return str(fresh)[:24], fresh.int & _NODE
