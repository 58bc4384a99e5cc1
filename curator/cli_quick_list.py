"""``curator list`` of a SQLite file, taken before the full command line.

``curator list`` is what scripts run most, and on a small database almost all
of its time was the start of the full command line: SQLAlchemy, the models
and every command's module, for three queries. As for the JSONL export
(:mod:`curator.cli_quick`, whose checks this shares), the entry point asks
here first, and this runs the command only when it is one it takes in full:

- the arguments are the global ``--db``, ``--curator`` and ``-q`` before
  ``list``, with at most ``--json`` after it, spelled out;
- the database is an existing SQLite file in WAL mode at the schema this code
  ships, which this process can write (the full start's probe), under a path
  SQLAlchemy would spell the same way;
- no ``CURATOR_*`` variable is set that the full start would check.

Anything else goes to :func:`curator.cli.main`. What it prints, on stdout and
stderr, is what the full command prints, byte for byte (the tests run both).
"""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

from curator.cli_quick import (
    DeclinedError,
    _Export,
    check_environment,
    database_file,
    parse_globals,
    snapshot,
)

# Paths that a SQLAlchemy URL holds unchanged (no escapes, queries or fragments):
# the "no documents yet" message names the database as the full start does.
_PLAIN_PATH = re.compile(r"[\w./+=,-]+")

_DOCUMENTS = "SELECT id, uid, title, length(text) FROM document ORDER BY title, id"
_COUNTS = """
SELECT a.document_id, c.name, count(*) FROM annotation a JOIN curator c ON c.id = a.curator_id
WHERE a.deleted_at IS NULL GROUP BY a.document_id, c.name
"""
_STATUS = """
SELECT s.document_id, c.name, s.status, s.active_seconds FROM document_status s
JOIN curator c ON c.id = s.curator_id
"""


def parse(argv: list[str]) -> tuple[_Export, bool]:
    """The global options and ``--json``, or :class:`DeclinedError`."""
    command = _Export()
    at = parse_globals(argv, command)
    rest = argv[at + 1 :]
    if argv[at : at + 1] != ["list"] or rest not in ([], ["--json"]):
        raise DeclinedError
    return command, bool(rest)


def _rows(
    con: sqlite3.Connection,
) -> list[tuple[str, str, int, dict[str, int], dict[str, str], dict[str, int]]]:
    """As ``documents.list_documents``: each document's uid, title, length and per-curator
    span counts, statuses and active seconds, names sorted."""
    docs = con.execute(_DOCUMENTS).fetchall()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for doc_id, name, n in con.execute(_COUNTS):
        counts[doc_id][name] = n
    status: dict[int, dict[str, str]] = defaultdict(dict)
    active: dict[int, dict[str, int]] = defaultdict(dict)
    for doc_id, name, value, seconds in con.execute(_STATUS):
        status[doc_id][name] = value
        active[doc_id][name] = int(seconds)
    return [
        (
            uid,
            title,
            length or 0,
            dict(sorted(counts[doc_id].items())),
            dict(sorted(status[doc_id].items())),
            dict(sorted(active[doc_id].items())),
        )
        for doc_id, uid, title, length in docs
    ]


def _print(
    rows: list[tuple[str, str, int, dict[str, int], dict[str, str], dict[str, int]]],
    as_json: bool,
    path: Path,
) -> None:
    """What ``cli.cmd_list`` prints for these rows."""
    if as_json:
        keys = ("id", "title", "length", "spans", "status", "active_seconds")
        out = [dict(zip(keys, row, strict=True)) for row in rows]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        where = shlex.quote(str(path))
        print(
            f"no documents yet; add some with: curator --db {where} import PATH...", file=sys.stderr
        )
        return
    print(f"{'id':12}  {'length':>7}  {'spans':20}  {'status':24}  title")
    for uid, title, length, spans, status, _active in rows:
        counted = ", ".join(f"{k}:{v}" for k, v in spans.items()) or "-"
        states = ", ".join(f"{k}:{v}" for k, v in status.items()) or "-"
        shown = title if len(title) <= 70 else title[:69] + "…"
        print(f"{uid[:12]}  {length:>7}  {counted:20}  {states:24}  {shown}")


def run_list(argv: list[str]) -> int:
    """Run ``curator list``; :class:`DeclinedError` when the full command must."""
    command, as_json = parse(argv)
    check_environment(command)
    path = database_file(command)
    if not _PLAIN_PATH.fullmatch(str(path)):
        raise DeclinedError
    with snapshot(path) as (con,):
        rows = _rows(con)
    try:
        _print(rows, as_json, path)
        sys.stdout.flush()  # here, so that a closed pipe is seen here and not at exit
    except BrokenPipeError:
        from curator.cli import _reader_went_away

        return _reader_went_away()
    return 0
