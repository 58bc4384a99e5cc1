"""The open document's spans as a sortable table; the note column is editable.

The model sorts itself instead of sitting behind a QSortFilterProxyModel:
the proxy asks Python for ``data()`` on every comparison, ~600,000 calls
(about a second) to sort 20,000 spans, while a Python key sort takes
milliseconds. Rows stay ordered by the sort key with the span's extent and
uid as tie-breakers, so every key is unique: one edit finds its row by
bisection and moves one row, never scanning or re-indexing all of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFocusEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QWidget

from curator.core.storage.concepts import describe
from curator.core.storage.records import AnySpan
from curator.gui import plain_text
from curator.gui.placeholder import paint_placeholder
from curator.gui.row_tables import NoteTable, follow_row, set_up_rows
from curator.gui.span_cells import UNKNOWN_COLOR, SpanCellDelegate
from curator.gui.table_model import ColumnsModel, Index

LABEL, TEXT, START, END, NOTE, CONCEPT = range(6)
SortKey = Callable[[AnySpan], tuple[object, ...]]

# Roles as plain ints: a repaint asks data() ~500 times, mostly for roles
# this model does not provide, and enum comparisons cost more than the answer.
_DISPLAY, _EDIT, _DECORATION, _TOOLTIP, _ALIGN = (
    int(role.value)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )
)
_ROLES = frozenset((_DISPLAY, _EDIT, _DECORATION, _TOOLTIP, _ALIGN))
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
# A row's cached cells: the six shown, the six edited, the tooltip.
_EDITS, _TIP = 6, 12
_CACHED_ROWS = 4_000  # rows whose cells are kept (a few hundred KB), pages the user saw

_KEYS: dict[int, SortKey] = {
    LABEL: lambda s: (s.label, s.start, s.end, s.uid),
    TEXT: lambda s: (s.text.casefold(), s.start, s.end, s.uid),
    START: lambda s: (s.start, s.end, s.uid),
    END: lambda s: (s.end, s.start, s.uid),
    NOTE: lambda s: (s.note.casefold(), s.start, s.end, s.uid),
    CONCEPT: lambda s: (describe(s.concepts).casefold(), s.start, s.end, s.uid),
}


class SpanTableModel(ColumnsModel):
    """Rows sorted by one column; the Python dict in the workspace stays the source of truth."""

    COLUMNS = ("Label", "Text", "Start", "End", "Note", "Concept")
    EDITABLE = NOTE

    def __init__(
        self, colors: dict[str, str], owner: Callable[[str], AnySpan | None] | None = None
    ) -> None:
        """*owner*: how to find a shown span by uid, when its owner keeps them so (the
        workspace); it then says what each edit replaces (:meth:`replace`) and the
        model keeps no uid map of its own (400 KB at 20,000 spans)."""
        super().__init__()
        self.colors = colors
        self._spans: list[AnySpan] = []  # ascending by self._key, whatever the shown order
        self._by_uid: dict[str, AnySpan] = {}
        # uid -> (the record they were made from, its cells): see cells_of.
        self._cells: dict[str, tuple[AnySpan, tuple[object, ...]]] = {}
        self._colors: dict[str, QColor] = {}  # one QColor per colour code
        self._owner = owner
        self._column = START
        self._descending = False
        self._key: SortKey = _KEYS[START]
        self.note_edited: Callable[[AnySpan, str], None] | None = None

    def reset(self, spans: Sequence[AnySpan], *, in_text_order: bool = False) -> None:
        """Show *spans*; *in_text_order*: they come sorted by (start, end, uid), as an
        opened article's do, so the table sorted by start need not sort them again
        (a key per span: 50 ms of an opening at 50,000 spans)."""
        self.beginResetModel()
        self._cells.clear()
        if self._owner is None:
            self._by_uid = {s.uid: s for s in spans}
            spans = list(self._by_uid.values())
        if in_text_order and self._key is _KEYS[START]:
            self._spans = list(spans)
        else:
            self._spans = sorted(spans, key=self._key)
        self.endResetModel()

    def span_at(self, row: int) -> AnySpan:
        return self._spans[len(self._spans) - 1 - row if self._descending else row]

    def _position(self, span: AnySpan) -> int:
        """Index in ``_spans`` of a stored span (it is there: keys are unique)."""
        return bisect_left(self._spans, self._key(span), key=self._key)

    def _row(self, position: int, count: int) -> int:
        """The shown row of a storage position, in a list of *count* rows."""
        return count - 1 - position if self._descending else position

    def upsert(self, span: AnySpan) -> None:
        """Show *span* as stored: added, changed in place, moved, or removed if deleted."""
        assert self._owner is None, "an owned model is told what an edit replaces"
        self.replace(self._by_uid.get(span.uid), span)

    def replace(self, old: AnySpan | None, span: AnySpan) -> None:
        """*old* (a shown row, or None) is now *span*: changed in place, moved, or gone."""
        own = self._by_uid if self._owner is None else None
        if old is not None:
            at = self._position(old)
            if not span.deleted and self._key(old) == self._key(span):
                self._spans[at] = span
                if own is not None:
                    own[span.uid] = span
                row = self._row(at, len(self._spans))
                self.dataChanged.emit(self.index(row, 0), self.index(row, CONCEPT))
                return
            row = self._row(at, len(self._spans))
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._spans[at]
            if own is not None:
                del own[old.uid]
            self.endRemoveRows()
        if span.deleted:
            return
        at = bisect_left(self._spans, self._key(span), key=self._key)
        row = len(self._spans) - at if self._descending else at
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(at, span)
        if own is not None:
            own[span.uid] = span
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _KEYS:
            return
        self.layoutAboutToBeChanged.emit()
        kept = [(index, self.span_at(index.row()).uid) for index in self.persistentIndexList()]
        self._column, self._key = column, _KEYS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._spans.sort(key=self._key)
        for index, uid in kept:
            row = self.row_of(uid)
            assert row is not None
            self.changePersistentIndex(index, self.index(row, index.column()))
        self.layoutChanged.emit()

    def row_of(self, uid: str) -> int | None:
        span = self._by_uid.get(uid) if self._owner is None else self._owner(uid)
        return None if span is None else self._row(self._position(span), len(self._spans))

    def row_items(self) -> Sequence[object]:
        return self._spans

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        col = index.column()
        if role == _ALIGN:
            return _RIGHT if col in (START, END) else None
        if role == _DECORATION:
            if col != LABEL:
                return None
            color = self.colors.get(self.span_at(index.row()).label, UNKNOWN_COLOR)
            shown = self._colors.get(color)
            if shown is None:
                shown = self._colors[color] = QColor(color)
            return shown
        cells = self.cells_of(self.span_at(index.row()))
        if role == _DISPLAY:
            return cells[col]
        if role == _EDIT:
            return cells[_EDITS + col]
        return cells[_TIP]

    def cells_of(self, span: AnySpan) -> tuple[object, ...]:
        """What the row of *span* shows, made once per record: a page of the table
        asks ~1,000 questions, and the quote, the concept and the tooltip were
        built anew for each. An edit replaces the record, so a changed span
        (label, note, concept, extent) is never answered from the old one."""
        cached = self._cells.get(span.uid)
        if cached is not None and cached[0] is span:
            return cached[1]
        if len(self._cells) >= _CACHED_ROWS:
            self._cells.clear()  # rows seen long ago; the page shown refills it
        concept = describe(span.concepts)
        text = span.text
        tip = f"{span.label}: {text}"
        if span.concepts:
            tip += f"\nConcept: {concept}"
        tip = plain_text.tooltip(tip + (f"\nNote: {span.note}" if span.note else ""))
        shown = (span.label, " ".join(text.split()), span.start, span.end, span.note, concept)
        edited = (span.label, text, span.start, span.end, span.note, concept)
        cells = (*shown, *edited, tip)
        self._cells[span.uid] = (span, cells)
        return cells

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        if self.note_edited is not None:
            # The workspace commits it and calls upsert() with what was stored.
            self.note_edited(self.span_at(index.row()), str(value).strip())
        return True


class SpanTable(NoteTable):
    """The spans as rows; on a narrow pane the offsets give their room to the quote."""

    span_activated = Signal(str)  # uid of the row the user clicked or moved to
    note_column = NOTE

    def __init__(self, model: SpanTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanTable")
        self.source = model
        self.setModel(model)
        self.setItemDelegate(SpanCellDelegate(model, (LABEL, START, END), self))
        self.setSortingEnabled(True)
        self.sortByColumn(START, Qt.SortOrder.AscendingOrder)
        set_up_rows(self)
        # Widths from the font, not ResizeToContents: that asks the model for
        # every row's size hint (120,000 data() calls at 20,000 spans) whenever
        # rows change.
        header = self.horizontalHeader()
        fm = self.fontMetrics()
        digits = fm.horizontalAdvance("000000") + 14  # offsets of a 1 MB article
        widths = {LABEL: fm.horizontalAdvance("outcome") + 34, START: digits, END: digits}
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NOTE, fm.horizontalAdvance("Note") + 40)  # widened when needed
        header.setSectionResizeMode(CONCEPT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(CONCEPT, fm.horizontalAdvance("TNFRSF17 (HGNC:11913)") + 16)
        self.selectionModel().currentRowChanged.connect(self._on_current)
        self._offset_room = sum(widths.values()) + header.sectionSize(NOTE) + 3 * digits
        # The concept column comes only when the quote keeps that room too:
        # shown on a pane of 500 px it left the quote 30 px, an ellipsis.
        self._concept_room = self._offset_room + header.sectionSize(CONCEPT)
        # The first row added or removed since the last layout (None: none, or
        # the whole model changed): the rows above it are shown as they were.
        self._changed_from: int | None = None
        model.rowsInserted.connect(self._on_rows_changed)
        model.rowsRemoved.connect(self._on_rows_changed)
        model.modelReset.connect(self._on_relayout)
        model.layoutChanged.connect(self._on_relayout)

    def _on_rows_changed(self, _parent: QModelIndex, first: int, _last: int) -> None:
        changed = self._changed_from
        self._changed_from = first if changed is None else min(changed, first)

    def _on_relayout(self) -> None:
        self._changed_from = None

    def doItemsLayout(self) -> None:
        """Qt relays out and repaints every visible row after any row is added or
        removed (27 rows of 5 cells, each asking data() for six roles: 6-7 ms,
        longer than the edit's commit). Only the rows from the first one changed
        down moved (and swapped their banding): they are repainted, the rows above
        are left as they are, and a change below the visible rows repaints nothing
        shown; the scroll range follows the row count either way."""
        first, self._changed_from = self._changed_from, None
        if first is None:
            super().doItemsLayout()
            return
        self.updateGeometries()
        header = self.verticalHeader()  # Qt holds its updates while rows are removed
        if not header.updatesEnabled():
            header.setUpdatesEnabled(True)
        viewport = self.viewport()
        count = self.source.rowCount()
        if count == 0:
            viewport.update()  # the placeholder
            return
        if first < count:
            top = self.rowViewportPosition(first)
        else:  # the last rows went: the room below the new last row
            top = self.rowViewportPosition(count - 1) + self.rowHeight(count - 1)
        if top < viewport.height():
            viewport.update(QRect(0, max(top, 0), viewport.width(), viewport.height()))

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

    def rowsAboutToBeRemoved(self, parent: Index, start: int, end: int) -> None:
        # Qt makes the next row current when the current one goes: that is not the
        # user choosing a span, so it must not select it (and move the caret to it)
        # in the article. The span went, and with it the selection, as in the text.
        current = self.currentIndex()
        if current.isValid() and start <= current.row() <= end:
            follow_row(self, None)
        super().rowsAboutToBeRemoved(parent, start, end)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.span_activated.emit(self.source.span_at(current.row()).uid)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        # Narrow: the quote keeps the room; offsets and the concept stay in the tooltip.
        hidden = {
            START: width < self._offset_room,
            END: width < self._offset_room,
            CONCEPT: width < self._concept_room,
        }
        for column, hide in hidden.items():
            if self.isColumnHidden(column) != hide:
                self.setColumnHidden(column, hide)

    def show_span(self, uid: str | None) -> None:
        """Follow a span selected elsewhere (the text) without echoing it back."""
        follow_row(self, self.source.row_of(uid) if uid else None)

    def edit_note(self, uid: str) -> None:
        row = self.source.row_of(uid)
        if row is not None:
            index = self.source.index(row, NOTE)
            self.setCurrentIndex(index)
            self.setFocus()
            self.edit(index)
