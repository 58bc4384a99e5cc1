"""The Settings menu: the label set (and room for what else a team configures)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from curator.core.storage.db import Database

AddAction = Callable[[QMenu, str, "str | list[str]", Callable[[], object]], QAction]


def settings_menu(
    window: QWidget,
    db: Callable[[], Database],
    add_action: AddAction,
    labels_edited: Callable[[], None],
) -> QMenu:
    """The menu, with Labels… opening the label set editor; *labels_edited* after a change."""
    from curator.gui.labels_dialog import LabelsDialog

    menu = QMenu("&Settings", window)

    def open_labels() -> None:
        dialog = LabelsDialog(db(), window)
        dialog.exec()
        if dialog.changed:
            labels_edited()

    add_action(menu, "&Labels…", "", open_labels)
    return menu
