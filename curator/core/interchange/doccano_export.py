"""doccano's relation-extraction JSONL out: a line per document and curator.

Each line is what a doccano relation project imports and exports:
``{"text", "entities": [{"id", "label", "start_offset", "end_offset"}],
"relations": [{"id", "from_id", "to_id", "type"}]}``, plus ``user`` (the
curator, which our doccano import reads back as the curator) and the
document's ``meta``. Entity and relation ids count from 1 within the line,
relations in their export order (head, then tail). doccano entities are one
stretch of text and carry no note or concept, so a mention in pieces, a
note, a concept or a relation's note cannot be held: each is named and
counted, and the export fails unless ``--allow-loss``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from curator.core.interchange.common import (
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_writer,
    check_loss,
    curators_of,
    document_stream,
    in_pieces,
)
from curator.core.interchange.relation_rows import kept_relations, relation_loss
from curator.core.storage.db import Database

FMT = "doccano"


def _line(doc: ExportDocument, curator: str, report: ExportReport) -> dict[str, Any] | None:
    entities: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    for span in (s for s in doc.spans if s.curator == curator):
        where = f"{doc.uid[:12]} {curator}: {span.label} span {span.start}-{span.end} {span.text!r}"
        problem = in_pieces(doc, span, "a doccano entity")
        if problem:
            report.problems.append(problem)
            continue
        if span.note or span.concepts:
            what = "note" if span.note else "concepts"
            report.problems.append(f"{where}: its {what} have no place in doccano")
            continue
        ids[span.uid] = len(entities) + 1
        entities.append(
            {"id": ids[span.uid], "label": span.label, "start_offset": span.start,
             "end_offset": span.end}
        )  # fmt: skip
    mine = [r for r in doc.relations if r.curator == curator]
    relations: list[dict[str, Any]] = []
    for relation in kept_relations(doc, mine, set(ids), FMT, report.lost_relations):
        if relation.note:
            why = f"its note {relation.note!r} has no place in doccano"
            report.lost_relations.append(relation_loss(doc, relation, FMT, why))
            continue
        relations.append(
            {"id": len(relations) + 1, "from_id": ids[relation.head],
             "to_id": ids[relation.tail], "type": relation.type}
        )  # fmt: skip
    if not entities:
        return None
    report.spans += len(entities)
    report.relations += len(relations)
    return {
        "text": doc.text,
        "entities": entities,
        "relations": relations,
        "user": curator,
        "meta": dict(sorted(doc.meta.items())),
    }


def export_doccano(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    path = Path(out_path)
    report = ExportReport(format=FMT, path=path, files=[path])
    with document_stream(db, selection, progress) as docs, atomic_writer(path) as out:
        curators = curators_of(docs, selection)
        for doc in docs:  # streamed: a document's lines are written as it is read
            for name in curators:
                line = _line(doc, name, report)
                if line is not None:
                    out.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            report.documents += 1
        check_loss(report, selection)
    return report
