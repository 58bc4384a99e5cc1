"""The open document's spans as a sortable table; the note column is editable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFocusEvent, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from curator.core.records import Span
from curator.gui.placeholder import paint_placeholder
from curator.gui.table_model import ColumnsModel, Index

LABEL, TEXT, START, END, NOTE = range(5)


class SpanTableModel(ColumnsModel):
    """Rows in text order; the Python dict in the workspace stays the source of truth."""

    COLUMNS = ("Label", "Text", "Start", "End", "Note")

    def __init__(self, colors: dict[str, str]) -> None:
        super().__init__()
        self.colors = colors
        self.spans: list[Span] = []
        self._row_of: dict[str, int] = {}
        self.note_edited: Callable[[Span, str], None] | None = None

    def reset(self, spans: list[Span]) -> None:
        self.beginResetModel()
        self.spans = sorted(spans, key=lambda s: (s.start, s.end, s.uid))
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {s.uid: i for i, s in enumerate(self.spans)}

    def upsert(self, span: Span) -> None:
        row = self._row_of.get(span.uid)
        if span.deleted:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.spans[row]
                self._reindex()
                self.endRemoveRows()
            return
        if row is not None and (self.spans[row].start, self.spans[row].end) == (
            span.start,
            span.end,
        ):
            self.spans[row] = span
            self.dataChanged.emit(self.index(row, 0), self.index(row, NOTE))
            return
        if row is not None:  # extent changed: move the row to keep text order
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.spans[row]
            self.endRemoveRows()
        key = (span.start, span.end, span.uid)
        at = next(
            (i for i, s in enumerate(self.spans) if (s.start, s.end, s.uid) > key),
            len(self.spans),
        )
        self.beginInsertRows(QModelIndex(), at, at)
        self.spans.insert(at, span)
        self._reindex()
        self.endInsertRows()

    def row_of(self, uid: str) -> int | None:
        return self._row_of.get(uid)

    def row_items(self) -> Sequence[object]:
        return self.spans

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == NOTE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        span = self.spans[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == TEXT and role == Qt.ItemDataRole.DisplayRole:
                return " ".join(span.text.split())
            return (span.label, span.text, span.start, span.end, span.note)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == LABEL:
            return QColor(self.colors.get(span.label, "#777777"))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{span.label}: {span.text}"
            return tip + (f"\nNote: {span.note}" if span.note else "")
        if role == Qt.ItemDataRole.UserRole:
            return (span.label, span.text.casefold(), span.start, span.end, span.note)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (START, END):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        if self.note_edited is not None:
            # The workspace commits it and calls upsert() with what was stored.
            self.note_edited(self.spans[index.row()], str(value).strip())
        return True


class SpanTable(QTableView):
    span_activated = Signal(str)  # uid of the row the user clicked or moved to

    def __init__(self, model: SpanTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanTable")
        self.source = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(START, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(START, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(END, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NOTE, 110)
        self.selectionModel().currentRowChanged.connect(self._on_current)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.source.rowCount() == 0:
            paint_placeholder(
                self, "No spans yet.\n\nSelect text and press 1–4,\nor click a label above."
            )

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Qt makes the first row current when a table gains focus with none;
        # that is not the user choosing a span, so it must not jump the text.
        model = self.selectionModel()
        model.blockSignals(True)
        try:
            super().focusInEvent(event)
        finally:
            model.blockSignals(False)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.proxy.mapToSource(current).row()
            self.span_activated.emit(self.source.spans[row].uid)

    def show_span(self, uid: str | None) -> None:
        """Follow a span selected elsewhere (the text) without echoing it back."""
        row = self.source.row_of(uid) if uid else None
        model = self.selectionModel()
        model.blockSignals(True)
        if row is None:
            self.clearSelection()
            model.clearCurrentIndex()
        else:
            index = self.proxy.mapFromSource(self.source.index(row, 0))
            self.setCurrentIndex(index)
            self.scrollTo(index)
        model.blockSignals(False)
        self.viewport().update()

    def edit_note(self, uid: str) -> None:
        row = self.source.row_of(uid)
        if row is not None:
            index = self.proxy.mapFromSource(self.source.index(row, NOTE))
            self.setCurrentIndex(index)
            self.setFocus()
            self.edit(index)
