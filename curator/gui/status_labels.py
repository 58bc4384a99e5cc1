"""The permanent part of the status bar: span counts, curator, database.

Transient messages ("✓ Saved: …") go through ``QStatusBar.showMessage`` on the
left; these labels sit on the right and change only when what they show does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from curator.core.records import LabelInfo
from curator.core.wording import counted
from curator.gui import plain_text


def span_count(n: int) -> str:
    return counted(n, "span")


class StatusLabels:
    def __init__(self, bar: QStatusBar, labels: Sequence[LabelInfo], suggestions: QLabel) -> None:
        self.labels = labels
        self.counts = plain_text.label()
        self.curator = plain_text.label()
        self.curator.setTextFormat(Qt.TextFormat.RichText)  # the name in bold, escaped
        self.database = plain_text.label()
        self.database.setStyleSheet("color: #666;")
        for widget in (self.counts, suggestions, self.curator, self.database):
            bar.addPermanentWidget(widget)
        # Room for large counts, fixed: a label whose size may change asks the
        # status bar to lay itself out again and repaint on every edit.
        sample = ", ".join(f"00000 {label.name}" for label in labels)
        width = self.counts.fontMetrics().horizontalAdvance(
            f"000000 spans ({sample}) · 000000 unlinked"
        )
        self.counts.setFixedSize(width + 8, self.counts.sizeHint().height())
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def show_counts(self, total: int, per_label: Mapping[str, int], unlinked: int = 0) -> None:
        parts = [f"{per_label[lb.name]} {lb.name}" for lb in self.labels if per_label.get(lb.name)]
        text = span_count(total) + (f" ({', '.join(parts)})" if parts else "")
        if total:
            text += f" · {unlinked} unlinked"
        self.counts.setText(text)

    def show_curator(self, name: str) -> None:
        self.curator.setText(plain_text.rich("Curator: <b>{}</b>", name))

    def show_database(self, name: str) -> None:
        self.database.setText(name)
