"""A hint painted over an empty list, so an empty panel says what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView


def paint_placeholder(view: QAbstractItemView, text: str) -> None:
    """Call from paintEvent after the base class, when the model has no rows."""
    painter = QPainter(view.viewport())
    color = view.palette().color(QPalette.ColorRole.PlaceholderText)
    painter.setPen(color)
    rect = view.viewport().rect().adjusted(16, 24, -16, -16)
    painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
