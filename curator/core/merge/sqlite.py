"""Set-based merging of SQLite files into a SQLite target through ``ATTACH``.

Why: at 2 x 500,000 spans, ``INSERT ... SELECT`` inside one connection
takes seconds where reading rows into Python takes tens of seconds (see
DESIGN.md). The rules are those of :mod:`curator.core.merge.engine`; the content
digest, the last tie-breaker, is the same Python function registered as an
SQL function, and it is computed only for versions tied on ``updated_at``
and ``revision`` whose content differs.

``ATTACH`` and ``DETACH`` are refused inside a transaction, so the sources
are attached on the raw connection first, then one ``BEGIN IMMEDIATE`` covers
every source, and they are detached after the commit or rollback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from curator.core.errors import DatabaseError
from curator.core.labels import merging as label_merging
from curator.core.labels.rows import COLUMNS as LABEL_COLUMNS
from curator.core.labels.rows import LabelRow
from curator.core.merge import relations as merge_relations
from curator.core.merge.report import MergeReport, person_digest, span_digest
from curator.core.storage.db import Database

_CURATORS = """
INSERT INTO main.curator(name)
SELECT name FROM {s}.curator WHERE name NOT IN (SELECT name FROM main.curator) ORDER BY name
"""

_LABEL_ROWS = "SELECT " + ", ".join(LABEL_COLUMNS) + " FROM {s}.label"

_DOCUMENTS = """
INSERT INTO main.document(uid, title, source, text, meta, created_at)
SELECT uid, title, source, text, meta, created_at FROM {s}.document
WHERE uid NOT IN (SELECT uid FROM main.document) ORDER BY created_at, uid
"""

_DOCUMENT_META = """
UPDATE main.document
SET title = s.title, source = s.source, meta = s.meta, created_at = s.created_at
FROM {s}.document AS s
WHERE s.uid = document.uid
  AND (s.created_at, s.title, s.source, s.meta)
      < (document.created_at, document.title, document.source, document.meta)
"""

_COLUMNS = 'start, "end", text, note, origin, created_at, updated_at, deleted_at, revision, '
_COLUMNS += "concepts, fragments"
_SOURCE_COLUMNS = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))


def _digest(alias: str, doc: str, cur: str, lab: str) -> str:
    cols = ", ".join(f"{alias}.{c.strip()}" for c in _COLUMNS.split(","))
    return f"curator_span_digest({doc}.uid, {cur}.name, {lab}.uid, {cols})"


_PLAN = f"""
CREATE TEMP TABLE merge_span AS
SELECT a.id AS source_id, md.id AS document_id, mc.id AS curator_id, ml.id AS label_id,
       a.deleted_at, t.deleted_at IS NOT NULL AS t_deleted,
       CASE
         WHEN t.id IS NULL THEN 'new'
         WHEN a.updated_at <> t.updated_at THEN
           CASE WHEN a.updated_at > t.updated_at THEN 'time:src' ELSE 'time:tgt' END
         WHEN a.revision <> t.revision THEN
           CASE WHEN a.revision > t.revision THEN 'revision:src' ELSE 'revision:tgt' END
         WHEN sd.uid = td.uid AND sc.name = tc.name AND sl.uid = tl.uid
              AND a.start = t.start AND a."end" = t."end" AND a.text = t.text
              AND a.note = t.note AND a.origin = t.origin AND a.created_at = t.created_at
              AND a.deleted_at IS t.deleted_at AND a.concepts = t.concepts
              AND a.fragments IS t.fragments THEN 'same'
         WHEN {_digest("a", "sd", "sc", "sl")} > {_digest("t", "td", "tc", "tl")}
           THEN 'digest:src'
         ELSE 'digest:tgt'
       END AS verdict
FROM {{s}}.annotation a
JOIN {{s}}.document sd ON sd.id = a.document_id
JOIN {{s}}.curator sc ON sc.id = a.curator_id
JOIN {{s}}.label sl ON sl.id = a.label_id
JOIN main.document md ON md.uid = sd.uid
JOIN main.curator mc ON mc.name = sc.name
JOIN main.label ml ON ml.uid = sl.uid
LEFT JOIN main.annotation t ON t.uid = a.uid
LEFT JOIN main.document td ON td.id = t.document_id
LEFT JOIN main.curator tc ON tc.id = t.curator_id
LEFT JOIN main.label tl ON tl.id = t.label_id
"""

# The plan keeps ids and the verdict only; the upsert reads the span itself from
# the source by its id (0.2 s less at 500,000 spans than copying every column).
_TALLY = """
SELECT verdict, t_deleted, deleted_at IS NOT NULL, count(*) FROM temp.merge_span
GROUP BY 1, 2, 3
"""

_UPSERT = f"""
INSERT INTO main.annotation(uid, document_id, curator_id, label_id, {_COLUMNS})
SELECT a.uid, p.document_id, p.curator_id, p.label_id, {_SOURCE_COLUMNS}
FROM temp.merge_span p JOIN {{s}}.annotation a ON a.id = p.source_id
WHERE p.verdict IN ('new', 'time:src', 'revision:src', 'digest:src')
ON CONFLICT(uid) DO UPDATE SET
  document_id = excluded.document_id, curator_id = excluded.curator_id,
  label_id = excluded.label_id, start = excluded.start, "end" = excluded."end",
  text = excluded.text, note = excluded.note, origin = excluded.origin,
  created_at = excluded.created_at, updated_at = excluded.updated_at,
  deleted_at = excluded.deleted_at, revision = excluded.revision,
  concepts = excluded.concepts, fragments = excluded.fragments
"""

_PERSON_COLUMNS = "uid, name, variants, affiliation, orcid, created_at, updated_at, "
_PERSON_COLUMNS += "deleted_at, revision"


def _person_digest(alias: str) -> str:
    cols = ", ".join(f"{alias}.{c.strip()}" for c in _PERSON_COLUMNS.split(","))
    return f"curator_person_digest({cols})"


# A registry person: the source's version where it is new or wins the register.
_PERSON_WINS = f"""
FROM {{s}}.person p LEFT JOIN main.person t ON t.uid = p.uid
WHERE t.id IS NULL OR p.updated_at > t.updated_at
   OR (p.updated_at = t.updated_at AND (p.revision > t.revision
       OR (p.revision = t.revision AND {_person_digest("p")} > {_person_digest("t")})))
"""

_PEOPLE_TALLY = "SELECT t.id IS NULL, count(*) " + _PERSON_WINS + " GROUP BY 1"

_PEOPLE = f"""
INSERT INTO main.person({_PERSON_COLUMNS})
SELECT {", ".join(f"p.{c.strip()}" for c in _PERSON_COLUMNS.split(","))}
{_PERSON_WINS}
ON CONFLICT(uid) DO UPDATE SET
  name = excluded.name, variants = excluded.variants, affiliation = excluded.affiliation,
  orcid = excluded.orcid, created_at = excluded.created_at, updated_at = excluded.updated_at,
  deleted_at = excluded.deleted_at, revision = excluded.revision
"""

_STATUS_FROM = """
FROM {s}.document_status s
JOIN {s}.document sd ON sd.id = s.document_id
JOIN main.document md ON md.uid = sd.uid
JOIN {s}.curator sc ON sc.id = s.curator_id
JOIN main.curator mc ON mc.name = sc.name
"""

_STATUS_CHANGES = (
    "SELECT count(*) "
    + _STATUS_FROM
    + """
LEFT JOIN main.document_status t ON t.document_id = md.id AND t.curator_id = mc.id
WHERE t.document_id IS NULL OR (s.updated_at, s.status) > (t.updated_at, t.status)
"""
)

# Active time only grows for one curator and document: the larger value is the later.
_TIME_CHANGES = (
    "SELECT count(*) "
    + _STATUS_FROM
    + """
LEFT JOIN main.document_status t ON t.document_id = md.id AND t.curator_id = mc.id
WHERE s.active_seconds > coalesce(t.active_seconds, 0)
"""
)

_STATUSES = (
    "INSERT INTO main.document_status(document_id, curator_id, status, updated_at, opened_at, "
    "active_seconds) SELECT md.id, mc.id, s.status, s.updated_at, s.opened_at, s.active_seconds"
    + _STATUS_FROM
    + """
WHERE true
ON CONFLICT(document_id, curator_id) DO UPDATE SET
  status = CASE WHEN (excluded.updated_at, excluded.status)
                     > (document_status.updated_at, document_status.status)
                THEN excluded.status ELSE document_status.status END,
  updated_at = max(excluded.updated_at, document_status.updated_at),
  opened_at = coalesce(max(excluded.opened_at, document_status.opened_at),
                       excluded.opened_at, document_status.opened_at),
  active_seconds = max(excluded.active_seconds, document_status.active_seconds)
"""
)

_DECISIONS = """
INSERT INTO main.review_decision(uid, document_id, reviewer_id, source_uid, decision,
                                 result_uid, reason, created_at)
SELECT d.uid, md.id, mc.id, d.source_uid, d.decision, d.result_uid, d.reason, d.created_at
FROM {s}.review_decision d
JOIN {s}.document sd ON sd.id = d.document_id
JOIN main.document md ON md.uid = sd.uid
JOIN {s}.curator sc ON sc.id = d.reviewer_id
JOIN main.curator mc ON mc.name = sc.name
WHERE d.uid NOT IN (SELECT uid FROM main.review_decision)
ORDER BY d.created_at, d.uid
"""


def _merge_one(cur: sqlite3.Cursor, alias: str, report: MergeReport) -> None:
    def run(sql: str, *params: Any) -> sqlite3.Cursor:
        return cur.execute(sql.format(s=alias), params)

    report.curators_added += run(_CURATORS).rowcount
    labels = label_merging.plan(
        [LabelRow.of(r) for r in run(_LABEL_ROWS.replace("{s}", "main")).fetchall()],
        [LabelRow.of(r) for r in run(_LABEL_ROWS).fetchall()],
    )
    label_merging.apply_raw(cur, labels)
    report.count_labels(labels)
    report.documents_added += run(_DOCUMENTS).rowcount
    report.documents_updated += run(_DOCUMENT_META).rowcount
    run(_PLAN)
    for verdict, t_deleted, s_deleted, n in run(_TALLY).fetchall():
        report.count_span(verdict, bool(t_deleted), bool(s_deleted), n)
    run(_UPSERT)
    run("DROP TABLE temp.merge_span")
    report.statuses_updated += run(_STATUS_CHANGES).fetchone()[0]
    report.times_updated += run(_TIME_CHANGES).fetchone()[0]
    run(_STATUSES)
    report.decisions_added += run(_DECISIONS).rowcount
    for new, n in run(_PEOPLE_TALLY).fetchall():
        if new:
            report.people_added += n
        else:
            report.people_updated += n
    run(_PEOPLE)
    merge_relations.merge_attached(cur, alias, report)  # after spans: ends refer to them


def merge(conn: Connection, sources: Sequence[Database], report: MergeReport) -> None:
    """Attach, merge every source in one IMMEDIATE transaction, detach."""
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.create_function("curator_span_digest", 14, span_digest, deterministic=True)
    raw.create_function("curator_person_digest", 9, person_digest, deterministic=True)
    aliases = [f"merge_src{i}" for i in range(len(sources))]
    attached: list[str] = []
    try:
        for alias, source in zip(aliases, sources, strict=True):
            assert source.path is not None
            raw.execute(f"ATTACH DATABASE ? AS {alias}", (str(source.path),))
            attached.append(alias)
        cur = raw.cursor()
        (cache_before,) = cur.execute("PRAGMA cache_size").fetchone()
        # A 256 MB page cache (allocated only as used) while merging: with the
        # default 2 MB, inserting half a million spans spills the uid index's
        # pages over and over; the plan table stays in memory too.
        cur.execute("PRAGMA cache_size = -262144")
        cur.execute("BEGIN IMMEDIATE")
        try:
            for alias in aliases:
                _merge_one(cur, alias, report)
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.execute(f"PRAGMA cache_size = {int(cache_before)}")
        cur.execute("COMMIT")
    except sqlite3.Error as exc:
        raise DatabaseError(f"merge failed, nothing was changed: {exc}") from exc
    finally:
        for alias in attached:
            raw.execute(f"DETACH DATABASE {alias}")
