"""The label actions: one per label in use, with its key, in the Annotate menu and label bar.

Built again when the label set is edited (Settings > Labels), so a new key
works at once and a retired label's key stops working, without a restart.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from curator.core.storage.records import LabelInfo
from curator.gui import plain_text
from curator.gui.label_bar import swatch

SlotFor = Callable[[str], Callable[[], object]]


class LabelKeys:
    def __init__(
        self, window: QMainWindow, menu: QMenu, all_actions: list[QAction], slot_for: SlotFor
    ) -> None:
        self.window = window
        self.menu = menu
        self.all_actions = all_actions  # the keyboard map's list, kept in step
        self.slot_for = slot_for
        self.actions: list[QAction] = []
        self.anchor = menu.addSeparator()  # label actions go above it

    def build(self, labels: list[LabelInfo]) -> list[QAction]:
        """Replace the label actions by one per label of *labels*, in their order."""
        for action in self.actions:
            self.menu.removeAction(action)
            self.window.removeAction(action)
            self.all_actions.remove(action)
            action.deleteLater()
        self.actions = []
        for label in labels:
            action = QAction(f"Tag as {label.name}", self.window)
            if label.shortcut:
                action.setShortcut(QKeySequence(label.shortcut))
            action.triggered.connect(self.slot_for(label.name))
            action.setIcon(swatch(label.color))
            action.setIconText(f"{label.shortcut}  {label.name}" if label.shortcut else label.name)
            key = f" ({label.shortcut})" if label.shortcut else ""
            action.setToolTip(plain_text.tooltip(f"{label.name}{key}: {label.description}"))
            action.setData(label.name)
            self.menu.insertAction(self.anchor, action)
            self.window.addAction(action)
            self.all_actions.append(action)
            self.actions.append(action)
        return self.actions
