"""A retired label takes no new spans, whoever adds them: the app, the core API or an import.

The app leaves retired labels out of its keys, but that alone would let a
script, ``curator import`` or a suggestion accepted from an older list put
new spans on a label the team stopped using. So the refusal lives here, in
the core, and every writer of new spans asks it. Spans a label had when it
was retired stay (and still export); restoring such a span is not a new
span, and neither is a span an import brings that was made before the
retirement (another curator's work from before it, or the database's own
export coming back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.errors import CuratorError
from curator.core.storage.models import Label


class RetiredLabelError(CuratorError):
    """A new span (or a relabel) asked for a retired label."""


def retired_message(name: str, since: dt.datetime | None = None) -> str:
    """What every refusal says: which label, since when, and how to use it again."""
    when = f" since {since:%Y-%m-%d}" if since is not None else ""
    return (
        f"label {name!r} is retired{when} and takes no new spans "
        f"(restore it first: Settings > Labels, or curator labels restore {name})"
    )


def retired_labels(session: Session) -> dict[int, dt.datetime]:
    """Row id -> retirement time (naive UTC) of every retired label."""
    rows = session.execute(select(Label.id, Label.deleted_at).where(Label.deleted_at.is_not(None)))
    return {id_: _naive_utc(when) for id_, when in rows if when is not None}


def refuse_retired(session: Session, names: Iterable[str]) -> None:
    """Raise :class:`RetiredLabelError` if one of the labels *names* is retired."""
    wanted = sorted(set(names))
    if not wanted:
        return
    query = select(Label.name, Label.deleted_at).where(
        Label.name.in_(wanted), Label.deleted_at.is_not(None)
    )
    for name, since in session.execute(query.order_by(Label.name)):
        raise RetiredLabelError(retired_message(name, since))


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)
