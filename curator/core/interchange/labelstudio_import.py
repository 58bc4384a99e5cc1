"""Label Studio JSON exports in: tasks with their annotations, of 1.x and of 0.x.

A task's text is ``data.text`` (or the task's only text value). Each entry of
``annotations`` (1.x) or ``completions`` (0.x) is one person's work: its
``curator`` (our own export), else ``completed_by`` (an e-mail, a name or a
user number) names the curator; without either, the importing curator.
Each ``labels`` region becomes one span per label, checked against the
region's own ``text``: a region whose offsets do not give its text is
refused by file and line, never moved. A per-region ``textarea`` with the
region's id is its note, a region's ``meta.concepts`` its concepts (as our
export writes them), and the annotation's ``created_at`` and
``updated_at`` become the spans' times, so our own export comes back with
curators, notes and times.

A ``relation`` result (``from_id``, ``to_id``, ``labels``, ``direction``)
becomes one relation per label, from ``from_id`` to ``to_id`` (``left``
turns it round); one with no label or pointing both ways has no head and
tail, and one whose type the database lacks or whose ends' labels the type
does not allow cannot be held either.

``predictions`` are a model's proposals, not decisions: they become
suggestions of the importing curator. Other result types (choices,
ratings) and the relations above are not held by the data model: each is
refused by file and line, or with ``--allow-loss`` left out and listed.

A task of plain labelled regions in a document the import makes is read
straight into rows (:mod:`~curator.core.interchange.labelstudio_rows`), with
the rows this module's path would store; every other task is read here.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from curator.core.errors import InputError
from curator.core.interchange import labelstudio_rows, located_json
from curator.core.interchange.foreign import ImportOptions, Losses, Record, store_records
from curator.core.interchange.jsonl_store import BulkStore, ImportReport
from curator.core.interchange.labelstudio_rows import (
    PlainTasks,
    annotation_curator,
    annotation_time,
)
from curator.core.interchange.located_json import LocatedDict


def looks_like(value: object) -> bool:
    tasks = value if isinstance(value, list) else [value]
    return bool(tasks) and all(
        isinstance(t, dict) and isinstance(t.get("data"), dict) for t in tasks
    )


def _text(path: Path, task: dict[str, Any], line: int) -> str:
    data = task["data"]
    if isinstance(data.get("text"), str):
        return str(data["text"])
    texts = [v for v in data.values() if isinstance(v, str)]
    if len(texts) != 1:
        raise InputError(path, "the task's 'data' has no 'text' (and not exactly one string)", line)
    return texts[0]


def _region(path: Path, item: Any, line: int) -> tuple[int, int, str | None, list[str]]:
    """A region's offsets, quote and labels; a region as Label Studio writes it is told at once.

    200,000 regions pass here on a large file: the usual one (whole numbers,
    a list of names, a quote) is tested in one expression, anything else goes
    through the checks that name its problem.
    """
    value = item.get("value") if type(item) is LocatedDict else None
    if type(value) is LocatedDict:
        get = value.get  # plain calls: a generator here costs more than the checks
        start, end, labels, quote = get("start"), get("end"), get("labels"), get("text")
        if (
            type(start) is int
            and type(end) is int
            and type(quote) is str
            and type(labels) is list
            and len(labels) == 1
            and type(labels[0]) is str
        ):
            return start, end, quote, labels
    return _checked_region(path, item, line)


def _checked_region(path: Path, item: Any, line: int) -> tuple[int, int, str | None, list[str]]:
    value = item.get("value") if isinstance(item, dict) else None
    if not isinstance(value, dict):
        raise InputError(path, "a result without a 'value' object", line)
    start, end = value.get("start"), value.get("end")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InputError(path, "a region's start and end must be whole numbers", line)
    labels = value.get("labels")
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise InputError(path, "a region's 'labels' must be a list of names", line)
    quote = value.get("text") if isinstance(value.get("text"), str) else None
    return int(start or 0), int(end or 0), quote, [str(x) for x in labels]


def _annotation(  # noqa: PLR0917 - the task's parts and where it is
    path: Path, record: Record, entry: Any, losses: Losses, text: str, number: int = 0
) -> None:
    line = located_json.line_of(entry, record.line)
    if not isinstance(entry, dict) or not isinstance(entry.get("result", []), list):
        raise InputError(path, "an annotation must be an object with a 'result' list", line)
    who = annotation_curator(entry)
    created = annotation_time(entry.get("created_at"))
    updated = annotation_time(entry.get("updated_at"))
    began = created or updated
    when = (began, updated or began) if began else None
    notes: dict[str, str] = {}
    placed: list[tuple[Any, int]] = []  # each labelled region's item, and its span's index
    links: list[tuple[dict[str, Any], int]] = []
    spans: list[dict[str, Any]] = record.obj.setdefault("spans", [])
    lines = record.span_lines
    first = len(spans)
    for item in entry.get("result", []):
        located = type(item) is LocatedDict
        kind = item.get("type") if located or isinstance(item, dict) else None
        if kind == "labels":
            at = item.line if located else line
            value = item.get("value") if located else None
            if type(value) is LocatedDict:  # the usual region, told in one expression (_region)
                get = value.get
                start, end, labels, quote = get("start"), get("end"), get("labels"), get("text")
                if not (
                    type(start) is int
                    and type(end) is int
                    and type(quote) is str
                    and type(labels) is list
                    and len(labels) == 1
                    and type(labels[0]) is str
                ):
                    start, end, quote, labels = _checked_region(path, item, at)
            else:
                start, end, quote, labels = _checked_region(path, item, at)
            meta = item.get("meta")
            for label in labels:
                span: dict[str, Any] = {"start": start, "end": end, "label": label}
                if quote is not None:
                    span["text"] = quote
                if meta is not None and isinstance(meta, dict) and "concepts" in meta:
                    span["concepts"] = meta["concepts"]  # as our export writes them
                placed.append((item, len(spans)))
                spans.append(span)
                lines.append(at)
        elif kind == "relation":
            links.append((item, item.line if located else line))
        elif kind == "textarea" and isinstance(item.get("value"), dict):
            texts = item["value"].get("text")
            note = "\n".join(texts) if isinstance(texts, list) else str(texts or "")
            notes[str(item.get("id", ""))] = note
        else:
            losses.drop(
                item.line if located else line,
                f"a {kind or 'untyped'} result, not a labelled region",
            )
    made = len(spans) - first  # this annotation's spans: all of one curator, at one time
    record.curators.extend([who] * made)
    record.times.extend([when] * made)
    if notes or links:
        _notes_and_relations(record, placed, notes, links, losses, line, number)


def _notes_and_relations(  # noqa: PLR0917 - an annotation's parts and where it is
    record: Record,
    placed: list[tuple[Any, int]],
    notes: dict[str, str],
    links: list[tuple[dict[str, Any], int]],
    losses: Losses,
    line: int,
    number: int,
) -> None:
    """Each region's note, and the relations between regions, by the regions' ids."""
    spans = record.obj["spans"]
    regions = [(str(item.get("id", "")), index) for item, index in placed]
    for region_id, index in regions:
        if region_id in notes:
            spans[index]["note"] = notes.pop(region_id)
    for region_id in notes:
        losses.drop(line, f"a note for region {region_id!r}, which is not a labelled region")
    if links:
        _relations(record, regions, links, losses, f"{number}/")


def _relations(
    record: Record,
    regions: list[tuple[str, int]],
    links: list[tuple[dict[str, Any], int]],
    losses: Losses,
    prefix: str,
) -> None:
    """An annotation's ``relation`` results between its regions: one relation per label.

    Spans get ids of this annotation's own (*prefix*), as two annotations may
    reuse region ids; a region with several labels is several spans, so a
    relation to it cannot say which, and is left out as an end not kept.
    """
    counts: dict[str, int] = {}
    for region_id, _ in regions:
        counts[region_id] = counts.get(region_id, 0) + 1
    spans = record.obj["spans"]
    for region_id, index in regions:
        if counts[region_id] == 1:
            spans[index]["id"] = prefix + region_id
    for item, at in links:
        ends = [str(item.get(key, "")) for key in ("from_id", "to_id")]
        direction = item.get("direction", "right")
        labels = item.get("labels") or []
        if direction not in ("right", "left") or not labels:
            what = "no label" if not labels else f"direction {direction!r} (no head and tail)"
            losses.drop(at, f"a relation {ends[0]} - {ends[1]} with {what}")
            continue
        head, tail = ends if direction == "right" else ends[::-1]
        for label in labels:
            record.add_relation(prefix + head, prefix + tail, str(label), at)


def _predictions(path: Path, record: Record, entry: Any, text: str) -> None:
    line = located_json.line_of(entry, record.line)
    if not isinstance(entry, dict):
        raise InputError(path, "a prediction must be an object", line)
    source = f"labelstudio:{entry.get('model_version') or 'prediction'}"
    for item in entry.get("result") or []:
        at = located_json.line_of(item, line)
        if not isinstance(item, dict) or item.get("type") != "labels":
            continue
        start, end, quote, labels = _region(path, item, at)
        if not 0 <= start < end <= len(text):
            raise InputError(
                path, f"the prediction's offsets {start}-{end} are outside the text", at
            )
        for label in labels:
            record.suggestions.append(
                {"start": start, "end": end, "label": label, "text": quote or text[start:end],
                 "source": source}
            )  # fmt: skip
            record.suggestion_lines.append(at)


def read_labelstudio(
    path: Path, value: Any, losses: Losses, plain: PlainTasks | None = None
) -> list[Record]:
    """The tasks as records; with *plain*, a plain task's document is made at once (its rows)."""
    tasks = value if isinstance(value, list) else [value]
    records = []
    for task in tasks:
        document = plain(task) if plain is not None else None
        if document is None:
            records.append(_record(path, task, losses))
            continue
        line = located_json.line_of(task)
        records.append(
            Record(
                line,
                {},
                name=str(task.get("id", line)),
                plain=document,
                general=functools.partial(_record, path, task, losses),
            )
        )
    return records


def _record(path: Path, task: Any, losses: Losses) -> Record:
    """A task read the general way: its regions as span lines, its other results as losses."""
    line = located_json.line_of(task)
    text = _text(path, task, line)
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    title = task["data"].get("title")
    record = Record(
        line, {"text": text, "spans": [], "meta": dict(meta)}, name=str(task.get("id", line))
    )
    if isinstance(title, str):
        record.obj["title"] = title
    for key in ("annotations", "completions", "predictions"):
        if not isinstance(task.get(key) or [], list):
            raise InputError(path, f"a task's {key!r} must be a list", line)
    for key in ("annotations", "completions"):
        for number, entry in enumerate(task.get(key) or []):
            _annotation(path, record, entry, losses, text, number)
    for entry in task.get("predictions") or []:
        _predictions(path, record, entry, text)
    return record


def import_labelstudio_in(
    session: Session, path: Path, value: Any, options: ImportOptions
) -> ImportReport:
    losses = Losses(path, options.allow_loss)
    store = BulkStore(session, path, options.curator, options.add_labels, unit="tasks")
    plain = labelstudio_rows.PlainTasks(store) if store.sqlite else None
    records = read_labelstudio(path, value, losses, plain)
    return store_records(session, path, records, options, losses, "tasks", store)
