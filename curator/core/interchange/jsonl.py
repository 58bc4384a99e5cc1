"""JSONL, the primary export: one document a line, every span with its history.

The line is exact enough to rebuild the database from: span uids, curators,
origins, notes, timestamps and revisions travel unchanged, and so do
tombstones when asked for (``with_deleted``), which is how a deletion reaches
another curator's database. Keys come in a fixed order, spans in a fixed
order and timestamps in one spelling, so exporting, importing into an empty
database and exporting again gives byte-identical lines. No export time is
written into the lines for that reason. ``text``, ``spans[].start/end/label``
keep the lines readable by tools that read Prodigy-style span JSONL. Each
line also carries the ``relations`` between its spans (schema version 3;
see :mod:`curator.core.interchange.relation_rows`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from curator.core.errors import CuratorError
from curator.core.interchange.common import (
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_writer,
    document_stream,
)
from curator.core.interchange.jsonl_import import ImportReport, import_jsonl
from curator.core.interchange.jsonl_shape import (
    SCHEMA_NAME,
    SCHEMA_VERSION,
    format_time,
    suggestion_objects,
)
from curator.core.interchange.labels_file import write_label_file
from curator.core.interchange.labels_text import SUFFIX as LABELS_SUFFIX
from curator.core.interchange.labels_text import is_label_file
from curator.core.interchange.relation_rows import relation_object
from curator.core.storage.db import Database
from curator.core.storage.records import Span

__all__ = [
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "ImportReport",
    "document_line",
    "export_jsonl",
    "format_time",
    "import_jsonl",
    "suggestion_objects",
]


def span_object(span: Span) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": span.uid,
        "start": span.start,
        "end": span.end,
        **({"fragments": [list(p) for p in span.fragments]} if span.fragments else {}),
        "label": span.label,
        "text": span.text,
        "curator": span.curator,
        "origin": span.origin,
        "note": span.note,
        "created_at": format_time(span.created_at),
        "updated_at": format_time(span.updated_at),
        "revision": span.revision,
        "concepts": [{"id": c.id, "name": c.name} for c in span.concepts],
    }
    if span.deleted_at is not None:
        obj["deleted_at"] = format_time(span.deleted_at)
    return obj


def document_line(doc: ExportDocument) -> str:
    """One JSONL line (without its newline) for *doc*."""
    obj = {
        "schema": {"name": SCHEMA_NAME, "version": SCHEMA_VERSION},
        "id": doc.uid,
        "title": doc.title,
        "text": doc.text,
        "text_sha256": doc.uid,
        "meta": dict(sorted(doc.meta.items())),
        "status": doc.status,
        # Only when a curator has spent time on it: lines from before stay byte-identical.
        **({"active_seconds": doc.active_seconds} if doc.active_seconds else {}),
        "spans": [span_object(s) for s in doc.spans],
        "relations": [relation_object(r) for r in doc.relations],
    }
    if doc.suggestions is not None:  # only with --with-suggestions; import ignores them
        obj["suggestions"] = suggestion_objects(doc.suggestions)
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def export_jsonl(
    db: Database,
    out_path: Path | str,
    *,
    curators: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    with_deleted: bool = False,
    with_suggestions: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the selected documents as JSONL to *out_path*, atomically.

    On SQLite the lines are built by SQLite and streamed (``jsonl_sql``);
    other databases go through :func:`document_line`. Both write the same bytes.
    The label set goes beside it, as ``NAME.labels.json``
    (:mod:`~curator.core.interchange.labels_file`), listed in the report's files.
    """
    path = Path(out_path)
    selection = Selection(
        curators=curators,
        documents=documents,
        with_deleted=with_deleted,
        with_suggestions=with_suggestions,
    )
    if is_label_file(path):  # before the export: its label file would overwrite it
        raise CuratorError(f"{path}: name the JSONL file something other than *{LABELS_SUFFIX}")
    if db.is_sqlite:
        from curator.core.interchange.jsonl_sql import export_jsonl_sqlite

        report = export_jsonl_sqlite(db, path, selection, progress)
    else:
        report = export_jsonl_python(db, path, selection, progress)
    report.label_file = write_label_file(db, path)
    report.files.append(report.label_file)
    return report


def export_jsonl_python(
    db: Database, path: Path, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """The portable path: documents read a batch at a time, each line by ``json.dumps``."""
    report = ExportReport(format="jsonl", path=path, files=[path])
    with document_stream(db, selection, progress) as docs, atomic_writer(path) as out:
        for doc in docs:
            out.write(document_line(doc).encode("utf-8") + b"\n")
            report.documents += 1
            report.spans += len(doc.spans)
            report.relations += len(doc.relations)
    return report
