"""The databases a curator opened lately, most recent first, kept in QSettings.

A server URL is stored without its password: QSettings is a plain text file
in the user's config folder, and the recent list is shown on screen. The
server's login then comes from the URL typed again, or from libpq's own
``~/.pgpass``/``PGPASSWORD``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

KEY = "databases/recent"
LIMIT = 8


def location(url: str) -> str:
    """What to remember and show for *url*: a SQLite file's path, or the URL without password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database)) if parsed.database else url
    without = URL.create(
        parsed.drivername,
        parsed.username,
        None,
        parsed.host,
        parsed.port,
        parsed.database,
        parsed.query,
    )
    return without.render_as_string(hide_password=False)


def recent() -> list[str]:
    value = QSettings().value(KEY, [])
    # An INI file reads a one-item list back as a plain string.
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(item) for item in items if item][:LIMIT]


def remember(url: str) -> list[str]:
    """Put *url* first (once, without password), keep at most LIMIT, and return the list."""
    entry = location(url)
    items = [entry] + [item for item in recent() if item != entry]
    QSettings().setValue(KEY, items[:LIMIT])
    return items[:LIMIT]
