"""The floor of the start-up figures: a bare PySide6 script showing a text.

``python -m benchmarks.bare_editor TEXT_FILE`` starts Qt, reads the file,
puts it in a ``QPlainTextEdit`` titled with its first line, shows it, and
prints ``painted text SECONDS CPU`` (``time.monotonic()``, ``time.process_time()``)
once the first frame
with the text is complete, as the app does under ``CURATOR_REPORT_PAINTED``.
It imports nothing of the app, so it costs what Python and Qt cost.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit


class _Painted(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, _report)
        return False


def _report() -> None:
    print(f"painted text {time.monotonic():.6f} {time.process_time():.6f}", flush=True)


def main(path: str) -> int:
    app = QApplication(sys.argv)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    editor = QPlainTextEdit()
    editor.setPlainText(text)
    editor.setWindowTitle(text.split("\n", 1)[0])
    editor.resize(1500, 900)
    painted = _Painted(editor)
    editor.viewport().installEventFilter(painted)
    editor.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
