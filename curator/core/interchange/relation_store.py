"""Writing the relations of checked lines, after their spans, in the import's transaction.

Our own lines restore relations as registers by uid, like spans: a uid not
stored is inserted with its history, a stored one is replaced only by a
later ``updated_at`` (a tie keeps what is stored), so importing a file twice
changes nothing. Their type must exist (a retired type too: the file is
history); their ends are spans of the same line and curator, checked when
the line was read.

Relations of other tools (minimal span lines, and every foreign format's
records) become new relations of the curator of their ends, of origin
``imported``: the type must be a live one whose rules allow the labels of
the ends, and a relation the layer already holds (same type, head and
tail) is not added twice. Foreign importers screen their relations first
(:func:`screen_relations`), so a relation the app cannot hold is refused by
its own file line, or with ``--allow-loss`` left out and listed; the
minimal JSONL reader has no such option and refuses the line.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from curator.core.errors import InputError
from curator.core.interchange.jsonl_read import IncomingDocument, IncomingSpan, LineError
from curator.core.interchange.relation_read import IncomingRelation
from curator.core.relations.rules import RelationRuleError, check_ends, label_names, type_info
from curator.core.storage.models import Relation, RelationType, utcnow
from curator.core.storage.records import RelationTypeInfo

if TYPE_CHECKING:
    from curator.core.interchange.foreign import Losses, Record
    from curator.core.interchange.jsonl_store import BulkStore


class RelationTypes:
    """The database's relation types by name, with their rules, read once."""

    def __init__(self, session: Session) -> None:
        names = label_names(session)
        self.by_name: dict[str, tuple[int, RelationTypeInfo, bool]] = {
            row.name: (row.id, type_info(row, names), row.deleted_at is not None)
            for row in session.scalars(
                select(RelationType).order_by(RelationType.position, RelationType.name)
            )
        }

    def known(self) -> str:
        return ", ".join(n for n, (_, _, retired) in self.by_name.items() if not retired) or "none"

    def id_of(self, name: str, *, retired_too: bool) -> int:
        found = self.by_name.get(name)
        if found is None or (found[2] and not retired_too):
            state = "retired" if found else "unknown"
            raise LineError(f"{state} relation type {name!r} (relation types: {self.known()})")
        return found[0]

    def problem(self, name: str, head_label: str, tail_label: str) -> str | None:
        """Why a new relation *name* from *head_label* to *tail_label* cannot be held, or None."""
        found = self.by_name.get(name)
        if found is None or found[2]:
            state = "retired" if found else "unknown"
            return f"the {state} relation type {name!r} (relation types: {self.known()})"
        try:
            check_ends(found[1], head_label, tail_label)
        except RelationRuleError as exc:
            return str(exc)
        return None


def screen_relations(session: Session, records: Sequence[Record], losses: Losses) -> None:
    """Drop (by line, or refuse) the relations of foreign records that the app cannot hold.

    Each record's ``obj["relations"]`` holds minimal relations between span
    ``id`` s of the same record; ``relation_lines`` gives each one's file line.
    """
    if not any(r.relation_lines for r in records):
        return
    types = RelationTypes(session)
    for record in records:
        relations = record.obj.get("relations") or []
        if not record.relation_lines or "schema" in record.obj:
            continue
        spans: dict[object, tuple[str, str | None]] = {}
        for span, curator in zip(record.obj.get("spans", []), record.curators, strict=False):
            if "id" in span:
                spans[span["id"]] = (span["label"], curator)
        kept, lines = [], []
        for relation, line in zip(relations, record.relation_lines, strict=True):
            kind = relation["type"]
            ends = [spans.get(relation[key]) for key in ("head", "tail")]
            head, tail = ends
            if head is None or tail is None:
                missing = relation["head"] if head is None else relation["tail"]
                losses.drop(line, f"a {kind!r} relation to {missing}, which is not a span kept")
                continue
            problem = types.problem(kind, head[0], tail[0])
            if problem is None and head[1] != tail[1]:
                problem = f"its ends belong to different curators ({head[1]}, {tail[1]})"
            if problem is not None:
                noted = " (and its note)" if relation.get("note") else ""
                losses.drop(
                    line, f"a {kind!r} relation from {head[0]} to {tail[0]}{noted}: {problem}"
                )
                continue
            kept.append(relation)
            lines.append(line)
        record.obj["relations"] = kept
        record.relation_lines = lines


def write_relations(store: BulkStore, batch: Sequence[tuple[int, IncomingDocument]]) -> None:
    """Store the relations of a batch of lines whose spans are written (see the docstring)."""
    types = RelationTypes(store.session)
    for line, doc in batch:
        if not doc.relations:
            continue
        try:
            if doc.own:
                _own(store, types, doc)
            else:
                _foreign(store, types, doc)
        except LineError as exc:
            raise InputError(store.report.path, str(exc), line) from None


def _row(store: BulkStore, doc_id: int, type_id: int, relation: IncomingRelation) -> dict[str, Any]:
    assert relation.curator is not None
    return {
        "uid": relation.uid,
        "document_id": doc_id,
        "curator_id": store._curator_id(relation.curator),
        "type_id": type_id,
        "head_uid": relation.head,
        "tail_uid": relation.tail,
        "origin": relation.origin,
        "note": relation.note,
        "created_at": relation.created_at,
        "updated_at": relation.updated_at,
        "deleted_at": relation.deleted_at,
        "revision": relation.revision,
    }


def _own(store: BulkStore, types: RelationTypes, doc: IncomingDocument) -> None:
    doc_id = store.doc_ids[doc.uid]
    uids = [r.uid for r in doc.relations]
    stored: dict[str, tuple[int, dt.datetime]] = {
        uid: (held_doc, updated)
        for uid, held_doc, updated in store.session.execute(
            select(Relation.uid, Relation.document_id, Relation.updated_at).where(
                Relation.uid.in_(uids)
            )
        )
    }
    rows = []
    for relation in doc.relations:
        where = f"relation {relation.number}"
        try:
            type_id = types.id_of(relation.type, retired_too=True)
        except LineError as exc:
            raise LineError(f"{where}: {exc}") from None
        assert relation.uid is not None and relation.updated_at is not None
        held = stored.get(relation.uid)
        if held is None:
            rows.append(_row(store, doc_id, type_id, relation))
        elif held[0] != doc_id:
            raise LineError(f"{where}: {relation.uid} belongs to another document in the database")
        elif relation.updated_at > held[1]:
            values = _row(store, doc_id, type_id, relation)
            store.session.execute(
                update(Relation).where(Relation.uid == relation.uid).values(**values)
            )
            store.report.relations_updated += 1
        else:
            store.report.relations_unchanged += 1
    if rows:
        store.session.execute(insert(Relation), rows)
        store.report.relations_added += len(rows)


def _foreign(store: BulkStore, types: RelationTypes, doc: IncomingDocument) -> None:
    doc_id = store.doc_ids[doc.uid]
    held = {
        tuple(row)
        for row in store.session.execute(
            select(
                Relation.curator_id, Relation.type_id, Relation.head_uid, Relation.tail_uid
            ).where(Relation.document_id == doc_id, Relation.deleted_at.is_(None))
        )
    }
    now = utcnow()
    rows = []
    for relation in doc.relations:
        where = f"relation {relation.number}"
        assert isinstance(relation.head, int) and isinstance(relation.tail, int)
        head, tail = doc.spans[relation.head], doc.spans[relation.tail]
        problem = types.problem(relation.type, head.label, tail.label)
        if problem is not None:
            raise LineError(f"{where}: {problem}")
        _same_layer(head, tail, where)
        assert head.uid is not None and tail.uid is not None and head.curator is not None
        type_id = types.id_of(relation.type, retired_too=False)
        key = (store._curator_id(head.curator), type_id, head.uid, tail.uid)
        if key in held:
            store.report.relations_unchanged += 1
            continue
        held.add(key)
        incoming = IncomingRelation(
            relation.number, relation.type, head.uid, tail.uid, str(uuid.uuid4()),
            head.curator, "imported", relation.note, now, now, None, 1,
        )  # fmt: skip
        rows.append(_row(store, doc_id, type_id, incoming))
    if rows:
        store.session.execute(insert(Relation), rows)
        store.report.relations_added += len(rows)


def _same_layer(head: IncomingSpan, tail: IncomingSpan, where: str) -> None:
    if head.curator != tail.curator:
        raise LineError(
            f"{where}: its ends belong to different curators ({head.curator}, {tail.curator})"
        )
    if head.uid == tail.uid:
        raise LineError(f"{where}: its head and tail are the same span")
