"""The article the app opens at start, read with the bare ``sqlite3`` module.

Why a second reader: ``curator gui`` paints the article before it imports
SQLAlchemy, the models and the rest of the core (about 600 ms of a start
whose floor, Python and Qt showing a text, is about 300 ms). This module
answers one question with plain SQL on a read-only connection: which
document would the window open, with what text and which of the curator's
spans in which colours. The window built afterwards reads everything again
through the core and replaces what was shown, so this reader never decides
anything that is kept.

It answers only for a local SQLite file already at the schema this code
ships (:mod:`.schema_head`, read without Alembic). Anything else (a server
URL, no file, an older or newer schema, a file that is not a database, no
documents, any SQLite error) gives None, and the caller takes the usual path,
which upgrades with its backup or says what is wrong. SQLAlchemy must not be
imported here, not even indirectly: a test checks it in a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from curator.core.storage.fragments import decode
from curator.core.storage.paths import migrations_dir
from curator.core.storage.schema_head import head_revision

RETIRED_COLOR = "#777777"  # as the window draws a span whose label was retired

# The window's rule (MainWindow._open_initial_document): the document this
# curator opened last, else the first row of the list, which lists by title.
_LAST_OPENED = """
SELECT document.id FROM document
JOIN document_status ON document_status.document_id = document.id
JOIN curator ON curator.id = document_status.curator_id
WHERE curator.name = ? AND document_status.opened_at IS NOT NULL
ORDER BY document_status.opened_at DESC LIMIT 1
"""
_FIRST_LISTED = "SELECT id FROM document ORDER BY title, id LIMIT 1"
_DOCUMENT = "SELECT uid, title, text FROM document WHERE id = ?"
_LABELS = """
SELECT name, color, shortcut, deleted_at IS NOT NULL FROM label ORDER BY position, name
"""
# The same rows, in the same order, as curator.core.spans.live_spans.
_SPANS = """
SELECT annotation.uid, label.name, annotation.start, annotation."end", annotation.fragments
FROM annotation
JOIN curator ON curator.id = annotation.curator_id
JOIN label ON label.id = annotation.label_id
WHERE annotation.deleted_at IS NULL AND annotation.document_id = ? AND curator.name = ?
ORDER BY annotation.start, annotation."end", annotation.uid
"""


@dataclass(frozen=True, slots=True)
class FirstSpan:
    """What the first frame draws of a span: where, and in which label's colour."""

    uid: str
    start: int
    end: int
    label: str
    fragments: tuple[tuple[int, int], ...] | None


@dataclass(frozen=True, slots=True)
class FirstLabel:
    name: str
    color: str  # "#rrggbb", grey for a retired label, as the window draws its spans
    shortcut: str | None
    retired: bool


@dataclass(frozen=True, slots=True)
class FirstArticle:
    uid: str
    title: str
    text: str
    spans: list[FirstSpan]
    labels: list[FirstLabel]  # in the label bar's order (position, name)


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///PATH`` URL as :func:`paths.database_url` makes them."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return Path(path) if path and path != ":memory:" else None


def read_first_article(path: Path, curator: str) -> FirstArticle | None:
    """The article the window would open on *path* for *curator*, or None (see above)."""
    head = head_revision(migrations_dir())
    if head is None or not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            return _read(conn, head, curator)
    except (sqlite3.Error, OSError, ValueError, UnicodeDecodeError):
        return None  # the usual path opens it and says what is wrong, if anything


def _read(conn: sqlite3.Connection, head: str, curator: str) -> FirstArticle | None:
    conn.execute("BEGIN")  # one snapshot for every read below
    versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    if versions != [head]:
        return None
    found = conn.execute(_LAST_OPENED, (curator,)).fetchone()
    found = found or conn.execute(_FIRST_LISTED).fetchone()
    if found is None:
        return None
    doc_id = found[0]
    uid, title, text = conn.execute(_DOCUMENT, (doc_id,)).fetchone()
    labels = [
        FirstLabel(name, RETIRED_COLOR if retired else color, shortcut, bool(retired))
        for name, color, shortcut, retired in conn.execute(_LABELS)
    ]
    spans = [
        FirstSpan(span_uid, start, end, label, decode(pieces))
        for span_uid, label, start, end, pieces in conn.execute(_SPANS, (doc_id, curator))
    ]
    return FirstArticle(uid, title, text, spans, labels)
