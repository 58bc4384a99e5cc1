"""Settings > Labels: rename, retire, add with a key, reorder; the window follows at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QColorDialog, QDialog, QDialogButtonBox, QInputDialog
from sqlalchemy import select

from curator.core.labels import editing
from curator.core.labels.editing import LabelEntry
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.models import Label
from curator.gui.labels_dialog import LabelsDialog
from curator.gui.main_window import MainWindow
from tests.gui.helpers import marks_at, open_by_title, press, select_with_keys, stored


def _in_dialog(window: MainWindow, qtbot: Any, steps: Callable[[LabelsDialog], None]) -> None:
    """Settings > Labels…, run *steps* in the dialog, close it."""

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LabelsDialog)
        try:
            steps(dialog)
        finally:  # a failed step fails the test, never leaves it waiting on the dialog
            for box in QApplication.topLevelWidgets():
                if isinstance(box, QDialog) and box is not dialog and box.isVisible():
                    box.reject()
            dialog.reject()

    QTimer.singleShot(0, inside)
    next(a for a in window.all_actions if a.text() == "&Labels…").trigger()
    window.activateWindow()  # the window manager's job when a dialog closed
    qtbot.waitUntil(window.isActiveWindow)


def _answer(text: str) -> None:
    """Type *text* into the input dialog about to open and press Enter."""

    def type_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(0, type_it)


def _select(dialog: LabelsDialog, name: str) -> None:
    row = [e.name for e in dialog.entries].index(name)
    dialog.table.selectRow(row)


def _click(dialog: LabelsDialog, key: str) -> None:
    QTest.mouseClick(dialog.buttons[key], Qt.MouseButton.LeftButton)


def test_rename_keeps_the_spans_and_the_key_tags_with_the_new_name(
    window: MainWindow, qtbot: Any
) -> None:
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    annotate.add_span(window.ws.db, doc.uid, "tester", NewSpan(0, 4, "therapy"))
    window.ws.reload()
    said: list[str] = []

    def steps(dialog: LabelsDialog) -> None:
        _select(dialog, "therapy")
        said.append(dialog.effect.text())
        _answer("treatment")
        _click(dialog, "rename")

    _in_dialog(window, qtbot, steps)
    assert "follow the new name" in said[0] and "1 span" in said[0]
    with window.ws.db.read() as s:
        label = s.scalar(select(Label).where(Label.name == "treatment"))
        assert label is not None and label.revision == 2 and label.shortcut == "1"
    assert [span.label for span in stored(window)] == ["treatment"]
    assert window.span_model.span_at(0).label == "treatment"
    start = doc.text.index(" the ") + 1
    select_with_keys(window, start, start + 3)
    press(window, Qt.Key.Key_1)
    assert sorted(span.label for span in stored(window)) == ["treatment", "treatment"]
    assert next(a.data() for a in window.label_bar.actions()) == "treatment"


def test_a_retired_label_keeps_its_spans_shown_and_leaves_the_keys(
    window: MainWindow, qtbot: Any
) -> None:
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    annotate.add_span(window.ws.db, doc.uid, "tester", NewSpan(0, 4, "expert"))
    window.ws.reload()
    said: list[str] = []

    def steps(dialog: LabelsDialog) -> None:
        _select(dialog, "expert")
        _click(dialog, "retire")
        said.append(dialog.effect.text())

    _in_dialog(window, qtbot, steps)
    assert "its 1 span stay, shown grey" in said[0]
    (span,) = stored(window)
    assert span.label == "expert"
    (mark,) = marks_at(window, 1)
    style = window.ws.span_style(mark)
    assert style.label == "expert (retired)" and style.color == "#777777"
    assert "expert" not in [a.data() for a in window.label_actions]
    assert "Tag as expert" not in [a.text() for a in window.all_actions]
    start = doc.text.index(" the ") + 1
    select_with_keys(window, start, start + 3)
    press(window, Qt.Key.Key_4)
    assert len(stored(window)) == 1  # the key no longer tags


def test_add_a_label_give_it_a_key_and_move_it_first(window: MainWindow, qtbot: Any) -> None:
    open_by_title(window, "BCMA")

    def steps(dialog: LabelsDialog) -> None:
        _answer("dose")
        _click(dialog, "add")
        _answer("5")
        _click(dialog, "key")
        for _ in range(4):
            _click(dialog, "up")

    _in_dialog(window, qtbot, steps)
    with window.ws.db.read() as s:
        names = list(s.scalars(select(Label.name).order_by(Label.position)))
        dose = s.scalar(select(Label).where(Label.name == "dose"))
    assert names[0] == "dose" and dose is not None and dose.shortcut == "5"
    assert window.label_actions[0].data() == "dose"
    doc = window.ws.document
    assert doc is not None
    start = doc.text.index(" the ") + 1
    select_with_keys(window, start, start + 3)
    press(window, Qt.Key.Key_5)
    assert [s.label for s in stored(window)] == ["dose"]


def test_a_key_held_by_another_label_is_refused_with_a_message(
    window: MainWindow, qtbot: Any
) -> None:
    warned: list[str] = []

    def close_warning() -> None:
        box = QApplication.activeModalWidget()
        assert box is not None and not isinstance(box, LabelsDialog)
        warned.append(box.windowTitle())
        box.close()

    def steps(dialog: LabelsDialog) -> None:
        _select(dialog, "target")
        _answer("1")
        QTimer.singleShot(50, close_warning)
        _click(dialog, "key")

    _in_dialog(window, qtbot, steps)
    assert warned == ["Labels"]
    with window.ws.db.read() as s:
        keys = {name: key for name, key in s.execute(select(Label.name, Label.shortcut))}
    assert keys["target"] == "2" and keys["therapy"] == "1"


def test_alt_s_then_l_opens_the_label_set(window: MainWindow, qtbot: Any) -> None:
    """The keys the README gives for Settings > Labels…."""
    opened: list[list[str]] = []

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LabelsDialog)
        opened.append([e.name for e in dialog.entries])
        dialog.reject()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    assert menu is not None
    QTimer.singleShot(0, inside)
    QTest.keyClick(menu, Qt.Key.Key_L)
    assert opened == [["therapy", "target", "outcome", "expert"]]


def _when_open(kind: type[QDialog], act: Callable[[Any], None]) -> QTimer:
    """Work the *kind* dialog once it is open: a button's Alt+letter clicks it a moment
    after the key (Qt animates the click), so the dialog opens after keyClick returns."""
    timer = QTimer()
    timer.setInterval(10)

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, kind):
            timer.stop()
            act(box)

    timer.timeout.connect(poll)
    timer.start()
    return timer


def _typed(text: str) -> Callable[[Any], None]:
    def answer(box: QInputDialog) -> None:
        box.setTextValue(text)
        box.accept()

    return answer


def _coloured(box: QColorDialog) -> None:
    box.setCurrentColor(QColor("#123456"))
    box.accept()


def test_every_button_of_the_label_set_answers_its_alt_letter(
    window: MainWindow, qtbot: Any
) -> None:
    """Real Alt+letter presses on the dialog, each change checked in the database."""
    db = window.ws.db

    def entry(name: str) -> LabelEntry | None:
        return next((e for e in editing.label_set(db) if e.name == name), None)

    def names() -> list[str]:
        return [e.name for e in editing.label_set(db)]

    def steps(dialog: LabelsDialog) -> None:
        mnemonics = [QKeySequence.mnemonic(b.text()).toString() for b in dialog.buttons.values()]
        close = dialog.findChild(QDialogButtonBox)
        assert close is not None
        mnemonics += [QKeySequence.mnemonic(b.text()).toString() for b in close.buttons()]
        taken = [m for m in mnemonics if m]
        assert len(taken) == len(set(taken)) == 7  # one Alt+letter a button, none shared

        def alt(key: Qt.Key) -> None:
            dialog.activateWindow()  # again once an input dialog closed: the window
            qtbot.waitUntil(dialog.isActiveWindow)  # manager's job, as above
            QTest.keyClick(dialog.focusWidget() or dialog, key, Qt.KeyboardModifier.AltModifier)

        _select(dialog, "target")
        alt(Qt.Key.Key_U)
        qtbot.waitUntil(lambda: names()[:2] == ["target", "therapy"])
        alt(Qt.Key.Key_D)
        qtbot.waitUntil(lambda: names()[:2] == ["therapy", "target"])
        keep = [_when_open(QInputDialog, _typed("goal"))]
        alt(Qt.Key.Key_N)
        qtbot.waitUntil(lambda: names()[1] == "goal")
        keep.append(_when_open(QInputDialog, _typed("7")))
        alt(Qt.Key.Key_K)
        qtbot.waitUntil(lambda: getattr(entry("goal"), "shortcut", None) == "7")
        keep.append(_when_open(QColorDialog, _coloured))
        alt(Qt.Key.Key_C)
        qtbot.waitUntil(lambda: getattr(entry("goal"), "color", "").lower() == "#123456")
        alt(Qt.Key.Key_R)
        qtbot.waitUntil(lambda: getattr(entry("goal"), "retired", False))
        alt(Qt.Key.Key_R)  # the same button, now Restore
        qtbot.waitUntil(lambda: not getattr(entry("goal"), "retired", True))
        keep.append(_when_open(QInputDialog, _typed("dose")))
        alt(Qt.Key.Key_A)
        qtbot.waitUntil(lambda: "dose" in names())

    _in_dialog(window, qtbot, steps)
    assert names() == ["therapy", "goal", "outcome", "expert", "dose"]
    assert window.label_actions[1].data() == "goal"  # the window follows
