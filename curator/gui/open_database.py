"""File > Open database…: pick a SQLite file or a server URL, and open it as at start-up.

The database is opened, checked and upgraded here (the same
:func:`~curator.core.opening.prepare_database` as at start), before the
window lets go of the current one: a database that cannot be opened costs a
warning and nothing else, and the curator stays where they were.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.opening import prepare_database
from curator.core.storage.db import Database
from curator.core.storage.paths import database_url
from curator.gui import file_dialogs, plain_text, recent_databases

FAILED_TITLE = "Cannot open database"
FILE_FILTER = "Curator databases (*.sqlite *.sqlite3 *.db);;All files (*)"


def open_location(parent: QWidget, entry: str, current: Database) -> Database | None:
    """Open *entry* (a path or URL) as the app does at start; warn and return None on failure."""
    shown = recent_databases.location(entry)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        url = database_url(entry)
        db = prepare_database(url)
    except CuratorError as exc:
        QApplication.restoreOverrideCursor()
        plain_text.warn(
            parent,
            FAILED_TITLE,
            f"Could not open {shown}",
            f"{exc}\n\nStill working on {current.display_name}.",
        )
        return None
    QApplication.restoreOverrideCursor()
    recent_databases.remember(url)
    return db


class OpenDatabaseDialog(QDialog):
    """A path or URL, a Browse… button and the recent databases; Open opens it."""

    def __init__(self, current: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.current = current
        self.database: Database | None = None
        self.field = QLineEdit()
        self.field.setObjectName("databaseField")
        self.field.setPlaceholderText("curation.sqlite, or postgresql+psycopg://user@server/heme")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.recent = QListWidget()
        self.recent.setObjectName("recentDatabases")
        for entry in recent_databases.recent():
            item = QListWidgetItem(entry)
            item.setToolTip(plain_text.tooltip(entry))
            self.recent.addItem(item)
        self.recent.currentTextChanged.connect(self.field.setText)
        self.recent.itemActivated.connect(lambda _item: self.accept())
        hint = QLabel(
            "A SQLite file (a new name makes a new database) or a database URL. "
            "A password in a URL is used to connect and never remembered."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        grid = QGridLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(browse)
        grid.addWidget(QLabel("Now open:"), 0, 0)
        now = plain_text.label(current.display_name)
        now.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(now, 0, 1)
        field_label = QLabel("&Database:")
        field_label.setBuddy(self.field)
        grid.addWidget(field_label, 1, 0)
        grid.addLayout(row, 1, 1)
        grid.addWidget(hint, 2, 1)
        recent_label = QLabel("&Recent:")
        recent_label.setBuddy(self.recent)
        grid.addWidget(recent_label, 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.recent, 3, 1)
        grid.addWidget(buttons, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.resize(640, self.sizeHint().height())

    def browse(self) -> None:
        """Choose an existing file or type a new name: both come back as a path."""
        path = file_dialogs.save_file_name(
            self,
            "Open or create a database",
            self.field.text(),
            FILE_FILTER,
            confirm_overwrite=False,
        )
        if path:
            self.field.setText(path)

    def accept(self) -> None:
        entry = self.field.text().strip()
        if not entry:
            self.field.setFocus()
            return
        db = open_location(self, entry, self.current)
        if db is not None:  # on failure the dialog stays, to correct the name
            self.database = db
            super().accept()


def choose_database(parent: QWidget, current: Database) -> Database | None:
    dialog = OpenDatabaseDialog(current, parent)
    dialog.exec()
    return dialog.database


def fill_recent_menu(menu: QMenu, open_entry: Callable[[str], object]) -> None:
    """Refill File > Open recent each time it is shown, from the recent list."""
    menu.clear()
    entries = recent_databases.recent()
    for entry in entries:
        action = QAction(entry.replace("&", "&&"), menu)
        action.triggered.connect(lambda _checked=False, e=entry: open_entry(e))
        menu.addAction(action)
    if not entries:
        menu.addAction("No recent databases").setEnabled(False)
