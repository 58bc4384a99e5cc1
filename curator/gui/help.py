"""Help: the keyboard map (read from the live actions) and the annotation guidelines."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from curator.core.paths import resources_dir

# Keys handled inside widgets rather than by actions, listed for completeness.
EXTRA_KEYS = (
    ("Shift+Arrows, Shift+Ctrl+Arrows", "Select text from the keyboard"),
    ("Click a span", "Select it (then a label key relabels it, Delete removes it)"),
    ("Enter / Shift+Enter in the find bar", "Next / previous match"),
    ("Escape in the find bar", "Close it, keep the match selected for tagging"),
    ("F2 or double-click in the Note column", "Edit a span's note in the span table"),
)


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons


class KeyboardMapDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardMap")
        self.setWindowTitle("Keyboard map")
        self.resize(560, 560)
        rows = [
            (
                a.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                a.text().replace("&", ""),
            )
            for a in actions
            if not a.shortcut().isEmpty()
        ]
        rows.extend(EXTRA_KEYS)
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        for i, (keys, does) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(keys))
            table.setItem(i, 1, QTableWidgetItem(does))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(_close_buttons(self))
        self.table = table


class GuidelinesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelines")
        self.setWindowTitle("Annotation guidelines")
        self.resize(720, 760)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        path = resources_dir() / "guidelines.md"
        try:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        except OSError as exc:
            self.browser.setPlainText(f"The guidelines could not be read from {path}: {exc}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_close_buttons(self))
