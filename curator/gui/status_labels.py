"""The permanent part of the status bar: span counts, curator, database.

Transient messages ("✓ Saved: …") go through ``QStatusBar.showMessage`` on the
left; these labels sit on the right and change only when what they show does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from curator.core.storage.records import LabelInfo
from curator.core.wording import counted
from curator.gui import plain_text
from curator.gui.status_message import ElidedLabel


def span_count(n: int) -> str:
    return counted(n, "span")


COMPACT_BELOW = 1200  # status bar width (px) under which counts are only a total


class _ResizeWatch(QObject):
    """Calls back when the watched widget changes size."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._callback()
        return False


class StatusLabels:
    def __init__(self, bar: QStatusBar, labels: Sequence[LabelInfo], suggestions: QLabel) -> None:
        self.labels = labels
        self.counts = plain_text.label()
        self.curator = plain_text.label()
        self.curator.setTextFormat(Qt.TextFormat.RichText)  # the name in bold, escaped
        self.database = ElidedLabel()
        self.database.setStyleSheet("color: #666;")
        self.database.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.database.setMaximumWidth(140)  # a long path must not push the message out
        for widget in (self.counts, suggestions, self.curator, self.database):
            bar.addPermanentWidget(widget)
        # A fixed width that only grows: a label whose size changes asks the
        # status bar to lay itself out again and repaint on every edit, while
        # room for the largest counts up front leaves messages none at all.
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._fit_counts("0000 spans")
        # On a narrow window the per-label counts move to the tooltip and the
        # database's path to the curator's: the message on the left (the keys
        # of the step a flow is at) needs the room more.
        self._bar = bar
        self._compact = bar.width() < COMPACT_BELOW
        self.database.setVisible(not self._compact)
        self._counts: tuple[int, Mapping[str, int], int] = (0, {}, 0)
        self._watch = _ResizeWatch(bar, self._bar_resized)

    def show_counts(self, total: int, per_label: Mapping[str, int], unlinked: int = 0) -> None:
        self._counts = (total, per_label, unlinked)
        parts = [f"{per_label[lb.name]} {lb.name}" for lb in self.labels if per_label.get(lb.name)]
        linked = f" · {unlinked} unlinked" if total else ""
        full = span_count(total) + (f" ({', '.join(parts)})" if parts else "") + linked
        text = span_count(total) + linked if self._compact else full
        self.counts.setText(text)
        self.counts.setToolTip(plain_text.tooltip(full))
        self._fit_counts(text)

    def _bar_resized(self) -> None:
        compact = self._bar.width() < COMPACT_BELOW
        if compact != self._compact:
            self._compact = compact
            self.database.setVisible(not compact)
            self.counts.setMinimumWidth(0)  # may shrink: fitted again from the new text
            self.counts.setMaximumWidth(16777215)
            self.show_counts(*self._counts)

    def _fit_counts(self, text: str) -> None:
        width = self.counts.fontMetrics().horizontalAdvance(text) + 8
        if width > self.counts.width() or self.counts.minimumWidth() == 0:
            self.counts.setFixedSize(width, self.counts.sizeHint().height())

    def show_curator(self, name: str) -> None:
        self.curator.setText(plain_text.rich("Curator: <b>{}</b>", name))

    def show_database(self, name: str) -> None:
        self.database.set_full_text(name)
        self.curator.setToolTip(plain_text.tooltip(f"Database: {name}"))
