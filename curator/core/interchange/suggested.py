"""Proposals in other tools' files (Label Studio predictions) become suggestions, not spans.

A model's prediction is not a curator's decision: it is stored as a pending
suggestion of the importing curator, which the app offers with Tab like its
own suggestions. One row per (document, curator, place, label), so importing
the same file twice adds nothing the second time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from curator.core.errors import CuratorError, InputError
from curator.core.interchange.jsonl_read import LineError
from curator.core.storage.curators import validate_name
from curator.core.storage.models import Suggestion, utcnow

if TYPE_CHECKING:
    from curator.core.interchange.foreign import Record
    from curator.core.interchange.jsonl_store import BulkStore


def store_suggestions(store: BulkStore, records: list[Record]) -> None:
    path = store.report.path
    if store.curator is None:
        raise InputError(path, "holds predictions; name the curator they are for (--curator)")
    try:
        name = validate_name(store.curator)
    except CuratorError as exc:
        raise InputError(path, str(exc)) from None
    cur_id = store._curator_id(name)
    for record in records:
        doc_id = store.doc_ids[record.uid]
        held = {
            (row.start, row.end, row.label_id)
            for row in store.session.execute(
                select(Suggestion.start, Suggestion.end, Suggestion.label_id).where(
                    Suggestion.document_id == doc_id, Suggestion.curator_id == cur_id
                )
            )
        }
        for item, line in zip(record.suggestions, record.suggestion_lines, strict=True):
            start, end = item["start"], item["end"]
            if record.text != record.obj["text"] or record.text[start:end] != item["text"]:
                raise InputError(
                    path,
                    f"the prediction's text at {start}-{end} is "
                    f"{record.text[start:end]!r}, not {item['text']!r}",
                    line,
                )
            try:
                label_id = store._label_id(item["label"])
            except LineError as exc:
                raise InputError(path, str(exc), line) from None
            if (start, end, label_id) in held:
                continue
            held.add((start, end, label_id))
            now = utcnow()
            store.session.add(
                Suggestion(
                    document_id=doc_id,
                    curator_id=cur_id,
                    label_id=label_id,
                    start=start,
                    end=end,
                    text=item["text"],
                    source=item["source"][:100],
                    state="pending",
                    created_at=now,
                    updated_at=now,
                )
            )
            store.report.suggestions_added += 1
    store.session.flush()
