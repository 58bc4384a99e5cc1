"""Find, annotate-all, document flow, restart, help: whole curator workflows."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from curator.core.articles import documents
from curator.gui.annotate_all import AnnotateAllDialog
from curator.gui.document_list import DocumentTableModel
from curator.gui.help import KeyboardMapDialog
from curator.gui.main_window import MainWindow
from curator.gui.span_table import SpanTableModel
from tests.gui.helpers import marks_at, open_by_title, press, select_with_keys, stored, type_into


def _status(window: MainWindow, uid: str) -> str:
    rows = documents.curator_rows(window.ws.db, window.ws.curator, [uid])
    return rows[0][3]


def test_find_escape_then_label_key_tags_the_match(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    type_into(window.find_bar.edit, "karmma")  # case-insensitive by default
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.view.hasFocus()
    start = text.index("KarMMa")
    assert window.view.selection_range() == (start, start + len("KarMMa"))
    QTest.keyClick(window.view, Qt.Key.Key_3)
    assert [(s.label, s.text) for s in stored(window)] == [("outcome", "KarMMa")]


def test_find_enter_moves_to_the_next_match_and_wraps(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    positions = [i for i in range(len(text)) if text.startswith("BCMA", i)]
    window.view.select_range(0, 0)
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_into(window.find_bar.edit, "BCMA")
    seen = []
    for _ in range(len(positions) + 1):
        QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
        seen.append(window.view.selection_range()[0])
    assert seen == [*positions, positions[0]]
    assert window.find_bar.status.text() == f"1 of {len(positions)}"


def test_annotate_all_confirms_and_skips_existing(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    text = window.view.text()
    first = text.index("BCMA")
    select_with_keys(window, first, first + 4)
    press(window, Qt.Key.Key_2)
    expected = {i for i in range(len(text)) if text.startswith("BCMA", i)}
    window.view.select_range(first, first + 4)
    seen: dict[str, object] = {}

    def confirm() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        if isinstance(dialog, AnnotateAllDialog) and dialog.ok_button.isEnabled():
            seen.update(label=dialog.label, offered=len(dialog.chosen()))
            seen["listed"] = dialog.list.count()
            dialog.ok_button.click()
        else:  # never leave a modal dialog open: the assertions below then fail
            seen["label"] = None
            dialog.reject()

    QTimer.singleShot(0, confirm)
    QTest.keyClick(
        window.view,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: "label" in seen)
    spans = stored(window)
    assert seen == {"label": "target", "offered": len(expected) - 1, "listed": len(expected)}
    assert {s.start for s in spans} == expected
    assert all(s.label == "target" and s.text == "BCMA" for s in spans)
    window.activateWindow()  # the window manager's job when a dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.start for s in stored(window)] == [first]  # one step undoes them all


def test_ctrl_enter_marks_done_and_opens_the_next_open_document(window: MainWindow) -> None:
    uids = window.doc_list.ordered_uids()
    window.ws.open_document(uids[0])
    window.ws.open_document(uids[1])
    window.ws.set_status("done")
    window.ws.open_document(uids[0])
    QTest.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _status(window, uids[0]) == "done"
    assert window.ws.document is not None and window.ws.document.uid == uids[2]
    row = window.doc_model.row_of(uids[0])
    assert row is not None
    assert "done" in window.doc_model.data(window.doc_model.index(row, 2))


def test_first_edit_sets_in_progress_and_the_list_shows_counts(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    start = doc.text.index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    assert _status(window, doc.uid) == "in_progress"
    row = window.doc_model.row_of(doc.uid)
    assert row is not None
    assert window.doc_model.data(window.doc_model.index(row, 1)) == 1


def test_restart_reopens_the_last_document_with_its_spans(make_window) -> None:  # type: ignore[no-untyped-def]
    first = make_window()
    open_by_title(first, "Thrombopoietin")
    doc = first.ws.document
    assert doc is not None
    start = doc.text.index("romiplostim")
    select_with_keys(first, start, start + len("romiplostim"))
    press(first, Qt.Key.Key_1)
    first.resize(700, 500)  # within the offscreen screen (800x600)
    first.splitter.setSizes([150, 400, 150])
    sizes = first.splitter.sizes()
    first.close()
    second = make_window()
    assert second.ws.document is not None and second.ws.document.uid == doc.uid
    assert [(s.label, s.text) for s in stored(second)] == [("therapy", "romiplostim")]
    assert marks_at(second, start)[0].label == "therapy"
    assert (second.width(), second.height()) == (700, 500)
    assert second.splitter.sizes() == sizes
    assert QSettings().value("window/geometry") is not None


def test_undo_after_switching_documents(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    bcma = window.ws.document
    assert bcma is not None
    start = bcma.text.index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    open_by_title(window, "Thrombopoietin")
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.ws.document is not None and window.ws.document.uid == bcma.uid
    assert stored(window) == []


def test_switching_curator_shows_only_their_spans(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    window.ws.set_curator("second")
    assert window.span_model.rowCount() == 0
    assert marks_at(window, start) == []
    assert "second" in window.status.curator.text()
    window.ws.set_curator("tester")
    assert window.span_model.rowCount() == 1


def test_item_models_pass_qt_model_tester(window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    assert isinstance(window.doc_model, DocumentTableModel)
    assert isinstance(window.span_model, SpanTableModel)
    qtmodeltester.check(window.doc_model)
    qtmodeltester.check(window.span_model)


def test_keyboard_map_lists_the_live_shortcuts(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)  # the undo action now reads "Undo tag target …"
    dialog = KeyboardMapDialog(window.all_actions, window)
    tagging = dict((does, keys) for keys, does in dialog.sections["Tagging and editing spans"])
    assert tagging["Tag as therapy"] == "1"
    assert tagging["Tag as expert"] == "4"
    assert tagging["Next span here (where spans overlap)"] == "C"
    moving = dict((does, keys) for keys, does in dialog.sections["Moving through documents"])
    assert "Ctrl+Return" in moving["Done, open next"]
    undo = dict((does, keys) for keys, does in dialog.sections["Undo, redo and find"])
    assert undo["Undo the last edit"] == "Ctrl+Z"
    shown = dialog.browser.toPlainText()
    assert "Undo tag" not in shown
    assert shown.index("Tagging and editing spans") < shown.index("Tag as therapy")


def test_guidelines_are_shown_from_resources_beside_the_article(window: MainWindow) -> None:
    assert not window.guidelines.isVisible()
    QTest.keyClick(window.view, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert window.guidelines.isVisible()
    text = window.guidelines.browser.toPlainText()
    for label in ("therapy", "target", "outcome", "expert"):
        assert label in text.lower()
    assert len(text) > 2000
    # Not modal: tagging goes on while the guidelines are open.
    open_by_title(window, "BCMA")
    start = window.view.text().index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_2)
    assert [(s.label, s.text) for s in stored(window)] == [("target", "BCMA")]
    assert window.guidelines.isVisible()
    QTest.keyClick(window.view, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert not window.guidelines.isVisible()


def test_filter_box_narrows_the_document_list(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    type_into(window.doc_list.filter_box, "myeloma")
    qtbot.waitUntil(lambda: window.doc_list.proxy.rowCount() == 1)


def test_find_escape_keeps_the_match_when_spans_exist(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    first = text.index("KarMMa")
    select_with_keys(window, first, first + len("KarMMa"))
    press(window, Qt.Key.Key_3)
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_into(window.find_bar.edit, "Nikhil Munshi")
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    start = text.index("Nikhil Munshi")
    assert window.view.selection_range() == (start, start + len("Nikhil Munshi"))
    QTest.keyClick(window.view, Qt.Key.Key_4)
    assert sorted((s.label, s.text) for s in stored(window)) == [
        ("expert", "Nikhil Munshi"),
        ("outcome", "KarMMa"),
    ]


def test_focusing_the_span_table_does_not_move_the_text_selection(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    first = text.index("KarMMa")
    select_with_keys(window, first, first + len("KarMMa"))
    press(window, Qt.Key.Key_3)
    window.span_table.clearSelection()
    window.span_table.selectionModel().clearCurrentIndex()
    window.view.select_range(10, 20)
    window.span_table.setFocus(Qt.FocusReason.TabFocusReason)
    assert window.view.selection_range() == (10, 20)
