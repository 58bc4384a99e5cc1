"""Where the app finds its own files and the user's database.

The top-level ``migrations/``, ``resources/`` and ``data/`` folders sit next
to the package in a source checkout; a wheel carries them inside the package
under ``curator/_bundled``. Looking in both keeps one code path for either.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from curator.core.storage.database_path import database_file

APP_NAME = "heme-curator"
_PACKAGE_DIR = Path(__file__).resolve().parents[2]


def _bundled(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the app's {name}/ folder is missing from the installation")


def migrations_dir() -> Path:
    return _bundled("migrations")


def resources_dir() -> Path:
    return _bundled("resources")


def sample_data_dir() -> Path | None:
    """Sample articles shipped with the app, or None when not installed."""
    try:
        return _bundled("data")
    except FileNotFoundError:
        return None


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "curator.sqlite"


def database_url(arg: str | None = None) -> str:
    """Resolve ``--db``, then ``CURATOR_DB``, then the per-user default, to a URL.

    A value with ``://`` is a SQLAlchemy URL (for example a team's PostgreSQL
    server); anything else is a path to a SQLite file.
    """
    value = arg or os.environ.get("CURATOR_DB") or ""
    if "://" in value:
        return value
    if value:
        path = database_file(Path(value))
    else:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
