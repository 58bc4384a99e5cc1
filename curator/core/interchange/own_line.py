"""Lines of our own JSONL schema: uids, curators and history taken as they are, once checked.

Our exports carry canonical text and spell every time
``YYYY-MM-DDTHH:MM:SS.ffffffZ``; a well-formed span is told in one
expression (a million pass here on a large import), anything else goes
through checks that name its first problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable
from typing import Any

from curator.core.articles.text import canonical_text, text_uid
from curator.core.errors import CuratorError
from curator.core.interchange.incoming import (
    IncomingDocument,
    IncomingSpan,
    check_offsets,
    checked_label,
    label_problem,
    parse_concepts,
    typed,
    whole,
)
from curator.core.interchange.line_error import LineError
from curator.core.safe_text import MAX_INT
from curator.core.storage.concepts import NO_CONCEPTS
from curator.core.storage.curators import validate_name
from curator.core.storage.fragments import FragmentError, extent, normalise
from curator.core.storage.fragments import quote as join_quote
from curator.core.storage.models import ORIGINS, STATUSES


def _time(obj: dict[str, Any], key: str, where: str) -> dt.datetime:
    return _time_and_stored(obj, key, where)[0]


def _time_and_stored(obj: dict[str, Any], key: str, where: str) -> tuple[dt.datetime, str]:
    """The aware UTC time, and its spelling in a SQLite column ("YYYY-MM-DD HH:MM:SS.ffffff").

    Our own exports spell every time ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; those are
    re-spelled by slicing, after ``fromisoformat`` has checked them.
    """
    raw = obj.get(key)
    if type(raw) is not str:
        raw = typed(obj, key, str, where)
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


RowMaker = Callable[[list[Any], str], "list[tuple[Any, ...]] | None"]
"""Rows straight from a line's spans, or None for the spans to be read one by one (own_rows)."""


def parse_own(obj: dict[str, Any], rows: RowMaker | None = None) -> IncomingDocument:
    """One line of our schema; with *rows*, plain spans may come back as insert rows instead."""
    _check_schema(obj["schema"])
    text: str = typed(obj, "text", str, "line")
    if canonical_text(text) != text:
        raise LineError(
            "'text' is not in canonical form (it has CR line ends or is not NFC); "
            "lines with a schema must carry the text exactly as exported"
        )
    uid = text_uid(text)
    for key in ("id", "text_sha256"):
        if typed(obj, key, str, "line") != uid:
            raise LineError(f"{key!r} is not the SHA-256 of the text (expected {uid})")
    status = typed(obj, "status", dict, "line")
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
    raws = typed(obj, "spans", list, "line")
    made = rows(raws, text) if rows is not None and not obj.get("relations") else None
    spans = _own_spans(raws, text) if made is None else []
    return IncomingDocument(
        own=True,
        uid=uid,
        title=typed(obj, "title", str, "line"),
        text=text,
        meta=typed(obj, "meta", dict, "line"),
        status=dict(status),
        spans=spans,
        active_seconds=dict(active),
        rows=made,
    )


def own_rows(raws: list[Any], text: str, labels: dict[str, int]) -> list[tuple[Any, ...]] | None:
    """A line's spans as plain insert rows, when every one is plain and well-formed; else None.

    The common line of a restore: new spans with no note, deletion, later
    revision, concepts or pieces, on labels already known (*labels*: name ->
    id, those that take new spans). A span is accepted only where
    :func:`_own_span` accepts it as it is; on anything else (or any doubt)
    this gives None and the line's spans are read by :func:`_own_spans`,
    which names the first problem, so every refusal comes from one place.
    Skipping the span records and the store's second pass over them saves
    about half of the Python spent per span. A row is the store's
    ``PLAIN_ROW`` without the document id and with the curator's name for its
    id, which the store puts in when it writes the line (curators are made in
    the order the general path makes them, after the line's statuses).
    """
    end_of_text = len(text)
    read_time = dt.datetime.fromisoformat
    fields = _ROW_FIELDS
    origins = _ORIGIN_SET
    rows: list[tuple[Any, ...]] = []
    try:
        for raw in raws:
            if type(raw) is not dict or "fragments" in raw or "deleted_at" in raw:
                return None
            uid, start, end, quote, created, updated, label, curator, origin, revision, note = (
                fields(raw)
            )
            label_id = labels.get(label)
            if not (
                type(uid) is str
                and type(start) is int
                and type(end) is int
                and type(quote) is str
                and label_id is not None
                and type(curator) is str
                and note == ""
                and revision == 1
                and type(revision) is int
                and not raw.get("concepts")
                and origin in origins
                and 0 <= start < end <= end_of_text
                and text[start:end] == quote
                and type(created) is str
                and len(created) == 27
                and created[26] == "Z"
                and created[10] == "T"
                and created[19] == "."
                and created[4] == created[7] == "-"
            ):  # the time as our exports spell it (_is_export_time)
                return None
            read_time(created)  # a ValueError for a time that is not one
            created_s = f"{created[:10]} {created[11:26]}"
            if updated == created:  # never changed since it was made: most spans
                updated_s = created_s
            elif (
                type(updated) is str
                and len(updated) == 27
                and updated[26] == "Z"
                and updated[10] == "T"
                and updated[19] == "."
                and updated[4] == updated[7] == "-"
            ):
                read_time(updated)
                updated_s = f"{updated[:10]} {updated[11:26]}"
            else:
                return None
            rows.append((uid, curator, label_id, start, end, quote, origin, created_s, updated_s))
    except (KeyError, TypeError, ValueError):
        return None
    if not rows:
        return rows
    uids = [row[0] for row in rows]
    if any(map(_name_problem, {row[1] for row in rows})):
        return None
    joined = "\n".join(uids)  # as in _own_spans: 36 characters each, none twice
    if (
        len(set(uids)) != len(uids)
        or len(joined) != 37 * len(uids) - 1
        or not _CANONICAL_UUIDS.fullmatch(joined)
    ):
        return None
    return rows


def _own_spans(raws: list[Any], text: str) -> list[IncomingSpan]:
    """A line's spans, each checked, their ids canonical UUIDs none of which appears twice.

    The ids are checked all at once (one pattern over the line's ids joined:
    a match per span was a sixth of reading a span). Anything wrong, and the
    spans are read again one by one, so the first problem is the one named.
    """
    try:
        spans = [_own_span(raw, i, text, uid_checked=False) for i, raw in enumerate(raws, 1)]
    except LineError:
        spans = None
    if spans is not None:
        uids = [span.uid or "" for span in spans]
        joined = "\n".join(uids)  # 36 characters each: no id can hide a newline of its own
        if (
            len(set(uids)) == len(uids)
            and len(joined) == 37 * len(uids) - 1
            and _CANONICAL_UUIDS.fullmatch(joined)
        ):
            return spans
    seen: set[str] = set()
    spans = []
    for i, raw in enumerate(raws, 1):
        span = _own_span(raw, i, text)
        assert span.uid is not None
        if span.uid in seen:
            raise LineError(f"span {i}: id {span.uid} appears twice")
        seen.add(span.uid)
        spans.append(span)
    return spans


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
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CANONICAL_UUID = re.compile(_UUID)
_CANONICAL_UUIDS = re.compile(rf"(?:{_UUID}\n)*{_UUID}")  # one line's ids, joined by newlines


_ROW_FIELDS = operator.itemgetter(
    "id", "start", "end", "text", "created_at", "updated_at", "label", "curator", "origin",
    "revision", "note",
)  # fmt: skip
_ORIGIN_SET = frozenset(ORIGINS)

_SPAN_KEYS = ("id", "start", "end", "label", "text", "curator", "origin", "note")
_TIME_KEYS = ("created_at", "updated_at")


def _own_span(raw: Any, i: int, text: str, *, uid_checked: bool = True) -> IncomingSpan:
    """One span of our own schema: a fast path for a well-formed span, else the checks.

    A million spans pass here on a large import, so a span is first tested in
    one expression; anything unexpected goes through :func:`_checked_own_span`,
    which finds the first problem and names it. Without *uid_checked*, the
    caller checks that the id is a canonical UUID (:func:`_own_spans`).
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
            and (not uid_checked or _CANONICAL_UUID.fullmatch(uid))
            and not label_problem(label)
            and not _name_problem(curator)
            and type(created_raw) is str
            and type(updated_raw) is str
            and len(created_raw) == len(updated_raw) == 27
            and created_raw[26] == updated_raw[26] == "Z"
            and created_raw[10] == updated_raw[10] == "T"
            and created_raw[19] == updated_raw[19] == "."
            and created_raw[4] == created_raw[7] == updated_raw[4] == updated_raw[7] == "-"
            and (deleted_raw == "" or _is_export_time(deleted_raw))
        ):  # the times as our exports spell them (_is_export_time, inlined)
            # A span never changed since it was made (most) has one time: read it once.
            same = updated_raw == created_raw
            try:
                created = dt.datetime.fromisoformat(created_raw)
                updated = created if same else dt.datetime.fromisoformat(updated_raw)
                deleted = dt.datetime.fromisoformat(deleted_raw) if deleted_raw else None
            except ValueError:
                return _checked_own_span(raw, i, text)
            created_s = f"{created_raw[:10]} {created_raw[11:26]}"
            stored = (
                created_s,
                created_s if same else f"{updated_raw[:10]} {updated_raw[11:26]}",
                f"{deleted_raw[:10]} {deleted_raw[11:26]}" if deleted_raw else None,
            )
            linked = raw.get("concepts")
            return IncomingSpan(
                start, end, label, quote, note, uid, curator, origin,
                created, updated, deleted, revision, True, stored,
                parse_concepts(linked, f"span {i}") if linked else NO_CONCEPTS,
            )  # fmt: skip
    return _checked_own_span(raw, i, text)


def _is_export_time(raw: Any) -> bool:
    """Spelled as our exports spell times: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.

    Once ``fromisoformat`` has read it: the dashes tell a calendar date from a
    week date (``2026-W01-1T...``, which it also reads), whose spelling is not
    the stored one.
    """
    if type(raw) is not str or len(raw) != 27:
        return False
    return raw[26] == "Z" and raw[10] == "T" and raw[19] == "." and raw[4] == raw[7] == "-"


def _checked_own_span(raw: Any, i: int, text: str) -> IncomingSpan:
    where = f"span {i}"
    if not isinstance(raw, dict):
        raise LineError(f"{where}: expected an object")
    uid = typed(raw, "id", str, where)
    if not _CANONICAL_UUID.fullmatch(uid):
        raise LineError(f"{where}: id {uid!r} is not a UUID in canonical form")
    start, end = whole(raw, "start", where), whole(raw, "end", where)
    quote = typed(raw, "text", str, where)
    fragments = _fragments(raw, text, start, end, quote, where=where)
    if fragments is None:
        check_offsets(text, start, end, quote, where)
    origin = typed(raw, "origin", str, where)
    if origin not in ORIGINS:
        raise LineError(f"{where}: origin must be one of {', '.join(ORIGINS)}")
    revision = whole(raw, "revision", where)
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
        checked_label(raw, where),
        quote,
        typed(raw, "note", str, where),
        uid,
        _curator(raw.get("curator"), where),
        origin,
        created,
        updated,
        deleted,
        revision,
        True,
        (created_s, updated_s, deleted_s),
        parse_concepts(raw.get("concepts"), where),
        fragments,
    )


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
