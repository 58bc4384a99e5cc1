"""JSONL export on SQLite, built by SQLite itself and streamed to the file.

Building a Python object per span and encoding it with ``json.dumps`` ran at
under a tenth of the ``sqlite3 -json`` dump of the same rows. Here one query,
in one read transaction (a consistent snapshot), returns each document's line
in three pieces: everything before ``meta``, the stored ``meta`` JSON, and
everything after it, with the status object and the spans array already
joined by SQLite (``json_quote`` escapes the strings the way ``json.dumps``
does with ``ensure_ascii=False``; the key order and separators are spelled
out). Only ``meta`` goes through Python, since its values may be floats and
nested objects whose spelling must be Python's. Rows arrive as bytes and go
straight to the temporary file, so the export never holds more than one
document in memory.

The bytes are those of :func:`curator.core.interchange.jsonl.document_line`;
the tests compare the two paths on the same databases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.errors import NotFoundError
from curator.core.interchange.common import (
    ExportReport,
    Progress,
    Selection,
    _check_curators,
    _pending,
    atomic_writer,
)
from curator.core.interchange.jsonl_shape import SCHEMA_NAME, SCHEMA_VERSION
from curator.core.storage.db import Database

SCHEMA_PREFIX = f'{{"schema": {{"name": "{SCHEMA_NAME}", "version": {SCHEMA_VERSION}}}, "id": '

# How SQLAlchemy stores a UTC timestamp on SQLite ("2026-01-02 13:45:00.123456").
# A row whose timestamps are all spelled so is written by one printf; a row
# written by another tool in another spelling gets its times from Python.
_STORED = "????-??-?? ??:??:??.??????"
_ALL_STORED = (
    f"a.created_at GLOB '{_STORED}' AND a.updated_at GLOB '{_STORED}' "
    f"AND (a.deleted_at IS NULL OR a.deleted_at GLOB '{_STORED}')"
)
_SPAN_FORMAT = (
    '{"id": %s, "start": %d, "end": %d%s, "label": %s, "text": %s, "curator": %s, '
    '"origin": "%s", "note": %s, "created_at": TIME, "updated_at": TIME, "revision": %d, '
    '"concepts": %s%s}'
)
# Origins are one of four plain words (a CHECK constraint): no quoting needed.
# Fragments are stored as json.dumps writes them (core/storage/fragments.py): copied as they are.
_FRAGMENTS = "CASE WHEN a.fragments IS NULL THEN '' ELSE ', \"fragments\": ' || a.fragments END"
_SPAN_HEAD = f'json_quote(a.uid), a.start, a."end", {_FRAGMENTS}, json_quote(l.name), '
_SPAN_HEAD += "json_quote(a.text), "
_SPAN_HEAD += "json_quote(c.name), a.origin, json_quote(a.note)"


_NO_RELATIONS = b', "relations": []'


def _json_time(value: object) -> str:
    from curator.core.interchange.jsonl_shape import format_time

    assert isinstance(value, str), value
    stamp = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return json.dumps(format_time(stamp))


def _fast_line() -> str:
    stored = '"%.10sT%sZ"'
    time_args = ", ".join(f"a.{c}, substr(a.{c}, 12)" for c in ("created_at", "updated_at"))
    deleted = (
        "CASE WHEN a.deleted_at IS NULL THEN '' ELSE printf(', \"deleted_at\": "
        f"{stored}', a.deleted_at, substr(a.deleted_at, 12)) END"
    )
    fmt = _SPAN_FORMAT.replace("TIME", stored)
    return f"printf('{fmt}', {_SPAN_HEAD}, {time_args}, a.revision, a.concepts, {deleted})"


def _slow_line() -> str:
    fmt = _SPAN_FORMAT.replace("TIME", "%s")
    deleted = (
        "CASE WHEN a.deleted_at IS NULL THEN '' "
        "ELSE ', \"deleted_at\": ' || curator_json_time(a.deleted_at) END"
    )
    return (
        f"printf('{fmt}', {_SPAN_HEAD}, curator_json_time(a.created_at), "
        f"curator_json_time(a.updated_at), a.revision, a.concepts, {deleted})"
    )


SPAN_LINE = f"CASE WHEN {_ALL_STORED} THEN {_fast_line()} ELSE {_slow_line()} END"


CHUNK = 64
"""Documents whose lines one query builds: SQLite sorts a chunk's lines, never the whole export."""


def _order(selection: Selection) -> str:
    """The selected documents' ids in the export order (title, uid)."""
    where = ""
    if selection.documents is not None:
        where = "WHERE d.uid IN (SELECT value FROM json_each(:documents))"
    return f"SELECT d.id FROM document d {where} ORDER BY d.title, d.uid"


def _query(selection: Selection) -> str:
    """The lines of the documents whose ids are in ``:chunk``, spans in span_sort_key order.

    The inner ORDER BY feeds group_concat in that order: SQLite runs an
    ordered subquery under an aggregate as a co-routine, never flattened.
    Ordering every document's finished line at once would make SQLite build
    and sort the whole export before the first line comes out (a temporary
    B-tree of the entire file); so the order is read first (ids only) and the
    lines are built a chunk of documents at a time.
    """
    by_curator = " AND c.name IN (SELECT value FROM json_each(:curators))"
    span_where = "a.document_id = d.id"
    status_where = "s.document_id = d.id"
    if selection.curators is not None:
        span_where += by_curator
        status_where += by_curator
    if not selection.with_deleted:
        span_where += " AND a.deleted_at IS NULL"
    doc_where = "WHERE d.id IN (SELECT value FROM json_each(:chunk))"
    return f"""
SELECT
  '{SCHEMA_PREFIX}' || json_quote(d.uid) || ', "title": ' || json_quote(d.title)
    || ', "text": ' || json_quote(d.text) || ', "text_sha256": ' || json_quote(d.uid)
    || ', "meta": ',
  d.meta,
  ', "status": {{' || coalesce((
      SELECT group_concat(json_quote(name) || ': ' || json_quote(status), ', ') FROM (
        SELECT c.name AS name, s.status AS status FROM document_status s
        JOIN curator c ON c.id = s.curator_id WHERE {status_where} ORDER BY c.name)
    ), '') || '}}' || coalesce((
      SELECT ', "active_seconds": {{' || group_concat(json_quote(name) || ': ' || seconds, ', ')
        || '}}' FROM (
        SELECT c.name AS name, s.active_seconds AS seconds FROM document_status s
        JOIN curator c ON c.id = s.curator_id
        WHERE {status_where} AND s.active_seconds > 0 ORDER BY c.name)
    ), '') || ', "spans": [' || coalesce((
      SELECT group_concat(line, ', ') FROM (
        SELECT {SPAN_LINE} AS line FROM annotation a
        JOIN curator c ON c.id = a.curator_id JOIN label l ON l.id = a.label_id
        WHERE {span_where} ORDER BY a.start, a."end", l.name, c.name, a.uid)
    ), '') || ']',
  d.uid
FROM document d {doc_where}
ORDER BY d.title, d.uid
"""


def _count_spans(selection: Selection) -> str:
    where = "1"
    if selection.curators is not None:
        where += " AND c.name IN (SELECT value FROM json_each(:curators))"
    if not selection.with_deleted:
        where += " AND a.deleted_at IS NULL"
    if selection.documents is not None:
        where += " AND d.uid IN (SELECT value FROM json_each(:documents))"
    return f"""
SELECT count(*) FROM annotation a JOIN curator c ON c.id = a.curator_id
JOIN document d ON d.id = a.document_id WHERE {where}
"""


def _meta(raw: bytes | str | None) -> bytes:
    """The ``meta`` object as the Python path writes it: top-level keys sorted."""
    meta = json.loads(raw) if raw is not None else None
    ordered = dict(sorted((meta or {}).items()))
    return json.dumps(ordered, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8")


def _suggestions(db: Database, uid: str, selection: Selection) -> bytes:
    from curator.core.interchange.jsonl_shape import suggestion_objects

    pending = _pending(db, [uid], selection)[uid]
    body = json.dumps(suggestion_objects(pending), ensure_ascii=False, separators=(", ", ": "))
    return b', "suggestions": ' + body.encode("utf-8")


@contextlib.contextmanager
def _raw_connection(session: Session) -> Iterator[sqlite3.Connection]:
    """The session's sqlite3 connection, inside its read transaction, giving bytes."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    driver.create_function("curator_json_time", 1, _json_time, deterministic=True)
    factory: Callable[[bytes], object] = driver.text_factory
    driver.text_factory = bytes
    try:
        yield driver
    finally:
        driver.text_factory = factory


def export_jsonl_sqlite(
    db: Database, path: Path, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """Stream the selected documents' lines to *path* (see the module docstring)."""
    if selection.curators is not None:
        _check_curators(db, selection.curators)
    params: dict[str, str] = {}
    if selection.curators is not None:
        params["curators"] = json.dumps(list(selection.curators))
    wanted: list[str] = []
    if selection.documents is not None:
        wanted = list(dict.fromkeys(selection.documents))
        params["documents"] = json.dumps(wanted)
    with db.read() as session, _raw_connection(session) as con:
        relations, n_relations = relation_lines(session, con, selection)
        if selection.documents is not None:
            found = {
                row[0].decode()
                for row in con.execute(
                    "SELECT uid FROM document WHERE uid IN (SELECT value FROM json_each(?))",
                    (params["documents"],),
                )
            }
            missing = next((u for u in wanted if u not in found), None)
            if missing is not None:
                raise NotFoundError(f"no document with id {missing}")
        order = [row[0] for row in con.execute(_order(selection), params)]
        n_docs = len(order)
        (n_spans,) = con.execute(_count_spans(selection), params).fetchone()
        query = _query(selection)
        with atomic_writer(path) as out:
            done = 0
            for first in range(0, n_docs, CHUNK):
                params["chunk"] = json.dumps(order[first : first + CHUNK])
                for head, meta, tail, uid in con.execute(query, params):
                    out.write(head)
                    out.write(_meta(meta))
                    out.write(tail)
                    out.write(relations.get(uid, _NO_RELATIONS))
                    if selection.with_suggestions:
                        out.write(_suggestions(db, uid.decode(), selection))
                    out.write(b"}\n")
                    done += 1
                    if progress:
                        progress(done, n_docs)
    return ExportReport(
        format="jsonl",
        path=path,
        documents=n_docs,
        spans=n_spans,
        files=[path],
        relations=n_relations,
    )


def relation_lines(
    session: Session, con: sqlite3.Connection, selection: Selection
) -> tuple[dict[bytes, bytes], int]:
    """Each document's ``, "relations": [...]`` bytes, read in the export's snapshot,
    and how many relations they hold.

    Relations are few beside spans: they are read as records (with str text,
    for the moment) and written by the same :func:`relation_object` as the
    portable path.
    """
    factory = con.text_factory
    con.text_factory = str
    try:
        return _relation_lines(session, selection)
    finally:
        con.text_factory = factory


def _relation_lines(session: Session, selection: Selection) -> tuple[dict[bytes, bytes], int]:
    from curator.core.interchange.relation_rows import load_relations, relation_object
    from curator.core.storage.models import Document

    query = select(Document.id, Document.uid)
    if selection.documents is not None:
        query = query.where(Document.uid.in_(list(selection.documents)))
    documents = {id_: uid for id_, uid in session.execute(query)}
    found = load_relations(session, documents, selection.curators, selection.with_deleted)
    result = {}
    for doc_id, relations in found.items():
        body = json.dumps(
            [relation_object(r) for r in relations], ensure_ascii=False, separators=(", ", ": ")
        )
        result[documents[doc_id].encode()] = b', "relations": ' + body.encode("utf-8")
    return result, sum(len(r) for r in found.values())
