"""An import adds no span to a label retired in the database (:mod:`..labels.retired`).

Checked per line, before the line is queued, so the refusal names the file
and line and nothing of the file is written. What is not a new span passes:
a deleted span (a tombstone), and a span of our own schema made before the
label was retired here (history: another curator's work from before the
retirement, or this database's own export coming back). Spans of other
tools' files are made by the import, now, so a retired label refuses them.
A label the import's own label file brings back (a later restore) is no
longer retired when the lines are read.
"""

from __future__ import annotations

import datetime as dt

from curator.core.interchange.jsonl_read import IncomingDocument
from curator.core.interchange.line_error import LineError
from curator.core.labels.retired import retired_message


def refuse_retired_spans(
    doc: IncomingDocument, ids: dict[str, int], retired: dict[int, dt.datetime]
) -> None:
    """Raise :class:`LineError` ("span N: ...") for the first new span on a retired label."""
    for number, span in enumerate(doc.spans, 1):
        since = retired.get(ids[span.label])
        if since is None or span.deleted_at is not None:
            continue
        made = span.created_at if doc.own else None
        if made is None or made.astimezone(dt.UTC).replace(tzinfo=None) > since:
            raise LineError(f"span {number}: {retired_message(span.label, since)}")
