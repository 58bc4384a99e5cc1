"""Relations for interchange tests: a related corpus, the stored rows, and refusals in place."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from curator.core.errors import InputError
from curator.core.interchange.importing import import_paths
from curator.core.relations import add_relation, delete_relation
from curator.core.spans import annotate
from curator.core.storage.db import Database
from curator.core.storage.models import Curator, Document, Relation, RelationType
from tests.interchange.conftest import Curated

# (type, head label, tail label): every seeded type, each once per document.
LINKS = (("acts_on", "therapy", "target"), ("has_outcome", "therapy", "outcome"),
         ("reports", "expert", "therapy"))  # fmt: skip


def relate(curated: Curated) -> None:
    """ana's spans linked by every type in each document; in the first document one
    relation is deleted, and in the second the target span (so its relation goes too)."""
    docs = sorted({s.document_uid for s in curated.live})
    for n, doc in enumerate(docs):
        by_label = {
            s.label: s for s in curated.live if s.document_uid == doc and s.curator == "ana"
        }
        made = [
            add_relation(curated.db, doc, "ana", kind, by_label[head].uid, by_label[tail].uid,
                         note="seen in the abstract" if kind == "reports" else "")
            for kind, head, tail in LINKS
        ]  # fmt: skip
        if n == 0:
            delete_relation(curated.db, made[1].uid)
        if n == 1:
            annotate.delete_span(curated.db, by_label["target"].uid)


def relation_rows(db: Database) -> set[tuple[Any, ...]]:
    """Every stored relation, as an export and import must keep it."""
    with db.read() as session:
        rows = session.execute(
            select(
                Relation.uid, Document.uid, Curator.name, RelationType.name, Relation.head_uid,
                Relation.tail_uid, Relation.origin, Relation.note, Relation.created_at,
                Relation.updated_at, Relation.deleted_at, Relation.revision,
            )
            .join(Document, Document.id == Relation.document_id)
            .join(Curator, Curator.id == Relation.curator_id)
            .join(RelationType, RelationType.id == Relation.type_id)
        ).all()  # fmt: skip
    return {tuple(r) for r in rows}


def live_links(db: Database) -> set[tuple[str, str, str, str, str]]:
    """Live relations by what they link: (type, curator, head quote, tail quote, origin)."""
    from sqlalchemy.orm import aliased

    from curator.core.storage.models import Annotation

    head, tail = aliased(Annotation), aliased(Annotation)
    with db.read() as session:
        rows = session.execute(
            select(RelationType.name, Curator.name, head.text, tail.text, Relation.origin)
            .join(RelationType, RelationType.id == Relation.type_id)
            .join(Curator, Curator.id == Relation.curator_id)
            .join(head, head.uid == Relation.head_uid)
            .join(tail, tail.uid == Relation.tail_uid)
            .where(Relation.deleted_at.is_(None))
        ).all()
    return {tuple(r) for r in rows}  # type: ignore[misc]


def _digest(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused_in_place(db: Database, paths: list[Path], *needles: str, **options: Any) -> str:
    """Import *paths*, expect a refusal naming every needle, and the database unchanged."""
    assert db.path is not None
    db.dispose()
    before = _digest(db.path)
    with pytest.raises(InputError) as caught:
        import_paths(db, paths, **options)
    message = str(caught.value)
    for needle in needles:
        assert needle in message, message
    db.dispose()
    assert _digest(db.path) == before
    return message


def links(db: Database) -> set[tuple[str, str, str, tuple[int, int], tuple[int, int], str]]:
    """Live relations between live spans as the readers give them: (document, curator,
    type, head extent, tail extent, note)."""
    from sqlalchemy.orm import aliased

    from curator.core.storage.models import Annotation

    head, tail = aliased(Annotation), aliased(Annotation)
    with db.read() as session:
        rows = session.execute(
            select(Document.uid, Curator.name, RelationType.name, head.start, head.end,
                   tail.start, tail.end, Relation.note)
            .join(Document, Document.id == Relation.document_id)
            .join(RelationType, RelationType.id == Relation.type_id)
            .join(Curator, Curator.id == Relation.curator_id)
            .join(head, head.uid == Relation.head_uid)
            .join(tail, tail.uid == Relation.tail_uid)
            .where(Relation.deleted_at.is_(None), head.deleted_at.is_(None),
                   tail.deleted_at.is_(None))
        ).all()  # fmt: skip
    return {(r[0], r[1], r[2], (r[3], r[4]), (r[5], r[6]), r[7]) for r in rows}


def add_type(db: Database, name: str, heads: list[str], tails: list[str]) -> None:
    """A relation type (and the labels it names), as a curator would set one up."""
    from curator.core.relations.types import add_relation_type
    from curator.core.storage.models import Label

    with db.write() as session:
        have = set(session.scalars(select(Label.name)))
        for n, label in enumerate(dict.fromkeys(heads + tails)):
            if label not in have:
                session.add(Label(name=label, color="#999999", position=10 + n, description=""))
    add_relation_type(db, name, heads, tails)
