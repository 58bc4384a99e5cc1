"""Parsing and checking the relations of one JSONL line, before anything touches the database.

Two shapes are read. Our own lines (with ``schema``) carry each relation
whole: ``uid``, ``type``, ``head`` and ``tail`` (span uids of the same
line), ``curator``, ``origin``, ``note``, times and ``revision``, so a
restore gives back the rows that were exported. Minimal span lines let
spans carry an ``id`` (unique within the line) and the line carry
``"relations": [{"head": ID, "tail": ID, "type": T}]``; every other
tool's importer builds such lines, so one checker serves them all.

Whether a relation's type exists and allows the labels of its ends is a
question for the database, asked when the line is stored
(:mod:`curator.core.interchange.relation_store`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curator.core.errors import CuratorError
from curator.core.interchange.line_error import LineError
from curator.core.safe_text import MAX_INT, MAX_LABEL, name_problem
from curator.core.storage.curators import validate_name
from curator.core.storage.models import ORIGINS

if TYPE_CHECKING:
    from curator.core.interchange.incoming import IncomingSpan

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(slots=True)
class IncomingRelation:
    number: int
    """Its place (from 1) in the line's ``relations``, for messages."""
    type: str
    head: str | int
    """Our own lines: the head span's uid; other lines: its index in the line's spans."""
    tail: str | int
    uid: str | None = None
    curator: str | None = None
    origin: str = "imported"
    note: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    revision: int = 1


def _error(message: str) -> Exception:
    return LineError(message)


def _int(raw: dict[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if key not in raw:
        raise _error(f"{where}: missing {key!r}")
    if not isinstance(value, int) or isinstance(value, bool):
        raise _error(f"{where}: {key!r} must be int, not {type(value).__name__}")
    return value


def _time(raw: dict[str, Any], key: str, where: str) -> dt.datetime:
    text = _str(raw, key, where)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _error(f"{where}: {key!r} is not an ISO-8601 time: {text!r}") from None
    if value.tzinfo is None:
        raise _error(f"{where}: {key!r} has no time zone: {text!r} (write it in UTC, with Z)")
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise _error(f"{where}: {key!r} is out of range in UTC: {text!r}") from None


def _curator(name: Any, where: str) -> str:
    if not isinstance(name, str):
        raise _error(f"{where}: a curator name must be a string")
    try:
        checked = validate_name(name)
    except CuratorError as exc:
        raise _error(f"{where}: {exc}") from None
    if checked != name:
        raise _error(f"{where}: curator name {name!r} has spaces around it")
    return name


def _str(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if key not in raw:
        raise _error(f"{where}: missing {key!r}")
    if not isinstance(value, str):
        raise _error(f"{where}: {key!r} must be str, not {type(value).__name__}")
    return value


def _type_name(raw: dict[str, Any], where: str) -> str:
    name = _str(raw, "type", where)
    if not name.strip():
        raise _error(f"{where}: the relation type is empty")
    problem = name_problem(name, "relation type", MAX_LABEL)
    if problem:
        raise _error(f"{where}: {problem}")
    return name


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _error(f"'relations' must be a list, not {type(value).__name__}")
    return value


def own_relations(value: Any, spans: list[IncomingSpan]) -> list[IncomingRelation]:
    """The relations of one of our own lines; their ends must be spans of the same line."""
    by_uid = {s.uid: s for s in spans}
    found: list[IncomingRelation] = []
    seen: set[str] = set()
    for i, raw in enumerate(_list(value), 1):
        where = f"relation {i}"
        if not isinstance(raw, dict):
            raise _error(f"{where}: expected an object")
        uid = _str(raw, "uid", where)
        if not _UUID.fullmatch(uid):
            raise _error(f"{where}: uid {uid!r} is not a UUID in canonical form")
        if uid in seen:
            raise _error(f"{where}: uid {uid} appears twice")
        seen.add(uid)
        kind = _type_name(raw, where)
        curator = _curator(raw.get("curator"), where)
        ends = []
        for key in ("head", "tail"):
            end = _str(raw, key, where)
            span = by_uid.get(end)
            if span is None:
                raise _error(f"{where}: its {key} {end} is not a span of this line")
            if span.curator != curator:
                raise _error(
                    f"{where}: its {key} {end} belongs to {span.curator!r}, "
                    f"not to the relation's curator {curator!r}"
                )
            ends.append(end)
        if ends[0] == ends[1]:
            raise _error(f"{where}: its head and tail are the same span")
        origin = _str(raw, "origin", where)
        if origin not in ORIGINS:
            raise _error(f"{where}: origin must be one of {', '.join(ORIGINS)}")
        revision = _int(raw, "revision", where)
        if not 1 <= revision <= MAX_INT:
            raise _error(f"{where}: revision must be between 1 and {MAX_INT}")
        found.append(
            IncomingRelation(
                number=i,
                type=kind,
                head=ends[0],
                tail=ends[1],
                uid=uid,
                curator=curator,
                origin=origin,
                note=_str(raw, "note", where),
                created_at=_time(raw, "created_at", where),
                updated_at=_time(raw, "updated_at", where),
                deleted_at=_time(raw, "deleted_at", where) if "deleted_at" in raw else None,
                revision=revision,
            )
        )
    return found


def span_ids(raw_spans: list[Any]) -> dict[object, int]:
    """Each span ``id`` of a minimal line -> the span's index; an id given twice is refused."""
    ids: dict[object, int] = {}
    for i, raw in enumerate(raw_spans):
        if not isinstance(raw, dict) or "id" not in raw:
            continue
        ident = raw["id"]
        if not isinstance(ident, str | int) or isinstance(ident, bool):
            raise _error(f"span {i + 1}: 'id' must be a string or a whole number")
        key = (type(ident).__name__, ident)
        if key in ids:
            raise _error(f"span {i + 1}: id {ident!r} appears twice (span {ids[key] + 1} has it)")
        ids[key] = i
    return ids


def minimal_relations(value: Any, ids: dict[object, int]) -> list[IncomingRelation]:
    """``[{"head": ID, "tail": ID, "type": T}]`` of a minimal line; ends by span ``id``."""
    found: list[IncomingRelation] = []
    for i, raw in enumerate(_list(value), 1):
        where = f"relation {i}"
        if not isinstance(raw, dict):
            raise _error(f"{where}: expected an object with head, tail and type")
        kind = _type_name(raw, where)
        ends = []
        for key in ("head", "tail"):
            if key not in raw:
                raise _error(f"{where}: missing {key!r}")
            ident = raw[key]
            index = (
                None
                if isinstance(ident, bool) or not isinstance(ident, str | int)
                else ids.get((type(ident).__name__, ident))
            )
            if index is None:
                raise _error(f"{where}: its {key} {ident!r} is no span's id on this line")
            ends.append(index)
        if ends[0] == ends[1]:
            raise _error(f"{where}: its head and tail are the same span")
        note = _str(raw, "note", where) if "note" in raw else ""
        found.append(IncomingRelation(number=i, type=kind, head=ends[0], tail=ends[1], note=note))
    return found
