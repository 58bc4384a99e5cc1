"""Relations and relation types in a merge: registers by uid, like spans and people.

Kept apart from the span merge, with one hook in each path
(:func:`merge_attached` for :mod:`.sqlite`, :func:`merge_portable` for
:mod:`.portable`), so the span merge can change without touching this.

- a relation type is a register by ``uid`` (its uid derives from the name it
  was created with, so the seeded types are one row everywhere): the larger
  ``(updated_at, revision, digest)`` wins whole, rules, key and colour
  included. A source type whose name another type already carries here is
  kept under ``NAME (uid prefix)`` and reported, never dropped.
- a relation is a register by ``uid`` exactly like an annotation: the larger
  ``(updated_at, revision, digest)`` wins whole and a tombstone is an edit.
  Its ends are span uids, which the span merge (run first) has brought in.
  A relation whose end lost to a deletion from the other side stays; readers
  treat it as live only while both ends are (``curator.core.relations``).

Must run after spans (a relation's ends refer to them); both paths below
are tested against each other and against the merge laws.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from curator.core.merge.report import MergeReport, stamp
from curator.core.storage.db import Database, translate_errors
from curator.core.storage.models import Curator, Document, Relation, RelationType

_R: Table = Relation.__table__  # type: ignore[assignment]
_T: Table = RelationType.__table__  # type: ignore[assignment]

# Content columns, in digest order (after the uid).
TYPE_COLUMNS: tuple[str, ...] = ("name", "head_labels", "tail_labels", "shortcut", "color")
TYPE_COLUMNS += ("description", "position", "updated_at", "deleted_at", "revision")
RELATION_COLUMNS: tuple[str, ...] = ("head_uid", "tail_uid", "origin", "note", "created_at")
RELATION_COLUMNS += ("updated_at", "deleted_at", "revision")


def _digest(*fields: object) -> str:
    parts = [stamp(f) if isinstance(f, dt.datetime) or f is None else str(f) for f in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def relation_type_digest(*fields: object) -> str:
    """SHA-256 of a relation type: uid, then :data:`TYPE_COLUMNS` in order."""
    return _digest(*fields)


def relation_digest(*fields: object) -> str:
    """SHA-256 of a relation: document uid, curator name, type uid, :data:`RELATION_COLUMNS`."""
    return _digest(*fields)


# ---------------------------------------------------------------- ATTACH (SQLite)


def _cols(alias: str, columns: Sequence[str]) -> str:
    return ", ".join(f"{alias}.{c}" for c in columns)


# A source type whose name another type holds here keeps its content under a
# name made unique by its uid (the rename is reported).
_TYPE_NAME = """CASE WHEN EXISTS (SELECT 1 FROM main.relation_type o
                     WHERE o.name = p.name AND o.uid <> p.uid)
     THEN p.name || ' (' || substr(p.uid, 1, 8) || ')' ELSE p.name END"""

_TYPE_WINS = f"""
FROM {{s}}.relation_type p LEFT JOIN main.relation_type t ON t.uid = p.uid
WHERE t.id IS NULL OR p.updated_at > t.updated_at
   OR (p.updated_at = t.updated_at AND (p.revision > t.revision
       OR (p.revision = t.revision
           AND curator_relation_type_digest(p.uid, {_cols("p", TYPE_COLUMNS)})
             > curator_relation_type_digest(t.uid, {_cols("t", TYPE_COLUMNS)}))))
"""

_TYPES_TALLY = f"SELECT t.id IS NULL, {_TYPE_NAME} <> p.name, count(*) {_TYPE_WINS} GROUP BY 1, 2"

_TYPES = f"""
INSERT INTO main.relation_type(uid, {", ".join(TYPE_COLUMNS)})
SELECT p.uid, {_TYPE_NAME}, {_cols("p", TYPE_COLUMNS[1:])}
{_TYPE_WINS}
ON CONFLICT(uid) DO UPDATE SET
  {", ".join(f"{c} = excluded.{c}" for c in TYPE_COLUMNS)}
"""


def _relation_digest_sql(r: str, doc: str, cur: str, kind: str) -> str:
    return (
        f"curator_relation_digest({doc}.uid, {cur}.name, {kind}.uid, {_cols(r, RELATION_COLUMNS)})"
    )


_PLAN = f"""
CREATE TEMP TABLE merge_relation AS
SELECT r.id AS source_id, md.id AS document_id, mc.id AS curator_id, mt.id AS type_id,
       r.deleted_at IS NOT NULL AS s_deleted, t.deleted_at IS NOT NULL AS t_deleted,
       CASE
         WHEN t.id IS NULL THEN 'new'
         WHEN r.updated_at <> t.updated_at THEN
           CASE WHEN r.updated_at > t.updated_at THEN 'time:src' ELSE 'time:tgt' END
         WHEN r.revision <> t.revision THEN
           CASE WHEN r.revision > t.revision THEN 'revision:src' ELSE 'revision:tgt' END
         WHEN sd.uid = td.uid AND sc.name = tc.name AND st.uid = tt.uid
              AND r.head_uid = t.head_uid AND r.tail_uid = t.tail_uid AND r.origin = t.origin
              AND r.note = t.note AND r.created_at = t.created_at
              AND r.deleted_at IS t.deleted_at THEN 'same'
         WHEN {_relation_digest_sql("r", "sd", "sc", "st")}
            > {_relation_digest_sql("t", "td", "tc", "tt")} THEN 'digest:src'
         ELSE 'digest:tgt'
       END AS verdict
FROM {{s}}.relation r
JOIN {{s}}.document sd ON sd.id = r.document_id
JOIN {{s}}.curator sc ON sc.id = r.curator_id
JOIN {{s}}.relation_type st ON st.id = r.type_id
JOIN main.document md ON md.uid = sd.uid
JOIN main.curator mc ON mc.name = sc.name
JOIN main.relation_type mt ON mt.uid = st.uid
LEFT JOIN main.relation t ON t.uid = r.uid
LEFT JOIN main.document td ON td.id = t.document_id
LEFT JOIN main.curator tc ON tc.id = t.curator_id
LEFT JOIN main.relation_type tt ON tt.id = t.type_id
"""

_TALLY = """
SELECT verdict, t_deleted, s_deleted, count(*) FROM temp.merge_relation GROUP BY 1, 2, 3
"""

_UPSERT = f"""
INSERT INTO main.relation(uid, document_id, curator_id, type_id, {", ".join(RELATION_COLUMNS)})
SELECT r.uid, p.document_id, p.curator_id, p.type_id, {_cols("r", RELATION_COLUMNS)}
FROM temp.merge_relation p JOIN {{s}}.relation r ON r.id = p.source_id
WHERE p.verdict IN ('new', 'time:src', 'revision:src', 'digest:src')
ON CONFLICT(uid) DO UPDATE SET
  document_id = excluded.document_id, curator_id = excluded.curator_id,
  type_id = excluded.type_id, {", ".join(f"{c} = excluded.{c}" for c in RELATION_COLUMNS)}
"""


def merge_attached(cur: sqlite3.Cursor, alias: str, report: MergeReport) -> None:
    """The relation types and relations of the attached source *alias*, set-based."""
    conn = cur.connection
    conn.create_function(
        "curator_relation_type_digest", 1 + len(TYPE_COLUMNS), relation_type_digest,
        deterministic=True,
    )  # fmt: skip
    conn.create_function(
        "curator_relation_digest", 3 + len(RELATION_COLUMNS), relation_digest, deterministic=True
    )

    def run(sql: str) -> sqlite3.Cursor:
        return cur.execute(sql.format(s=alias))

    for new, renamed, n in run(_TYPES_TALLY).fetchall():
        report.count_relation_type(bool(new), bool(renamed), n)
    if renamed_names := run(_RENAMED_TYPES).fetchall():
        report.relations.types_renamed += [name for (name,) in renamed_names]
    run(_TYPES)
    run(_PLAN)
    for verdict, t_deleted, s_deleted, n in run(_TALLY).fetchall():
        report.count_relation(verdict, bool(t_deleted), bool(s_deleted), n)
    run(_UPSERT)
    run("DROP TABLE temp.merge_relation")


_RENAMED_TYPES = f"""
SELECT name FROM (SELECT p.name AS name, {_TYPE_NAME} AS kept_as {_TYPE_WINS})
WHERE kept_as <> name ORDER BY name
"""


# ---------------------------------------------------------------- portable (any database)


def _type_rows(conn: Connection) -> list[Sequence[Any]]:
    columns = (getattr(RelationType, c) for c in TYPE_COLUMNS)
    return list(conn.execute(select(RelationType.uid, *columns)).all())


def _relation_query() -> Any:
    return (
        select(
            Relation.uid,
            Document.uid,
            Curator.name,
            RelationType.uid,
            *(getattr(Relation, c) for c in RELATION_COLUMNS),
        )
        .join(Document, Document.id == Relation.document_id)
        .join(Curator, Curator.id == Relation.curator_id)
        .join(RelationType, RelationType.id == Relation.type_id)
    )


def read_source(source: Database) -> tuple[list[Sequence[Any]], list[Sequence[Any]]]:
    """A source's relation types and relations, as plain rows."""
    with translate_errors(source), source.engine.connect() as conn:
        return _type_rows(conn), list(conn.execute(_relation_query()).all())


def _type_key(row: Sequence[Any]) -> tuple[Any, ...]:
    # (updated_at, revision, digest); updated_at at index 8, revision at 10.
    return (stamp(row[8]), row[10], relation_type_digest(*row))


def _merge_types(conn: Connection, rows: Sequence[Sequence[Any]], rep: MergeReport) -> None:
    for row in rows:
        have = {r[0]: r for r in _type_rows(conn)}
        held = have.get(row[0])
        if held is not None and (tuple(row) == tuple(held) or _type_key(row) <= _type_key(held)):
            continue
        values = dict(zip(("uid", *TYPE_COLUMNS), row, strict=True))
        if any(r[1] == row[1] and uid != row[0] for uid, r in have.items()):
            values["name"] = f"{row[1]} ({row[0][:8]})"
            rep.relations.types_renamed.append(row[1])
        rep.count_relation_type(held is None, values["name"] != row[1])
        if held is None:
            conn.execute(insert(_T), values)
        else:
            conn.execute(update(_T).where(_T.c.uid == row[0]).values(**values))


def _verdict(s: Sequence[Any], t: Sequence[Any] | None) -> str:
    """Compare a source relation with the target's version of the same uid."""
    if t is None:
        return "new"
    s_upd, t_upd = stamp(s[9]), stamp(t[9])
    if s_upd != t_upd:
        return "time:src" if s_upd > t_upd else "time:tgt"
    if s[11] != t[11]:
        return "revision:src" if s[11] > t[11] else "revision:tgt"
    if tuple(s) == tuple(t):
        return "same"
    return "digest:src" if relation_digest(*s[1:]) > relation_digest(*t[1:]) else "digest:tgt"


def _merge_relations(conn: Connection, rows: Sequence[Sequence[Any]], rep: MergeReport) -> None:
    have = {row[0]: row for row in conn.execute(_relation_query())}
    docs = {k: v for k, v in conn.execute(select(Document.uid, Document.id))}
    curators = {k: v for k, v in conn.execute(select(Curator.name, Curator.id))}
    kinds = {k: v for k, v in conn.execute(select(RelationType.uid, RelationType.id))}
    new, changed = [], []
    for s in rows:
        t = have.get(s[0])
        verdict = _verdict(s, t)
        rep.count_relation(verdict, t is not None and t[10] is not None, s[10] is not None)
        if verdict == "same" or verdict.endswith(":tgt"):
            continue
        values = dict(zip(RELATION_COLUMNS, s[4:], strict=True))
        values.update(document_id=docs[s[1]], curator_id=curators[s[2]], type_id=kinds[s[3]])
        if t is None:
            new.append({"uid": s[0], **values})
        else:
            changed.append({"b_uid": s[0], **values})
    if new:
        conn.execute(insert(_R), new)
    if changed:
        conn.execute(update(_R).where(_R.c.uid == bindparam("b_uid")), changed)


def merge_portable(conn: Connection, source: Database, report: MergeReport) -> None:
    """The relation types and relations of *source*, into the caller's transaction."""
    types, rows = read_source(source)
    _merge_types(conn, types, report)
    _merge_relations(conn, rows, report)
