"""Who is curating: the name from ``--curator``, ``CURATOR_NAME`` or the login.

Apart from the curator rows (:mod:`.curators`) so that ``curator gui`` can
name its curator before it imports SQLAlchemy (:mod:`.first_article`).
"""

from __future__ import annotations

import getpass
import os

from curator.core.errors import CuratorError
from curator.core.safe_text import MAX_CURATOR, name_problem


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
