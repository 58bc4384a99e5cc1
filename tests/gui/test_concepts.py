"""Linking from the keyboard: L opens the picker, Enter links, Ctrl+Enter links all, undo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from curator.core.concepts import people
from curator.gui.concept_picker import ConceptPicker
from curator.gui.main_window import MainWindow
from curator.gui.span_table import CONCEPT
from tests.gui.helpers import open_by_title, press, select_with_keys, stored


def _in_picker(qtbot, keys: Callable[[ConceptPicker], None]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Press keys in the picker once it is open; never leave it open."""
    seen: dict[str, object] = {}

    def act() -> None:
        picker = QApplication.activeModalWidget()
        if not isinstance(picker, ConceptPicker):
            seen["picker"] = None
            if picker is not None:
                picker.close()
            return
        seen["picker"] = picker
        seen["first"] = picker.table.item(0, 0).text() if picker.table.rowCount() else None
        keys(picker)
        if picker.isVisible():
            picker.reject()

    QTimer.singleShot(0, act)
    return seen


def _tag(window: MainWindow, word: str, key: Qt.Key, nth: int = 0) -> int:
    text = window.view.text()
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    select_with_keys(window, start, start + len(word))
    press(window, key)
    return start


def test_l_enter_links_the_span_and_undo_unlinks(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    _tag(window, "BCMA", Qt.Key.Key_2)  # target, selected after tagging
    (span,) = stored(window)
    assert window.status.counts.text().endswith("· 1 unlinked")

    seen = _in_picker(qtbot, lambda p: QTest.keyClick(p.query, Qt.Key.Key_Return))
    press(window, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "picker" in seen)
    assert seen["first"] == "HGNC:11913", window.statusBar().currentMessage()
    (linked,) = stored(window)
    message = window.statusBar().currentMessage()
    assert [(c.id, c.name) for c in linked.concepts] == [("HGNC:11913", "TNFRSF17")], message
    assert linked.revision == span.revision + 1 and linked.updated_at > span.updated_at
    assert window.status.counts.text().endswith("· 0 unlinked")
    row = window.span_model.row_of(linked.uid)
    assert row is not None
    shown = window.span_model.data(window.span_model.index(row, CONCEPT))
    assert shown == "TNFRSF17 (HGNC:11913)"
    assert "HGNC:11913" in window.ws.span_style(window.ws.spans[linked.uid]).tooltip

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (undone,) = stored(window)
    assert undone.concepts == () and undone.revision == linked.revision + 1


def test_typing_down_and_escape(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    _tag(window, "BCMA", Qt.Key.Key_2)

    def type_and_leave(picker: ConceptPicker) -> None:
        picker.query.selectAll()
        QTest.keyClicks(picker.query, "gprc5d")
        picker.refresh()
        seen["typed"] = picker.table.item(0, 0).text()
        QTest.keyClick(picker.query, Qt.Key.Key_Down)
        seen["row"] = picker.current_row()
        QTest.keyClick(picker.query, Qt.Key.Key_Escape)

    seen = _in_picker(qtbot, type_and_leave)
    press(window, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "row" in seen)
    assert seen["typed"] == "HGNC:13310" and seen["row"] == 1
    assert [s.concepts for s in stored(window)] == [()]  # Escape links nothing


def test_ctrl_enter_links_every_span_with_the_text_in_one_undo_step(
    window: MainWindow,
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    open_by_title(window, "BCMA")
    for nth in range(3):
        _tag(window, "BCMA", Qt.Key.Key_2, nth)
    assert len(stored(window)) == 3
    seen = _in_picker(
        qtbot,
        lambda p: QTest.keyClick(p.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
    )
    press(window, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "picker" in seen)
    assert {tuple(c.id for c in s.concepts) for s in stored(window)} == {("HGNC:11913",)}
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {s.concepts for s in stored(window)} == {()}


def test_expert_links_to_a_new_person_of_the_registry(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_by_title(window, "BCMA")
    text = window.view.text()
    expert = next(
        (w for w in ("Munshi", "Raje", "Anderson", "Usmani") if w in text), text.split()[0]
    )
    _tag(window, expert, Qt.Key.Key_4)

    def new_person(picker: ConceptPicker) -> None:
        last = picker.table.rowCount() - 1
        seen["last"] = picker.table.item(last, 3).text()
        for _ in range(last):
            QTest.keyClick(picker.query, Qt.Key.Key_Down)
        QTest.keyClick(picker.query, Qt.Key.Key_Return)

    seen = _in_picker(qtbot, new_person)
    press(window, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "last" in seen)
    assert seen["last"] == "add a new person"
    (person,) = people.list_people(window.ws.db)
    (span,) = stored(window)
    assert [c.id for c in span.concepts] == [person.concept_id]
