"""The text of ``NAME.labels.json``, the label set beside a JSONL export (see ``labels_file``).

Only the standard library: the quick export (:mod:`curator.cli_quick`) writes
the same file as the full command without importing SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from curator.core.interchange.jsonl_shape import format_time
from curator.core.labels.rows import LabelRow

SCHEMA_NAME = "heme-curator-labels"
SCHEMA_VERSION = 1
SUFFIX = ".labels.json"
KEYS = (
    "uid", "name", "color", "key", "description", "position",
    "updated_at", "deleted_at", "revision",
)  # fmt: skip


def label_file(export: Path) -> Path:
    """Where the JSONL export at *export* keeps its label set: ``a.jsonl`` -> ``a.labels.json``."""
    return export.with_suffix(SUFFIX) if export.suffix else export.with_name(export.name + SUFFIX)


def is_label_file(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX)


# -- writing -----------------------------------------------------------------------------------


def label_object(row: LabelRow) -> dict[str, Any]:
    return {
        "uid": row.uid,
        "name": row.name,
        "color": row.color,
        "key": row.shortcut,
        "description": row.description,
        "position": row.position,
        "updated_at": format_time(row.updated_at.replace(tzinfo=dt.UTC)),
        "deleted_at": None
        if row.deleted_at is None
        else format_time(row.deleted_at.replace(tzinfo=dt.UTC)),
        "revision": row.revision,
    }


def label_file_text(rows: list[LabelRow]) -> str:
    """The file: its schema, then one label a line, in the set's order."""
    ordered = sorted(rows, key=lambda r: (r.position, r.name, r.uid))
    lines = [json.dumps(label_object(r), ensure_ascii=False) for r in ordered]
    body = ",\n    ".join(lines)
    schema = json.dumps({"name": SCHEMA_NAME, "version": SCHEMA_VERSION})
    labels = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "schema": {schema},\n  "labels": {labels}\n}}\n'
