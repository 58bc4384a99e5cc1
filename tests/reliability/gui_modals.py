"""Answer the app's modal dialogs from inside a test, as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox


class ModalAnswerer:
    """Polls for a modal dialog: types *file* into a file dialog, closes message boxes.

    The real ``QFileDialog`` is driven (Qt's own widget on the offscreen
    platform): the path is typed into its file name box and Return pressed,
    so the menu action runs exactly as it does for a curator.
    """

    def __init__(self, file: Path | str | None = None) -> None:
        self.file = file
        self.boxes: list[tuple[str, str]] = []  # (title, text) of each message box
        self.timer = QTimer()
        self.timer.timeout.connect(self._answer)
        self.timer.start(20)

    def _answer(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QFileDialog):
            edit = modal.findChild(QLineEdit, "fileNameEdit")
            assert edit is not None and self.file is not None
            edit.setText(str(self.file))
            QTest.keyClick(edit, Qt.Key.Key_Return)
        elif isinstance(modal, QMessageBox):
            details = modal.informativeText()
            self.boxes.append(
                (modal.windowTitle(), modal.text() + (f"\n{details}" if details else ""))
            )
            modal.done(0)

    def stop(self) -> None:
        self.timer.stop()
