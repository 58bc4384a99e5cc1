"""The shape shared by the app's flat table models: fixed columns, rows in a list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

# What QAbstractTableModel.flags() gives a cell, and with the in-place edit.
_NONE = Qt.ItemFlag.NoItemFlags
_ROW = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE = _ROW | Qt.ItemFlag.ItemIsEditable


class ColumnsModel(QAbstractTableModel):
    """Subclasses name their COLUMNS and say which list holds the rows."""

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

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked for every cell painted: made once, not by enum arithmetic each time.
        if not index.isValid():
            return _NONE
        return _EDITABLE if index.column() == self.EDITABLE else _ROW
