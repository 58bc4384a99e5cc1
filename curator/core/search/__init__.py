"""Searching every document at once: their text, and the spans curators made.

- :mod:`.query`: what a search box holds (words, "phrases", ``label:``,
  ``curator:``, ``concept:``, ``note:``) and where a hit is in a text.
- :mod:`.documents`: full-text search of the documents' title and text.
- :mod:`.spans`: search of the annotations by label, curator, concept, note, quote.
- :mod:`.annotate_all`: tag a searched phrase in every document found.
- :func:`search`: the one entry the app and ``curator search`` use.
"""

from __future__ import annotations

from curator.core.search.documents import search_text
from curator.core.search.query import Hit, SearchResult, parse
from curator.core.search.spans import search_spans
from curator.core.storage.db import Database

__all__ = ["Hit", "SearchResult", "search"]


def search(db: Database, query: str, limit: int = 200) -> SearchResult:
    """Spans when the query names a label, curator, concept or note; else the texts."""
    parsed = parse(query)
    if parsed.filters:
        return search_spans(db, parsed, limit)
    return search_text(db, parsed, limit)
