"""Full-text search of every document's title and text.

SQLite: the FTS5 index ``document_search`` (migration 0007, kept by
triggers), ranked by bm25 with SQLite's own ``snippet()`` for the context.
PostgreSQL: the server's text search at query time (``to_tsvector`` /
``plainto_tsquery`` with ``ts_headline``), no index to keep. Each word or
"phrase" of the query must be present, in any order; ``word*`` is a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import text

from curator.core.search.query import Hit, Query, SearchResult, locate, marked
from curator.core.storage.db import Database

OPEN, CLOSE = "\x02", "\x03"  # snippet markers: no article holds these
ELLIPSIS = "…"  # where snippet() cut the text (as the query below writes it)
CONTEXT_TOKENS = 16

_SQLITE_HITS = text(
    "SELECT d.uid, d.title, snippet(document_search, 1, char(2), char(3), '…', :tokens) "
    "FROM document_search JOIN document d ON d.id = document_search.rowid "
    "WHERE document_search MATCH :q ORDER BY rank LIMIT :limit"
)
_SQLITE_COUNT = text("SELECT count(*) FROM document_search WHERE document_search MATCH :q")

_PG_MATCH = (
    "FROM document d, plainto_tsquery('simple', :q) q "
    "WHERE to_tsvector('simple', d.title || ' ' || d.text) @@ q"
)
_PG_HITS = text(
    "SELECT d.uid, d.title, ts_headline('simple', d.text, q, "
    "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=8') "
    + _PG_MATCH
    + " ORDER BY ts_rank(to_tsvector('simple', d.title || ' ' || d.text), q) DESC, d.title "
    "LIMIT :limit"
)
_PG_COUNT = text("SELECT count(*) " + _PG_MATCH)

# Every document found, best first, with its text: annotate all reads them all,
# not only the first *limit* the search lists.
_SQLITE_FOUND = text(
    "SELECT d.uid, d.title, d.text FROM document_search "
    "JOIN document d ON d.id = document_search.rowid "
    "WHERE document_search MATCH :q ORDER BY rank, d.title"
)
_PG_FOUND = text(
    "SELECT d.uid, d.title, d.text "
    + _PG_MATCH
    + " ORDER BY ts_rank(to_tsvector('simple', d.title || ' ' || d.text), q) DESC, d.title"
)


def fts_query(terms: tuple[str, ...]) -> str:
    """FTS5 syntax for *terms*: each one a quoted string (no operator reaches FTS5),
    a trailing ``*`` kept as a prefix search."""
    parts = []
    for term in terms:
        prefix = term.endswith("*")
        body = term.rstrip("*").replace('"', '""')
        if body.strip():
            parts.append(f'"{body}"' + ("*" if prefix else ""))
    return " ".join(parts)


def _server_query(db: Database, query: Query) -> str:
    """The query as the database's text search takes it ("" when nothing is left to find)."""
    if db.is_sqlite:
        return fts_query(query.terms)
    return " ".join(term.rstrip("*") for term in query.terms)


def search_text(db: Database, query: Query, limit: int = 200) -> SearchResult:
    q = _server_query(db, query)
    if not q:
        return SearchResult("text", [], 0)
    if db.is_sqlite:
        hits_sql, count_sql, params = _SQLITE_HITS, _SQLITE_COUNT, {"q": q}
    else:
        hits_sql, count_sql, params = _PG_HITS, _PG_COUNT, {"q": q}
    with db.read() as session:
        rows = session.execute(hits_sql, {**params, "limit": limit, "tokens": CONTEXT_TOKENS}).all()
        total = session.execute(count_sql, params).scalar_one() if len(rows) >= limit else len(rows)
    hits = []
    for uid, title, snippet in rows:
        context, marks = marked(" ".join(str(snippet or "").split()), OPEN, CLOSE)
        hits.append(Hit(uid, title, context, marks))
    return SearchResult("text", hits, int(total))


def found_documents(db: Database, query: Query) -> Iterator[tuple[str, str, str]]:
    """(uid, title, text) of every document the text search finds, best first.

    Read in batches from one cursor, so a corpus-wide annotate all holds the
    texts of a batch at a time, not of every document found.
    """
    q = _server_query(db, query)
    if not q:
        return
    found = _SQLITE_FOUND if db.is_sqlite else _PG_FOUND
    with db.read() as session:
        # a server-side cursor on PostgreSQL: not every text found held at once
        result = session.execute(found.execution_options(yield_per=50), {"q": q})
        for batch in result.partitions():
            for uid, title, body in batch:
                yield str(uid), str(title), str(body)


def locate_hit(db: Database, hit: Hit, query: Query) -> tuple[int, int] | None:
    """Where a text hit is in its document: the match its context shows.

    The context is the passage the index ranked best, not always the first
    one: opened at the first occurrence of a term, the article showed
    another sentence than the hit the curator chose. Without a context
    found in the text, the first place a term of the query occurs.
    """
    if hit.start is not None and hit.end is not None:
        return hit.start, hit.end
    with db.read() as session:
        found = session.execute(
            text("SELECT text FROM document WHERE uid = :uid"), {"uid": hit.document_uid}
        ).scalar()
    if found is None:
        return None
    article = str(found)
    shown = context_place(article, hit.context)
    if shown is not None:
        inside = locate(article[shown[0] : shown[1]], query.terms)
        if inside is not None:
            return shown[0] + inside[0], shown[0] + inside[1]
    return locate(article, query.terms)


def context_place(article: str, context: str) -> tuple[int, int] | None:
    """Where a hit's *context* is in *article*: its words in order, any spacing between them.

    The snippet's line breaks were made single spaces and a cut end is "…".
    """
    words = context.strip().strip(ELLIPSIS).split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(word) for word in words), article)
    return None if found is None else (found.start(), found.end())
