"""Annotate all from the search panel: preview, untick a document, choose the label by
key, tag; the database holds each document's batch and Ctrl+Z undoes one at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QTreeWidgetItem

from curator.core.search.annotate_all import find_occurrences
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan, list_labels
from curator.core.spans.boundaries import occurrences
from curator.core.storage.db import Database
from curator.gui.annotate_across import AnnotateAcrossDialog
from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, press, type_into

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _uid(window: MainWindow, fragment: str) -> str:
    return next(uid for uid, title, _n, _s in window.doc_model.rows if fragment in title)


def _text(window: MainWindow, uid: str) -> str:
    from curator.core.articles import documents

    return documents.get_document(window.ws.db, uid).text


def _mine(window: MainWindow, uid: str) -> list[tuple[str, int, int]]:
    spans = annotate.spans_for(window.ws.db, uid, window.ws.curator)
    return [(s.label, s.start, s.end) for s in spans]


def _search(window: MainWindow, qtbot: Any, query: str) -> None:
    press(window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.search_panel
    qtbot.waitUntil(panel.edit.hasFocus)
    type_into(panel.edit, query)
    QTest.keyClick(panel.edit, Qt.Key.Key_Return)


def _preview(window: MainWindow, qtbot: Any, drive: Any) -> dict[str, Any]:
    """Ctrl+Shift+A in the search panel; *drive* works the preview with keys."""
    seen: dict[str, Any] = {}

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AnnotateAcrossDialog):
            seen["dialog"] = dialog
            if dialog is not None:
                dialog.close()
            return
        dialog.activateWindow()  # the window manager's job when a dialog opens
        qtbot.waitUntil(dialog.isActiveWindow)
        drive(dialog, seen)
        seen["dialog"] = "closed"

    QTimer.singleShot(0, run)
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_A, CTRL_SHIFT)
    qtbot.waitUntil(lambda: "dialog" in seen)
    return seen


def _key(dialog: AnnotateAcrossDialog, key: Qt.Key) -> None:
    QTest.keyClick(dialog.focusWidget() or dialog, key)


def _go_to_document(dialog: AnnotateAcrossDialog, uid: str) -> QTreeWidgetItem:
    for _ in range(200):
        item = dialog.tree.currentItem()
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == uid:
            return item
        _key(dialog, Qt.Key.Key_Down)
    raise AssertionError("the document never became current")


def test_tag_a_searched_phrase_in_the_documents_found_then_undo_one_batch(
    window: MainWindow, qtbot: Any
) -> None:
    eltrombopag, bcma, tpo = (_uid(window, t) for t in ("Eltrombopag", "BCMA", "Thrombopoietin"))
    # one occurrence in BCMA crosses a span of the curator's: offered, left unticked
    crossed = occurrences(_text(window, bcma), "response")[0]
    wider = (crossed[0] - 8, crossed[1])
    annotate.add_span(window.ws.db, bcma, window.ws.curator, NewSpan(*wider, "outcome"))
    open_by_title(window, "Eltrombopag")
    _search(window, qtbot, "response")
    panel = window.search_panel
    assert panel.annotate_button.isEnabled()
    assert "Ctrl+Shift+A" in panel.annotate_button.toolTip()

    def drive(dialog: AnnotateAcrossDialog, seen: dict[str, Any]) -> None:
        seen["first_label"] = dialog.label
        seen["first_summary"] = dialog.summary.text()
        seen["first_ok"] = dialog.ok_button.isEnabled()
        doc = _go_to_document(dialog, tpo)
        _key(dialog, Qt.Key.Key_Space)  # untick the whole document
        seen["tpo_state"] = doc.checkState(0)
        _key(dialog, Qt.Key.Key_3)  # outcome
        seen["label"] = dialog.label
        seen["summary"] = dialog.summary.text()
        _key(dialog, Qt.Key.Key_Return)

    seen = _preview(window, qtbot, drive)
    assert seen["dialog"] == "closed"
    assert (seen["first_label"], seen["first_ok"]) == ("", False)  # asks; never the last used
    assert seen["first_summary"].startswith("16 occurrences in 3 documents; 1 overlaps a span")
    assert "choose a label" in seen["first_summary"]
    assert seen["tpo_state"] == Qt.CheckState.Unchecked
    assert seen["label"] == "outcome"
    assert "To tag: 11 occurrences in 2 documents" in seen["summary"]

    # what the database holds, document by document
    elt_places = occurrences(_text(window, eltrombopag), "response")
    bcma_places = occurrences(_text(window, bcma), "response")
    assert _mine(window, eltrombopag) == [("outcome", s, e) for s, e in elt_places]
    assert sorted(_mine(window, bcma)) == sorted(
        [("outcome", *wider)] + [("outcome", s, e) for s, e in bcma_places if (s, e) != crossed]
    )
    assert _mine(window, tpo) == []
    message = window.statusBar().currentMessage()
    assert "Tagged 11 occurrences as outcome in 2 documents" in message
    assert len(window.ws.spans) == len(elt_places)  # the open article shows its new spans

    # one undo step per document, each named with its document; the open one's on top
    assert window.ws.undo_stack.count() == 2
    assert window.ws.undo_stack.undoText().startswith("add 5 outcome “response” in “Adding Elt")
    # Ctrl+Z with Eltrombopag open: its batch only
    window.activateWindow()  # the window manager's job when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(window, Qt.Key.Key_Z, CTRL)
    assert _mine(window, eltrombopag) == []
    assert len(_mine(window, bcma)) == len(bcma_places)  # untouched
    assert window.ws.document is not None and window.ws.document.uid == eltrombopag
    assert "in “BCMA-Directed" in window.ws.undo_stack.undoText()
    # the next Ctrl+Z undoes BCMA's batch, and opens BCMA to show it
    press(window, Qt.Key.Key_Z, CTRL)
    assert _mine(window, bcma) == [("outcome", *wider)]
    assert window.ws.document is not None and window.ws.document.uid == bcma
    assert len(window.ws.spans) == 1  # the article shows what the database holds
    press(window, Qt.Key.Key_Z, CTRL_SHIFT)  # redo brings BCMA's batch back
    assert len(_mine(window, bcma)) == len(bcma_places)


def test_escape_cancels_and_a_span_search_is_refused(window: MainWindow, qtbot: Any) -> None:
    _search(window, qtbot, "response")

    def cancel(dialog: AnnotateAcrossDialog, seen: dict[str, Any]) -> None:
        _key(dialog, Qt.Key.Key_2)
        _key(dialog, Qt.Key.Key_Escape)

    assert _preview(window, qtbot, cancel)["dialog"] == "closed"
    window.activateWindow()  # the window manager's job when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    for uid, _t, _n, _s in window.doc_model.rows:
        assert _mine(window, uid) == []
    panel = window.search_panel
    panel.edit.setFocus()
    qtbot.waitUntil(panel.edit.hasFocus)
    panel.edit.clear()
    type_into(panel.edit, "label:therapy")
    QTest.keyClick(panel.edit, Qt.Key.Key_Return)
    assert not panel.annotate_button.isEnabled()
    seen = _preview(window, qtbot, cancel)
    assert seen["dialog"] is None  # no preview
    assert "needs a search of the text" in panel.summary.text()


def test_the_keyboard_map_lists_annotate_all_in_the_search_panel(window: MainWindow) -> None:
    from curator.gui.help import keyboard_sections

    rows = dict(keyboard_sections(window.all_actions)["Undo, redo and find"])
    assert "Annotate all" in rows["Ctrl+Shift+A in the search panel"]


def test_a_documents_box_follows_its_occurrences_and_sets_them(
    window: MainWindow, qtbot: Any
) -> None:
    bcma = _uid(window, "BCMA")
    first, second = occurrences(_text(window, bcma), "response")[:2]
    db, me = window.ws.db, window.ws.curator
    annotate.add_span(db, bcma, me, NewSpan(*first, "outcome"))  # already tagged
    annotate.add_span(db, bcma, me, NewSpan(second[0] - 8, second[1], "target"))  # crossed
    _search(window, qtbot, "response")

    def drive(dialog: AnnotateAcrossDialog, seen: dict[str, Any]) -> None:
        doc = _go_to_document(dialog, bcma)
        children = [doc.child(j) for j in range(doc.childCount())]
        seen["label"] = dialog.label  # the phrase's own label, where tagged exactly
        seen["boxes"] = [bool(c.flags() & Qt.ItemFlag.ItemIsUserCheckable) for c in children]
        seen["start"] = (doc.checkState(0), children[1].checkState(0))
        _key(dialog, Qt.Key.Key_Space)  # all offered ones, the crossed one too
        seen["all"] = (doc.checkState(0), children[1].checkState(0))
        _key(dialog, Qt.Key.Key_Space)
        seen["none"] = [c.checkState(0) for c in children[1:]]
        _key(dialog, Qt.Key.Key_Down)  # the tagged one: Space there does nothing
        _key(dialog, Qt.Key.Key_Space)
        _key(dialog, Qt.Key.Key_Down)  # the crossed one
        _key(dialog, Qt.Key.Key_Space)
        seen["one"] = (doc.checkState(0), dialog.chosen().get(bcma))
        _key(dialog, Qt.Key.Key_Escape)

    seen = _preview(window, qtbot, drive)
    assert seen["label"] == "outcome"
    assert seen["boxes"][:2] == [False, True] and all(seen["boxes"][1:])
    assert seen["start"] == (Qt.CheckState.PartiallyChecked, Qt.CheckState.Unchecked)
    assert seen["all"] == (Qt.CheckState.Checked, Qt.CheckState.Checked)
    assert set(seen["none"]) == {Qt.CheckState.Unchecked}
    state, chosen = seen["one"]
    assert state == Qt.CheckState.PartiallyChecked and chosen == [second]
    assert len(_mine(window, bcma)) == 2  # cancelled: nothing written


def _listing(qtbot: Any, samples_db: Database, chunk: int) -> AnnotateAcrossDialog:
    """The preview of “response” (16 occurrences in 3 documents), *chunk* rows at a time."""
    dialog = AnnotateAcrossDialog(
        lambda options: find_occurrences(samples_db, "tester", "response", options),
        list_labels(samples_db),
        chunk=chunk,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_a_long_preview_is_listed_in_steps_and_escape_cancels_it(
    qtbot: Any, samples_db: Database
) -> None:
    """Rows are made a few at a time between events: the dialog answers meanwhile."""
    dialog = _listing(qtbot, samples_db, chunk=1)  # one document a step
    assert dialog.filling and dialog.tree.topLevelItemCount() == 1
    assert dialog.summary.text() == "Finding occurrences… 1 of 3 documents listed · Escape cancels"
    assert not dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.filling)
    assert dialog.tree.topLevelItemCount() == 3
    assert dialog.summary.text().startswith("16 occurrences in 3 documents")
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_3)  # outcome: listed again
    assert dialog.label == "outcome" and dialog.filling
    assert dialog.summary.text().startswith("Finding occurrences… 1 of 3")
    assert not dialog.ok_button.isEnabled()  # nothing is tagged from half a list
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.filling
    qtbot.wait(50)  # no step runs after the dialog closed
    assert dialog.tree.topLevelItemCount() == 1

    again = _listing(qtbot, samples_db, chunk=1)
    qtbot.waitUntil(lambda: not again.filling)
    again.label_box.setCurrentIndex(again.label_box.findData("outcome"))
    qtbot.waitUntil(lambda: not again.filling)
    assert again.ok_button.isEnabled()
    assert sum(len(keys) for keys in again.chosen().values()) == 16
