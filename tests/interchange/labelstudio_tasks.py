"""Label Studio tasks and the two-way import the tests of ``labelstudio_rows`` compare.

Each file is imported into an empty database twice: as the import runs, and
with the shortcut (``labelstudio_rows.PlainTasks``) turned off.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from curator.core.errors import InputError
from curator.core.interchange import jsonl_store, labelstudio_rows
from curator.core.interchange.foreign_store import plain_spans
from curator.core.interchange.importing import import_paths
from curator.core.labels.editing import add_label, retire_label
from curator.core.storage.db import Database, open_database
from tests import fresh_db

TEXT = "Ruxolitinib 🩸 targets JAK2 in 𝛼-thalassemia; CD19 CAR-T cells.\nResponse rate 81.8%.\n"
OTHER = "A second article about JAK2 and CD19.\n"
WHEN = "2020-01-05T09:00:00.000000Z"
LATER = "2020-01-06T10:30:00.250000+02:00"
TABLES = {  # what an import writes; uids and the times of "now" normalised in _tables
    "annotation": "SELECT * FROM annotation ORDER BY id",
    "curator": "SELECT * FROM curator ORDER BY id",
    "document_status": "SELECT document_id, curator_id, status FROM document_status ORDER BY 1, 2",
    "label": "SELECT id, name, color, position, deleted_at IS NULL FROM label ORDER BY id",
    "relation": "SELECT r.type_id, h.id, t.id, r.curator_id, r.note FROM relation r "
    "JOIN annotation h ON h.uid = r.head_uid JOIN annotation t ON t.uid = r.tail_uid ORDER BY r.id",
    "suggestion": "SELECT id, document_id, curator_id, label_id, start, end, text, source, score "
    "FROM suggestion ORDER BY id",
    "document": "SELECT id, uid, title, text, meta FROM document ORDER BY id",
}


def region(phrase: str, label: str = "target", within: str = TEXT, **extra: Any) -> dict[str, Any]:
    start = within.index(phrase)
    value = {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}
    return {
        "id": f"r{start}-{label}",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {**value, **extra},
    }


def annotation(results: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"curator": "ana", "created_at": WHEN, "updated_at": WHEN, "result": results, **extra}


def task(annotations: list[dict[str, Any]], text: str = TEXT, **extra: Any) -> dict[str, Any]:
    return {
        "data": {"text": text, "title": f"Article {len(text)}"},
        "meta": {"source": "test"},
        "annotations": annotations,
        **extra,
    }


def write_tasks(path: Path, tasks: list[Any], indent: int | None) -> Path:
    if indent is None:  # as our export writes it: a task a line
        body = "[\n" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n]\n"
    else:
        body = json.dumps(tasks, indent=indent, ensure_ascii=False)
    path.write_text(body, encoding="utf-8")
    return path


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as con:
        found = {name: con.execute(query).fetchall() for name, query in TABLES.items()}
    series: dict[str, tuple[int, int]] = {}  # a uid as (its series, its place in it)
    rows = []
    for row in found["annotation"]:
        uid = row[1]
        first = series.setdefault(uid[:24], (len(series), int(uid[24:], 16)))
        shape = (len(uid), first[0], int(uid[24:], 16) - first[1])
        times = tuple(t if t is None or t < "2025" else "now" for t in row[9:12])
        rows.append((row[0], shape, *row[2:9], *times, *row[12:]))
    found["annotation"] = rows
    return found


Outcome = tuple[str, dict[str, list[tuple[Any, ...]]]]


def import_tasks(
    folder: Path,
    tasks: list[Any],
    *,
    general: bool,
    monkeypatch: pytest.MonkeyPatch,
    prepare: Callable[[Database], None] | None = None,
    indent: int | None = None,
    **options: Any,
) -> tuple[Outcome, int]:
    """What importing *tasks* into an empty database gives, and how many tasks came as rows.

    A task read at once whose document turns out not to be new is read again the
    general way: only those stored as rows (``plain_spans``) count.
    """
    folder.mkdir()
    source = write_tasks(folder / "tasks.json", tasks, indent)
    db_path = folder / "db.sqlite"
    db = open_database(f"sqlite:///{fresh_db.fresh_path(db_path)}")
    taken = 0
    plain = labelstudio_rows.PlainTasks.__call__

    def turned_off(self: labelstudio_rows.PlainTasks, one: Any) -> Any:
        return None if general else plain(self, one)

    def counted(*args: Any) -> None:
        nonlocal taken
        taken += 1
        plain_spans(*args)

    try:
        if prepare is not None:
            prepare(db)
        with monkeypatch.context() as patch:
            patch.setattr(labelstudio_rows.PlainTasks, "__call__", turned_off)
            patch.setattr(jsonl_store, "plain_spans", counted)
            try:
                said = json.dumps(import_paths(db, [source], **options).to_json())
            except InputError as exc:
                said = str(exc)
    finally:
        db.dispose()
    return (said.replace(str(folder), "FOLDER"), tables(db_path)), taken


def both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tasks: list[Any], **options: Any
) -> tuple[Outcome, int]:
    """Both imports; *options* are the import's, and ``prepare`` and ``indent`` (see _import)."""
    fast, taken = import_tasks(
        tmp_path / "fast", tasks, general=False, monkeypatch=monkeypatch, **options
    )
    general, none = import_tasks(
        tmp_path / "general", tasks, general=True, monkeypatch=monkeypatch, **options
    )
    assert none == 0
    assert fast == general
    return fast, taken


def store_text(db: Database) -> None:
    """The database holds TEXT's document before the import."""
    folder = Path(str(db.engine.url.database)).parent
    import_paths(db, [write_tasks(folder / "first.json", [task([])], None)])


def retire_expert(db: Database) -> None:
    retire_label(db, "expert")


def add_x(db: Database) -> None:
    """A label named with one letter: a region's ``labels`` spelled as that name is no list."""
    add_label(db, "x", "#56B4E9")


PLAIN = task([annotation([region("JAK2"), region("Ruxolitinib", "therapy"), region("🩸")])])
SECOND = task([annotation([region("JAK2", within=OTHER)])], OTHER)
