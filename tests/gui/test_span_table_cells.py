"""The span table's cells: painted as Qt paints them, the note edited in place, the new span shown.

The table's model leaves ``flags()`` to Qt (no cell is ItemIsEditable) and
its delegate fills each cell from the model's cached cells: these tests hold
the behaviour a curator sees to what Qt's own paths gave.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QStyledItemDelegate

from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.gui.main_window import MainWindow
from curator.gui.span_table import NOTE, TEXT, SpanTable
from tests.gui.helpers import open_by_title, press, select_with_keys, stored, type_into


def _tag(window: MainWindow, word: str, key: Qt.Key = Qt.Key.Key_2) -> str:
    """Tag *word* (first occurrence) with a label key; the new span's uid."""
    start = window.view.text().index(word)
    select_with_keys(window, start, start + len(word))
    before = {s.uid for s in stored(window)}
    press(window, key)
    (uid,) = {s.uid for s in stored(window)} - before
    return uid


def _note_cell(window: MainWindow, uid: str) -> QModelIndex:
    row = window.span_model.row_of(uid)
    assert row is not None
    return window.span_model.index(row, NOTE)


def _open_editor(table: SpanTable, qtbot) -> QLineEdit:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert table.state() == QAbstractItemView.State.EditingState
    return editor


def test_f2_edits_the_note_in_the_table_and_undo_takes_it_back(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    uid = _tag(window, "BCMA")
    table, model = window.span_table, window.span_model
    cell = _note_cell(window, uid)
    assert not model.flags(cell) & Qt.ItemFlag.ItemIsEditable  # the view opens it, not the flag
    table.setFocus()
    table.setCurrentIndex(cell)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = _open_editor(table, qtbot)
    type_into(editor, "antigen on plasma cells")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: stored(window)[0].note == "antigen on plasma cells")
    qtbot.waitUntil(lambda: table.indexWidget(_note_cell(window, uid)) is None)
    assert table.state() == QAbstractItemView.State.NoState
    assert model.data(_note_cell(window, uid)) == "antigen on plasma cells"
    assert table.hasFocus()  # back to the table, as after Qt's own editor
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window)[0].note == ""
    assert model.data(_note_cell(window, uid)) == ""


def test_a_double_click_edits_the_note_escape_keeps_it_and_a_second_edit_is_saved(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    open_by_title(window, "BCMA")
    uid = _tag(window, "BCMA")
    table = window.span_table
    viewport = table.viewport()
    centre = table.visualRect(_note_cell(window, uid)).center()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    assert table.state() != QAbstractItemView.State.EditingState  # one click only selects
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    editor = _open_editor(table, qtbot)
    type_into(editor, "not this")
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.NoState)
    assert table.indexWidget(_note_cell(window, uid)) is None
    assert stored(window)[0].note == ""

    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    editor = _open_editor(table, qtbot)
    type_into(editor, "second reading")
    QTest.keyClick(editor, Qt.Key.Key_Tab)  # commits and moves on, as Qt's editor does
    qtbot.waitUntil(lambda: stored(window)[0].note == "second reading")
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.NoState)
    assert window.span_model.data(_note_cell(window, uid)) == "second reading"


def test_other_columns_are_not_edited_in_place(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    uid = _tag(window, "BCMA")
    table = window.span_table
    row = window.span_model.row_of(uid)
    assert row is not None
    table.setFocus()
    table.setCurrentIndex(window.span_model.index(row, TEXT))
    QTest.keyClick(table, Qt.Key.Key_F2)
    QApplication.processEvents()
    assert table.state() == QAbstractItemView.State.NoState
    assert QApplication.focusWidget() is table
    assert [s.text for s in stored(window)] == ["BCMA"]


def test_a_label_key_far_down_the_article_scrolls_the_table_to_the_new_row(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    text = window.view.text()
    words = [(m.start(), m.end()) for m in re.finditer(r"\b[a-z]{4,}\b", text)]
    far = len(words) - 15  # far below the rows shown, not the last row
    annotate.add_spans(
        window.ws.db,
        doc.uid,
        "tester",
        [NewSpan(s, e, "outcome") for i, (s, e) in enumerate(words) if i != far],
    )
    window.ws.reload()
    table, model = window.span_table, window.span_model
    table.scrollToTop()
    QApplication.processEvents()
    start, end = words[far]
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_1)
    (new,) = [s for s in stored(window) if (s.start, s.end) == (start, end)]
    assert new.label == "therapy"
    row = model.row_of(new.uid)
    assert row is not None and row > 40
    assert table.currentIndex().row() == row
    assert table.selectionModel().isRowSelected(row)
    rect = table.visualRect(model.index(row, TEXT))
    assert table.viewport().rect().contains(rect)  # on screen
    assert model.data(model.index(row, TEXT)) == text[start:end]


def _page(table: SpanTable) -> QImage:
    table.viewport().repaint()
    return table.viewport().grab().toImage()


def test_the_cells_are_painted_as_qts_own_delegate_paints_them(window: MainWindow) -> None:
    """Label squares, quotes cut with an ellipsis, right-aligned offsets, banding, the
    selected row, a note: the same pixels as Qt's delegate asking the model's roles."""
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    text = window.view.text()
    words = [(m.start(), m.end()) for m in re.finditer(r"\b[a-zA-Z]{3,}\b", text)]
    labels = ("therapy", "target", "outcome", "expert")
    items = [NewSpan(s, e, labels[i % 4]) for i, (s, e) in enumerate(words[:60])]
    items.append(NewSpan(0, min(len(text), 400), "outcome", note="long\nnote"))  # elided
    annotate.add_spans(window.ws.db, doc.uid, "tester", items)
    window.ws.reload()
    table = window.span_table
    table.selectRow(3)
    QApplication.processEvents()
    ours = _page(table)
    delegate = table.itemDelegate()
    table.setItemDelegate(QStyledItemDelegate(table))
    try:
        theirs = _page(table)
    finally:
        table.setItemDelegate(delegate)
    assert not ours.isNull()
    assert ours == theirs


def test_leaving_the_note_editor_for_the_article_saves_the_note(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    uid = _tag(window, "BCMA")
    table = window.span_table
    table.setFocus()
    table.setCurrentIndex(_note_cell(window, uid))
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = _open_editor(table, qtbot)
    type_into(editor, "checked against the figure")
    window.view.setFocus()  # as a click into the article does
    qtbot.waitUntil(lambda: stored(window)[0].note == "checked against the figure")
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.NoState)
    assert table.indexWidget(_note_cell(window, uid)) is None
    assert len(stored(window)) == 1
