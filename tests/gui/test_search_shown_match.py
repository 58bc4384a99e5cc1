"""Enter on a search hit selects the match its context shows, not the first one in the text.

The CD7 article says "complete remission" early and "into remission at all"
later; the index shows the later passage as the hit's context, and the
article must open there, with that word selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.gui.main_window import MainWindow
from tests.gui.helpers import open_by_title, press

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def words_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The word before and the word after text[start:end], as a reader sees them."""
    return text[:start].rsplit(maxsplit=1)[-1], text[end:].split(maxsplit=1)[0]


def test_enter_selects_the_match_the_hit_shows(window: MainWindow, qtbot: Any) -> None:
    open_by_title(window, "Eltrombopag")
    press(window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.search_panel
    qtbot.waitUntil(panel.edit.hasFocus)
    QTest.keyClicks(panel.edit, "remission")
    QTest.keyClick(panel.edit, Qt.Key.Key_Return)
    hit = panel.results.item(0).data(Qt.ItemDataRole.UserRole + 1)
    first, _ = hit.marks[0]
    shown = words_around(hit.context, *hit.marks[0])
    assert hit.context[first:].lower().startswith("remission")

    QTest.keyClick(panel.edit, Qt.Key.Key_Down)
    QTest.keyClick(panel.results, Qt.Key.Key_Return)

    doc = window.ws.document
    assert doc is not None and doc.uid == hit.document_uid
    start, end = window.view.selection_range()
    assert doc.text[start:end].lower() == "remission"
    assert words_around(doc.text, start, end) == shown  # the passage the list showed
    assert doc.text.index("remission") < start  # not the first one: the test means something
