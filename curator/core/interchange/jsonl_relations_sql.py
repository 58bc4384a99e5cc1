"""The relations of a JSONL export read from SQLite, in the spans' snapshot.

Relations are few beside spans, so they are read as records and written by
the same :func:`relation_object` as the portable path (SQLAlchemy's); only
the reading is SQLite's, on the export's own connection, so that the lines
and their relations come from one snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence


def _relations_query(
    curators: Sequence[str] | None, documents: Sequence[str] | None, with_deleted: bool
) -> str:
    """The selection's relations in the order of ``relation_rows.load_relations``."""
    where = ["1"]
    if documents is not None:
        where.append("d.uid IN (SELECT value FROM json_each(:documents))")
    if curators is not None:
        where.append("c.name IN (SELECT value FROM json_each(:curators))")
    if not with_deleted:
        where.append("r.deleted_at IS NULL AND h.deleted_at IS NULL AND t.deleted_at IS NULL")
    return f"""
SELECT d.uid, r.uid, c.name, k.name, r.head_uid, r.tail_uid, r.origin, r.note, r.revision,
  r.created_at, r.updated_at, r.deleted_at
FROM relation r JOIN document d ON d.id = r.document_id
JOIN curator c ON c.id = r.curator_id JOIN relation_type k ON k.id = r.type_id
JOIN annotation h ON h.uid = r.head_uid JOIN annotation t ON t.uid = r.tail_uid
WHERE {" AND ".join(where)}
ORDER BY h.start, h."end", t.start, t."end", k.name, c.name, r.uid
"""


def _stored_time(value: str | None) -> dt.datetime | None:
    """A stored timestamp as the models read it: naive UTC made aware."""
    if value is None:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def relation_lines(
    con: sqlite3.Connection,
    curators: Sequence[str] | None,
    documents: Sequence[str] | None,
    with_deleted: bool,
) -> tuple[dict[bytes, bytes], int]:
    """Each document's ``, "relations": [...]`` bytes, read in the export's snapshot,
    and how many relations they hold.

    Relations are few beside spans: they are read as records and written by
    the same :func:`relation_object` as the portable path.
    """
    params = {}
    if curators is not None:
        params["curators"] = json.dumps(list(curators))
    if documents is not None:
        params["documents"] = json.dumps(list(documents))
    rows = con.execute(_relations_query(curators, documents, with_deleted), params).fetchall()
    if not rows:  # the usual database: the records' modules are not even imported
        return {}, 0
    from curator.core.interchange.relation_rows import relation_object
    from curator.core.storage.records import RelationRecord

    found: dict[str, list[RelationRecord]] = {}
    for row in rows:
        doc_uid, uid, curator, kind, head, tail, origin, note, revision = row[:9]
        created, updated, deleted = (_stored_time(value) for value in row[9:])
        assert created is not None and updated is not None
        ends = (head, tail)
        record = RelationRecord(
            uid, doc_uid, curator, kind, *ends, origin, note, revision, created, updated, deleted
        )
        found.setdefault(doc_uid, []).append(record)
    result = {}
    for doc_uid, relations in found.items():
        body = json.dumps(
            [relation_object(r) for r in relations], ensure_ascii=False, separators=(", ", ": ")
        )
        result[doc_uid.encode()] = b', "relations": ' + body.encode("utf-8")
    return result, sum(len(r) for r in found.values())
