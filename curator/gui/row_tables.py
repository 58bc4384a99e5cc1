"""What the side pane's span and relation tables share: their look, following, the note.

Both list one row per item of the open document, chosen whole and one at a
time, with the note edited in place. Both follow what is selected in the
article; their own row change would select it again (and scroll the
article) if the selection model's signals were not held while they move.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QTableView, QWidget

_Trigger = QAbstractItemView.EditTrigger


def set_up_rows(table: QTableView) -> None:
    """Whole rows, one at a time, no grid, banded; a double click or F2 edits a cell."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
    )
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)


def follow_row(table: QTableView, row: int | None) -> None:
    """Make *row* current and scroll to it (None: no row), without a signal.

    The view hears no selection change while the signals are held, so it is
    told which rows to repaint: the rows that were selected or current and the
    new one, not the whole table (a page of rows asks the model some thousand
    questions; a scroll repaints what it brings into view by itself).
    """
    model = table.selectionModel()
    before = {index.row() for index in model.selectedRows()}
    current = model.currentIndex()
    if current.isValid():
        before.add(current.row())
    model.blockSignals(True)
    if row is None:
        table.clearSelection()
        model.clearCurrentIndex()
    else:
        index = table.model().index(row, 0)
        table.setCurrentIndex(index)
        table.scrollTo(index)
        before.add(row)
    model.blockSignals(False)
    viewport = table.viewport()
    width = viewport.width()
    for changed in before:  # a row off screen gives a rect the viewport clips away
        top = table.rowViewportPosition(changed)
        viewport.update(QRect(0, top, width, table.rowHeight(changed)))


class NoteTable(QTableView):
    """A table whose note column (*note_column*) is edited in place, the view opening the editor.

    The models leave ``flags()`` to Qt: Qt asks it for every cell it paints,
    twice, and an answer from Python costs more than the question (a page of
    the span table asked it ~300 times, 0.5-1 ms of a label key). No cell is
    then ``ItemIsEditable`` and Qt's ``edit()`` would refuse, so the view opens
    the editor itself, where and when Qt would for an editable cell: on its
    edit triggers (double click, F2) or when asked in code. The editor is the
    delegate's, filled, selected and committed as Qt's own (Enter commits,
    Escape reverts, leaving it commits; Tab moves on); it is opened as a
    persistent editor, the one kind Qt opens without the flag, and closed
    when the delegate says editing ended.
    """

    note_column: int | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editing: QPersistentModelIndex | None = None

    def edit(  # type: ignore[override]
        self,
        index: QModelIndex | QPersistentModelIndex,
        trigger: QAbstractItemView.EditTrigger = _Trigger.AllEditTriggers,
        event: QEvent | None = None,
    ) -> bool:
        if not index.isValid() or index.column() != self.note_column:
            return super().edit(index, trigger, event)  # type: ignore[arg-type]  # None: no event
        editor = self.indexWidget(index)
        if editor is not None:  # already open: as Qt does, the key or click goes to it
            editor.setFocus()
            return True
        forced = trigger == _Trigger.AllEditTriggers
        if self.state() == QAbstractItemView.State.EditingState or not (
            forced or trigger & self.editTriggers()
        ):
            return super().edit(index, trigger, event)  # a click, say: the delegate may take it
        self.openPersistentEditor(index)
        editor = self.indexWidget(index)
        if editor is None:
            return False
        self._editing = QPersistentModelIndex(index)
        self.setState(QAbstractItemView.State.EditingState)
        editor.setFocus()
        return True

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Qt gives the focus back and follows the hint (Tab: the next cell); a
        # persistent editor stays open, so it is closed here.
        editing, self._editing = self._editing, None
        if editing is None:
            super().closeEditor(editor, hint)
            return
        self.setState(QAbstractItemView.State.NoState)
        # As Qt does for its own editor: the delegate stops watching it first, or
        # the focus leaving it would commit what Escape just threw away.
        editor.removeEventFilter(self.itemDelegateForIndex(editing))
        super().closeEditor(editor, hint)
        if editing.isValid():
            self.closePersistentEditor(editing)
