"""The shape shared by the app's flat table models: fixed columns, rows in a list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ColumnsModel(QAbstractTableModel):
    """Subclasses name their COLUMNS and say which list holds the rows.

    ``flags()`` is Qt's own (selectable, enabled, no children): Qt asks it for
    every cell it paints, and an override answers from Python at a cost
    greater than the answer. The column edited in place (``EDITABLE``, the
    note) is opened for editing by its view (``row_tables.NoteTable``) and
    written through ``setData``.
    """

    COLUMNS: tuple[str, ...] = ()
    EDITABLE: int | None = None  # the column edited in place (a note), if any

    def row_items(self) -> Sequence[object]:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.row_items())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None
