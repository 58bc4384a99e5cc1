"""An editable list of the database's curators: pick one, or create a name on purpose.

Typing completes against the existing names (any part, any case). A name
the database does not know is only taken after the user confirms that a new
curator is meant, so a typo never starts a second, empty layer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QMessageBox, QWidget

from curator.core.errors import CuratorError
from curator.core.storage.curators import validate_name
from curator.gui import plain_text


class CuratorCombo(QComboBox):
    chosen = Signal(str)  # a name the user settled on: known, or confirmed as new

    def __init__(self, names: list[str], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(names)
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.current = current
        self.setCurrentText(current)
        self.setToolTip("Pick a curator from the list; a new name is created only if you confirm")
        self.activated.connect(lambda _i: self.commit())
        line = self.lineEdit()
        assert line is not None
        line.returnPressed.connect(self.commit)

    def known(self, name: str) -> bool:
        return (
            self.findText(name, Qt.MatchFlag.MatchFixedString | Qt.MatchFlag.MatchCaseSensitive)
            >= 0
        )

    def commit(self) -> None:
        """Take the typed name: at once if known, after a confirmation if new."""
        try:
            name = validate_name(self.currentText())
        except CuratorError as exc:
            plain_text.warn(self, "Curator", str(exc))
            self.setCurrentText(self.current)
            return
        if name == self.current:
            self.setCurrentText(name)
            return
        if not self.known(name):
            box = plain_text.message_box(
                self,
                plain_text.Icon.Question,
                "New curator",
                f"No curator is called “{name}” yet.\n\nCreate a new curator named so?",
            )
            box.setStandardButtons(
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
            )
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            if box.exec() != QMessageBox.StandardButton.Yes:
                self.setCurrentText(self.current)
                return
            self.addItem(name)
        self.current = name
        self.setCurrentText(name)
        self.chosen.emit(name)
