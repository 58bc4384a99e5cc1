"""Who is curating: name resolution and the curator rows behind names."""

from __future__ import annotations

import getpass
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError
from curator.core.safe_text import MAX_CURATOR, name_problem
from curator.core.storage.db import Database, insert_if_missing
from curator.core.storage.models import Curator


def resolve_name(explicit: str | None = None) -> str:
    """``--curator``, then ``CURATOR_NAME``, then the login name of the OS user.

    A name that was given must be a valid name: ``--curator "   "`` is an
    error, never a silent fall back to the login name (spans would be filed
    under someone the curator did not choose). A blank ``CURATOR_NAME`` is
    taken as unset, as shells commonly write ``CURATOR_NAME=``.
    """
    if explicit is not None:
        return _given(explicit, "--curator")
    from_env = os.environ.get("CURATOR_NAME")
    if from_env and from_env.strip():
        return _given(from_env, "CURATOR_NAME")
    try:
        return validate_name(getpass.getuser())
    except Exception:  # no login name (some containers): still usable
        return "curator"


def _given(name: str, source: str) -> str:
    try:
        return validate_name(name)
    except CuratorError as exc:
        raise CuratorError(f"{source}: {exc}") from None


def validate_name(name: str) -> str:
    """*name* without the spaces around it, refused if it cannot be a curator's name."""
    problem = name_problem(name, "curator name", MAX_CURATOR)
    if problem:
        raise CuratorError(problem)
    return name.strip()


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
