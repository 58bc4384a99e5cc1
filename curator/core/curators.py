"""Who is curating: name resolution and the curator rows behind names."""

from __future__ import annotations

import getpass
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.db import Database, insert_if_missing
from curator.core.errors import CuratorError
from curator.core.models import Curator


def resolve_name(explicit: str | None = None) -> str:
    """``--curator``, then ``CURATOR_NAME``, then the login name of the OS user."""
    for candidate in (explicit, os.environ.get("CURATOR_NAME")):
        if candidate and candidate.strip():
            return validate_name(candidate)
    try:
        return validate_name(getpass.getuser())
    except Exception:  # no login name (some containers): still usable
        return "curator"


def validate_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise CuratorError("a curator name cannot be empty")
    if len(name) > 200:
        raise CuratorError("a curator name can have at most 200 characters")
    return name


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
