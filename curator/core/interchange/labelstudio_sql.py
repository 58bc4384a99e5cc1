"""Label Studio tasks on SQLite, built by SQLite itself and streamed to the file.

The portable export (:func:`curator.core.interchange.labelstudio.task_json`)
makes a :class:`Span` of every row, parses its timestamps and spells each
region in Python: most of the export's time at 200,000 spans. Here, as for
the JSONL export (:mod:`.jsonl_sql`), one query per chunk of documents returns
each task's finished line: ``json_quote`` escapes strings as ``json.dumps``
does with ``ensure_ascii=False``, the key order and separators are spelled
out, a span's concepts are copied as stored (their stored spelling is the one
``json.dumps`` writes), and the annotation's first and last times are the
least and greatest stored spellings.

That holds for the usual selection only. When it holds a span in pieces (a
loss to name), a relation (links, and notes to name as lost), or a timestamp
that another tool spelled its own way (its order is not its spelling's), this
module writes nothing and says so, and the portable path runs: its output is
the definition, and the tests compare both on the same databases.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from curator.core.files.atomic import atomic_writer
from curator.core.interchange.jsonl_relations_sql import _relations_query
from curator.core.interchange.jsonl_sql import (
    _ALL_STORED,
    CHUNK,
    Steps,
    _bytes_out,
    _check_curators,
    _check_documents,
    _count_spans,
    _order,
    read_names,
)

if TYPE_CHECKING:  # the command's quick path runs without SQLAlchemy
    from curator.core.interchange.common import Progress
    from curator.core.interchange.lines_process import LinesProcess

# The region of a span, and its note's region when it has a note (``a`` the span).
_REGION = (
    '{"id": %s, "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual", '
    '"value": {"start": %d, "end": %d, "text": %s, "labels": [%s]}%s}%s'
)
_NOTE_REGION = (
    ', {"id": %s, "from_name": "note", "to_name": "text", "type": "textarea", '
    '"origin": "manual", "value": {"start": %d, "end": %d, "text": [%s]}}'
)
_META = (
    "CASE a.concepts WHEN '[]' THEN '' ELSE ', \"meta\": {\"concepts\": ' || a.concepts || '}' END"
)
_NOTE = (
    f"CASE a.note WHEN '' THEN '' ELSE printf('{_NOTE_REGION}', json_quote(a.uid), "
    'a.start, a."end", json_quote(a.note)) END'
)
_TIMES = '\', "created_at": "%.10sT%sZ", "updated_at": "%.10sT%sZ"\''


class Written(NamedTuple):
    """What :func:`write_tasks` wrote."""

    documents: int
    spans: int


def _selected(documents: Sequence[str] | None, curators: Sequence[str] | None) -> str:
    where = "a.deleted_at IS NULL"
    if curators is not None:
        where += " AND a.curator_id IN (SELECT id FROM curator WHERE name IN "
        where += "(SELECT value FROM json_each(:curators)))"
    if documents is not None:
        where += " AND a.document_id IN (SELECT id FROM document WHERE uid IN "
        where += "(SELECT value FROM json_each(:documents)))"
    return where


def portable_only(
    con: sqlite3.Connection, documents: Sequence[str] | None, curators: Sequence[str] | None
) -> bool:
    """Whether the selection holds what only the portable path writes exactly.

    A span in pieces, a relation, or a span time not spelled as this app stores it.
    """
    params = _params(documents, curators)
    odd = f"a.fragments IS NOT NULL OR NOT ({_ALL_STORED})"
    spans = f"SELECT EXISTS (SELECT 1 FROM annotation a WHERE {_selected(documents, curators)} "
    (found,) = con.execute(spans + f"AND ({odd}))", params).fetchone()
    if found:
        return True
    relations = _relations_query(curators, documents, with_deleted=False)
    (found,) = con.execute(f"SELECT EXISTS ({relations})", params).fetchone()
    return bool(found)


def _params(documents: Sequence[str] | None, curators: Sequence[str] | None) -> dict[str, str]:
    params = {}
    if curators is not None:
        params["curators"] = json.dumps(list(curators))
    if documents is not None:
        params["documents"] = json.dumps(list(dict.fromkeys(documents)))
    return params


def _export_curators(
    con: sqlite3.Connection, documents: Sequence[str] | None, curators: Sequence[str] | None
) -> list[int]:
    """The ids of the curators the export speaks for, in name order (``curators_of``)."""
    params = _params(documents, curators)
    if curators is not None:
        query = (
            "SELECT id, name FROM curator WHERE name IN (SELECT value FROM json_each(:curators))"
        )
    else:
        query = (
            "SELECT c.id, c.name FROM curator c WHERE EXISTS (SELECT 1 FROM annotation a "
            f"WHERE a.curator_id = c.id AND {_selected(documents, None)})"
        )
    rows = con.execute(query, params).fetchall()
    return [row[0] for row in sorted(rows, key=lambda row: row[1])]


def _query(names_label: str, label_rank: str, joins: str, where: str) -> str:
    """Each task's line for the documents whose ids are in ``:chunk``, and the document's id.

    ``:ids`` lists the export's curators' ids in name order; a curator has an
    annotation on a document where it has spans or a status (as ``task``).
    """
    own = "a.document_id = d.id AND a.curator_id = k.value AND a.deleted_at IS NULL" + where
    region = (
        f"printf('{_REGION}', json_quote(a.uid), a.start, a.\"end\", json_quote(a.text), "
        f"{names_label}, {_META}, {_NOTE})"
    )
    regions = (
        f"SELECT group_concat(r, ', ') FROM (SELECT {region} AS r FROM annotation a {joins} "
        f'WHERE {own} ORDER BY a.start, a."end", {label_rank}, a.uid)'
    )
    times = (
        f"SELECT printf({_TIMES}, least, substr(least, 12), most, substr(most, 12)) FROM "
        f"(SELECT min(a.created_at) AS least, max(a.updated_at) AS most FROM annotation a "
        f"{joins} WHERE {own}) WHERE least IS NOT NULL"
    )
    annotation = (
        "'{\"curator\": ' || (SELECT json_quote(name) FROM curator WHERE id = k.value) "
        f"|| ', \"result\": [' || coalesce(({regions}), '') "
        '|| \'], "ground_truth": false, "was_cancelled": false\' '
        f"|| coalesce(({times}), '') || '}}'"
    )
    has = (
        f"EXISTS (SELECT 1 FROM annotation a {joins} WHERE {own}) OR EXISTS (SELECT 1 FROM "
        "document_status s WHERE s.document_id = d.id AND s.curator_id = k.value)"
    )
    return f"""
SELECT
  '{{"data": {{"text": ' || json_quote(d.text) || ', "title": ' || json_quote(d.title)
    || ', "document_id": ' || json_quote(d.uid) || '}}, "meta": {{"document_id": '
    || json_quote(d.uid) || '}}, "annotations": [' || coalesce((
      SELECT group_concat(annotation, ', ') FROM (
        SELECT {annotation} AS annotation FROM json_each(:ids) k WHERE {has} ORDER BY k.key)
    ), '') || ']}}',
  d.id
FROM document d WHERE d.id IN (SELECT value FROM json_each(:chunk))
"""


def _tasks_query(con: sqlite3.Connection, params: dict[str, str]) -> str:
    names = read_names(con, {k: v for k, v in params.items() if k == "curators"})
    return _query(names.label, names.label_rank, names.joins, names.where)


def _write_lines(
    con: sqlite3.Connection,
    out: IO[bytes],
    query: str,
    params: dict[str, str],
    order: Sequence[int],
    *,
    first: bool,
    step: Callable[[], None] | None = None,
) -> None:
    """The tasks of the documents *order*, each after a line break, and a comma but the
    *first* of the file."""
    lead = b"\n" if first else b",\n"
    for at in range(0, len(order), CHUNK):
        chunk = order[at : at + CHUNK]
        values = {**params, "chunk": json.dumps(chunk)}
        lines = {row[1]: row[0] for row in con.execute(query, values)}
        for doc_id in chunk:
            out.write(lead)
            out.write(lines[doc_id])
            lead = b",\n"
            if step:
                step()


def write_part(con: sqlite3.Connection, out: IO[bytes], job: dict[str, Any]) -> None:
    """The tasks of the documents ``job["ids"]`` for :mod:`.lines_process` (they follow the
    command's own)."""
    with _bytes_out(con):
        params = {**job["params"], "ids": job["curators"]}
        query = _tasks_query(con, job["params"])
        _write_lines(con, out, query, params, job["ids"], first=False)


HELPED = 2 * CHUNK
"""Documents from which the second process is asked for the later half."""


def write_tasks(
    con: sqlite3.Connection,
    path: Path,
    *,
    curators: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    progress: Progress | None = None,
    checked: bool = False,
    helper: LinesProcess | None = None,
) -> Written | None:
    """Stream the selected documents' tasks to *path*, or None when the portable path must.

    *con* is a plain ``sqlite3`` connection inside a read transaction: every
    query sees one snapshot. Unknown curators and documents are the same
    errors as the portable path's; None means nothing was written. *checked*:
    the caller found :func:`portable_only` false in this snapshot already.
    *helper*, a second process pinned to the same snapshot
    (:mod:`.lines_process`), builds the later half of the tasks meanwhile.
    """
    params = _params(documents, curators)
    if curators is not None:
        _check_curators(con, curators)
    if documents is not None:
        _check_documents(con, json.loads(params["documents"]))
    if not checked and portable_only(con, documents, curators):
        return None
    query = _tasks_query(con, params)
    ids = json.dumps(_export_curators(con, documents, curators))
    order = [row[0] for row in con.execute(_order(documents), params)]
    (n_spans,) = con.execute(_count_spans(curators, documents, False), params).fetchone()
    split = len(order)
    if helper is not None and len(order) >= HELPED:
        job = {"kind": "labelstudio", "params": params, "curators": ids}
        split = helper.take_later_half(job, order)
    step = Steps(progress, len(order))
    with _bytes_out(con), atomic_writer(path) as out:
        out.write(b"[")
        mine, later = order[:split], order[split:]
        values = {**params, "ids": ids}
        _write_lines(con, out, query, values, mine, first=True, step=step)
        if helper is not None and later and helper.copy_into(out):
            step.finished()
        elif later:
            _write_lines(con, out, query, values, later, first=not mine, step=step)
        out.write(b"\n]\n" if order else b"]\n")
    return Written(len(order), n_spans)
