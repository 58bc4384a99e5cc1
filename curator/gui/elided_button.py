"""A push button whose caption ends in "…" when the row is narrower than it.

Why: a QPushButton's minimum width is its whole caption. The review
window's accept buttons quote the curator's span ("Alt+2  Accept maria:
therapy 278–296 “CAR-T cell therapy”"), and two of them side by side made
the window wider than a 1024x700 screen, its right edge (the curated lane,
the count of decisions) off the screen. Shortened, the caption keeps its
start (the key and whose span) and the tooltip has it whole.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget

MIN_CHARS = 13  # the narrowest caption: "Alt+N  Accept"


class ElidedButton(QPushButton):
    """A button showing plain *text* (an ``&`` is a character, not a mnemonic), elided right."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return self.text().replace("&&", "&") != self._full

    def sizeHint(self) -> QSize:
        """As wide as the whole caption: a roomy row shows it all."""
        return self._size_for(self._full)

    def minimumSizeHint(self) -> QSize:
        least = self._size_for(self._full[:MIN_CHARS] + "…")
        return least + QSize(4, 0)  # elidedText measures in fractions: rounding may cost a letter

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _size_for(self, caption: str) -> QSize:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        text = QSize(metrics.horizontalAdvance(caption), metrics.height())
        return (
            self.style()
            .sizeFromContents(QStyle.ContentsType.CT_PushButton, option, text, self)
            .expandedTo(QSize(0, super().sizeHint().height()))
        )

    def _elide(self) -> None:
        whole = self._size_for(self._full).width()
        shown = self._full
        if self.width() < whole:
            # The style's padding around the caption (a short caption would be
            # widened to the style's least button width: measured on the whole one).
            padding = whole - self.fontMetrics().horizontalAdvance(self._full)
            room = max(self.width() - padding, 0)
            shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        self.setText(shown.replace("&", "&&"))
