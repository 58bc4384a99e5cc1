"""Loading what :mod:`curator.core.agreement` compares, from the database.

A document counts for a pair of curators only when both worked on it (each
has a status row or any span there, even a deleted one): a document one of
them never opened would otherwise count as total disagreement. Only live
(not deleted) spans are compared. Without ``--curators``, the curators
compared are those with live spans of their own (not ``adjudicated``), in
name order, every pair once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from sqlalchemy import select, union

from curator.core.agreement import DocumentPair, Mention, compare, to_json
from curator.core.db import Database
from curator.core.errors import NotFoundError
from curator.core.models import Annotation, Curator, Document, DocumentStatus, Label


def default_curators(db: Database) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(Curator.name)
                .join(Annotation, Annotation.curator_id == Curator.id)
                .where(Annotation.deleted_at.is_(None), Annotation.origin != "adjudicated")
                .distinct()
                .order_by(Curator.name)
            )
        )


def label_names(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Label.name).order_by(Label.position, Label.name)))


def _worked_on(db: Database, curators: Sequence[str]) -> dict[str, set[str]]:
    """Curator name -> uids of the documents they worked on."""
    query = union(
        select(Curator.name, Document.uid)
        .join(DocumentStatus, DocumentStatus.curator_id == Curator.id)
        .join(Document, Document.id == DocumentStatus.document_id),
        select(Curator.name, Document.uid)
        .join(Annotation, Annotation.curator_id == Curator.id)
        .join(Document, Document.id == Annotation.document_id),
    )
    out: dict[str, set[str]] = {name: set() for name in curators}
    with db.read() as session:
        for name, uid in session.execute(query):
            if name in out:
                out[name].add(uid)
    return out


def _spans(
    db: Database, curators: Sequence[str], label: str | None
) -> dict[tuple[str, str], list[Mention]]:
    """(curator, document uid) -> live spans."""
    query = (
        select(Curator.name, Document.uid, Annotation.start, Annotation.end, Label.name)
        .join(Curator, Curator.id == Annotation.curator_id)
        .join(Document, Document.id == Annotation.document_id)
        .join(Label, Label.id == Annotation.label_id)
        .where(Annotation.deleted_at.is_(None), Curator.name.in_(list(curators)))
        .order_by(Annotation.start, Annotation.end, Label.name)
    )
    if label is not None:
        query = query.where(Label.name == label)
    out: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    with db.read() as session:
        for name, uid, start, end, lab in session.execute(query):
            out[(name, uid)].append(Mention(start, end, lab))
    return out


def agreement_report(
    db: Database,
    curators: Sequence[str] | None = None,
    label: str | None = None,
    documents: Sequence[str] | None = None,
) -> dict[str, object]:
    """The ``curator agreement --json`` document."""
    names = list(curators) if curators else default_curators(db)
    labels = label_names(db)
    if label is not None and label not in labels:
        raise NotFoundError(f"unknown label {label!r} (labels: {', '.join(labels)})")
    with db.read() as session:
        known = set(session.scalars(select(Curator.name)))
        texts = dict(session.execute(select(Document.uid, Document.text)).all())
    for name in names:
        if name not in known:
            raise NotFoundError(f"no curator called {name!r} in {db.display_name}")
    worked = _worked_on(db, names)
    spans = _spans(db, names, label)
    pairs = []
    for a, b in combinations(names, 2):
        both = sorted(worked[a] & worked[b])
        if documents is not None:
            both = [uid for uid in both if uid in set(documents)]
        docs = [
            DocumentPair(uid, texts[uid], spans.get((a, uid), []), spans.get((b, uid), []))
            for uid in both
        ]
        pairs.append(to_json(a, b, compare(docs, [label] if label else labels)))
    return {"pairs": pairs}
