"""Progress per curator: documents done, in progress and untouched, and the time spent.

Time is active annotation time (:mod:`.active_time`); the time per done
document counts only the documents that are done, so a curator half way
through a long article does not look slow or fast because of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from curator.core.storage.db import Database
from curator.core.storage.models import Curator, Document, DocumentStatus


@dataclass(frozen=True, slots=True)
class CuratorProgress:
    curator: str
    documents: int  # in the database
    done: int
    in_progress: int
    active_seconds: int  # over every document
    done_seconds: int  # over the done documents

    @property
    def untouched(self) -> int:
        return self.documents - self.done - self.in_progress

    @property
    def seconds_per_done(self) -> float | None:
        return self.done_seconds / self.done if self.done else None

    def to_json(self) -> dict[str, object]:
        per_done = self.seconds_per_done
        return {
            "curator": self.curator,
            "documents": self.documents,
            "done": self.done,
            "in_progress": self.in_progress,
            "new": self.untouched,
            "active_seconds": self.active_seconds,
            "seconds_per_done_document": None if per_done is None else round(per_done, 1),
        }


def progress_report(db: Database) -> list[CuratorProgress]:
    """One row per curator with a status or time on any document, by name."""
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(Document)) or 0
        rows = session.execute(
            select(Curator.name, DocumentStatus.status, DocumentStatus.active_seconds).join(
                Curator, Curator.id == DocumentStatus.curator_id
            )
        ).all()
    by: dict[str, list[int]] = {}
    for name, status, seconds in rows:
        done, started, active, done_time = by.setdefault(name, [0, 0, 0, 0])
        by[name] = [
            done + (status == "done"),
            started + (status == "in_progress"),
            active + int(seconds),
            done_time + (int(seconds) if status == "done" else 0),
        ]
    return [
        CuratorProgress(name, total, done, started, active, done_time)
        for name, (done, started, active, done_time) in sorted(by.items())
    ]
