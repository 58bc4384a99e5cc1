"""doccano's sequence-labelling exports, every shape its versions have written.

* ``label``: ``[[start, end, "label"], ...]`` (current exports);
* ``labels``: the same under the key of doccano 1.x;
* ``entities`` (``id``, ``start_offset``, ``end_offset``, ``label``) with
  ``relations``, from relation-extraction projects;
* ``annotations`` (``label``, ``start_offset``, ``end_offset``, ``user``),
  the oldest exports.

Lines may be JSON lines or pretty-printed objects one after another. A line's
``user`` (or an annotation's) is the curator of its spans, so the lines
doccano writes for several users of the same text keep apart; without one,
spans belong to the importing curator. ``meta`` becomes the document's
``meta``; lines of the same text whose ``meta`` disagree on a key cannot
both be kept: that is refused by file and line, or with ``--allow-loss``
left out and listed. ``relations`` (``from_id``, ``to_id``, ``type``)
become relations from one entity to the other, when the database has the
type and it allows the entities' labels; any other is refused, or left out
and listed, by its line, the same way. A text
classification (``label`` as a list of names) is a document label, which the
app does not hold either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from curator.core.articles.text import canonical_text
from curator.core.errors import InputError
from curator.core.interchange import located_json
from curator.core.interchange.foreign import ImportOptions, Losses, Record, store_records
from curator.core.interchange.jsonl_store import ImportReport

KEYS = ("label", "labels", "entities", "annotations")


def looks_like(obj: object) -> bool:
    return (
        isinstance(obj, dict) and isinstance(obj.get("text"), str) and any(k in obj for k in KEYS)
    )


def _user(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str | int):
        return str(value)
    raise ValueError(f"'user' must be a name or a number, not {type(value).__name__}")


def _offsets(item: Any, where: str) -> tuple[int, int, str]:
    if isinstance(item, list) and len(item) == 3:
        start, end, label = item
    elif isinstance(item, dict):
        start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
    else:
        raise ValueError(f"{where}: expected [start, end, label] or an object, found {item!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise ValueError(f"{where}: start and end must be whole numbers")
    if isinstance(label, int) and not isinstance(label, bool):
        label = str(label)
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"{where}: the label must be a non-empty string")
    return start, end, label


def read_line(path: Path, obj: Any, line: int, losses: Losses) -> Record:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputError(path, "expected a doccano object with 'text'", line)
    meta = obj.get("meta")
    record = Record(line, {"text": obj["text"], "spans": [], "meta": {}})
    if isinstance(meta, dict):
        record.obj["meta"].update(meta)
    try:
        user = _user(obj.get("user"))
        for key in KEYS:
            items = obj.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                raise ValueError(f"{key!r} must be a list")
            for i, item in enumerate(items, 1):
                at = located_json.line_of(item, line)
                if key in ("label", "labels") and isinstance(item, str):
                    losses.drop(at, f"the document label {item!r} (text classification)")
                    continue
                start, end, label = _offsets(item, f"{key} {i}")
                owner = _user(item.get("user")) if isinstance(item, dict) else None
                span: dict[str, Any] = {"start": start, "end": end, "label": label}
                if key == "entities" and obj.get("relations") and "id" in item:
                    span["id"] = item["id"]  # what relations point at
                record.add_span(span, at, owner or user)
        _relations(record, obj.get("relations") or [], line, losses)
    except ValueError as exc:
        raise InputError(path, str(exc), line) from None
    return record


def _relations(record: Record, relations: Any, line: int, losses: Losses) -> None:
    """``relations`` (``from_id`` -> ``to_id``, ``type``) between the line's ``entities``."""
    if not isinstance(relations, list):
        raise ValueError("'relations' must be a list")
    for i, relation in enumerate(relations, 1):
        at = located_json.line_of(relation, line)
        if not isinstance(relation, dict):
            raise ValueError(f"relation {i}: expected an object with from_id, to_id and type")
        kind = relation.get("type")
        if not isinstance(kind, str) or not kind.strip():
            losses.drop(at, f"a relation {relation.get('id', i)} with no type")
            continue
        ends = [relation.get(key) for key in ("from_id", "to_id")]
        if not all(isinstance(e, str | int) and not isinstance(e, bool) for e in ends):
            raise ValueError(f"relation {i}: from_id and to_id must be entity ids")
        record.add_relation(ends[0], ends[1], kind, at)


def read_doccano(path: Path, text: str, losses: Losses) -> list[Record]:
    found = located_json.values(path, text)
    items: list[Any] = []
    for value in found:
        items.extend(value if isinstance(value, list) else [value])
    records = [read_line(path, obj, located_json.line_of(obj), losses) for obj in items]
    return _merge_meta(records, losses)


def _merge_meta(records: list[Record], losses: Losses) -> list[Record]:
    """Lines of one text are one document: their meta is merged; a disagreement is a loss."""
    first: dict[str, Record] = {}
    for record in records:
        key = canonical_text(record.obj["text"])
        held = first.setdefault(key, record)
        if held is record:
            continue
        for name, value in record.obj["meta"].items():
            if name not in held.obj["meta"]:
                held.obj["meta"][name] = value
            elif held.obj["meta"][name] != value:
                losses.drop(
                    record.line,
                    f"meta {name!r} = {value!r}, which line {held.line} of the same text "
                    f"gives as {held.obj['meta'][name]!r}",
                )
        record.obj["meta"] = held.obj["meta"]
    return records


def import_doccano_in(
    session: Session, path: Path, text: str, options: ImportOptions
) -> ImportReport:
    losses = Losses(path, options.allow_loss)
    return store_records(session, path, read_doccano(path, text, losses), options, losses, "lines")
