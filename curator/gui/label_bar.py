"""The label bar: one button per label with its colour swatch and key."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget


def swatch(color: str, size: int = 14) -> QIcon:
    """A rounded colour chip, the same one the span table and menus show."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(130))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class LabelBar(QToolBar):
    """Buttons for the label actions; they take no focus, so the text selection stays."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("labelBar")
        self.setMovable(False)
        self.setIconSize(QSize(14, 14))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.set_actions(actions)

    def set_actions(self, actions: list[QAction]) -> None:
        """One button per action, replacing those shown (the label set was edited)."""
        self.clear()
        for action in actions:
            self.addAction(action)
            button = self.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setObjectName(f"labelButton_{action.data()}")
