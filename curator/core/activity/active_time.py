"""Active annotation time: the time between a curator's actions, each gap capped.

The app calls :meth:`ActiveClock.touch` on every key press, click and
scroll in the window while a document is open. The time from one action to
the next counts, but never more than :data:`GAP_CAP_SECONDS` (two minutes):
reading a paragraph counts, lunch does not. The total only grows for one
curator and document, so merges keep the larger of two values.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from curator.core.articles.documents import document_id
from curator.core.storage.curators import curator_id
from curator.core.storage.db import Database, insert_if_missing
from curator.core.storage.models import Curator, Document, DocumentStatus
from curator.core.storage.retry import retried

GAP_CAP_SECONDS = 120.0
FLUSH_SECONDS = 30  # how often the app stores what it counted: a kill loses less than this


class ActiveClock:
    """Counts active seconds from action times (any monotonic clock, in seconds)."""

    def __init__(self, cap: float = GAP_CAP_SECONDS) -> None:
        self.cap = cap
        self.last: float | None = None
        self.pending = 0.0

    def touch(self, now: float) -> None:
        """An action at *now*: the gap since the previous one counts, capped."""
        if self.last is not None:
            self.pending += min(max(now - self.last, 0.0), self.cap)
        self.last = now

    def take(self) -> int:
        """Whole seconds counted since the last take; the fraction stays for the next."""
        whole = int(self.pending)
        self.pending -= whole
        return whole

    def pause(self) -> None:
        """The document was closed or left: the next action starts afresh."""
        self.last = None


@retried
def add_active_seconds(db: Database, uid: str, curator: str, seconds: int) -> None:
    """Add *seconds* to the curator's active time on document *uid*."""
    if seconds <= 0:
        return
    with db.write() as session:
        doc_id = document_id(session, uid)
        cur_id = curator_id(session, curator)
        assert cur_id is not None
        insert_if_missing(
            session, DocumentStatus, document_id=doc_id, curator_id=cur_id, status="new"
        )
        session.execute(
            update(DocumentStatus)
            .where(DocumentStatus.document_id == doc_id, DocumentStatus.curator_id == cur_id)
            .values(active_seconds=DocumentStatus.active_seconds + seconds)
        )


def active_seconds(
    db: Database, curator: str | None = None, uids: Sequence[str] | None = None
) -> dict[str, dict[str, int]]:
    """document uid -> curator -> active seconds (only non-zero times)."""
    query = (
        select(Document.uid, Curator.name, DocumentStatus.active_seconds)
        .join(Document, Document.id == DocumentStatus.document_id)
        .join(Curator, Curator.id == DocumentStatus.curator_id)
        .where(DocumentStatus.active_seconds > 0)
    )
    if curator is not None:
        query = query.where(Curator.name == curator)
    if uids is not None:
        query = query.where(Document.uid.in_(list(uids)))
    out: dict[str, dict[str, int]] = {}
    with db.read() as session:
        for uid, name, seconds in session.execute(query):
            out.setdefault(uid, {})[name] = int(seconds)
    return {uid: dict(sorted(times.items())) for uid, times in out.items()}


def minutes(seconds: int) -> str:
    """A time as the list shows it: "under a minute", "12 min", "2 h 05 min"."""
    if seconds < 60:
        return "under a minute" if seconds else "none"
    whole = seconds // 60
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"
