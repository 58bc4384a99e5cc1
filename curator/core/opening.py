"""Open a database the way the app does, at start-up or from File > Open database.

One function for both, so a database picked from the menu is checked,
backed up and upgraded exactly like the one given with ``--db``: a file the
app refuses at start is refused from the menu too, and left untouched.
"""

from __future__ import annotations

from curator.core import corpus, documents, migrate
from curator.core.db import Database, open_database
from curator.core.paths import sample_data_dir


def import_samples_if_empty(db: Database) -> int:
    """A first run opens on the bundled sample articles rather than an empty window."""
    samples = sample_data_dir()
    if samples is None or documents.list_documents(db):
        return 0
    return len(corpus.import_articles(db, [samples]).added)


def prepare_database(url: str) -> Database:
    """Open *url*, upgrade it (backup first) and seed an empty one; dispose of it on failure."""
    db = open_database(url)
    try:
        migrate.upgrade(db)
        import_samples_if_empty(db)
    except BaseException:
        db.dispose()
        raise
    return db
