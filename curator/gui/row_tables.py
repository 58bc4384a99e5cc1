"""What the side pane's span and relation tables share: their look, and following.

Both list one row per item of the open document, chosen whole and one at a
time, with the note edited in place. Both follow what is selected in the
article; their own row change would select it again (and scroll the
article) if the selection model's signals were not held while they move.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractItemView, QTableView


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
