"""Relations drawn in the article: for the relation in focus, both ends
outlined and joined by an arc. (The dot on every span that ends a relation
is drawn with the span marks: :mod:`curator.gui.span_marks`.)

Why not an arc for every relation: with 5,000 relations a page crossed by
dozens of arcs is unreadable and each repaint would lay out both ends of all
of them. The dot costs one set lookup per span on screen; the arc is drawn
for one relation only (the one selected in the table, or the target being
chosen with Tab), and an end that is off screen gets an arrow to the
viewport's edge on its side.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTextCursor,
)

from curator.gui.relations.state import RelationState
from curator.gui.shown_blocks import shown_blocks
from curator.gui.text_view import SpanTextView

ARROW = 6.0


class RelationOverlay:
    def __init__(self, view: SpanTextView, state: RelationState) -> None:
        self.view, self.state = view, state
        self.focus: str | None = None  # uid of the relation shown with its arc
        self._pending: tuple[str, str | None, str] | None = None  # head, tail, colour
        # The last drawing, with what it was drawn from: reused while nothing moved.
        self._drawn: tuple[object, QPoint, QImage | None] | None = None
        view.add_overlay(self.paint)
        view.set_related(state.by_span)  # the spans that end a relation get a dot
        state.reset.connect(self._on_reset)
        state.changed.connect(lambda _rec, _old: self.view.viewport().update())

    def _on_reset(self) -> None:
        if self.focus is not None and self.focus not in self.state.relations:
            self.focus = None
        self.view.viewport().update()

    def set_focus(self, uid: str | None) -> None:
        """Show relation *uid* (None: none) with both ends outlined and joined."""
        if uid != self.focus:
            self.focus = uid
            self.view.viewport().update()

    def set_pending(self, head: str | None, tail: str | None, color: str = "#555555") -> None:
        """The relation being made in the R flow: its head, and the target shown."""
        self._pending = (head, tail, color) if head is not None else None
        if head is not None:
            self.focus = None
        self.view.viewport().update()

    def ends(self) -> tuple[str, str | None, str] | None:
        """(head uid, tail uid, colour) of what is drawn with an arc, if anything."""
        if self._pending is not None:
            return self._pending
        rec = self.state.relations.get(self.focus) if self.focus else None
        if rec is None:
            return None
        kind = self.state.type_by_name.get(rec.type)
        return rec.head, rec.tail, kind.color if kind else "#555555"

    # -- painting ----------------------------------------------------------
    def paint(self, painter: QPainter, _clip: QRect) -> None:
        ends = self.ends()
        if ends is None:
            return
        view = self.view
        shown = shown_blocks(view, view.utf16().to_codepoint)
        if not shown:
            return
        boxes, above = self._boxes(ends, shown[0].start, shown[-1].end)
        viewport = view.viewport().rect()
        ratio = painter.device().devicePixelRatioF()
        key = (ends, tuple(b.getRect() if b else None for b in boxes), above, viewport, ratio)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, *_drawing(ends, boxes, above, viewport, ratio))
        _, origin, image = self._drawn
        if image is not None:
            painter.drawImage(origin, image)

    def _caret(self, cp: int) -> QRectF:
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.view.utf16().to_utf16(cp))
        return QRectF(self.view.cursorRect(cursor))

    def _box(self, start: int, end: int) -> QRectF:
        """The span's box on its first line (to the line's end if it goes on)."""
        a, b = self._caret(start), self._caret(end)
        if abs(a.top() - b.top()) < 1:
            return QRectF(a.left(), a.top(), max(b.left() - a.left(), 2.0), a.height())
        right = self.view.viewport().width() - self.view.document().documentMargin()
        return QRectF(a.left(), a.top(), max(right - a.left(), 2.0), a.height())

    def _boxes(
        self, ends: tuple[str, str | None, str], first: int, last: int
    ) -> tuple[tuple[QRectF | None, QRectF | None], tuple[bool, bool]]:
        """The outline of each end on screen (None: off it), and for an end off
        screen whether it is above the viewport."""
        spans = self.state.ws.spans
        boxes: list[QRectF | None] = []
        above: list[bool] = []
        for uid in ends[:2]:
            span = spans.get(uid) if uid else None
            if span is None or span.end <= first or span.start >= last:
                boxes.append(None)
                above.append(span is not None and span.start < first)
            else:
                boxes.append(self._box(span.start, span.end).adjusted(-2, -2, 2, 2))
                above.append(False)
        return (boxes[0], boxes[1]), (above[0], above[1])


Drawing = tuple[QPoint, QImage | None]


def _drawing(
    ends: tuple[str, str | None, str],
    boxes: tuple[QRectF | None, QRectF | None],
    above: tuple[bool, bool],
    viewport: QRect,
    ratio: float,
) -> Drawing:
    """The outlines and the arrow drawn once into a transparent image, and where it goes.

    Why an image: an antialiased curve costs about 0.2 ms to rasterize, on every
    repaint (each keystroke, each scroll step); copying the drawn pixels costs a
    few µs. It is drawn at a whole-pixel offset, so the same pixels get the same
    coverage as when drawn in place, and redrawn whenever a box moves.
    """
    shown = [box for box in boxes if box is not None]
    if not shown:
        return QPoint(), None
    area = shown[0]
    for box in shown[1:]:
        area = area.united(box)
    # Room for the arc over the lines, the arrowheads and the pen's width.
    area = area.adjusted(-ARROW - 4, -ARROW - 64, ARROW + 4, ARROW + 4)
    if ends[1] is not None and len(shown) == 1:  # an arrow to the viewport's edge
        area = area.united(QRectF(area.left(), 0, area.width(), viewport.height()))
    left, top = math.floor(area.left()), math.floor(area.top())
    rect = QRect(left, top, math.ceil(area.right()) - left, math.ceil(area.bottom()) - top)
    rect = rect.intersected(viewport)
    if rect.isEmpty():
        return QPoint(), None
    size = (math.ceil(rect.width() * ratio), math.ceil(rect.height() * ratio))
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.translate(-rect.left(), -rect.top())
    _paint_pair(painter, ends, boxes, above, viewport.height())
    painter.end()
    return rect.topLeft(), image


def _paint_pair(
    painter: QPainter,
    ends: tuple[str, str | None, str],
    boxes: tuple[QRectF | None, QRectF | None],
    above: tuple[bool, bool],
    height: int,
) -> None:
    """Both ends outlined (the target being chosen dashed) and an arrow head to tail:
    an arc over the lines when they are close, else an S from one line to the other."""
    color = QColor(ends[2])
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for uid, box in zip(ends[:2], boxes, strict=True):
        if box is not None:
            style = Qt.PenStyle.DashLine if uid == ends[1] else Qt.PenStyle.SolidLine
            painter.setPen(QPen(color, 2.0, style))
            painter.drawRect(box)
    head, tail = boxes
    if ends[1] is None or (head is None and tail is None):
        return
    pen = QPen(color, 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    if head is None or tail is None:  # one end off screen: an arrow to the edge on its side
        shown = tail if head is None else head
        assert shown is not None
        up = above[0] if head is None else above[1]
        start = QPointF(shown.center().x(), shown.top() if up else shown.bottom())
        edge = QPointF(start.x(), 4.0 if up else height - 4.0)
        painter.drawLine(start, edge)
        if tail is not None:  # the arrow points at the tail: into it, from the edge
            _arrow(painter, color, start, up=not up)
        else:
            _arrow(painter, color, edge, up=up)
        return
    path = QPainterPath()
    if abs(head.top() - tail.top()) < 2 * head.height():  # same or next line: an arc
        a, b = QPointF(head.center().x(), head.top()), QPointF(tail.center().x(), tail.top())
        top = min(a.y(), b.y()) - min(60.0, 14.0 + abs(b.x() - a.x()) / 6)
        path.moveTo(a)
        path.cubicTo(QPointF(a.x(), top), QPointF(b.x(), top), b)
        up = False
    else:
        up = tail.top() < head.top()
        a = QPointF(head.center().x(), head.top() if up else head.bottom())
        b = QPointF(tail.center().x(), tail.bottom() if up else tail.top())
        bend = (b.y() - a.y()) / 2
        path.moveTo(a)
        path.cubicTo(QPointF(a.x(), a.y() + bend), QPointF(b.x(), b.y() - bend), b)
    painter.drawPath(path)
    _arrow(painter, color, b, up=up)


def _arrow(painter: QPainter, color: QColor, tip: QPointF, *, up: bool) -> None:
    """A small filled arrowhead with its point at *tip*."""
    dy = ARROW if not up else -ARROW
    half = ARROW / 2
    head = QPolygonF(
        [tip, QPointF(tip.x() - half, tip.y() - dy), QPointF(tip.x() + half, tip.y() - dy)]
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPolygon(head)
    painter.setBrush(Qt.BrushStyle.NoBrush)
