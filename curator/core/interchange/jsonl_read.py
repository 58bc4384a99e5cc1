"""Parsing and checking one JSONL line, before anything touches the database.

Three shapes are read: our own lines (with ``schema``), the minimal span
JSONL that Prodigy-style tools write (``{"text", "spans": [{start, end,
label}]}``) and doccano's (``{"text", "label": [[start, end, label]]}``).

Our own lines must carry canonical text (our exports always do), so their
offsets and ids are taken as they are. Other tools may write CRLF or NFD text;
their offsets index that raw text, so they are mapped onto the canonical text,
and a span whose edge falls inside a sequence that canonicalisation merges
(a CR LF pair, a letter and its combining accent) is refused, never moved.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from curator.core.articles.text import canonical_text, text_uid, title_from_text
from curator.core.errors import CuratorError
from curator.core.interchange.line_error import LineError
from curator.core.interchange.relation_read import (
    IncomingRelation,
    minimal_relations,
    own_relations,
    span_ids,
)
from curator.core.safe_text import MAX_INT, MAX_LABEL, name_problem, text_problem, value_problem
from curator.core.storage import concepts as concept_ids
from curator.core.storage.concepts import NO_CONCEPTS, Concept
from curator.core.storage.curators import validate_name
from curator.core.storage.fragments import FragmentError, extent, normalise
from curator.core.storage.fragments import quote as join_quote
from curator.core.storage.models import ORIGINS, STATUSES

__all__ = ["IncomingDocument", "IncomingSpan", "LineError", "parse_line"]


@dataclass(slots=True)
class IncomingSpan:
    start: int
    end: int
    label: str
    text: str
    note: str = ""
    uid: str | None = None
    curator: str | None = None
    origin: str = "imported"
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    revision: int = 1
    quoted: bool = True
    """False when the line gave no quote to check the offsets against."""
    stored_times: tuple[str, str, str | None] | None = None
    """created/updated/deleted as SQLite stores them (naive UTC, microseconds), for bulk inserts."""
    concepts: tuple[Concept, ...] = NO_CONCEPTS
    fragments: tuple[tuple[int, int], ...] | None = None
    """A mention in several pieces (start/end are their extent); None: one piece."""


@dataclass
class IncomingDocument:
    own: bool
    """True for our own schema: uids, curators and history come from the line."""
    uid: str
    title: str
    text: str
    meta: dict[str, Any]
    status: dict[str, str] = field(default_factory=dict)
    spans: list[IncomingSpan] = field(default_factory=list)
    relations: list[IncomingRelation] = field(default_factory=list)
    """Links between the spans (see :mod:`curator.core.interchange.relation_read`)."""
    active_seconds: dict[str, int] = field(default_factory=dict)  # per curator, if written


def _get(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if type(value) is kind:  # the common case, decided without isinstance
        return value
    if key not in obj:
        raise LineError(f"{where}: missing {key!r}")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise LineError(f"{where}: {key!r} must be {names}, not {type(value).__name__}")
    return value


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value: int = _get(obj, key, int, where)
    return value


def _time(obj: dict[str, Any], key: str, where: str) -> dt.datetime:
    return _time_and_stored(obj, key, where)[0]


def _time_and_stored(obj: dict[str, Any], key: str, where: str) -> tuple[dt.datetime, str]:
    """The aware UTC time, and its spelling in a SQLite column ("YYYY-MM-DD HH:MM:SS.ffffff").

    Our own exports spell every time ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; those are
    re-spelled by slicing, after ``fromisoformat`` has checked them.
    """
    raw = obj.get(key)
    if type(raw) is not str:
        raw = _get(obj, key, str, where)
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise LineError(f"{where}: {key!r} is not an ISO-8601 time: {raw!r}") from None
    if value.tzinfo is None:
        raise LineError(f"{where}: {key!r} has no time zone: {raw!r} (write it in UTC, with Z)")
    if _is_export_time(raw):
        return value, f"{raw[:10]} {raw[11:26]}"
    try:
        value = value.astimezone(dt.UTC)
    except OverflowError:
        raise LineError(f"{where}: {key!r} is out of range in UTC: {raw!r}") from None
    return value, value.isoformat(" ", "microseconds")[:26]


def parse_line(obj: Any) -> IncomingDocument:
    if not isinstance(obj, dict):
        raise LineError(f"expected a JSON object, found {type(obj).__name__}")
    for key in ("text", "title"):  # every format's records come here, not only JSONL's
        value = obj.get(key)
        if type(value) is str and (problem := text_problem(value)):
            raise LineError(f"{key} {problem}")
    meta = obj.get("meta")
    if meta and (problem := value_problem(meta, "meta")):
        raise LineError(problem)
    if "schema" in obj:
        own = _parse_own(obj)
        if obj.get("relations"):
            own.relations = own_relations(obj["relations"], own.spans)
        return own
    text = _get(obj, "text", str, "line")
    _refuse_unread(obj)
    relations: list[IncomingRelation] = []
    if "spans" in obj:
        raw = _get(obj, "spans", list, "line")
        spans = [_minimal_span(s, i) for i, s in enumerate(raw, 1)]
        ids = span_ids(raw)
        if obj.get("relations"):
            relations = minimal_relations(obj["relations"], ids)
    elif "label" in obj:
        raw = _get(obj, "label", list, "line")
        spans = [_doccano_span(s, i) for i, s in enumerate(raw, 1)]
    else:
        spans = []
    document = _foreign_document(obj, text, spans)
    document.relations = relations
    return document


UNREAD_SPAN_KEYS = ("labels", "entities", "annotations", "relations", "completions", "predictions")
"""Keys that carry spans (or links between them) in other tools' lines, not read here."""


def _refuse_unread(obj: dict[str, Any]) -> None:
    """A line with spans under a key this reader does not take is refused, never read as 0 spans."""
    read = "spans" if "spans" in obj else "label" if "label" in obj else None
    for key in UNREAD_SPAN_KEYS:
        if key == "relations" and read == "spans":
            continue  # links between spans that carry an "id" (relation_read)
        if obj.get(key):
            also = f" beside {read!r}" if read else ""
            raise LineError(
                f"carries {key!r}{also}, which this reader does not take; "
                "nothing was imported rather than leave those spans out"
            )


def _check_schema(schema: Any) -> None:
    from curator.core.interchange.jsonl_shape import SCHEMA_NAME, SCHEMA_VERSION

    if not isinstance(schema, dict) or schema.get("name") != SCHEMA_NAME:
        raise LineError(f"'schema' must be {{'name': {SCHEMA_NAME!r}, 'version': ...}}")
    version = schema.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LineError("'schema.version' must be a positive integer")
    if version > SCHEMA_VERSION:
        raise LineError(
            f"written by a newer version of the app (schema {version}; this one reads "
            f"{SCHEMA_VERSION}); upgrade to import it"
        )


def _parse_own(obj: dict[str, Any]) -> IncomingDocument:
    _check_schema(obj["schema"])
    text: str = _get(obj, "text", str, "line")
    if canonical_text(text) != text:
        raise LineError(
            "'text' is not in canonical form (it has CR line ends or is not NFC); "
            "lines with a schema must carry the text exactly as exported"
        )
    uid = text_uid(text)
    for key in ("id", "text_sha256"):
        if _get(obj, key, str, "line") != uid:
            raise LineError(f"{key!r} is not the SHA-256 of the text (expected {uid})")
    status = _get(obj, "status", dict, "line")
    for name, value in status.items():
        _curator(name, "status")
        if value not in STATUSES:
            raise LineError(f"status of {name!r} must be one of {', '.join(STATUSES)}")
    active = obj.get("active_seconds", {})
    if not isinstance(active, dict):
        raise LineError("'active_seconds' must be an object of curator: seconds")
    for name, value in active.items():
        _curator(name, "active_seconds")
        if type(value) is not int or value < 0:
            raise LineError(f"active_seconds of {name!r} must be a whole number of seconds >= 0")
    spans = []
    seen: set[str] = set()
    for i, raw in enumerate(_get(obj, "spans", list, "line"), 1):
        span = _own_span(raw, i, text)
        assert span.uid is not None
        if span.uid in seen:
            raise LineError(f"span {i}: id {span.uid} appears twice")
        seen.add(span.uid)
        spans.append(span)
    return IncomingDocument(
        own=True,
        uid=uid,
        title=_get(obj, "title", str, "line"),
        text=text,
        meta=_get(obj, "meta", dict, "line"),
        status=dict(status),
        spans=spans,
        active_seconds=dict(active),
    )


def _curator(name: Any, where: str) -> str:
    if not isinstance(name, str):
        raise LineError(f"{where}: a curator name must be a string")
    problem = _name_problem(name)
    if problem:
        raise LineError(f"{where}: {problem}")
    return name


@functools.lru_cache(maxsize=256)
def _name_problem(name: str) -> str:
    """Why *name* is not a curator name as stored, or "" (cached: a file repeats a few names)."""
    try:
        checked = validate_name(name)
    except CuratorError as exc:
        return str(exc)
    if checked != name:
        return f"curator name {name!r} has spaces around it"
    return ""


# str(uuid.UUID(x)) == x, without building the UUID: lowercase hex in 8-4-4-4-12.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


_SPAN_KEYS = ("id", "start", "end", "label", "text", "curator", "origin", "note")
_TIME_KEYS = ("created_at", "updated_at")


def _own_span(raw: Any, i: int, text: str) -> IncomingSpan:
    """One span of our own schema: a fast path for a well-formed span, else the checks.

    A million spans pass here on a large import, so a span is first tested in
    one expression; anything unexpected goes through :func:`_checked_own_span`,
    which finds the first problem and names it.
    """
    if type(raw) is dict:
        try:
            uid, start, end, label, quote, curator, origin, note = map(raw.__getitem__, _SPAN_KEYS)
            created_raw, updated_raw = raw["created_at"], raw["updated_at"]
            revision = raw["revision"]
        except KeyError:
            return _checked_own_span(raw, i, text)
        deleted_raw = raw.get("deleted_at", "")
        if (
            type(uid) is str
            and type(start) is int
            and type(end) is int
            and type(quote) is str
            and type(label) is str
            and type(curator) is str
            and type(note) is str
            and type(revision) is int
            and 1 <= revision <= MAX_INT
            and origin in ORIGINS
            and 0 <= start < end <= len(text)
            and text[start:end] == quote
            and "fragments" not in raw
            and _CANONICAL_UUID.fullmatch(uid)
            and not _label_problem(label)
            and not _name_problem(curator)
            and type(created_raw) is str
            and type(updated_raw) is str
            and len(created_raw) == len(updated_raw) == 27
            and created_raw[26] == updated_raw[26] == "Z"
            and created_raw[10] == updated_raw[10] == "T"
            and created_raw[19] == updated_raw[19] == "."
            and (deleted_raw == "" or _is_export_time(deleted_raw))
        ):  # the times as our exports spell them (_is_export_time, inlined)
            try:
                created = dt.datetime.fromisoformat(created_raw)
                updated = dt.datetime.fromisoformat(updated_raw)
                deleted = dt.datetime.fromisoformat(deleted_raw) if deleted_raw else None
            except ValueError:
                return _checked_own_span(raw, i, text)
            stored = (
                f"{created_raw[:10]} {created_raw[11:26]}",
                f"{updated_raw[:10]} {updated_raw[11:26]}",
                f"{deleted_raw[:10]} {deleted_raw[11:26]}" if deleted_raw else None,
            )
            linked = raw.get("concepts")
            return IncomingSpan(
                start, end, label, quote, note, uid, curator, origin,
                created, updated, deleted, revision, True, stored,
                _concepts(linked, f"span {i}") if linked else NO_CONCEPTS,
            )  # fmt: skip
    return _checked_own_span(raw, i, text)


def _is_export_time(raw: Any) -> bool:
    """Spelled as our exports spell times: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    if type(raw) is not str or len(raw) != 27:
        return False
    return raw[26] == "Z" and raw[10] == "T" and raw[19] == "."


def _checked_own_span(raw: Any, i: int, text: str) -> IncomingSpan:
    where = f"span {i}"
    if not isinstance(raw, dict):
        raise LineError(f"{where}: expected an object")
    uid = _get(raw, "id", str, where)
    if not _CANONICAL_UUID.fullmatch(uid):
        raise LineError(f"{where}: id {uid!r} is not a UUID in canonical form")
    start, end = _int(raw, "start", where), _int(raw, "end", where)
    quote = _get(raw, "text", str, where)
    fragments = _fragments(raw, text, start, end, quote, where=where)
    if fragments is None:
        _check_offsets(text, start, end, quote, where)
    origin = _get(raw, "origin", str, where)
    if origin not in ORIGINS:
        raise LineError(f"{where}: origin must be one of {', '.join(ORIGINS)}")
    revision = _int(raw, "revision", where)
    if revision < 1:
        raise LineError(f"{where}: revision must be at least 1")
    if revision > MAX_INT:
        digits = str(revision) if revision < 10**40 else f"{str(revision)[:40]}…"
        raise LineError(f"{where}: revision must be at most {MAX_INT}, not {digits}")
    created, created_s = _time_and_stored(raw, "created_at", where)
    updated, updated_s = _time_and_stored(raw, "updated_at", where)
    deleted, deleted_s = None, None
    if "deleted_at" in raw:
        deleted, deleted_s = _time_and_stored(raw, "deleted_at", where)
    return IncomingSpan(
        start,
        end,
        _label(raw, where),
        quote,
        _get(raw, "note", str, where),
        uid,
        _curator(raw.get("curator"), where),
        origin,
        created,
        updated,
        deleted,
        revision,
        True,
        (created_s, updated_s, deleted_s),
        _concepts(raw.get("concepts"), where),
        fragments,
    )


def _concepts(value: Any, where: str) -> tuple[Concept, ...]:
    try:
        return concept_ids.parse(value, where)
    except ValueError as exc:
        raise LineError(str(exc)) from None


def _fragments(
    raw: dict[str, Any], text: str, start: int, end: int, quote: str, *, where: str
) -> tuple[tuple[int, int], ...] | None:
    """A span's pieces, checked against its extent and quote; None when it has none."""
    if "fragments" not in raw:
        return None
    given = raw["fragments"]
    if (
        not isinstance(given, list)
        or len(given) < 2
        or not all(
            isinstance(p, list) and len(p) == 2 and all(type(v) is int for v in p) for p in given
        )
    ):
        raise LineError(f"{where}: fragments must be two or more [start, end] pairs")
    try:
        pieces = normalise(given, len(text))
    except FragmentError as exc:
        raise LineError(f"{where}: {exc}") from None
    if pieces is None or [list(p) for p in pieces] != given:
        raise LineError(f"{where}: fragments must be apart and in text order")
    if extent(pieces) != (start, end):
        raise LineError(f"{where}: start and end must be the first and last fragment's edges")
    joined = join_quote(text, pieces, start, end)
    if joined != quote:
        raise LineError(f"{where}: the fragments' text is {joined!r}, not {quote!r}")
    return pieces


def _label(raw: dict[str, Any], where: str) -> str:
    label: str = _get(raw, "label", str, where)
    problem = _label_problem(label)
    if problem:
        raise LineError(f"{where}: {problem}")
    return label


@functools.lru_cache(maxsize=256)
def _label_problem(label: str) -> str:
    """Why *label* cannot be a label's name, or "" (cached: a file repeats a few labels)."""
    if not label.strip():
        return "the label is empty"
    return name_problem(label, "label", MAX_LABEL) or ""


def _check_offsets(text: str, start: int, end: int, quote: str | None, where: str) -> None:
    if not 0 <= start < end <= len(text):
        raise LineError(
            f"{where}: offsets {start}-{end} are not inside the text (0-{len(text)}) "
            "with start before end"
        )
    if quote is not None and text[start:end] != quote:
        raise LineError(f"{where}: the text at {start}-{end} is {text[start:end]!r}, not {quote!r}")


def _minimal_span(raw: Any, i: int) -> IncomingSpan:
    if type(raw) is dict and len(raw) <= 4:  # {start, end, label[, text]} only, checked fast
        get = raw.get  # four plain calls: a generator here cost a tenth of a minimal import
        start, end, label, quote = get("start"), get("end"), get("label"), get("text")
        if (
            len(raw) == (3 if quote is None else 4)
            and type(start) is int
            and type(end) is int
            and type(label) is str
            and (quote is None or type(quote) is str)
            and not _label_problem(label)
        ):
            return IncomingSpan(
                start, end, label, quote or "", "", None, None, "imported", quoted=quote is not None
            )
    where = f"span {i}"
    if not isinstance(raw, dict):
        raise LineError(f"{where}: expected an object with start, end and label")
    quote = _get(raw, "text", str, where) if "text" in raw else None
    note = _get(raw, "note", str, where) if "note" in raw else ""
    return IncomingSpan(
        start=_int(raw, "start", where),
        end=_int(raw, "end", where),
        label=_label(raw, where),
        text=quote if quote is not None else "",
        note=note,
        quoted=quote is not None,
        concepts=_concepts(raw.get("concepts"), where),
        fragments=_given_pieces(raw, where),
    )


def _given_pieces(raw: dict[str, Any], where: str) -> tuple[tuple[int, int], ...] | None:
    """The ``fragments`` of a span of another tool, as given (checked against the text later)."""
    if "fragments" not in raw:
        return None
    given = raw["fragments"]
    if not (
        isinstance(given, list)
        and len(given) >= 2
        and all(
            isinstance(p, list | tuple) and len(p) == 2 and all(type(v) is int for v in p)
            for p in given
        )
    ):
        raise LineError(f"{where}: fragments must be two or more [start, end] pairs")
    return tuple((p[0], p[1]) for p in given)


def _checked_pieces(
    text: str, span: IncomingSpan, where: str
) -> tuple[tuple[int, int], ...] | None:
    """A foreign span's pieces, ordered and apart, spanning start-end and saying its quote."""
    assert span.fragments is not None
    try:
        pieces = normalise(span.fragments, len(text))
    except FragmentError as exc:
        raise LineError(f"{where}: {exc}") from None
    if pieces is not None and extent(pieces) != (span.start, span.end):
        raise LineError(f"{where}: start and end must be the first and last fragment's edges")
    joined = join_quote(text, pieces, span.start, span.end)
    if span.quoted and joined != span.text:
        raise LineError(f"{where}: the fragments' text is {joined!r}, not {span.text!r}")
    return pieces


def _doccano_span(raw: Any, i: int) -> IncomingSpan:
    where = f"label {i}"
    ok = isinstance(raw, list) and len(raw) == 3
    if not ok or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw[:2]):
        raise LineError(f'{where}: expected [start, end, "label"], found {raw!r}')
    if not isinstance(raw[2], str) or not raw[2].strip():
        raise LineError(f"{where}: the label must be a non-empty string")
    problem = _label_problem(raw[2])
    if problem:
        raise LineError(f"{where}: {problem}")
    return IncomingSpan(start=raw[0], end=raw[1], label=raw[2], text="", quoted=False)


def _foreign_document(
    obj: dict[str, Any], raw_text: str, spans: list[IncomingSpan]
) -> IncomingDocument:
    """Check spans against the raw text, then map them onto the canonical text."""
    pieces: list[tuple[tuple[int, int], ...] | None] = []
    size = len(raw_text)
    for i, span in enumerate(spans, 1):
        start, end, found = span.start, span.end, None
        if span.fragments is not None:
            _check_offsets(raw_text, start, end, None, f"span {i}")
            found = _checked_pieces(raw_text, span, f"span {i}")
        elif not 0 <= start < end <= size or (
            span.quoted
            and not (len(span.text) == end - start and raw_text.startswith(span.text, start))
        ):  # the quote compared in place, without a copy of the text at the offsets
            _check_offsets(raw_text, start, end, span.text if span.quoted else None, f"span {i}")
        pieces.append(found)
    text = canonical_text(raw_text)
    if not text.strip():
        raise LineError("'text' is empty")
    if text != raw_text and spans:
        edges = [p for s in spans for p in (s.start, s.end)]
        edges += [p for found in pieces if found for piece in found for p in piece]
        mapping = map_offsets(raw_text, text, edges)
        if mapping is None:
            raise LineError(
                "the text changes when its line ends and Unicode form are made canonical "
                "(CRLF to LF, NFC), and a span edge falls inside a changed sequence; "
                "fix the offsets or write the text in NFC with LF line ends"
            )
    else:
        mapping = None
    mapped = []
    for span, found in zip(spans, pieces, strict=True):
        if mapping is None and found is None:  # the common case: the span stays where it is
            # Its quote from the text, in place: the spans of parse_line are its own, and
            # every other field is already what a new IncomingSpan would hold. (A quote
            # the line gave is that text already: checked above, and the text is canonical.)
            if not span.quoted:
                span.text = text[span.start : span.end]
                span.quoted = True
            mapped.append(span)
            continue
        start = mapping[span.start] if mapping else span.start
        end = mapping[span.end] if mapping else span.end
        moved = tuple((mapping[a], mapping[b]) for a, b in found) if found and mapping else found
        quote = join_quote(text, moved, start, end)
        mapped.append(
            IncomingSpan(
                start,
                end,
                span.label,
                quote,
                note=span.note,
                concepts=span.concepts,
                fragments=moved,
            )
        )
    title = obj.get("title")
    return IncomingDocument(
        own=False,
        uid=text_uid(text),
        title=title if isinstance(title, str) and title.strip() else title_from_text(text, ""),
        text=text,
        meta=obj["meta"] if isinstance(obj.get("meta"), dict) else {},
        spans=mapped,
    )


def map_offsets(raw: str, canonical: str, points: list[int]) -> dict[int, int] | None:
    """Map offsets in *raw* to offsets in its canonical form, or None if one can't be.

    Cutting the raw text at every offset and canonicalising the pieces one by
    one must give the canonical text; then each cut is a boundary that
    canonicalisation keeps, and its new offset is the length of the pieces
    before it. One pass over the text, whatever the number of spans.
    """
    cuts = sorted({0, len(raw), *points})
    pieces = [canonical_text(raw[a:b]) for a, b in itertools.pairwise(cuts)]
    if "".join(pieces) != canonical:
        return None
    mapping = {0: 0}
    total = 0
    for cut, piece in zip(cuts[1:], pieces, strict=True):
        total += len(piece)
        mapping[cut] = total
    return mapping
