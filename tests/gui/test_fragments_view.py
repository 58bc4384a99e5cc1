"""A mention in pieces on screen: its pieces marked and linked, selected and deleted as one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.gui.main_window import MainWindow
from tests.gui.helpers import marks_at, open_by_title, point_of, press, stored


def _in_pieces(window: MainWindow) -> tuple[str, tuple[tuple[int, int], ...]]:
    """'CAR-T cells [and bispecific antibodies] against BCMA' as one therapy."""
    open_by_title(window, "BCMA")
    text = window.view.text()
    a = text.index("CAR-T cells and bispecific")
    b = text.index("against BCMA", a)
    pieces = ((a, a + len("CAR-T cells")), (b, b + len("against BCMA")))
    doc = window.ws.document
    assert doc is not None
    span = annotate.add_span(
        window.ws.db, doc.uid, window.ws.curator, NewSpan(0, 1, "therapy", fragments=pieces)
    )
    window.ws.reload()
    return span.uid, pieces


def _tinted(window: MainWindow, cp: int) -> bool:
    """Whether the page under character *cp* is coloured (a span's fill), not blank."""
    image = window.view.viewport().grab().toImage()
    point = point_of(window, cp)
    color = QColor(image.pixel(point.x() + 1, point.y() - 6))
    return color.saturation() > 20


def test_a_mention_in_pieces_is_marked_piece_by_piece(window: MainWindow) -> None:
    uid, ((a, b), (c, _d)) = _in_pieces(window)
    (live,) = stored(window)
    assert live.uid == uid and live.text == "CAR-T cells against BCMA"
    assert [m.uid for m in marks_at(window, a + 1)] == [uid] == [m.uid for m in marks_at(window, c)]
    gap = b + len(" and ")  # "bispecific", between the pieces
    assert _tinted(window, a + 1) and _tinted(window, c + 1)
    assert not _tinted(window, gap + 1)


def test_a_mention_in_pieces_is_selected_and_deleted_as_one(window: MainWindow) -> None:
    uid, ((a, _b), (c, _d)) = _in_pieces(window)
    window.view.select_range(0, 0)
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, c + 2))
    assert window.view.selected_span() == uid  # a click on the second piece picks the mention
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored(window) == []
    (gone,) = stored(window, include_deleted=True)
    assert gone.uid == uid and gone.deleted and gone.fragments is not None
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo brings it back whole
    (back,) = stored(window)
    assert back.uid == uid and back.fragments == gone.fragments
    assert [m.uid for m in marks_at(window, a + 1)] == [uid]
