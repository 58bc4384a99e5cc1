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


def prepare_database(url: str, *, seed_samples: bool = False) -> Database:
    """Open *url* and upgrade it (backup first); dispose of it on failure.

    Only the app's own default database is seeded with the sample articles
    when empty (*seed_samples*): a database the curator names is a project of
    theirs and starts empty, since documents are not deleted from the app.
    """
    db = open_database(url)
    try:
        migrate.upgrade(db)
        if seed_samples:
            import_samples_if_empty(db)
    except BaseException:
        db.dispose()
        raise
    return db
