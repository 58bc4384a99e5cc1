"""Evidence items: one row per therapy mention that relations tie to something.

A curated chain (therapy *acts_on* target, *has_outcome* outcome, an expert
*reports* it) is what a reader of the export wants as one line, CIViC-like:
the therapy with its concept, its targets, its outcomes and who said so.
Rows are made one document at a time and handed out as they are made, so a
large database never sits in memory. Only live relations between live
spans count. Types are found by the uid they were seeded with, so renaming
``acts_on`` keeps the evidence export working.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from curator.core.files.atomic import atomic_writer
from curator.core.relations.store import relations_for
from curator.core.spans.annotate import spans_for
from curator.core.storage.db import Database
from curator.core.storage.models import Document, RelationType, relation_type_uid
from curator.core.storage.records import Span

ACTS_ON, HAS_OUTCOME, REPORTS = (
    relation_type_uid(n) for n in ("acts_on", "has_outcome", "reports")
)
FORMATS = ("csv", "jsonl")


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    document: str
    title: str
    curator: str
    therapy: Span
    targets: tuple[Span, ...]
    outcomes: tuple[Span, ...]
    experts: tuple[Span, ...]

    def to_json(self) -> dict[str, object]:
        def concepts(span: Span) -> list[dict[str, str]]:
            return [{"id": c.id, "name": c.name} for c in span.concepts]

        return {
            "document": self.document,
            "title": self.title,
            "curator": self.curator,
            "therapy": self.therapy.text,
            "therapy_concepts": concepts(self.therapy),
            "targets": [s.text for s in self.targets],
            "target_concepts": [concepts(s) for s in self.targets],
            "outcomes": [s.text for s in self.outcomes],
            "experts": [s.text for s in self.experts],
            "therapy_uid": self.therapy.uid,
            "target_uids": [s.uid for s in self.targets],
            "outcome_uids": [s.uid for s in self.outcomes],
            "expert_uids": [s.uid for s in self.experts],
        }


CSV_COLUMNS = (
    "document", "title", "curator", "therapy", "therapy_concepts", "targets", "target_concepts",
    "outcomes", "experts", "therapy_uid", "target_uids", "outcome_uids", "expert_uids",
)  # fmt: skip


def _cell(value: object) -> str:
    """Lists as ``a | b``; concepts as ``ID name``; a list of concept lists joined by `` | ``."""
    if isinstance(value, list):
        return " | ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return f"{value['id']} {value['name']}"
    return str(value)


def _concept_cell(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return " | ".join("; ".join(_cell(c) for c in group) or "-" for group in value)
    return "; ".join(_cell(c) for c in value) if isinstance(value, list) else str(value)


def _type_uids(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {
            name: uid for name, uid in session.execute(select(RelationType.name, RelationType.uid))
        }


def _documents(db: Database, only: Sequence[str] | None) -> list[tuple[str, str]]:
    query = select(Document.uid, Document.title).order_by(Document.created_at, Document.uid)
    if only is not None:
        query = query.where(Document.uid.in_(list(only)))
    with db.read() as session:
        return [(uid, title) for uid, title in session.execute(query)]


def evidence_rows(
    db: Database,
    *,
    curators: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> Iterator[EvidenceRow]:
    """Every evidence row, document by document, curator by curator, in text order."""
    kinds = _type_uids(db)
    for doc_uid, title in _documents(db, documents):
        spans = {s.uid: s for s in spans_for(db, doc_uid)}
        by_curator: dict[str, list[tuple[str, str, str]]] = {}
        for rel in relations_for(db, doc_uid):
            if curators is None or rel.curator in curators:
                by_curator.setdefault(rel.curator, []).append((kinds[rel.type], rel.head, rel.tail))
        for curator in sorted(by_curator):
            yield from _rows(doc_uid, title, curator, spans, by_curator[curator])


def _rows(
    doc: str, title: str, curator: str, spans: dict[str, Span], links: list[tuple[str, str, str]]
) -> Iterator[EvidenceRow]:
    targets: dict[str, list[str]] = {}
    outcomes: dict[str, list[str]] = {}
    reported: dict[str, list[str]] = {}
    for kind, head, tail in links:
        if kind == ACTS_ON:
            targets.setdefault(head, []).append(tail)
        elif kind == HAS_OUTCOME:
            outcomes.setdefault(head, []).append(tail)
        elif kind == REPORTS:
            reported.setdefault(tail, []).append(head)
    heads = set(targets) | set(outcomes) | {t for t in reported if _is_therapy(spans, t)}
    therapies = sorted(heads, key=lambda u: (spans[u].start, spans[u].end, u))
    for uid in therapies:
        ts, os_ = targets.get(uid, []), outcomes.get(uid, [])
        experts = [e for end in (uid, *ts, *os_) for e in reported.get(end, [])]
        yield EvidenceRow(
            doc, title, curator, spans[uid], _ordered(spans, ts), _ordered(spans, os_),
            _ordered(spans, experts),
        )  # fmt: skip


def _is_therapy(spans: dict[str, Span], uid: str) -> bool:
    return uid in spans and spans[uid].label == "therapy"


def _ordered(spans: dict[str, Span], uids: Iterable[str]) -> tuple[Span, ...]:
    found = {spans[u].uid: spans[u] for u in uids}
    return tuple(sorted(found.values(), key=lambda s: (s.start, s.end, s.uid)))


def write_evidence(
    rows: Iterable[EvidenceRow],
    path: Path,
    fmt: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write *rows* to *path* as ``csv`` or ``jsonl``, whole or not at all; returns the count."""
    count = 0
    with atomic_writer(path) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(out) if fmt == "csv" else None
        if writer is not None:
            writer.writerow(CSV_COLUMNS)
        for row in rows:
            data = row.to_json()
            if writer is not None:
                writer.writerow(
                    _concept_cell(data[c]) if c.endswith("concepts") else _cell(data[c])
                    for c in CSV_COLUMNS
                )
            else:
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
            count += 1
            if progress is not None:
                progress(count)
        out.flush()
        out.detach()
    return count
