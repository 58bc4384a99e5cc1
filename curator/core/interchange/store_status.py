"""Document status rows an import writes: progress and active time only go forward.

A line of our own schema brings each curator's status and active time; the
furthest status and the larger time win, as in a merge. Documents an import
made itself have no status rows yet: those of curators it gave spans to are
written in one batch with the spans (:func:`insert_started`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update

from curator.core.storage.db import upsert_statement
from curator.core.storage.models import STATUSES, DocumentStatus, utcnow

if TYPE_CHECKING:
    from curator.core.interchange.jsonl_store import BulkStore


def write_status(store: BulkStore, doc_id: int, status: dict[str, str], new: bool) -> None:
    """Progress never goes back on import: the furthest of the two states is kept."""
    if not status:
        return
    if store.started:  # rows of earlier lines, which this line's status may meet
        insert_started(store)
    ids = {name: store._curator_id(name) for name in status}
    held: dict[int, str] = {}
    if not new:
        query = select(DocumentStatus.curator_id, DocumentStatus.status).where(
            DocumentStatus.document_id == doc_id
        )
        if not store.sqlite:  # the app may be moving it on right now: wait, then compare
            query = query.with_for_update()
        held = {cur_id: value for cur_id, value in store.session.execute(query)}
    now = utcnow()
    for name, value in status.items():
        cur_id = ids[name]
        if cur_id not in held:
            # The curator may be making this row in the app right now (a first
            # edit on a shared server): then it is there, and the rule below applies.
            made = store.session.execute(
                upsert_statement(store.session, DocumentStatus)
                .values(document_id=doc_id, curator_id=cur_id, status=value, updated_at=now)
                .on_conflict_do_nothing()
            )
            if made.rowcount:  # type: ignore[attr-defined]
                continue
            made_elsewhere = select(DocumentStatus.status).where(
                DocumentStatus.document_id == doc_id, DocumentStatus.curator_id == cur_id
            )
            held[cur_id] = store.session.scalars(made_elsewhere).one()
        if STATUSES.index(value) > STATUSES.index(held[cur_id]):
            store.session.execute(
                update(DocumentStatus)
                .where(DocumentStatus.document_id == doc_id)
                .where(DocumentStatus.curator_id == cur_id)
                .values(status=value, updated_at=now)
            )


def write_active_time(store: BulkStore, doc_id: int, active: dict[str, int]) -> None:
    """Active time only grows: the larger of the file's and the database's is kept."""
    for name, seconds in active.items():
        cur_id = store._curator_id(name)
        store.session.execute(
            upsert_statement(store.session, DocumentStatus)
            .values(document_id=doc_id, curator_id=cur_id, status="new")
            .on_conflict_do_nothing()
        )
        store.session.execute(
            update(DocumentStatus)
            .where(DocumentStatus.document_id == doc_id)
            .where(DocumentStatus.curator_id == cur_id)
            .where(DocumentStatus.active_seconds < seconds)
            .values(active_seconds=seconds)
        )


def insert_started(store: BulkStore) -> None:
    """Status rows of documents this import made and added spans to: in progress."""
    started, store.started = store.started, []
    now = utcnow()
    rows = [
        {"document_id": doc, "curator_id": cur, "status": "in_progress", "updated_at": now}
        for doc, cur in dict.fromkeys(started)
    ]
    statement = upsert_statement(store.session, DocumentStatus).on_conflict_do_nothing()
    store.session.execute(statement, rows)
