"""Importing JSONL: all or nothing, and safe to repeat.

The whole file is one transaction: the first bad line raises an InputError
naming the file and line, and the database is left as it was. Lines of our
own schema restore spans with their uids and history; when a uid is already
stored, the later ``updated_at`` wins and a tie keeps what is stored, the
same rule as merging, so importing a file twice changes nothing. Spans from
other tools become new spans of ``curator`` with origin ``imported``, and a
span the curator already has (same place, same label) is not added twice.

Every line is checked here, in Python, before it is queued; the writing is
done in batches by :class:`~curator.core.interchange.jsonl_store.BulkStore`.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from sqlalchemy.orm import Session

from curator.core import collector
from curator.core.errors import InputError
from curator.core.files.inputs import line_limit, read_input, size_text, span_file_limit
from curator.core.interchange.common import Progress
from curator.core.interchange.jsonl_read import LineError, parse_line
from curator.core.interchange.jsonl_store import BulkStore, ImportReport, large_page_cache
from curator.core.interchange.labels_file import CarriedLabels, merge_label_file
from curator.core.safe_text import UnsafeJSONError, loads, value_problem
from curator.core.storage.db import Database
from curator.core.storage.retry import retried

__all__ = ["ImportReport", "import_jsonl", "import_jsonl_in"]


@retried
def import_jsonl(
    db: Database,
    path: Path | str,
    *,
    curator: str | None = None,
    add_labels: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one JSONL file in one transaction (see the module docstring).

    *curator* owns spans from other tools' lines; *progress* is called with
    (bytes read, bytes in the file), since the number of lines is not known
    before the end.
    """
    with collector.paused(), db.write(bulk=True) as session:
        return import_jsonl_in(
            session, Path(path), curator=curator, add_labels=add_labels, progress=progress
        )


def import_jsonl_in(
    session: Session,
    path: Path,
    *,
    curator: str | None = None,
    add_labels: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """The same, inside a transaction the caller owns (a mixed import of several files)."""
    data = read_input(path, span_file_limit(), "a span file", "CURATOR_MAX_SPAN_FILE_MB")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    with large_page_cache(session):
        carried = merge_label_file(session, path)  # the label set beside it, merged first
        store = BulkStore(session, path, curator, add_labels)
        if carried is not None:
            adopt_label_file(store, carried)
        return _import(path, data, store, progress)


def adopt_label_file(store: BulkStore, carried: CarriedLabels) -> None:
    """Read the lines' label names as the label file meant them, and report its changes.

    A retirement the file brings does not bind the file's own spans (they
    were made where the label was still in use); one this database held, and
    the file did not undo, does.
    """
    store.labels.update(carried.ids)
    store.retired = {k: v for k, v in store.retired.items() if k in carried.retired_before}
    store.report.labels_merged = carried.changes()


def _import(path: Path, data: bytes, store: BulkStore, progress: Progress | None) -> ImportReport:
    offset = 0
    longest = line_limit()
    for number, raw in enumerate(data.split(b"\n"), 1):
        offset += len(raw) + 1
        if not raw.strip():
            continue
        try:
            if len(raw) > longest:
                raise LineError(
                    f"is {size_text(len(raw))}, over the {size_text(longest)} limit for one "
                    "line (set CURATOR_MAX_LINE_MB to raise it)"
                )
            store.add(parse_line(_decode(raw), store.plain_rows), number)
        except LineError as exc:
            store.flush()  # a problem on an earlier, queued line is reported first
            raise InputError(path, str(exc), number) from None
        store.report.lines += 1
        if progress:
            progress(min(offset, len(data)), len(data))
    store.flush()
    if store.report.lines == 0:
        raise InputError(path, "holds no JSON lines")
    return store.report


def _decode(raw: bytes) -> object:
    if b"\x00" in raw:
        raise LineError("contains NUL bytes; this looks like a binary file, not JSONL")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    try:
        obj = loads(line)
    except UnsafeJSONError as exc:
        raise LineError(str(exc)) from None
    # A NUL or a lone surrogate can only come from a \u escape (the bytes are UTF-8 and
    # hold no NUL), so only a line that has one is walked: most lines are not.
    if b"\\u" in raw and (_ESCAPES.search(raw) is not None):
        problem = value_problem(obj)
        if problem:
            raise LineError(problem)
    return obj


_ESCAPES = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
