"""The open document's relations as a table beside the span table.

Rows in reading order of their heads (then tails); selecting a row selects
and shows both spans in the article, Delete removes the relation (undoable),
F2 or a double click edits its note in place.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QWidget

from curator.core.storage.records import RelationRecord
from curator.gui import plain_text
from curator.gui.placeholder import paint_placeholder
from curator.gui.relations.state import RelationState
from curator.gui.row_tables import NoteTable, follow_row, set_up_rows
from curator.gui.table_model import ColumnsModel, Index

TYPE, HEAD, TAIL, NOTE = range(4)
_NOTE_ROOM = 420  # below this width the Note column hides
_DISPLAY, _EDIT, _DECORATION, _TOOLTIP = (
    int(role.value)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)


class RelationTableModel(ColumnsModel):
    COLUMNS = ("Type", "Head", "Tail", "Note")
    EDITABLE = NOTE

    def __init__(self, state: RelationState) -> None:
        super().__init__()
        self.state = state
        self.rows: list[RelationRecord] = []
        # The rows' sort keys, kept beside them: an added relation finds its row by
        # bisection (5,000 rows). Spans that end relations moving makes the state
        # read the relations again, and the keys are computed afresh.
        self._keys: list[tuple[int, int, str]] = []
        # Each shown relation's key by uid: its row is found by bisection, not by
        # reading every row (5,000) on each edit and each relation followed.
        self._key_of: dict[str, tuple[int, int, str]] = {}
        self.note_edited: Callable[[RelationRecord, str], None] | None = None
        state.reset.connect(self.reload)
        state.changed.connect(self._on_changed)

    def _key(self, rec: RelationRecord) -> tuple[int, int, str]:
        spans = self.state.ws.spans
        head, tail = spans.get(rec.head), spans.get(rec.tail)
        return (head.start if head else -1, tail.start if tail else -1, rec.uid)

    def reload(self) -> None:
        self.beginResetModel()
        keyed = sorted((self._key(r), r) for r in self.state.relations.values())
        self._keys = [k for k, _ in keyed]
        self.rows = [r for _, r in keyed]
        self._key_of = {r.uid: k for k, r in keyed}
        self.endResetModel()

    def _on_changed(self, rec: RelationRecord, old: RelationRecord | None) -> None:
        row = self.row_of(rec.uid)
        live = rec.uid in self.state.relations
        if row is not None and live:
            self.rows[row] = rec
            self.dataChanged.emit(self.index(row, 0), self.index(row, NOTE))
        elif row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row], self._keys[row], self._key_of[rec.uid]
            self.endRemoveRows()
        elif live:
            key = self._key(rec)
            at = bisect_right(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, rec)
            self._keys.insert(at, key)
            self._key_of[rec.uid] = key
            self.endInsertRows()

    def row_of(self, uid: str) -> int | None:
        key = self._key_of.get(uid)
        return None if key is None else bisect_left(self._keys, key)

    def row_items(self) -> list[RelationRecord]:
        return self.rows

    def _quote(self, uid: str) -> str:
        span = self.state.ws.spans.get(uid)
        return " ".join(span.text.split()) if span is not None else "(deleted span)"

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        role = int(role)
        if not index.isValid():
            return None
        rec, col = self.rows[index.row()], index.column()
        if role in (_DISPLAY, _EDIT):
            if col == TYPE:
                return rec.type
            if col in (HEAD, TAIL):
                return self._quote(rec.head if col == HEAD else rec.tail)
            return rec.note
        if role == _DECORATION and col == TYPE:
            kind = self.state.type_by_name.get(rec.type)
            return QColor(kind.color if kind else "#777777")
        if role == _TOOLTIP:
            spans = self.state.ws.spans
            head, tail = spans.get(rec.head), spans.get(rec.tail)
            tip = (
                f"{head.label if head else '?'}: {self._quote(rec.head)}\n"
                f"{rec.type}\n{tail.label if tail else '?'}: {self._quote(rec.tail)}"
            )
            return plain_text.tooltip(tip + (f"\nNote: {rec.note}" if rec.note else ""))
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        if self.note_edited is not None:
            self.note_edited(self.rows[index.row()], str(value).strip())
        return True


class RelationTable(NoteTable):
    relation_activated = Signal(str)  # uid of the row the user moved to
    delete_requested = Signal(str)  # uid of the row Delete was pressed on
    note_column = NOTE

    def __init__(self, model: RelationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationTable")
        self.source = model
        self.setModel(model)
        set_up_rows(self)
        header = self.horizontalHeader()
        fm = self.fontMetrics()
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TYPE, fm.horizontalAdvance("has_outcome") + 34)
        header.setSectionResizeMode(HEAD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NOTE, fm.horizontalAdvance("Note") + 40)
        self.selectionModel().currentRowChanged.connect(self._on_current)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Narrow: the quotes keep the room; the note stays in the row's tooltip.
        narrow = self.viewport().width() < _NOTE_ROOM
        if self.isColumnHidden(NOTE) != narrow:
            self.setColumnHidden(NOTE, narrow)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.relation_activated.emit(self.source.rows[current.row()].uid)

    def current_uid(self) -> str | None:
        index = self.currentIndex()
        rows = self.source.rows
        return rows[index.row()].uid if index.isValid() and index.row() < len(rows) else None

    def event(self, event: QEvent) -> bool:
        # Delete here removes the relation, not the span selected in the article.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and not event.modifiers()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            uid = self.current_uid()
            if uid is not None:
                self.delete_requested.emit(uid)
            return
        super().keyPressEvent(event)

    def show_relation(self, uid: str | None) -> None:
        """Follow a relation chosen elsewhere without echoing it back."""
        follow_row(self, self.source.row_of(uid) if uid else None)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.source.rowCount() == 0:
            paint_placeholder(
                self,
                "No relations yet.\n\nSelect a span, press R,\nTab to a target, Enter to link.",
            )
