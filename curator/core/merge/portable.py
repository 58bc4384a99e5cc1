"""Merging through SQLAlchemy Core: any source into any target (PostgreSQL too).

The rules are those of :mod:`curator.core.merge.engine`, decided in Python on plain
tuples; the writes are executemany batches on the target's connection, inside
the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import astuple
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, tuple_, update

from curator.core.labels import merging as label_merging
from curator.core.labels.rows import LabelRow
from curator.core.merge import relations as merge_relations
from curator.core.merge.report import MergeReport, person_digest, span_digest
from curator.core.storage.db import Database, translate_errors
from curator.core.storage.models import (
    Annotation,
    Curator,
    Document,
    DocumentStatus,
    Label,
    Person,
    ReviewDecision,
)
from curator.core.storage.retry import ConcurrentChangeError

_A: Table = Annotation.__table__  # type: ignore[assignment]
_D: Table = Document.__table__  # type: ignore[assignment]
_S: Table = DocumentStatus.__table__  # type: ignore[assignment]
_CONTENT: tuple[str, ...] = ("start", "end", "text", "note", "origin", "created_at")
_CONTENT += ("updated_at", "deleted_at", "revision", "concepts", "fragments")
_PERSON: tuple[str, ...] = ("uid", "name", "variants", "affiliation", "orcid", "created_at")
_PERSON += ("updated_at", "deleted_at", "revision")
_P: Table = Person.__table__  # type: ignore[assignment]
Rows = dict[str, Sequence[Sequence[Any]]]


def _span_query() -> Any:
    return (
        select(
            Annotation.uid,
            Document.uid,
            Curator.name,
            Label.uid,
            *(getattr(Annotation, c) for c in _CONTENT),
        )
        .join(Document, Document.id == Annotation.document_id)
        .join(Curator, Curator.id == Annotation.curator_id)
        .join(Label, Label.id == Annotation.label_id)
    )


def _read_source(source: Database) -> Rows:
    with translate_errors(source), source.engine.connect() as conn:
        return {
            "curators": conn.execute(select(Curator.name).order_by(Curator.name)).all(),
            "labels": [astuple(row) for row in label_merging.read(conn)],
            "documents": conn.execute(
                select(
                    Document.uid,
                    Document.title,
                    Document.source,
                    Document.text,
                    Document.meta,
                    Document.created_at,
                ).order_by(Document.created_at, Document.uid)
            ).all(),
            "spans": conn.execute(_span_query()).all(),
            "statuses": conn.execute(
                select(
                    Document.uid,
                    Curator.name,
                    DocumentStatus.status,
                    DocumentStatus.updated_at,
                    DocumentStatus.opened_at,
                    DocumentStatus.active_seconds,
                )
                .join(Document, Document.id == DocumentStatus.document_id)
                .join(Curator, Curator.id == DocumentStatus.curator_id)
            ).all(),
            "decisions": conn.execute(
                select(
                    ReviewDecision.uid,
                    Document.uid,
                    Curator.name,
                    ReviewDecision.source_uid,
                    ReviewDecision.decision,
                    ReviewDecision.result_uid,
                    ReviewDecision.reason,
                    ReviewDecision.created_at,
                )
                .join(Document, Document.id == ReviewDecision.document_id)
                .join(Curator, Curator.id == ReviewDecision.reviewer_id)
                .order_by(ReviewDecision.created_at, ReviewDecision.uid)
            ).all(),
            "people": conn.execute(select(*(getattr(Person, c) for c in _PERSON))).all(),
        }


def _doc_key(row: Sequence[Any]) -> tuple[Any, ...]:
    """(created_at, title, source, meta): the earliest import's metadata wins."""
    created_at, title, source, meta = row
    return (created_at, title, source, json.dumps(meta))


def _merge_names(conn: Connection, src: Rows, rep: MergeReport) -> None:
    have = set(conn.scalars(select(Curator.name)))
    new = [{"name": n} for (n,) in src["curators"] if n not in have]
    if new:
        conn.execute(insert(Curator), new)
    rep.curators_added += len(new)
    labels = label_merging.plan(label_merging.read(conn), [LabelRow(*row) for row in src["labels"]])
    label_merging.apply(conn, labels)
    rep.count_labels(labels)


def _merge_documents(conn: Connection, src: Rows, rep: MergeReport) -> None:
    have = {
        row[0]: _doc_key(row[1:])
        for row in conn.execute(
            select(
                Document.uid, Document.created_at, Document.title, Document.source, Document.meta
            )
        )
    }
    new, changed = [], []
    for uid, title, source, text, meta, created_at in src["documents"]:
        values = {"title": title, "source": source, "meta": meta, "created_at": created_at}
        if uid not in have:
            new.append({"uid": uid, "text": text, **values})
        elif _doc_key((created_at, title, source, meta)) < have[uid]:
            changed.append({"b_uid": uid, **values})
    if new:
        conn.execute(insert(Document), new)
    if changed:
        conn.execute(update(_D).where(_D.c.uid == bindparam("b_uid")), changed)
    rep.documents_added += len(new)
    rep.documents_updated += len(changed)


def _verdict(s: Sequence[Any], t: Sequence[Any] | None) -> str:
    """Compare a source span with the target's version of the same uid."""
    if t is None:
        return "new"
    s_upd, t_upd = s[10], t[10]
    if s_upd != t_upd:
        return "time:src" if s_upd > t_upd else "time:tgt"
    if s[12] != t[12]:
        return "revision:src" if s[12] > t[12] else "revision:tgt"
    if tuple(s) == tuple(t):
        return "same"
    return "digest:src" if span_digest(*s[1:]) > span_digest(*t[1:]) else "digest:tgt"


def _merge_spans(conn: Connection, src: Rows, rep: MergeReport) -> None:
    have = {row[0]: row for row in conn.execute(_span_query())}
    docs = {k: v for k, v in conn.execute(select(Document.uid, Document.id))}
    curators = {k: v for k, v in conn.execute(select(Curator.name, Curator.id))}
    labels = {k: v for k, v in conn.execute(select(Label.uid, Label.id))}
    new, changed = [], []
    for s in src["spans"]:
        t = have.get(s[0])
        verdict = _verdict(s, t)
        rep.count_span(verdict, t is not None and t[11] is not None, s[11] is not None)
        if verdict == "same" or verdict.endswith(":tgt"):
            continue
        values = dict(zip(_CONTENT, s[4:], strict=True))
        values.update(document_id=docs[s[1]], curator_id=curators[s[2]], label_id=labels[s[3]])
        if t is None:
            new.append({"uid": s[0], **values})
        else:
            changed.append({"b_uid": s[0], **values})
    if new:
        conn.execute(insert(Annotation), new)
    if changed:
        _lock_unchanged(
            conn,
            select(_A.c.uid, _A.c.updated_at, _A.c.revision).where(
                _A.c.uid.in_([row["b_uid"] for row in changed])
            ),
            {uid: (have[uid][10], have[uid][12]) for uid in (row["b_uid"] for row in changed)},
        )
        conn.execute(update(_A).where(_A.c.uid == bindparam("b_uid")), changed)


def _merge_statuses(conn: Connection, src: Rows, rep: MergeReport) -> None:
    docs = {k: v for k, v in conn.execute(select(Document.uid, Document.id))}
    curators = {k: v for k, v in conn.execute(select(Curator.name, Curator.id))}
    have = {
        (d, c): (status, upd, opened, active)
        for d, c, status, upd, opened, active in conn.execute(
            select(
                DocumentStatus.document_id,
                DocumentStatus.curator_id,
                DocumentStatus.status,
                DocumentStatus.updated_at,
                DocumentStatus.opened_at,
                DocumentStatus.active_seconds,
            )
        )
    }
    new, changed = [], []
    for doc_uid, name, status, upd, opened, active in src["statuses"]:
        key = (docs[doc_uid], curators[name])
        if key not in have:
            new.append({"document_id": key[0], "curator_id": key[1], "status": status,
                        "updated_at": upd, "opened_at": opened,
                        "active_seconds": active})  # fmt: skip
            rep.statuses_updated += 1
            rep.times_updated += active > 0
            continue
        t_status, t_upd, t_opened, t_active = have[key]
        grew = active > t_active  # active time only grows: the larger is the later
        rep.times_updated += grew
        if (upd, status) > (t_upd, t_status):
            rep.statuses_updated += 1
            t_status, t_upd = status, upd
        elif (opened is None or (t_opened is not None and opened <= t_opened)) and not grew:
            continue
        if opened is not None and (t_opened is None or opened > t_opened):
            t_opened = opened
        changed.append({"b_doc": key[0], "b_cur": key[1], "status": t_status,
                        "updated_at": t_upd, "opened_at": t_opened,
                        "active_seconds": max(active, t_active)})  # fmt: skip
    if new:
        conn.execute(insert(DocumentStatus), new)
    if changed:
        keys: list[Any] = [(row["b_doc"], row["b_cur"]) for row in changed]
        _lock_unchanged(
            conn,
            select(
                _S.c.document_id,
                _S.c.curator_id,
                _S.c.status,
                _S.c.updated_at,
                _S.c.opened_at,
                _S.c.active_seconds,
            ).where(tuple_(_S.c.document_id, _S.c.curator_id).in_(keys)),
            {key: have[key] for key in keys},
            key_width=2,
        )
        conn.execute(
            update(_S).where(
                _S.c.document_id == bindparam("b_doc"), _S.c.curator_id == bindparam("b_cur")
            ),
            changed,
        )


def _lock_unchanged(
    conn: Connection, query: Any, expected: dict[Any, tuple[Any, ...]], key_width: int = 1
) -> None:
    """On a server, lock the rows about to be updated and check they are as they were read.

    The merge decided from rows read without a lock; a curator's edit in the
    app may have changed one since (imports and merges themselves take turns,
    see :func:`curator.core.storage.db.queue_bulk_writer`). Updating it anyway would
    put an older version over the edit. Locked and unchanged, the decision
    stands; otherwise the whole merge runs again on what is there now
    (:func:`curator.core.storage.retry.retried`). SQLite lets one writer in at a
    time, so nothing can have changed there.
    """
    if conn.dialect.name == "sqlite":
        return
    for row in conn.execute(query.with_for_update()):
        key = row[0] if key_width == 1 else tuple(row[:key_width])
        if tuple(row[key_width:]) != tuple(expected[key]):
            raise ConcurrentChangeError(f"{key} changed while the merge was deciding")


def _merge_decisions(conn: Connection, src: Rows, rep: MergeReport) -> None:
    have = set(conn.scalars(select(ReviewDecision.uid)))
    docs = {k: v for k, v in conn.execute(select(Document.uid, Document.id))}
    curators = {k: v for k, v in conn.execute(select(Curator.name, Curator.id))}
    new = [
        {
            "uid": uid,
            "document_id": docs[doc_uid],
            "reviewer_id": curators[reviewer],
            "source_uid": source_uid,
            "decision": decision,
            "result_uid": result_uid,
            "reason": reason,
            "created_at": created_at,
        }
        for uid, doc_uid, reviewer, source_uid, decision, result_uid, reason, created_at in src[
            "decisions"
        ]
        if uid not in have
    ]
    if new:
        conn.execute(insert(ReviewDecision), new)
    rep.decisions_added += len(new)


def _person_key(row: Sequence[Any]) -> tuple[Any, ...]:
    """The register's order: (updated_at, revision, digest)."""
    return (row[6], row[8], person_digest(*row))


def _merge_people(conn: Connection, src: Rows, rep: MergeReport) -> None:
    have = {row[0]: row for row in conn.execute(select(*(getattr(Person, c) for c in _PERSON)))}
    new, changed = [], []
    for row in src["people"]:
        values = dict(zip(_PERSON, row, strict=True))
        held = have.get(row[0])
        if held is None:
            new.append(values)
        elif tuple(row) != tuple(held) and _person_key(row) > _person_key(held):
            changed.append({"b_uid": row[0], **{k: v for k, v in values.items() if k != "uid"}})
    if new:
        conn.execute(insert(Person), new)
    if changed:
        conn.execute(update(_P).where(_P.c.uid == bindparam("b_uid")), changed)
    rep.people_added += len(new)
    rep.people_updated += len(changed)


def merge(conn: Connection, source: Database, report: MergeReport) -> None:
    """Merge one source into the target connection's open transaction."""
    src = _read_source(source)
    _merge_names(conn, src, report)
    _merge_documents(conn, src, report)
    _merge_spans(conn, src, report)
    _merge_statuses(conn, src, report)
    _merge_decisions(conn, src, report)
    _merge_people(conn, src, report)
    merge_relations.merge_portable(conn, source, report)  # after spans: ends refer to them
