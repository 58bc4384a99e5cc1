"""What every JSONL line shares, for the writers and readers alike: the schema
name and version, the one spelling of a time, and the shape of a suggestion.

Kept apart from :mod:`.jsonl` so the line reader and the other formats can
use them without importing the export (which imports the importer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the export command's quick path imports this module without SQLAlchemy
    from curator.core.suggest.stored import SuggestionInfo

SCHEMA_NAME = "heme-curator"
# 2: spans carry "concepts". Version 1 lines (no concepts) are still read;
# an older app refuses version 2 rather than drop the links silently.
# 3: lines carry "relations" between their spans. Version 1 and 2 lines (no
# relations) are still read; an app that reads only 2 refuses 3 rather than
# drop the relations silently.
SCHEMA_VERSION = 3


def format_time(value: dt.datetime) -> str:
    """UTC, microseconds always present, ``Z``: one spelling per instant."""
    # isoformat, not strftime: "%Y" writes the year 999 as "999", which no reader takes back.
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")[:26] + "Z"


def suggestion_objects(suggestions: Sequence[SuggestionInfo]) -> list[dict[str, Any]]:
    return [
        {
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "text": s.text,
            "curator": s.curator,
            "source": s.source,
        }
        for s in suggestions
    ]
