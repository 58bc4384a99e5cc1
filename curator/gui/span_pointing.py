"""Which span is under the mouse, and what a click, a drag or a hover on it does.

A plain click selects the innermost span there, each further click the next
one out; a press on an edge of the selected span drags that edge; a hover
shows the tooltips of the spans under the pointer. Positions are code points
of the article (``Utf16Index`` converts Qt's UTF-16 units).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, Signal
from PySide6.QtGui import QHelpEvent, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from curator.gui.clipboard import plain_text_data
from curator.gui.edge_drag import EdgeDrag, edge_at, position_under, start_drag
from curator.gui.shown_blocks import char_under
from curator.gui.span_index import SpanLike, shortest_first
from curator.gui.span_painting import SpanPaintingView


class SpanPointingView(SpanPaintingView):
    """The painted spans, found under a point and chosen with the mouse."""

    span_clicked = Signal(str)  # innermost span under a plain click, "" for none
    edge_dragged = Signal(str, int, int)  # span uid, its new start and end (code points)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press_pos: QPointF | None = None
        self._drag: EdgeDrag | None = None

    def spans_at(self, cp: int) -> list[SpanLike]:
        """Spans covering code point *cp*, shortest (innermost) first."""
        out = self._spans.at(cp)
        if len(self._marks):
            out += self._marks.at(cp)
            out.sort(key=shortest_first)
        return out

    def _selected_range(self) -> tuple[int, int] | None:
        """Extent of the outlined span, if one is outlined and on screen."""
        uid = self._selected
        if uid is None:
            return None
        found = [s for s in self._visible_spans() if s.uid == uid]
        return (found[0].start, found[0].end) if found else None

    def cycle_span(self) -> None:
        """Select the next span covering the caret (the selected span's start if the
        caret is in none), as another click on the same place would."""
        cursor = self.textCursor()
        spans = self.spans_at(self._u16.to_codepoint(cursor.position()))
        selected = self._selected_range()
        if not spans and selected is not None:
            spans = self.spans_at(selected[0])
        self.span_clicked.emit(self._next_of(spans))

    def _next_of(self, spans: Sequence[SpanLike]) -> str:
        """Where spans overlap, each click picks the next one there, innermost first."""
        uids = [s.uid for s in spans]
        if self._selected in uids:
            return uids[(uids.index(self._selected) + 1) % len(uids)]
        return uids[0] if uids else ""

    def selection_range(self) -> tuple[int, int]:
        """The text selection in code points (start == end when empty)."""
        cursor = self.textCursor()
        to_cp = self._u16.to_codepoint
        return to_cp(cursor.selectionStart()), to_cp(cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll it into view, centred if it was off-screen."""
        size = len(self._text)
        start, end = sorted((min(max(start, 0), size), min(max(end, 0), size)))
        a, b = self._u16.to_utf16(start), self._u16.to_utf16(end)
        cursor = QTextCursor(self.document())
        if not (self._is_visible(a) and self._is_visible(b)):
            cursor.setPosition(a)
            self.setTextCursor(cursor)
            self.centerCursor()  # centres the start; the end follows if it fits
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _is_visible(self, u16: int) -> bool:
        """On screen with two lines to spare: a match or span on the very last
        line is scrolled up, so its end and the words after it are readable."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(u16)
        margin = 2 * self.fontMetrics().lineSpacing()
        shown = self.viewport().rect().adjusted(0, margin, 0, -margin)
        return shown.contains(self.cursorRect(cursor))

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy the canonical text: soft breaks are spaces again, no character altered."""
        start, end = self.selection_range()
        return plain_text_data(self._text[start:end])

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = self.viewport().mapFrom(self, event.pos())
            spans = self._spans_under(QPointF(pos))
            if spans:
                tips = "<hr>".join(self._style_of(s).tooltip for s in spans)
                QToolTip.showText(event.globalPos(), f"<qt>{tips}</qt>", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position()
        selected = self._selected_range()
        if event.button() == Qt.MouseButton.LeftButton and selected is not None:
            edge = edge_at(self, self._u16, selected, event.position())
            if edge is not None:
                assert self._selected is not None
                self._drag = start_drag(self._selected, edge, selected)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is not None:
            drag.move_to(position_under(self, self._u16, event.position()))
            self.select_range(drag.start, drag.end)  # the new extent, previewed
            return
        selected = self._selected_range()
        on_edge = selected is not None and edge_at(self, self._u16, selected, event.position())
        shape = Qt.CursorShape.SizeHorCursor if on_edge else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is not None:
            self._press_pos = None
            drag.move_to(position_under(self, self._u16, event.position()))
            self.select_range(drag.end, drag.end)
            if drag.start < drag.end:
                self.edge_dragged.emit(drag.uid, drag.start, drag.end)
            return
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        moved = (event.position() - press).manhattanLength()
        if self.textCursor().hasSelection() or moved > QApplication.startDragDistance():
            return
        self.span_clicked.emit(self._next_of(self._spans_under(event.position())))

    def _spans_under(self, point: QPointF) -> list[SpanLike]:
        """Spans on the character under a viewport point (or on its lanes), shortest first."""
        gaps = (self._layout.line_gap, self._layout.para_gap)
        char = char_under(self, point, *gaps)
        return [] if char is None else self.spans_at(self._u16.to_codepoint(char))
