"""What the side pane's span and relation tables share: their look, and following.

Both list one row per item of the open document, chosen whole and one at a
time, with the note edited in place. Both follow what is selected in the
article; their own row change would select it again (and scroll the
article) if the selection model's signals were not held while they move.
"""

from __future__ import annotations

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
    """Make *row* current and scroll to it (None: no row), without a signal."""
    model = table.selectionModel()
    model.blockSignals(True)
    if row is None:
        table.clearSelection()
        model.clearCurrentIndex()
    else:
        index = table.model().index(row, 0)
        table.setCurrentIndex(index)
        table.scrollTo(index)
    model.blockSignals(False)
    table.viewport().update()
