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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from curator.core.errors import NotFoundError
from curator.core.files.atomic import atomic_writer
from curator.core.interchange.jsonl_relations_sql import relation_lines
from curator.core.interchange.jsonl_shape import SCHEMA_NAME, SCHEMA_VERSION

if TYPE_CHECKING:  # the command's quick path (curator.cli_quick) runs without SQLAlchemy
    from curator.core.interchange.common import ExportReport, Progress, Selection
    from curator.core.interchange.lines_process import LinesProcess
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
# Most notes are empty: their quoting is spelled out instead of computed for every span.
_NOTE = "CASE a.note WHEN '' THEN '\"\"' ELSE json_quote(a.note) END"


def _span_head(names: Names) -> str:
    head = f'json_quote(a.uid), a.start, a."end", {_FRAGMENTS}, {names.label}, '
    return head + f"json_quote(a.text), {names.curator}, a.origin, {_NOTE}"


_NO_RELATIONS = b', "relations": []'


def _json_time(value: object) -> str:
    from curator.core.interchange.jsonl_shape import format_time

    assert isinstance(value, str), value
    stamp = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return json.dumps(format_time(stamp))


def _fast_line(names: Names) -> str:
    stored = '"%.10sT%sZ"'
    time_args = ", ".join(f"a.{c}, substr(a.{c}, 12)" for c in ("created_at", "updated_at"))
    deleted = (
        "CASE WHEN a.deleted_at IS NULL THEN '' ELSE printf(', \"deleted_at\": "
        f"{stored}', a.deleted_at, substr(a.deleted_at, 12)) END"
    )
    fmt = _SPAN_FORMAT.replace("TIME", stored)
    head = _span_head(names)
    return f"printf('{fmt}', {head}, {time_args}, a.revision, a.concepts, {deleted})"


def _slow_line(names: Names) -> str:
    fmt = _SPAN_FORMAT.replace("TIME", "%s")
    deleted = (
        "CASE WHEN a.deleted_at IS NULL THEN '' "
        "ELSE ', \"deleted_at\": ' || curator_json_time(a.deleted_at) END"
    )
    return (
        f"printf('{fmt}', {_span_head(names)}, curator_json_time(a.created_at), "
        f"curator_json_time(a.updated_at), a.revision, a.concepts, {deleted})"
    )


def span_line(names: Names) -> str:
    """The SQL expression of one span's JSON object (``a`` the annotation row)."""
    return f"CASE WHEN {_ALL_STORED} THEN {_fast_line(names)} ELSE {_slow_line(names)} END"


LOOKUP_MAX = 32
"""Labels or curators spelled into the query at most; beyond, each span joins its row."""


class Names(NamedTuple):
    """How the span query spells a span's label and curator, and ranks them by name.

    A handful of labels and curators is the usual database: their quoted names
    (by SQLite's own ``json_quote``) and their rank in name order are spelled
    into the query as ``CASE`` lists, read once in the export's snapshot, instead
    of two joins and two quotings per span. ``where`` keeps exactly the spans
    the joins would keep (and the chosen curators'). Many names: the joins.
    """

    label: str = "json_quote(l.name)"
    curator: str = "json_quote(c.name)"
    label_rank: str = "l.name"
    curator_rank: str = "c.name"
    joins: str = "JOIN curator c ON c.id = a.curator_id JOIN label l ON l.id = a.label_id"
    where: str = ""


_BY_CURATOR = " AND c.name IN (SELECT value FROM json_each(:curators))"


def _literal(value: bytes | str) -> str:
    text = value.decode("utf-8") if isinstance(value, bytes) else value
    return "'" + text.replace("'", "''") + "'"


def _case(column: str, pairs: Sequence[tuple[int, str]]) -> str:
    if not pairs:  # no label, or no curator chosen: no span is selected either
        return "NULL"
    whens = " ".join(f"WHEN {key} THEN {value}" for key, value in pairs)
    return f"CASE {column} {whens} END"


def read_names(con: sqlite3.Connection, params: dict[str, str]) -> Names:
    """The :class:`Names` of this snapshot's labels and (chosen) curators."""
    rank = "row_number() OVER (ORDER BY name)"
    labels = con.execute(f"SELECT id, json_quote(name), {rank} FROM label").fetchall()
    chosen = (
        "WHERE name IN (SELECT value FROM json_each(:curators))" if "curators" in params else ""
    )
    curators = con.execute(
        f"SELECT id, json_quote(name), {rank} FROM curator {chosen}", params
    ).fetchall()
    if len(labels) > LOOKUP_MAX or len(curators) > LOOKUP_MAX:
        return Names(where=_BY_CURATOR if "curators" in params else "")
    label_ids = ", ".join(str(row[0]) for row in labels)
    curator_ids = ", ".join(str(row[0]) for row in curators)
    return Names(
        label=_case("a.label_id", [(row[0], _literal(row[1])) for row in labels]),
        curator=_case("a.curator_id", [(row[0], _literal(row[1])) for row in curators]),
        label_rank=_case("a.label_id", [(row[0], str(row[2])) for row in labels]),
        curator_rank=_case("a.curator_id", [(row[0], str(row[2])) for row in curators]),
        joins="",
        where=f" AND a.label_id IN ({label_ids}) AND a.curator_id IN ({curator_ids})",
    )


CHUNK = 64
"""Documents whose lines one query builds: SQLite sorts a chunk's lines, never the whole export."""


def _order(documents: Sequence[str] | None) -> str:
    """The selected documents' ids in the export order (title, uid)."""
    where = ""
    if documents is not None:
        where = "WHERE d.uid IN (SELECT value FROM json_each(:documents))"
    return f"SELECT d.id FROM document d {where} ORDER BY d.title, d.uid"


def _query(curators: Sequence[str] | None, with_deleted: bool, names: Names) -> str:
    """The lines of the documents whose ids are in ``:chunk``, spans in span_sort_key order.

    The inner ORDER BY feeds group_concat in that order: SQLite runs an
    ordered subquery under an aggregate as a co-routine, never flattened.
    Ordering every document's finished line at once would make SQLite build
    and sort the whole export before the first line comes out (a temporary
    B-tree of the entire file); so the order is read first (ids only) and the
    lines are built a chunk of documents at a time. Nor is a chunk sorted by
    SQLite: its 64 finished lines overflowed the sorter's memory into a
    temporary file, written and read back a page at a time; the rows carry
    the document's id and :func:`_chunk_rows` puts them in order.
    """
    span_where = "a.document_id = d.id" + names.where
    status_where = "s.document_id = d.id"
    if curators is not None:
        status_where += _BY_CURATOR
    if not with_deleted:
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
        SELECT {span_line(names)} AS line FROM annotation a {names.joins}
        WHERE {span_where}
        ORDER BY a.start, a."end", {names.label_rank}, {names.curator_rank}, a.uid)
    ), '') || ']',
  d.uid,
  d.id
FROM document d {doc_where}
"""


def _count_spans(
    curators: Sequence[str] | None, documents: Sequence[str] | None, with_deleted: bool
) -> str:
    where = "1"
    if curators is not None:
        where += " AND c.name IN (SELECT value FROM json_each(:curators))"
    if not with_deleted:
        where += " AND a.deleted_at IS NULL"
    if documents is not None:
        where += " AND d.uid IN (SELECT value FROM json_each(:documents))"
    return f"""
SELECT count(*) FROM annotation a JOIN curator c ON c.id = a.curator_id
JOIN document d ON d.id = a.document_id WHERE {where}
"""


def _meta(raw: bytes | str | None) -> bytes:
    """The ``meta`` object as the Python path writes it: top-level keys sorted."""
    if raw == b"{}":  # most documents: nothing to parse
        return raw
    meta = json.loads(raw) if raw is not None else None
    ordered = dict(sorted((meta or {}).items()))
    return json.dumps(ordered, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8")


class Written(NamedTuple):
    """What :func:`write_jsonl` wrote."""

    documents: int
    spans: int
    relations: int


@contextlib.contextmanager
def _bytes_out(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """*con* giving bytes, with the time function the queries use."""
    con.create_function("curator_json_time", 1, _json_time, deterministic=True)
    factory: Callable[[bytes], object] = con.text_factory
    con.text_factory = bytes
    try:
        yield con
    finally:
        con.text_factory = factory


def _check_documents(con: sqlite3.Connection, wanted: Sequence[str]) -> None:
    """The first of *wanted* (document uids) not stored, as the portable path says it."""
    found = {
        row[0]
        for row in con.execute(
            "SELECT uid FROM document WHERE uid IN (SELECT value FROM json_each(?))",
            (json.dumps(list(wanted)),),
        )
    }
    missing = next((uid for uid in wanted if uid not in found), None)
    if missing is not None:
        raise NotFoundError(f"no document with id {missing}")


class Steps:
    """*progress* told of each document written, or of the rest at once (a child's part)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def finished(self) -> None:
        if self.progress:
            self.progress(self.total, self.total)


def _check_curators(con: sqlite3.Connection, names: Sequence[str]) -> None:
    known = {name for (name,) in con.execute("SELECT name FROM curator")}
    missing = [n for n in names if n not in known]
    if missing:
        listed = ", ".join(sorted(known)) or "none yet"
        raise NotFoundError(f"no curator named {missing[0]!r} (curators: {listed})")


Row = tuple[bytes, bytes, bytes, bytes, int]
"""A line of :func:`_query`: before ``meta``, ``meta``, after it, the uid, the document's id."""


def _chunk_rows(
    con: sqlite3.Connection, query: str, params: dict[str, str], order: Sequence[int]
) -> Iterator[Row]:
    """The rows of :func:`_query`, a chunk of documents at a time, in export order."""
    for first in range(0, len(order), CHUNK):
        ids = order[first : first + CHUNK]
        rows: list[Row] = con.execute(query, {**params, "chunk": json.dumps(ids)}).fetchall()
        place = {doc_id: at for at, doc_id in enumerate(ids)}
        rows.sort(key=lambda row: place[row[4]])
        yield from rows


def _write_lines(
    out: IO[bytes],
    rows: Iterator[Row],
    relations: dict[bytes, bytes],
    suggestions: Callable[[str], bytes] | None = None,
    progress: Callable[[], None] | None = None,
) -> None:
    for head, meta, tail, uid, _id in rows:
        out.write(head)
        out.write(_meta(meta))
        out.write(tail)
        out.write(relations.get(uid, _NO_RELATIONS))
        if suggestions is not None:
            out.write(suggestions(uid.decode()))
        out.write(b"}\n")
        if progress:
            progress()


def _job_params(job: dict[str, Any]) -> dict[str, str]:
    return {} if job["curators"] is None else {"curators": json.dumps(job["curators"])}


def write_part(con: sqlite3.Connection, out: IO[bytes], job: dict[str, Any]) -> None:
    """The lines of the documents ``job["ids"]`` (in that order), for :mod:`.lines_process`.

    *con* reads the command's snapshot; the names and relations are read again in it.
    """
    curators, with_deleted = job["curators"], job["with_deleted"]
    relations, _ = relation_lines(con, curators, None, with_deleted)
    with _bytes_out(con):
        params = _job_params(job)
        query = _query(curators, with_deleted, read_names(con, params))
        _write_lines(out, _chunk_rows(con, query, params, job["ids"]), relations)


HELPED = 2 * CHUNK
"""Documents from which the second process is asked for the later half."""


def write_jsonl(
    con: sqlite3.Connection,
    path: Path,
    *,
    curators: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    with_deleted: bool = False,
    suggestions: Callable[[str], bytes] | None = None,
    progress: Progress | None = None,
    helper: LinesProcess | None = None,
) -> Written:
    """Stream the selected documents' lines to *path* (see the module docstring).

    *con* is a plain ``sqlite3`` connection inside a read transaction: every
    query sees one snapshot. *suggestions* gives a document's ``, "suggestions":
    [...]`` bytes by its uid, when they are asked for. *helper*, a second
    process pinned to the same snapshot (:mod:`.lines_process`), builds the
    later half of the lines meanwhile (not with *suggestions*).
    """
    params: dict[str, str] = {}
    if curators is not None:
        _check_curators(con, curators)
        params["curators"] = json.dumps(list(curators))
    wanted: list[str] = []
    if documents is not None:
        wanted = list(dict.fromkeys(documents))
        params["documents"] = json.dumps(wanted)
    if documents is not None:
        _check_documents(con, wanted)
    relations, n_relations = relation_lines(con, curators, documents, with_deleted)
    with _bytes_out(con):
        order = [row[0] for row in con.execute(_order(documents), params)]
        n_docs = len(order)
        (n_spans,) = con.execute(_count_spans(curators, documents, with_deleted), params).fetchone()
        query = _query(curators, with_deleted, read_names(con, params))
        split = n_docs
        if helper is not None and suggestions is None and n_docs >= HELPED:
            chosen = None if curators is None else list(curators)
            job = {"kind": "jsonl", "curators": chosen, "with_deleted": with_deleted}
            split = helper.take_later_half(job, order)
        step = Steps(progress, n_docs)
        with atomic_writer(path) as out:
            first, later = order[:split], order[split:]
            _write_lines(out, _chunk_rows(con, query, params, first), relations, suggestions, step)
            if helper is not None and later and helper.copy_into(out):
                step.finished()
            elif later:
                rows = _chunk_rows(con, query, params, later)
                _write_lines(out, rows, relations, suggestions, step)
    return Written(n_docs, n_spans, n_relations)


def export_jsonl_sqlite(
    db: Database, path: Path, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """:func:`write_jsonl` on the database's own connection, in one read transaction."""
    from curator.core.interchange.common import ExportReport

    suggestions = None
    if selection.with_suggestions:

        def suggestions(uid: str) -> bytes:
            return _suggestions(db, uid, selection)

    with db.read() as session:
        driver = session.connection().connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        written = write_jsonl(
            driver,
            path,
            curators=selection.curators,
            documents=selection.documents,
            with_deleted=selection.with_deleted,
            suggestions=suggestions,
            progress=progress,
        )
    return ExportReport(
        format="jsonl",
        path=path,
        documents=written.documents,
        spans=written.spans,
        files=[path],
        relations=written.relations,
    )


def _suggestions(db: Database, uid: str, selection: Selection) -> bytes:
    from curator.core.interchange.common import _pending
    from curator.core.interchange.jsonl_shape import suggestion_objects

    pending = _pending(db, [uid], selection)[uid]
    body = json.dumps(suggestion_objects(pending), ensure_ascii=False, separators=(", ", ": "))
    return b', "suggestions": ' + body.encode("utf-8")
