"""N on a span: its note in a dialog with room to write.

A table cell 60 px wide scrolled the text away as it was typed; a note is
often a sentence or two (why a span was tagged so, what to ask the team).
Ctrl+Enter saves, Escape cancels, Enter starts a new line.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from curator.gui import plain_text


class NoteDialog(QDialog):
    def __init__(self, about: str, note: str, parent: QWidget | None = None) -> None:
        """*about*: the span as the status bar names it (label “quote”), shown as plain text."""
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle("Note on span")
        heading = plain_text.label(f"Note on {about}")
        heading.setWordWrap(True)
        self.edit = QPlainTextEdit(note)
        self.edit.setObjectName("noteText")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Why this span, what to ask the team… (empty: no note)")
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip("Save the note (Ctrl+Enter)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.edit, 1)
        hint = QLabel("Ctrl+Enter saves · Escape cancels")
        hint.setStyleSheet("color: #666;")
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 260)
        self.edit.setFocus()

    def note(self) -> str:
        return self.edit.toPlainText().strip()
