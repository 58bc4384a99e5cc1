"""Building databases with chosen timestamps, and a canonical dump to compare them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from curator.core.articles.text import text_uid
from curator.core.storage import migrate
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import (
    Annotation,
    Curator,
    Document,
    DocumentStatus,
    Label,
    Person,
    Relation,
    RelationType,
    ReviewDecision,
    relation_type_uid,
)
from tests import fresh_db

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def new_db(path: Path) -> Database:
    """A migrated empty database (a copy of one made once: migrations take a while)."""
    return fresh_db.fresh_database(path)


def copy_db(db: Database, path: Path) -> Database:
    """A consistent copy of *db* at *path*."""
    migrate.backup_sqlite(db, path)
    return open_database(f"sqlite:///{path}")


def put_document(db: Database, text: str, title: str = "", created: int = 0) -> str:
    uid = text_uid(text)
    with db.write() as s:
        if s.scalar(select(Document.id).where(Document.uid == uid)) is None:
            s.add(Document(uid=uid, title=title or text[:20], source="", text=text, meta={},
                           created_at=at(created)))  # fmt: skip
    return uid


def put_span(  # noqa: PLR0917 - reads like the row it writes
    db: Database,
    uid: str,
    doc_text: str,
    curator: str,
    label: str,
    start: int,
    end: int,
    *,
    updated: int = 0,
    revision: int = 1,
    deleted: int | None = None,
    note: str = "",
    concepts: str = "[]",
) -> None:
    """Insert or overwrite the span *uid* exactly as given (as a curator's laptop holds it)."""
    doc_uid = put_document(db, doc_text)
    with db.write() as s:
        doc_id = s.scalar(select(Document.id).where(Document.uid == doc_uid))
        label_id = s.scalar(select(Label.id).where(Label.name == label))
        values: dict[str, Any] = dict(
            document_id=doc_id, curator_id=curator_id(s, curator), label_id=label_id,
            start=start, end=end, text=doc_text[start:end], note=note, origin="manual",
            created_at=T0, updated_at=at(updated), revision=revision,
            deleted_at=None if deleted is None else at(deleted), concepts=concepts,
        )  # fmt: skip
        row = s.scalar(select(Annotation).where(Annotation.uid == uid))
        if row is None:
            s.execute(insert(Annotation), [{"uid": uid, **values}])
        else:
            for key, value in values.items():
                setattr(row, key, value)


def put_person(
    db: Database,
    uid: str,
    name: str,
    variants: str = "[]",
    *,
    updated: int = 0,
    revision: int = 1,
    deleted: int | None = None,
) -> None:
    """Insert or overwrite the registry person *uid* exactly as given."""
    values: dict[str, Any] = dict(
        name=name, variants=variants, affiliation="", orcid=None, created_at=T0,
        updated_at=at(updated), revision=revision,
        deleted_at=None if deleted is None else at(deleted),
    )  # fmt: skip
    with db.write() as s:
        row = s.scalar(select(Person).where(Person.uid == uid))
        if row is None:
            s.execute(insert(Person), [{"uid": uid, **values}])
        else:
            for key, value in values.items():
                setattr(row, key, value)


def put_relation(  # noqa: PLR0917 - reads like the row it writes
    db: Database,
    uid: str,
    doc_text: str,
    curator: str,
    kind: str,
    head: str,
    tail: str,
    *,
    updated: int = 0,
    revision: int = 1,
    deleted: int | None = None,
    note: str = "",
) -> None:
    """Insert or overwrite the relation *uid* exactly as given (no rule checks: raw rows)."""
    doc_uid = put_document(db, doc_text)
    with db.write() as s:
        values: dict[str, Any] = dict(
            document_id=s.scalar(select(Document.id).where(Document.uid == doc_uid)),
            curator_id=curator_id(s, curator),
            type_id=s.scalar(select(RelationType.id).where(RelationType.name == kind)),
            head_uid=head, tail_uid=tail, origin="manual", note=note, created_at=T0,
            updated_at=at(updated), revision=revision,
            deleted_at=None if deleted is None else at(deleted),
        )  # fmt: skip
        row = s.scalar(select(Relation).where(Relation.uid == uid))
        if row is None:
            s.execute(insert(Relation), [{"uid": uid, **values}])
        else:
            for key, value in values.items():
                setattr(row, key, value)


# Seeded types carry the time the database was made; edits in tests come later.
TYPE_EDITS = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def put_type_edit(db: Database, name: str, color: str, *, updated: int, revision: int) -> None:
    """Overwrite a seeded relation type's colour, time and revision (a curator's edit)."""
    with db.write() as s:
        row = s.scalar(select(RelationType).where(RelationType.uid == relation_type_uid(name)))
        assert row is not None
        row.color, row.revision = color, revision
        row.updated_at = TYPE_EDITS + dt.timedelta(minutes=updated)


def put_status(db: Database, doc_text: str, curator: str, status: str, updated: int) -> None:
    doc_uid = put_document(db, doc_text)
    with db.write() as s:
        doc_id = s.scalar(select(Document.id).where(Document.uid == doc_uid))
        cur = curator_id(s, curator)
        row = s.get(DocumentStatus, (doc_id, cur))
        if row is None:
            s.add(DocumentStatus(document_id=doc_id, curator_id=cur, status=status,
                                 updated_at=at(updated)))  # fmt: skip
        else:
            row.status, row.updated_at = status, at(updated)


def dump(db: Database) -> str:
    """Everything a merge must preserve, by uid and name, without autoincrement ids."""
    with db.read() as s:
        docs = {k: v for k, v in s.execute(select(Document.id, Document.uid))}
        names = {k: v for k, v in s.execute(select(Curator.id, Curator.name))}
        labels = {k: v for k, v in s.execute(select(Label.id, Label.name))}
        out: dict[str, Any] = {
            "documents": sorted(
                (d.uid, d.title, d.source, d.text, d.meta, str(d.created_at))
                for d in s.scalars(select(Document))
            ),
            "curators": sorted(names.values()),
            "labels": sorted(labels.values()),
            "spans": sorted(
                (
                    a.uid,
                    docs[a.document_id],
                    names[a.curator_id],
                    labels[a.label_id],
                    a.start,
                    a.end,
                    a.text,
                    a.note,
                    a.origin,
                    str(a.created_at),
                    str(a.updated_at),
                    str(a.deleted_at),
                    a.revision,
                    a.concepts,
                )
                for a in s.scalars(select(Annotation))
            ),
            "statuses": sorted(
                (
                    docs[r.document_id],
                    names[r.curator_id],
                    r.status,
                    str(r.updated_at),
                    str(r.opened_at),
                )
                for r in s.scalars(select(DocumentStatus))
            ),
            "decisions": sorted(
                (
                    r.uid,
                    docs[r.document_id],
                    names[r.reviewer_id],
                    r.source_uid,
                    r.decision,
                    str(r.result_uid),
                    r.reason,
                    str(r.created_at),
                )
                for r in s.scalars(select(ReviewDecision))
            ),
            "people": sorted(
                (
                    p.uid,
                    p.name,
                    p.variants,
                    p.affiliation,
                    str(p.orcid),
                    str(p.created_at),
                    str(p.updated_at),
                    str(p.deleted_at),
                    p.revision,
                )
                for p in s.scalars(select(Person))
            ),
        }
        kinds = {k: v for k, v in s.execute(select(RelationType.id, RelationType.uid))}
        out["relation_types"] = sorted(
            (t.uid, t.name, t.head_labels, t.tail_labels, str(t.shortcut), t.color,
             t.description, t.position, str(t.updated_at), str(t.deleted_at), t.revision)
            for t in s.scalars(select(RelationType))
        )  # fmt: skip
        out["relations"] = sorted(
            (r.uid, docs[r.document_id], names[r.curator_id], kinds[r.type_id], r.head_uid,
             r.tail_uid, r.origin, r.note, str(r.created_at), str(r.updated_at),
             str(r.deleted_at), r.revision)
            for r in s.scalars(select(Relation))
        )  # fmt: skip
    return json.dumps(out, ensure_ascii=False, indent=1)


def uids(db: Database) -> set[str]:
    with db.read() as s:
        spans = set(s.scalars(select(Annotation.uid)))
        relations = {f"relation {u}" for u in s.scalars(select(Relation.uid))}
        return spans | relations | {f"person {u}" for u in s.scalars(select(Person.uid))}
