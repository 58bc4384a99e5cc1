"""Settings > Labels: add, rename, recolour, reorder, key and retire labels.

Every button has its Alt+letter (Alt+A add, Alt+N rename, Alt+C colour,
Alt+K key, Alt+U / Alt+D move, Alt+R retire or restore); the letters are
unique in the dialog, else Qt only moves the focus between the buttons.
Each change is saved at once (one revision of the label, as in
:mod:`curator.core.labels.editing`) and the line under the table says what
it does to the spans already made, before the curator makes it: a rename
carries every span along; a retired label keeps its spans, shown grey with
its name, and leaves the keys.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.labels import editing
from curator.core.labels.editing import LabelEntry
from curator.core.storage.db import Database
from curator.core.wording import counted
from curator.gui import plain_text
from curator.gui.label_bar import swatch

COLUMNS = ("Label", "Key", "Spans", "State")
NEW_COLOURS = ("#56B4E9", "#D55E00", "#F0E442", "#999999", "#882255", "#44AA99")


class LabelsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle("Labels")
        self.db = db
        self.changed = False
        self.entries: list[LabelEntry] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.effect = plain_text.label()
        self.effect.setWordWrap(True)
        self.effect.setObjectName("labelEffect")
        self.buttons: dict[str, QPushButton] = {}
        row = QVBoxLayout()
        for key, text, slot in (
            ("add", "&Add…", self.add),
            ("rename", "Re&name…", self.rename),
            ("colour", "&Colour…", self.recolour),
            ("key", "&Key…", self.set_key),
            ("up", "Move &up", lambda: self.move_label(-1)),
            ("down", "Move &down", lambda: self.move_label(1)),
            ("retire", "&Retire", self.retire_or_restore),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setAutoDefault(False)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.table, 1)
        top.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # Some desktops name it "&Close", whose Alt+C then clashes with &Colour… and
        # only moves the focus between the two; Escape closes the dialog anyway.
        close.button(QDialogButtonBox.StandardButton.Close).setText("Close")
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.effect)
        layout.addWidget(close)
        self.table.itemSelectionChanged.connect(self._explain)
        self.resize(560, 380)
        self._fill()
        self.table.selectRow(0)

    # -- reading -----------------------------------------------------------------
    def _fill(self, keep: str | None = None) -> None:
        self.entries = editing.label_set(self.db)
        self.table.setRowCount(len(self.entries))
        for i, entry in enumerate(self.entries):
            name = QTableWidgetItem(swatch(entry.color), entry.name)
            cells = [
                name,
                QTableWidgetItem(entry.shortcut or "–"),
                QTableWidgetItem(str(entry.spans)),
                QTableWidgetItem("retired" if entry.retired else "in use"),
            ]
            for column, item in enumerate(cells):
                if entry.retired:
                    item.setForeground(QColor("#888888"))
                self.table.setItem(i, column, item)
        if keep is not None:
            for i, entry in enumerate(self.entries):
                if entry.name == keep:
                    self.table.selectRow(i)
        self._explain()

    def current(self) -> LabelEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _explain(self) -> None:
        """What a change would do to the spans already made with the selected label."""
        entry = self.current()
        for key in ("rename", "colour", "key", "up", "down", "retire"):
            self.buttons[key].setEnabled(entry is not None)
        if entry is None:
            self.effect.setText("Select a label, or add one.")
            return
        spans = counted(entry.spans, "span")
        self.buttons["retire"].setText("&Restore" if entry.retired else "&Retire")
        self.buttons["key"].setEnabled(not entry.retired)
        if entry.retired:
            self.effect.setText(
                f"“{entry.name}” is retired: its {spans} stay, shown grey with the name, "
                "and it has no key. Restore brings it back to the keys (give it a key again)."
            )
            return
        self.effect.setText(
            f"Rename: the {spans} of “{entry.name}” (every curator's) follow the new name, "
            "and so do relation rules. Retire: the spans stay, shown grey with the name; "
            "the label leaves the keys and takes no new spans. Every change is saved at once "
            "and travels with merges."
        )

    # -- changes -----------------------------------------------------------------
    def _run(self, change: object, keep: str | None) -> None:
        try:
            assert callable(change)
            change()
        except CuratorError as exc:
            plain_text.warn(self, "Labels", str(exc))
            return
        self.changed = True
        self._fill(keep)

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add a label", "Name of the new label:")
        if not ok or not name.strip():
            return
        colour = NEW_COLOURS[len(self.entries) % len(NEW_COLOURS)]
        self._run(lambda: editing.add_label(self.db, name, colour), name.strip())

    def rename(self) -> None:
        entry = self.current()
        if entry is None:
            return
        prompt = f"New name for “{entry.name}” (its {counted(entry.spans, 'span')} follow):"
        name, ok = QInputDialog.getText(self, "Rename label", prompt, text=entry.name)
        if ok and name.strip() and name.strip() != entry.name:
            self._run(lambda: editing.rename_label(self.db, entry.name, name), name.strip())

    def recolour(self) -> None:
        entry = self.current()
        if entry is None:
            return
        color = QColorDialog.getColor(QColor(entry.color), self, f"Colour of {entry.name}")
        if color.isValid():
            hex_ = color.name()
            self._run(lambda: editing.recolour_label(self.db, entry.name, hex_), entry.name)

    def set_key(self) -> None:
        entry = self.current()
        if entry is None:
            return
        prompt = f"Key for “{entry.name}” (a digit or letter; empty for none):"
        key, ok = QInputDialog.getText(self, "Label key", prompt, text=entry.shortcut or "")
        if ok:
            self._run(lambda: editing.set_label_key(self.db, entry.name, key or None), entry.name)

    def move_label(self, step: int) -> None:
        entry = self.current()
        if entry is None:
            return
        to = self.entries.index(entry) + step
        if 0 <= to < len(self.entries):
            self._run(lambda: editing.move_label(self.db, entry.name, to), entry.name)

    def retire_or_restore(self) -> None:
        entry = self.current()
        if entry is None:
            return
        change = editing.restore_label if entry.retired else editing.retire_label
        self._run(lambda: change(self.db, entry.name), entry.name)
