"""Start-up: resolve the database, migrate it, seed samples on first run, show the window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from curator import __version__
from curator.core.errors import CuratorError
from curator.core.opening import prepare_database
from curator.core.storage.paths import APP_NAME, database_url, resources_dir
from curator.gui import paint_report, plain_text
from curator.gui.window_host import WindowHost


def configure_application(app: QCoreApplication) -> None:
    """Names that place QSettings (window geometry) in the per-user config folder."""
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    if isinstance(app, QGuiApplication):
        app.setWindowIcon(QIcon(str(resources_dir() / "icon.svg")))
        app.setDesktopFileName(APP_NAME)  # matches heme-curator.desktop of the desktop build


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
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    configure_application(app)
    font = app.font()
    if font.pointSizeF() < 10:
        app.setFont(QFont(font.family(), 10))
    try:
        db = prepare_database(
            db_url or database_url(), seed_samples=seed_samples, upgrade=not upgraded
        )
    except CuratorError as exc:
        plain_text.show_message(
            None, plain_text.Icon.Critical, "Heme Curator cannot open its database", str(exc)
        )
        return 1
    host = WindowHost(db, curator, load_after_show=True)
    if paint_report.requested():
        paint_report.watch(host.window)
    host.window.show()
    try:
        return app.exec()
    finally:
        host.dispose()
