"""Owns the main window, and replaces it when the curator opens another database.

A fresh window rather than swapping the database under the old one: the
labels, the undo history, the document list, pending suggestions and any
review window all belong to one database, and building them again is the one
way none of them is carried over. The curator name is.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from curator.core.storage.db import Database
from curator.gui.main_window import MainWindow
from curator.gui.screen_fit import fit_to_screen


class WindowHost(QObject):
    replaced = Signal(object)  # the new MainWindow

    def __init__(self, db: Database, curator: str, *, load_after_show: bool = False) -> None:
        """*load_after_show*: the first window shows before it reads (the app's start)."""
        super().__init__()
        self.window = self._build(db, curator, load_after_show=load_after_show)

    def _build(self, db: Database, curator: str, *, load_after_show: bool = False) -> MainWindow:
        window = MainWindow(db, curator, load_after_show=load_after_show)
        window.database_opened.connect(self.switch_to)
        fit_to_screen(window)  # its first size is larger than a laptop's screen
        return window

    def switch_to(self, db: Database) -> None:
        """Show *db* (already opened and upgraded) in a new window, then let the old one go."""
        old = self.window
        old_db = old.ws.db
        old.save_settings()  # the new window opens where the old one was
        self.window = self._build(db, old.ws.curator)
        self.window.show()
        self.window.activateWindow()
        self.window.statusBar().showMessage(f"✓ Opened {db.display_name}", 10000)
        top = old.window()  # curator gui's first window holds the first main window
        old.close()
        if top is not old:
            top.close()
        top.deleteLater()
        old_db.dispose()
        self.replaced.emit(self.window)

    def dispose(self) -> None:
        self.window.ws.db.dispose()
