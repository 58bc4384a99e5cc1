"""Counts kept per edit (status bar, document list) match what the database holds."""

from __future__ import annotations

from PySide6.QtCore import Qt

from curator.core.articles import documents
from curator.gui.main_window import MainWindow
from tests.gui.helpers import (
    click_span,
    on_screen,
    open_by_title,
    press,
    repainted_whole,
    select_with_keys,
    stored,
)


def _list_count(window: MainWindow) -> tuple[int, str]:
    doc = window.ws.document
    assert doc is not None
    model = window.doc_model
    row = model.row_of(doc.uid)
    assert row is not None
    return model.count_at(row), model.rows[row][3]


def test_counts_follow_adds_relabels_and_deletes(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    assert _list_count(window) == (0, "new")
    for word, key in (("BCMA", Qt.Key.Key_2), ("idecabtagene", Qt.Key.Key_1)):
        start = text.index(word)
        select_with_keys(window, start, start + len(word))
        press(window, key)
    assert window.status.counts.text() == "2 spans (1 therapy, 1 target) · 2 unlinked"
    assert _list_count(window) == (2, "in_progress")
    target = next(s for s in stored(window) if s.label == "target")
    window.view.set_selected_span(None)  # a first click, not a second one that cycles
    click_span(window, target)
    press(window, Qt.Key.Key_3)  # relabel target -> outcome
    assert window.status.counts.text() == "2 spans (1 therapy, 1 outcome) · 2 unlinked"
    window.view.set_selected_span(None)  # a first click, not a second one that cycles
    click_span(window, target)
    press(window, Qt.Key.Key_Delete)
    assert [s.label for s in stored(window)] == ["therapy"]
    assert window.status.counts.text() == "1 span (1 therapy) · 1 unlinked"
    assert _list_count(window) == (1, "in_progress")
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status.counts.text() == "2 spans (1 therapy, 1 outcome) · 2 unlinked"
    assert _list_count(window) == (2, "in_progress")


def test_list_status_after_edits_is_what_the_database_holds(window: MainWindow) -> None:
    """The list row is updated from the edit, not read back: it must agree with the database."""
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    text = window.view.text()

    def database_row() -> tuple[int, str]:
        row = next(r for r in documents.curator_rows(window.ws.db, "tester") if r[0] == doc.uid)
        return row[2], row[3]

    start = text.index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    assert _list_count(window) == database_row() == (1, "in_progress")
    press(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # mark done
    assert _list_count(window) == database_row() == (1, "done")
    start = text.index("idecabtagene")
    select_with_keys(window, start, start + len("idecabtagene"))
    press(window, Qt.Key.Key_1)  # an edit on a done document leaves it done
    assert _list_count(window) == database_row() == (2, "done")


def test_the_list_row_shows_the_count_after_each_label_key(window: MainWindow) -> None:
    """A key that changes only the count repaints the count's cell: what is on
    screen then is what a full repaint of the list draws, the new count."""
    open_by_title(window, "BCMA")
    text = window.view.text()
    table = window.doc_list.table
    doc = window.ws.document
    assert doc is not None
    row = window.doc_model.row_of(doc.uid)
    assert row is not None
    count_cell = window.doc_list.proxy.mapFromSource(window.doc_model.index(row, 1))
    for n, word in enumerate(("BCMA", "idecabtagene", "vicleucel"), start=1):
        start = text.index(word)
        select_with_keys(window, start, start + len(word))
        press(window, Qt.Key.Key_1)
        shown = on_screen(table.viewport())
        assert repainted_whole(table.viewport()) == shown
        assert count_cell.data() == n == len(stored(window))
