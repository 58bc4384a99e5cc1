"""The label set beside a JSONL export: ``NAME.labels.json``, written and merged back.

A JSONL line names each span's label, and nothing more: colour, key, place
in the set, description and retirement are the database's, not a
document's. They travel in one small file beside the export (as the spaCy
export writes ``NAME.tokenizer/`` beside its DocBin), not on the lines:

- the lines stay one document each, byte-identical to before, so tools that
  train on them (Prodigy-style span readers, our own learning code) see no
  new key and no repeated copy of the set on every line;
- the set is one register of the database, exported whole whatever the
  curators and documents chosen, and a per-line copy could disagree with
  itself from line to line;
- an older app that imports the JSONL alone still reads it as before.

The file holds every label, retired ones too, with its uid, ``revision``,
``updated_at`` and ``deleted_at``, one label a line (so a problem is named
by its line). ``curator import`` (and File > Import, and merging an export)
reads it when it sits beside the JSONL and merges it into the database's
set exactly as merging two databases does (:mod:`curator.core.labels.merging`):
the later edit wins, a rename arrives as a rename, a name or key two labels
want goes to the later-edited one. The lines' label names are then read as
the file meant them: by the file's uid of that name, whatever the label is
called here now. Any problem in the file refuses the whole import, with the
file and line, before a span is written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError, InputError
from curator.core.files.atomic import atomic_writer
from curator.core.files.inputs import read_input, span_file_limit
from curator.core.interchange import located_json
from curator.core.interchange.labels_text import (
    KEYS,
    SCHEMA_NAME,
    SCHEMA_VERSION,
    SUFFIX,
    is_label_file,
    label_file,
    label_file_text,
)
from curator.core.labels import merging
from curator.core.labels.editing import check_colour, check_key
from curator.core.labels.merging import LabelPlan
from curator.core.labels.rows import LabelRow
from curator.core.safe_text import MAX_INT, MAX_LABEL, name_problem
from curator.core.storage.db import Database
from curator.core.storage.models import Label


def write_label_file(db: Database, export: Path) -> Path:
    """Write the database's whole label set beside the export at *export* (atomically)."""
    if is_label_file(export):
        raise CuratorError(f"{export}: name the JSONL file something other than *{SUFFIX}")
    path = label_file(export)
    with db.read() as session:
        rows = merging.read(session.connection())
    with atomic_writer(path) as out:
        out.write(label_file_text(rows).encode("utf-8"))
    return path


# -- reading -----------------------------------------------------------------------------------


def read_label_file(path: Path) -> list[LabelRow]:
    """Every label of the file, checked; the first problem raises ``InputError`` at its line."""
    data = read_input(path, span_file_limit(), "a label file", "CURATOR_MAX_SPAN_FILE_MB")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    top = located_json.loads(path, text)
    if not isinstance(top, dict):
        raise InputError(path, f"expected a JSON object, found {type(top).__name__}", 1)
    where = located_json.line_of(top)
    schema = top.get("schema")
    if not isinstance(schema, dict) or schema.get("name") != SCHEMA_NAME:
        wanted = f'"schema": {{"name": "{SCHEMA_NAME}"}}'
        raise InputError(path, f"is not a label file: no {wanted}", where)
    version = schema.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(path, f"schema version {version!r} is not a version number", where)
    if version > SCHEMA_VERSION:
        raise InputError(
            path,
            f"was written by a newer app (label file version {version}); this one reads "
            f"version {SCHEMA_VERSION}: update the app to import it",
            where,
        )
    labels = top.get("labels")
    if not isinstance(labels, list):
        raise InputError(path, '"labels" must be a list of labels', where)
    rows: list[LabelRow] = []
    seen: dict[str, dict[str, int]] = {"uid": {}, "name": {}, "key": {}}
    for number, obj in enumerate(labels, 1):
        line = located_json.line_of(obj, where)
        try:
            row = _row(obj, number)
            for what, value in (("uid", row.uid), ("name", row.name), ("key", row.shortcut)):
                if value is None:
                    continue
                if value in seen[what]:
                    raise CuratorError(
                        f"label {number}: {what} {value!r} is also the {what} of the label "
                        f"on line {seen[what][value]}"
                    )
                seen[what][value] = line
        except CuratorError as exc:
            raise InputError(path, str(exc), line) from None
        rows.append(row)
    return rows


def _row(obj: object, number: int) -> LabelRow:
    where = f"label {number}"
    if not isinstance(obj, dict):
        raise CuratorError(f"{where}: expected a JSON object, found {type(obj).__name__}")
    missing = [k for k in KEYS if k not in obj]
    if missing:
        raise CuratorError(f"{where}: missing {', '.join(map(repr, missing))}")
    unknown = sorted(set(obj) - set(KEYS))
    if unknown:
        raise CuratorError(f"{where}: unknown key {unknown[0]!r} (a label has {', '.join(KEYS)})")
    uid = _text(obj, "uid", where)
    try:
        if str(uuid.UUID(uid)) != uid:
            raise ValueError
    except ValueError:
        raise CuratorError(f"{where}: uid {uid!r} is not a lowercase UUID") from None
    name = _text(obj, "name", where)
    problem = name_problem(name, "label name", MAX_LABEL)  # what an import may have named
    if problem or name != name.strip():
        raise CuratorError(f"{where}: {problem or f'name {name!r} has spaces around it'}")
    color = _text(obj, "color", where)
    key = None if obj["key"] is None else _text(obj, "key", where)
    try:
        check_colour(color)
        if key is not None and check_key(key) != key:
            raise CuratorError(f"key {key!r}: write it as one capital letter or digit")
    except CuratorError as exc:
        raise CuratorError(f"{where}: {exc}") from None
    description = _text(obj, "description", where)
    position = _int(obj, "position", where, 0)
    revision = _int(obj, "revision", where, 1)
    updated = _time(obj["updated_at"], "updated_at", where)
    deleted = None if obj["deleted_at"] is None else _time(obj["deleted_at"], "deleted_at", where)
    if deleted is not None and key is not None:
        raise CuratorError(f"{where}: label {name!r} is retired and cannot have a key")
    return LabelRow(uid, name, color, key, description, position, updated, deleted, revision)


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj[key]  # NULs and lone surrogates were refused with the file (located_json)
    if not isinstance(value, str):
        raise CuratorError(f"{where}: {key!r} must be a string, not {type(value).__name__}")
    return value


def _int(obj: dict[str, Any], key: str, where: str, least: int) -> int:
    value = obj[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise CuratorError(f"{where}: {key!r} must be a whole number, not {type(value).__name__}")
    if not least <= value <= MAX_INT:
        raise CuratorError(f"{where}: {key!r} is {value}, outside {least}-{MAX_INT}")
    return value


def _time(value: object, key: str, where: str) -> dt.datetime:
    """A naive UTC time, as :class:`LabelRow` holds them."""
    if not isinstance(value, str):
        raise CuratorError(f"{where}: {key!r} must be a time string, not {type(value).__name__}")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CuratorError(f"{where}: {key!r} is not an ISO-8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise CuratorError(f"{where}: {key!r} has no time zone: {value!r} (write UTC, with Z)")
    try:
        return parsed.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        raise CuratorError(f"{where}: {key!r} is out of range in UTC: {value!r}") from None


# -- merging into the database -----------------------------------------------------------------


@dataclass
class CarriedLabels:
    """What a label file did to the database's set, and how to read the lines beside it."""

    path: Path
    plan: LabelPlan
    ids: dict[str, int] = field(default_factory=dict)
    """The file's name of each label -> that label's row here (its name here may differ)."""
    retired_before: set[int] = field(default_factory=set)
    """Rows of labels that were retired here before the file was merged."""

    def changes(self) -> list[str]:
        """The report's words for what changed, empty when the file matched the database."""
        said = [f"added {r.name}" for r in self.plan.added]
        said += [f"updated {r.name}" for r in self.plan.updated]
        said += [f"renamed {pair} (the name was taken)" for pair in self.plan.renamed]
        said += [f"{name} lost its key (taken)" for name in self.plan.keys_dropped]
        return said


def merge_label_file(session: Session, export: Path) -> CarriedLabels | None:
    """Merge the label file beside *export* into the set, in the caller's transaction.

    None when there is no such file (a JSONL from an older export, or another tool's).
    """
    path = label_file(export)
    if is_label_file(export) or not path.is_file():
        return None
    rows = read_label_file(path)
    conn = session.connection()
    retired_before = {
        uid for uid, gone in session.execute(select(Label.uid, Label.deleted_at)) if gone
    }
    plan = merging.plan(merging.read(conn), rows)
    merging.apply(conn, plan)
    here = {uid: id_ for uid, id_ in session.execute(select(Label.uid, Label.id))}
    return CarriedLabels(
        path,
        plan,
        ids={row.name: here[row.uid] for row in rows},
        retired_before={here[uid] for uid in retired_before},
    )
