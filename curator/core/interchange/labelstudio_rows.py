"""Label Studio tasks whose regions can only be new plain spans, read straight into rows.

The common task of a large file (our own export coming back, or a project's
export) holds only labelled text regions: one label each, its quote equal to
the text at its offsets, on a label that takes new spans, in a canonical
text. Such a task becomes a document whose spans are kept as
``(label id, start, end, quote)`` per annotation, with no span record, no
span line and no second pass over them (:class:`PlainTasks`). Anything else
(a relation, a choice, a note, a prediction, concepts, a region of several
labels or none, an unknown or retired label, bad offsets, a quote that
differs, a span twice, a text that canonicalisation changes, a curator name
that cannot be one...) gives None, and the task is read the general way
(:mod:`~curator.core.interchange.labelstudio_import`), which names every
problem, so every refusal and every loss comes from one place. A task whose
document the database or an earlier task already holds is read the general
way too (``foreign.store_records`` decides, as only the store knows).
"""

from __future__ import annotations

import datetime as dt
import operator
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from curator.core.articles.text import canonical_text, text_uid, title_from_text
from curator.core.errors import CuratorError
from curator.core.interchange.incoming import IncomingDocument, label_problem
from curator.core.interchange.located_json import LocatedDict
from curator.core.safe_text import text_problem, value_problem
from curator.core.storage.curators import validate_name

if TYPE_CHECKING:
    from curator.core.interchange.jsonl_store import BulkStore

Part = tuple[
    tuple[str, str] | None, tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...]
]
"""One annotation's (created, updated) as stored (None: the time of the import), and its
regions' label ids, starts, ends and quotes."""


def annotation_time(value: object) -> dt.datetime | None:
    """An annotation's ``created_at`` or ``updated_at``; UTC where it names no zone."""
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def annotation_curator(entry: dict[str, Any]) -> str | None:
    """Who made an annotation: our export's ``curator``, else Label Studio's ``completed_by``."""
    for key in ("curator", "completed_by"):
        value = entry.get(key)
        if isinstance(value, dict):
            value = value.get("email") or value.get("username") or value.get("id")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return f"labelstudio-user-{value}"
    return None


class PlainTasks:
    """One import's reader of plain tasks: its labels, its importing curator, its store's times."""

    def __init__(self, store: BulkStore) -> None:
        # Labels that take new spans here, as BulkStore.plain_rows has them.
        self.labels = {
            name: id_
            for name, id_ in store.labels.items()
            if id_ not in store.retired and not label_problem(name)
        }
        self.curator = store.curator
        self._stamp = store._stamp
        self._names: dict[str, bool] = {}  # curator name -> whether it is one as it stands
        self._stamps: dict[tuple[Any, Any], tuple[str, str] | None] = {}

    def __call__(self, task: Any) -> IncomingDocument | None:
        """*task* as a new document with its spans as plain regions by curator, or None."""
        if type(task) is not LocatedDict or task.get("predictions"):
            return None
        data = task.get("data")
        if type(data) is not LocatedDict:
            return None
        text = data.get("text")
        if (
            type(text) is not str
            or not text.strip()
            or text_problem(text)
            or canonical_text(text) != text
        ):
            return None
        title = data.get("title")
        if type(title) is str and text_problem(title):
            return None
        meta = task.get("meta")
        meta = dict(meta) if isinstance(meta, dict) else {}
        if meta and value_problem(meta, "meta"):
            return None
        entries: list[Any] = []
        for key in ("annotations", "completions"):
            found = task.get(key)
            if found:
                if type(found) is not list:
                    return None
                entries += found
        groups = self._groups(text, entries)
        if groups is None:
            return None
        return IncomingDocument(
            own=False,
            uid=text_uid(text),
            title=title if isinstance(title, str) and title.strip() else title_from_text(text, ""),
            text=text,
            meta=meta,
            plain_regions=groups,
        )

    def _groups(self, text: str, entries: list[Any]) -> list[tuple[str, list[Part]]] | None:
        """The annotations' regions by curator, in the order the general path stores them.

        The general path groups a task's spans by curator, in the order each
        curator first comes, and stores a group's spans in file order; a span
        its curator already has in the task is not stored twice (here: None).
        """
        groups: dict[str, list[Part]] = {}
        try:
            for entry in entries:
                if type(entry) is not LocatedDict:
                    return None
                result = entry.get("result", [])
                if type(result) is not list:
                    return None
                if not result:
                    continue
                name = annotation_curator(entry) or self.curator
                if name is None or not self._is_name(name):
                    return None
                stamps = self._times(entry.get("created_at"), entry.get("updated_at"))
                columns = _regions(self.labels, text, result)
                if columns is None:
                    return None
                groups.setdefault(name, []).append((stamps, *columns))
        except (KeyError, TypeError, ValueError, _NotPlainError):  # not as Label Studio writes
            return None
        for parts in groups.values():
            if len(parts) == 1:
                held = set(zip(parts[0][1], parts[0][2], parts[0][3], strict=True))
            else:
                held = {
                    key for part in parts for key in zip(part[1], part[2], part[3], strict=True)
                }
            if len(held) != sum(len(part[1]) for part in parts):  # a span twice
                return None
        return list(groups.items())

    def _is_name(self, name: str) -> bool:
        known = self._names.get(name)
        if known is None:
            try:
                known = self._names[name] = validate_name(name) == name
            except CuratorError:
                known = self._names[name] = False
        return known

    def _times(self, created: Any, updated: Any) -> tuple[str, str] | None:
        """An annotation's times as its spans store them (None: the time of the import).

        A time that cannot be stored raises :class:`_NotPlainError` (the general path says what).
        """
        key = (created, updated)
        if type(created) is str and type(updated) is str and key in self._stamps:
            return self._stamps[key]
        began_at, changed = annotation_time(created), annotation_time(updated)
        began = began_at or changed
        stamps = None
        if began is not None:
            try:
                stamps = (self._stamp(began), self._stamp(changed or began))
            except (OverflowError, ValueError):
                raise _NotPlainError from None
        if type(created) is str and type(updated) is str:
            self._stamps[key] = stamps
        return stamps


class _NotPlainError(Exception):
    """A task to read the general way."""


_TYPE, _VALUE, _FIRST = itemgetter("type"), itemgetter("value"), itemgetter(0)
_FIELDS = itemgetter("start", "end", "text", "labels")


def _regions(
    labels: dict[str, int], text: str, result: list[Any]
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...]] | None:
    """An annotation's results, when all are plain regions: their label ids, starts, ends, quotes.

    Each must be a ``labels`` result without ``meta`` whose ``value`` holds whole
    ``start`` and ``end`` around a quote that is the text there, and one label
    that takes new spans. Checked a column at a time, each a pass in C (200,000
    regions pass here on a large file); anything else gives None, or raises
    KeyError, TypeError or ValueError (a result not shaped as Label Studio's).
    Some checks are implied: a ``value`` that is no object, or a quote that is
    no string, raises; a quote found at its start, as long as start to end,
    ends inside the text.
    """
    if (
        set(map(type, result)) != {LocatedDict}
        or set(map(_TYPE, result)) != {"labels"}
        or any(map(dict.__contains__, result, repeat("meta")))
    ):
        return None
    starts, ends, quotes, names = zip(*map(_FIELDS, map(_VALUE, result)), strict=True)
    if (
        set(map(type, starts)) != {int}
        or set(map(type, ends)) != {int}
        or set(map(type, names)) != {list}
        or set(map(len, names)) != {1}
        or min(starts) < 0
        or not all(map(operator.lt, starts, ends))
        or list(map(operator.sub, ends, starts)) != list(map(len, quotes))
        or not all(map(text.startswith, quotes, starts))
    ):
        return None
    ids = tuple(map(labels.get, map(_FIRST, names)))
    if None in ids:
        return None
    return ids, starts, ends, quotes  # type: ignore[return-value]  # no None among the ids
