"""The relations an export holds: read in the export's snapshot, in one stable order.

A relation travels with the documents an export selects, of the curators it
selects. Without deleted spans, only live relations whose two ends are live
are written (a relation whose end was deleted on another side of a merge is
not live); with them, every relation of the selection travels, tombstones
included. The order is the order of the spans: head, then tail, then type,
curator and uid, so an export, import and export gives the same bytes.

Formats that hold no relations (spaCy DocBin, CoNLL) and relations whose end
a format could not write are counted as losses, by :func:`relation_loss`,
so an export never drops a relation silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from curator.core.interchange.jsonl_shape import format_time
from curator.core.storage.records import RelationRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from curator.core.interchange.common import ExportDocument


def load_relations(
    session: Session,
    documents: dict[int, str],
    curators: Sequence[str] | None,
    with_deleted: bool,
) -> dict[int, list[RelationRecord]]:
    """Relations of *documents* (id -> uid) by document id, in export order."""
    # Imported here: the JSONL export on SQLite writes relation_object() without SQLAlchemy.
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from curator.core.storage.models import Annotation, Curator, Relation, RelationType

    if not documents:
        return {}
    head, tail = aliased(Annotation), aliased(Annotation)
    query = (
        select(
            Relation.document_id, Relation.uid, Curator.name, RelationType.name,
            Relation.head_uid, Relation.tail_uid, Relation.origin, Relation.note,
            Relation.revision, Relation.created_at, Relation.updated_at, Relation.deleted_at,
        )
        .join(Curator, Curator.id == Relation.curator_id)
        .join(RelationType, RelationType.id == Relation.type_id)
        .join(head, head.uid == Relation.head_uid)
        .join(tail, tail.uid == Relation.tail_uid)
        .order_by(
            head.start, head.end, tail.start, tail.end, RelationType.name, Curator.name,
            Relation.uid,
        )
    )  # fmt: skip
    if len(documents) < 500:
        query = query.where(Relation.document_id.in_(list(documents)))
    if curators is not None:
        query = query.where(Curator.name.in_(list(curators)))
    if not with_deleted:
        query = query.where(
            Relation.deleted_at.is_(None), head.deleted_at.is_(None), tail.deleted_at.is_(None)
        )
    found: dict[int, list[RelationRecord]] = {}
    for doc_id, *fields in session.execute(query):
        uid = documents.get(doc_id)
        if uid is None:
            continue
        rid, curator, kind, head_uid, tail_uid, origin, note, revision, *times = fields
        found.setdefault(doc_id, []).append(
            RelationRecord(
                rid, uid, curator, kind, head_uid, tail_uid, origin, note, revision, *times
            )
        )
    return found


def relation_object(relation: RelationRecord) -> dict[str, Any]:
    """A relation as our JSONL writes it (keys in this order)."""
    obj: dict[str, Any] = {
        "uid": relation.uid,
        "type": relation.type,
        "head": relation.head,
        "tail": relation.tail,
        "curator": relation.curator,
        "origin": relation.origin,
        "note": relation.note,
        "created_at": format_time(relation.created_at),
        "updated_at": format_time(relation.updated_at),
        "revision": relation.revision,
    }
    if relation.deleted_at is not None:
        obj["deleted_at"] = format_time(relation.deleted_at)
    return obj


def _end(doc: ExportDocument, uid: str) -> str:
    """A relation's end as a curator knows it: its label and quote (ids are for machines)."""
    span = next((s for s in doc.spans if s.uid == uid), None)
    if span is None:
        return uid[:8]
    quote = span.text if len(span.text) <= 40 else span.text[:39] + "…"
    return f"{span.label} {quote!r}"


def relation_loss(doc: ExportDocument, relation: RelationRecord, fmt: str, why: str = "") -> str:
    """The problem to report for a relation *fmt* cannot hold."""
    reason = why or f"{fmt} holds no relations"
    return (
        f"{doc.uid[:12]} {relation.curator}: {relation.type} relation from "
        f"{_end(doc, relation.head)} to {_end(doc, relation.tail)}; {reason}"
    )


def kept_relations(
    doc: ExportDocument,
    relations: Iterable[RelationRecord],
    written: set[str],
    fmt: str,
    problems: list[str],
) -> list[RelationRecord]:
    """The relations whose two ends *fmt* wrote; the others are reported in *problems*."""
    kept = []
    for relation in relations:
        if relation.head in written and relation.tail in written:
            kept.append(relation)
        else:
            problems.append(
                relation_loss(doc, relation, fmt, "an end of it was left out of the export")
            )
    return kept
