"""Start-up: resolve the database, migrate it, seed samples on first run, show the window."""

from __future__ import annotations

from curator.core.errors import CuratorError
from curator.core.opening import prepare_database
from curator.core.storage.db import Database
from curator.core.storage.paths import database_url
from curator.gui import paint_report, plain_text
from curator.gui.app_setup import application, configure_application
from curator.gui.window_host import WindowHost


def run(
    db_url: str | None = None,
    curator: str = "curator",
    *,
    seed_samples: bool = False,
    upgraded: bool = False,
) -> int:
    """Open the app on *db_url*; *seed_samples* for the default database of a first start.

    *upgraded*: the command line has already brought the database to the
    current schema (with its backup), so the app does not check it again.
    """
    app = application()
    db = prepare_for_window(
        db_url or database_url(), seed_samples=seed_samples, upgrade=not upgraded
    )
    if db is None:
        return 1
    host = WindowHost(db, curator, load_after_show=True)
    if paint_report.requested():
        paint_report.watch(host.window)
    host.window.show()
    try:
        return app.exec()
    finally:
        host.dispose()


def prepare_for_window(url: str, *, seed_samples: bool, upgrade: bool) -> Database | None:
    """The database, upgraded (backup first), or None once the curator was told why not."""
    try:
        return prepare_database(url, seed_samples=seed_samples, upgrade=upgrade)
    except CuratorError as exc:
        plain_text.show_message(
            None, plain_text.Icon.Critical, "Heme Curator cannot open its database", str(exc)
        )
        return None


__all__ = ["application", "configure_application", "prepare_for_window", "run"]
