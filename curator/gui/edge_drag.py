"""Dragging an edge of the selected span with the mouse.

Press within a few pixels of the selected span's first or last character,
drag, release: the span's new extent is announced once, so the editor makes
one undoable edit of it. While dragging, the text selection previews the
new extent. Offsets are code points; Qt's cursors count UTF-16 units.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from curator.gui.offsets import Utf16Index

GRAB = 5.0  # pixels either side of an edge that pick it up


@dataclass(slots=True)
class EdgeDrag:
    """One drag in progress: which span, which edge, and the extent so far."""

    uid: str
    edge: str  # "start" or "end"
    start: int
    end: int
    anchor: int  # the edge that stays put

    def move_to(self, cp: int) -> None:
        if self.edge == "start":
            self.start, self.end = min(cp, self.anchor), max(cp, self.anchor)
        else:
            self.start, self.end = min(self.anchor, cp), max(self.anchor, cp)


def edge_at(
    view: QPlainTextEdit, u16: Utf16Index, span_range: tuple[int, int], point: QPointF
) -> str | None:
    """ "start" or "end" when *point* (viewport) is on that edge of the span, else None."""
    start, end = span_range
    for edge, cp in (("start", start), ("end", end)):
        cursor = QTextCursor(view.document())
        cursor.setPosition(u16.to_utf16(cp))
        rect = view.cursorRect(cursor)
        near_x = abs(point.x() - rect.center().x()) <= GRAB
        if near_x and rect.top() - 2 <= point.y() <= rect.bottom() + 2:
            return edge
    return None


def start_drag(uid: str, edge: str, span_range: tuple[int, int]) -> EdgeDrag:
    start, end = span_range
    return EdgeDrag(uid, edge, start, end, anchor=end if edge == "start" else start)


def position_under(view: QPlainTextEdit, u16: Utf16Index, point: QPointF) -> int:
    """The caret position (code point) nearest to *point*."""
    return u16.to_codepoint(view.cursorForPosition(point.toPoint()).position())
