"""Label Studio tasks: one task per document, one annotation per curator.

The file is a JSON array of tasks for Label Studio's import, with the text in
``data.text``. Each curator's spans are one annotation (its ``curator`` key
says whose); each span is a ``labels`` region whose id is the span uid, and a
note rides along as a per-region ``textarea`` result with the same id, which
is how Label Studio attaches text to a region. A linked span's concepts ride
in its region's ``meta`` (``{"concepts": [{"id", "name"}]}``), which Label
Studio keeps with the region. Each relation of the curator is a
``relation`` result from its head's region to its tail's (``direction``
``right``, its type the one label); Label Studio relations hold no note, so
a relation's note is reported as left out. Label Studio counts offsets in
code points, as we do. The labelling configuration that these results fit is
written beside the tasks (``NAME.config.xml``): paste it into the project's
settings before importing.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

from curator.core.interchange.common import (
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_write_text,
    atomic_writer,
    check_loss,
    curators_of,
    document_stream,
    export_labels,
    in_pieces,
)
from curator.core.interchange.jsonl_shape import format_time
from curator.core.interchange.labelstudio_config import (
    FROM_NAME,
    NOTE_NAME,
    TO_NAME,
    config_path,
    config_xml,
)
from curator.core.interchange.relation_rows import kept_relations, relation_loss
from curator.core.relations import list_relation_types
from curator.core.storage.db import Database
from curator.core.storage.records import LabelInfo, RelationRecord, RelationTypeInfo, Span

FMT = "labelstudio"


def label_config(labels: list[LabelInfo], types: list[RelationTypeInfo] | None = None) -> str:
    """The labelling interface: the four (or more) labels over the text, the relation
    types, and a note box."""
    return config_xml(
        [(label.name, label.color) for label in labels], [t.name for t in types or []]
    )


def _regions(span: Span) -> list[dict[str, Any]]:
    where = {"start": span.start, "end": span.end, "text": span.text}
    region: dict[str, Any] = {
        "id": span.uid,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": "manual",
        "value": {**where, "labels": [span.label]},
    }
    if span.concepts:
        region["meta"] = {"concepts": [{"id": c.id, "name": c.name} for c in span.concepts]}
    regions: list[dict[str, Any]] = [region]
    if span.note:
        regions.append(
            {
                "id": span.uid,
                "from_name": NOTE_NAME,
                "to_name": TO_NAME,
                "type": "textarea",
                "origin": "manual",
                "value": {**where, "text": [span.note]},
            }
        )
    return regions


def _links(relations: list[RelationRecord]) -> list[dict[str, Any]]:
    return [
        {
            "from_id": r.head,
            "to_id": r.tail,
            "type": "relation",
            "direction": "right",
            "labels": [r.type],
        }
        for r in relations
    ]


def task(doc: ExportDocument, curators: list[str]) -> dict[str, Any]:
    annotations = []
    for name in curators:
        spans = [s for s in doc.spans if s.curator == name]
        if not spans and name not in doc.status:
            continue
        result = [region for span in spans for region in _regions(span)]
        result += _links([r for r in doc.relations if r.curator == name])
        entry: dict[str, Any] = {
            "curator": name,
            "result": result,
            "ground_truth": False,
            "was_cancelled": False,
        }
        if spans:
            entry["created_at"] = format_time(min(s.created_at for s in spans))
            entry["updated_at"] = format_time(max(s.updated_at for s in spans))
        annotations.append(entry)
    return {
        "data": {TO_NAME: doc.text, "title": doc.title, "document_id": doc.uid},
        "meta": {"document_id": doc.uid},
        "annotations": annotations,
    }


_quote = json.encoder.encode_basestring
"""A string as ``json.dumps(..., ensure_ascii=False)`` writes it (the same C function)."""
_LABEL_REGION = (
    '{"id": %s, "from_name": "' + FROM_NAME + '", "to_name": "' + TO_NAME + '", '
    '"type": "labels", "origin": "manual", "value": {"start": %d, "end": %d, "text": %s, '
    '"labels": [%s]}%s}'
)
_NOTE_REGION = (
    '{"id": %s, "from_name": "' + NOTE_NAME + '", "to_name": "' + TO_NAME + '", '
    '"type": "textarea", "origin": "manual", "value": {"start": %d, "end": %d, "text": [%s]}}'
)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def task_json(doc: ExportDocument, curators: list[str]) -> str:
    """``json.dumps(task(doc, curators), ensure_ascii=False)``, spelled out.

    A dict per region and the encoder's walk over them were a third of the
    export; the text is the same, character for character (tested).
    """
    labels: dict[str, str] = {}
    annotations = []
    for name in curators:
        spans = [s for s in doc.spans if s.curator == name]
        if not spans and name not in doc.status:
            continue
        result = []
        for s in spans:
            uid = _quote(s.uid)
            label = labels.get(s.label) or labels.setdefault(s.label, _quote(s.label))
            meta = ""
            if s.concepts:
                concepts = [{"id": c.id, "name": c.name} for c in s.concepts]
                meta = ', "meta": ' + _dumps({"concepts": concepts})
            text = _quote(s.text)
            result.append(_LABEL_REGION % (uid, s.start, s.end, text, label, meta))
            if s.note:
                result.append(_NOTE_REGION % (uid, s.start, s.end, _quote(s.note)))
        result += [_dumps(link) for link in _links([r for r in doc.relations if r.curator == name])]
        entry = f'{{"curator": {_quote(name)}, "result": [{", ".join(result)}], '
        entry += '"ground_truth": false, "was_cancelled": false'
        if spans:
            first = format_time(min(s.created_at for s in spans))
            last = format_time(max(s.updated_at for s in spans))
            entry += f', "created_at": {_quote(first)}, "updated_at": {_quote(last)}'
        annotations.append(entry + "}")
    uid = _quote(doc.uid)
    return (
        f'{{"data": {{"{TO_NAME}": {_quote(doc.text)}, "title": {_quote(doc.title)}, '
        f'"document_id": {uid}}}, "meta": {{"document_id": {uid}}}, '
        f'"annotations": [{", ".join(annotations)}]}}'
    )


def export_labelstudio(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """Stream the tasks into the file, one task a line, as the documents are read.

    On SQLite, SQLite builds the lines when it can write them exactly
    (:mod:`.labelstudio_sql`); else, and on PostgreSQL, :func:`export_labelstudio_python`.
    """
    path = Path(out_path)
    report = ExportReport(format="labelstudio", path=path, files=[path, config_path(path)])
    if (
        db.is_sqlite
        and not selection.with_deleted
        and _written_by_sqlite(db, report, selection, progress)
    ):
        atomic_write_text(config_path(path), config_text(db))
        return report
    return export_labelstudio_python(db, path, selection, progress)


def config_text(db: Database) -> str:
    """The labelling configuration written beside the tasks."""
    return label_config(export_labels(db), list_relation_types(db))


def export_labelstudio_python(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """The portable export (the definition of the file), one task a line, as read.

    A span the format cannot hold makes the export fail at the end, before the
    temporary file becomes *out_path*: nothing is written unless loss is allowed.
    """
    path = Path(out_path)
    config = config_path(path)
    report = ExportReport(format="labelstudio", path=path, files=[path, config])
    with document_stream(db, selection, progress) as docs, atomic_writer(path) as out:
        curators = curators_of(docs, selection)
        out.write(b"[")
        for doc in docs:
            problems = [(s, in_pieces(doc, s, "a Label Studio region")) for s in doc.spans]
            report.problems.extend(p for _, p in problems if p)
            spans = [s for s, p in problems if not p]
            lost = report.lost_relations
            relations = kept_relations(doc, doc.relations, {s.uid for s in spans}, FMT, lost)
            lost.extend(
                relation_loss(doc, r, FMT, f"its note {r.note!r} has no place in Label Studio")
                for r in relations
                if r.note
            )
            held = dataclasses.replace(doc, spans=spans, relations=relations)
            out.write(b",\n" if report.documents else b"\n")
            out.write(task_json(held, curators).encode("utf-8"))
            report.documents += 1
            report.spans += len(held.spans)
            report.relations += len(held.relations)
        out.write(b"\n]\n" if report.documents else b"]\n")
        check_loss(report, selection)
    atomic_write_text(config, config_text(db))
    return report


def _written_by_sqlite(
    db: Database, report: ExportReport, selection: Selection, progress: Progress | None
) -> bool:
    """The tasks built by SQLite (:mod:`.labelstudio_sql`), when it writes them exactly."""
    from curator.core.interchange.labelstudio_sql import write_tasks

    with db.read() as session:
        driver = session.connection().connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        written = write_tasks(
            driver,
            report.path,
            curators=selection.curators,
            documents=selection.documents,
            progress=progress,
        )
    if written is None:
        return False
    report.documents, report.spans = written
    return True
