"""Start-up: resolve the database, migrate it, seed samples on first run, show the window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from curator import __version__
from curator.core import corpus, documents, migrate
from curator.core.db import Database, open_database
from curator.core.errors import CuratorError
from curator.core.paths import APP_NAME, database_url, sample_data_dir
from curator.gui.main_window import MainWindow


def configure_application(app: QCoreApplication) -> None:
    """Names that place QSettings (window geometry) in the per-user config folder."""
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)


def import_samples_if_empty(db: Database) -> int:
    """A first run opens on the bundled sample articles rather than an empty window."""
    samples = sample_data_dir()
    if samples is None or documents.list_documents(db):
        return 0
    return len(corpus.import_articles(db, [samples]).added)


def prepare_database(url: str) -> Database:
    db = open_database(url)
    try:
        migrate.upgrade(db)
        import_samples_if_empty(db)
    except BaseException:
        db.dispose()
        raise
    return db


def run(db_url: str | None = None, curator: str = "curator") -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    configure_application(app)
    font = app.font()
    if font.pointSizeF() < 10:
        app.setFont(QFont(font.family(), 10))
    try:
        db = prepare_database(db_url or database_url())
    except CuratorError as exc:
        QMessageBox.critical(None, "Heme Curator cannot open its database", str(exc))
        return 1
    window = MainWindow(db, curator)
    window.show()
    try:
        return app.exec()
    finally:
        db.dispose()
