"""A cancellable progress dialog for long operations, driven by the core's progress callbacks.

The core calls ``progress(done, total, ...)`` between steps and before its
transaction commits; when the user has pressed Cancel, the next call raises
:class:`~curator.core.errors.CancelledError`, the transaction rolls back, and the
database is left exactly as it was. Short operations never show the dialog
(Qt shows it only once the work looks like lasting :data:`SHOW_AFTER_MS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from curator.core.errors import CancelledError

SHOW_AFTER_MS = 400


class Progress:
    """The callback: moves the bar, keeps the window painted, and raises once cancelled."""

    def __init__(self, parent: QWidget, label: str, unit: str) -> None:
        self.unit = unit
        self.label = label
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(label.rstrip("…"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.setMinimumWidth(360)

    def __call__(self, done: int, total: int, /, *rest: object) -> None:
        if self.dialog.wasCanceled():
            raise CancelledError(f"{self.label.rstrip('…')} cancelled; nothing was changed")
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setLabelText(f"{self.label} {done} of {total} {self.unit}")
        self.dialog.setValue(done)  # processes events: the Cancel button can be pressed
        QApplication.processEvents()
        if self.dialog.wasCanceled():
            raise CancelledError(f"{self.label.rstrip('…')} cancelled; nothing was changed")


@contextmanager
def progress_dialog(parent: QWidget, label: str, unit: str) -> Iterator[Progress]:
    progress = Progress(parent, label, unit)
    try:
        yield progress
    finally:
        progress.dialog.close()
        progress.dialog.deleteLater()
