"""Loading what :mod:`curator.core.agreement.measures` compares, from the database.

A document counts for a pair of curators only when both worked on it (each
has a status row or any span there, even a deleted one): a document one of
them never opened would otherwise count as total disagreement. Only live
(not deleted) spans are compared. Without ``--curators``, the curators
compared are those with live spans of their own (not ``adjudicated``), in
name order, every pair once.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from typing import Any

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from curator.core.agreement.concepts import concept_agreement, linked_spans
from curator.core.agreement.measures import DocumentPair, Mention, compare, to_json
from curator.core.agreement.relations import load_relations, relation_agreement
from curator.core.errors import NotFoundError
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, DocumentStatus, Label


def default_curators(db: Database) -> list[str]:
    """Curators with a live span of their own; EXISTS stops at the first one found.

    (A DISTINCT over the join read every span: 0.3 s at a million.)
    """
    own = (
        select(Annotation.id)
        .where(
            Annotation.curator_id == Curator.id,
            Annotation.deleted_at.is_(None),
            Annotation.origin != "adjudicated",
        )
        .exists()
    )
    with db.read() as session:
        return list(session.scalars(select(Curator.name).where(own).order_by(Curator.name)))


def label_names(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Label.name).order_by(Label.position, Label.name)))


def _worked_on(
    session: Session, curators: dict[int, str], docs: dict[int, str]
) -> dict[str, set[str]]:
    """Curator name -> uids of the documents they worked on.

    Read as ids (the span side straight from the (document, curator) index)
    and named in Python: joining names onto a million spans was most of it.
    """
    query = union(
        select(DocumentStatus.curator_id, DocumentStatus.document_id),
        select(Annotation.curator_id, Annotation.document_id).distinct(),
    )
    out: dict[str, set[str]] = {name: set() for name in curators.values()}
    for cur_id, doc_id in session.execute(query):
        if cur_id in curators:
            out[curators[cur_id]].add(docs[doc_id])
    return out


def _spans(
    session: Session, curators: dict[int, str], docs: dict[int, str], label: str | None
) -> dict[tuple[str, str], list[Mention]]:
    """(curator, document uid) -> live spans, in no particular order (none is needed)."""
    labels = {id_: name for id_, name in session.execute(select(Label.id, Label.name))}
    # Table columns, not ORM attributes: plain rows, without the ORM's loading step.
    table = Annotation.__table__.c
    query = select(table.curator_id, table.document_id, table.start, table.end, table.label_id)
    query = query.where(table.deleted_at.is_(None), table.curator_id.in_(list(curators)))
    if label is not None:
        query = query.where(table.label_id.in_([i for i, n in labels.items() if n == label]))
    by_ids: dict[tuple[int, int], list[Mention]] = defaultdict(list)
    new = tuple.__new__  # Mention(...) without NamedTuple's Python-level __new__
    for cur_id, doc_id, start, end, label_id in _rows(session, query):
        by_ids[(cur_id, doc_id)].append(new(Mention, (start, end, labels[label_id])))
    return {(curators[c], docs[d]): spans for (c, d), spans in by_ids.items()}


def _rows(session: Session, query: Select[Any]) -> Iterable[Sequence[Any]]:
    """The rows of an all-integer *query*; on SQLite as the driver's plain tuples.

    A million spans: SQLAlchemy's row objects cost a third of loading them.
    The query holds only integer parameters, so it is rendered with them inline.
    """
    connection = session.connection()
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        return session.execute(query)
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    return driver.execute(str(compiled))


def agreement_report(
    db: Database,
    curators: Sequence[str] | None = None,
    label: str | None = None,
    documents: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    """The ``curator agreement --json`` document; *progress* counts the pairs compared."""
    names = list(curators) if curators else default_curators(db)
    labels = label_names(db)
    if label is not None and label not in labels:
        raise NotFoundError(f"unknown label {label!r} (labels: {', '.join(labels)})")
    with db.read() as session:
        known = {name: id_ for id_, name in session.execute(select(Curator.id, Curator.name))}
        for name in names:
            if name not in known:
                raise NotFoundError(f"no curator called {name!r} in {db.display_name}")
        by_id = {known[name]: name for name in names}
        uids = {id_: uid for id_, uid in session.execute(select(Document.id, Document.uid))}
        worked = _worked_on(session, by_id, uids)
        spans = _spans(session, by_id, uids, label)
        linked = linked_spans(session, by_id, uids)
        relations = load_relations(session, by_id, uids)
        texts = {uid: text for uid, text in session.execute(select(Document.uid, Document.text))}
    pairs = []
    todo = list(combinations(names, 2))
    for done, (a, b) in enumerate(todo, 1):
        both = sorted(worked[a] & worked[b])
        if documents is not None:
            chosen = set(documents)
            both = [uid for uid in both if uid in chosen]
        docs = [
            DocumentPair(uid, texts[uid], spans.get((a, uid), []), spans.get((b, uid), []))
            for uid in both
        ]
        pair = to_json(a, b, compare(docs, [label] if label else labels))
        agree = concept_agreement(a, b, both, spans, linked)
        rows: dict[str, dict[str, object]] = pair["labels"]  # type: ignore[assignment]
        for name, row in rows.items():
            n, same = agree.get(name, (0, 0))
            row["concepts_matched"] = n
            row["concepts_agree"] = round(same / n, 4) if n else None
        pair["relations"] = relation_agreement(a, b, both, relations)
        pairs.append(pair)
        if progress:
            progress(done, len(todo))
    return {"pairs": pairs}
