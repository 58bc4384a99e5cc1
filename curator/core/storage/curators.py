"""The curator rows behind names (the names themselves: :mod:`.curator_names`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.storage.curator_names import resolve_name, validate_name
from curator.core.storage.db import Database, insert_if_missing
from curator.core.storage.models import Curator

__all__ = ["curator_id", "curator_names", "resolve_name", "validate_name"]


def curator_id(session: Session, name: str, *, create: bool = True) -> int | None:
    """The id of the curator called *name*, created on first use when *create*."""
    found = session.scalar(select(Curator.id).where(Curator.name == name))
    if found is not None or not create:
        return found
    name = validate_name(name)
    insert_if_missing(session, Curator, name=name)
    return session.scalar(select(Curator.id).where(Curator.name == name))


def curator_names(db: Database) -> list[str]:
    """Every curator the database knows, in name order (for pickers that never guess)."""
    with db.read() as session:
        return list(session.scalars(select(Curator.name).order_by(Curator.name)))
