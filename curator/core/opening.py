"""Open a database the way the app does, at start-up or from File > Open database.

One function for both, so a database picked from the menu is checked,
backed up and upgraded exactly like the one given with ``--db``: a file the
app refuses at start is refused from the menu too, and left untouched.
"""

from __future__ import annotations

from collections.abc import Callable

from curator.core.articles import corpus, documents
from curator.core.articles.corpus import max_article_bytes
from curator.core.files.inputs import line_limit, span_file_limit
from curator.core.learning.tuning import in_background, passes, retrain_after
from curator.core.storage import migrate
from curator.core.storage.db import Database, configured_busy_timeout_ms, open_database
from curator.core.storage.migrate import keep_backups
from curator.core.storage.paths import sample_data_dir


def import_samples_if_empty(db: Database) -> int:
    """A first run opens on the bundled sample articles rather than an empty window."""
    samples = sample_data_dir()
    if samples is None or documents.list_documents(db):
        return 0
    return len(corpus.import_articles(db, [samples]).added)


def prepare_database(url: str, *, seed_samples: bool = False, upgrade: bool = True) -> Database:
    """Open *url* and upgrade it (backup first); dispose of it on failure.

    *upgrade* False: the caller has just upgraded it (``curator gui`` after the
    command line's own start), so it is not checked a second time.

    Only the app's own default database is seeded with the sample articles
    when empty (*seed_samples*): a database the curator names is a project of
    theirs and starts empty, since documents are not deleted from the app.
    """
    db = open_database(url)
    try:
        if upgrade:
            migrate.upgrade(db)
        if seed_samples:
            import_samples_if_empty(db)
    except BaseException:
        db.dispose()
        raise
    return db


def _checks() -> list[Callable[[], object]]:
    return [
        max_article_bytes,
        span_file_limit,
        line_limit,
        configured_busy_timeout_ms,
        keep_backups,
        retrain_after,
        passes,
        in_background,
    ]


def check_environment() -> None:
    """Read every tuning variable once, so a bad value stops a command before it starts."""
    for check in _checks():
        check()
