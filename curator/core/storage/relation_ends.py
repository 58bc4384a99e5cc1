"""A span's tombstone reaches its relations: the one rule both spans and relations obey.

Every path that deletes a span (an edit, undoing an accepted suggestion, a
review retiring its own span) calls :func:`tombstone_relations_of` in the
same transaction, with the span's own ``deleted_at``; every path that brings
a span back calls :func:`restore_relations_of` with the timestamp the span
carried. So undo restores exactly the relations that went with the span and
none that had been deleted on their own before. Kept in storage (beside the
tables, below spans and relations alike) so both may call it without an
import cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import cast

from sqlalchemy import ColumnElement, Table, or_, update
from sqlalchemy.orm import Session

from curator.core.storage.models import Relation, utcnow

_TABLE = cast(Table, Relation.__table__)


def _touching(span_uids: Collection[str]) -> ColumnElement[bool]:
    uids = list(span_uids)
    return or_(_TABLE.c.head_uid.in_(uids), _TABLE.c.tail_uid.in_(uids))


def tombstone_relations_of(session: Session, span_uids: Collection[str], when: dt.datetime) -> int:
    """Tombstone the live relations with an end in *span_uids*, at *when*; returns how many."""
    if not span_uids:
        return 0
    result = session.connection().execute(
        update(_TABLE)
        .where(_touching(span_uids), _TABLE.c.deleted_at.is_(None))
        .values(deleted_at=when, updated_at=when, revision=_TABLE.c.revision + 1)
    )
    return int(result.rowcount or 0)


def restore_relations_of(session: Session, span_uids: Collection[str], when: dt.datetime) -> int:
    """Bring back the relations with an end in *span_uids* deleted at exactly *when*."""
    if not span_uids:
        return 0
    now = max(when, utcnow())
    result = session.connection().execute(
        update(_TABLE)
        .where(_touching(span_uids), _TABLE.c.deleted_at == when)
        .values(deleted_at=None, updated_at=now, revision=_TABLE.c.revision + 1)
    )
    return int(result.rowcount or 0)
