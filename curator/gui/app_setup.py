"""The application object as every start makes it: names, settings format, icon, font.

Apart from :mod:`curator.gui.app` because the first frame of ``curator gui``
(:mod:`curator.gui.first_frame`) sets it up before anything of the core that
needs SQLAlchemy is imported.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from curator import __version__
from curator.core.storage.paths import APP_NAME, resources_dir
from curator.gui.clipboard import hand_over_clipboard

# Qt's raster engine hands every fill of 96 or more scanlines (a table's page,
# a scroll bar's groove) to a pool of threads and waits for them: for the
# widgets of an edit, waking the threads cost more than the fills, 1-2 ms of
# a label key on two busy cores. Qt reads the switch once, when it first
# needs the pool, which is after the application is configured.
NO_PAINT_THREADS = "QT_NO_GUI_THREADPOOL"


def configure_application(app: QCoreApplication) -> None:
    """Names that place QSettings (window geometry) in the per-user config folder,
    and painting kept on the thread that asks for it (see NO_PAINT_THREADS)."""
    os.environ.setdefault(NO_PAINT_THREADS, "1")
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    if isinstance(app, QGuiApplication):
        app.setWindowIcon(QIcon(str(resources_dir() / "icon.svg")))
        app.setDesktopFileName(APP_NAME)  # matches heme-curator.desktop of the desktop build


def application() -> QApplication:
    """The app's QApplication, configured, with a readable text size."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    configure_application(app)
    font = app.font()
    if font.pointSizeF() < 10:
        app.setFont(QFont(font.family(), 10))
    app.aboutToQuit.connect(hand_over_clipboard)
    return app
