"""Drawing the marks of spans on the laid-out lines of one paragraph.

A fill (or a dashed outline for a suggestion) over the characters, an
underline in the span's lane below the baseline, a corner mark at the end
of a span with a note, and an outline around the selected span. Offsets of
spans are code points; Qt's lines count UTF-16 units, converted with the
article's :class:`Utf16Index`. A span that ends a relation gets a dot at its
top left: one set lookup per span drawn, on the boxes computed here anyway.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QPolygonF,
    QTextBlock,
    QTextLine,
)

from curator.gui.dot_stamp import stamp_dots
from curator.gui.offsets import Utf16Index
from curator.gui.span_contrast import tag_text_color
from curator.gui.span_index import SpanLike
from curator.gui.span_style import SpanStyle

MIN_LANES = 3
LANE_THICKNESS = 2.0
LANE_PITCH = 3.0  # lane thickness plus a 1 px gap so adjacent lanes stay distinct
LANE_OFFSET = 2.0  # lane 0 starts this far below the baseline


@dataclass(frozen=True, slots=True)
class MarkLook:
    """What the view decides about every mark: styles, colours, lanes, selection."""

    style_of: Callable[[Any], SpanStyle]
    colors_of: Callable[[str], tuple[QColor, QColor]]  # "#rrggbb" -> (fill, line)
    max_lanes: int
    selected: str | None
    selected_pen: QPen
    tags: TagLook | None = None  # label names drawn above the spans' starts
    related: Container[str] = frozenset()  # uids of spans that end a relation: dotted
    dot: QColor | None = None


class TagLook:
    """Label tags: a small font, and the room above each line the layout keeps for them.

    Each name's elided text, width and ink are worked out once per font, not
    per tag painted: a page may show a few hundred tags.
    """

    def __init__(self, font: QFont, room: float) -> None:
        self.font = font
        self.room = room
        self.metrics = QFontMetricsF(font)
        self._texts: dict[str, tuple[str, float]] = {}
        self._inks: dict[int, QColor] = {}

    def text(self, name: str) -> tuple[str, float]:
        """The name as the tag shows it, and the tag's width."""
        found = self._texts.get(name)
        if found is None:
            text = self.metrics.elidedText(name, Qt.TextElideMode.ElideRight, TAG_MAX_WIDTH)
            found = self._texts[name] = (text, self.metrics.horizontalAdvance(text) + 6)
        return found

    def ink(self, background: QColor) -> QColor:
        key = background.rgba()
        found = self._inks.get(key)
        if found is None:
            found = self._inks[key] = tag_text_color(background)
        return found


TAG_MAX_WIDTH = 140.0  # a long label name is elided: the tag names, the span table details


def paint_marks(
    painter: QPainter,
    block: QTextBlock,
    origin: QPointF,
    lines: Sequence[QTextLine],
    *,
    spans: Sequence[SpanLike],
    lanes: dict[str, int],
    u16: Utf16Index,
    look: MarkLook,
) -> None:
    """Fills, lanes and outlines of *spans* on *lines* of *block*, whose top left is *origin*.

    A mention in pieces (a span with ``fragments``) is marked piece by piece,
    in one colour and one lane, and a thin line in that lane links the pieces
    across the words between them: one span to the eye, as to the database.
    """
    pos, to_u16 = block.position(), u16.to_utf16
    laid = _Lines(lines, origin)
    fills: list[tuple[QRectF, QColor]] = []
    strokes: list[tuple[QRectF, QColor]] = []
    outlines: list[tuple[QRectF, QPen]] = []
    noted: list[tuple[QRectF, QColor]] = []  # the last box of a span with a note
    tags: list[tuple[QRectF, str, QColor]] = []  # the first box of a span starting here
    dots: list[tuple[float, float]] = []  # top left of the dot of a span ending a relation
    for span in spans:
        style = look.style_of(span)
        fill, solid = look.colors_of(style.color)
        lane_dy = LANE_OFFSET + min(lanes.get(span.uid, 0), look.max_lanes - 1) * LANE_PITCH
        pieces = getattr(span, "fragments", None) or ((span.start, span.end),)
        last: QRectF | None = None
        for a, b in pieces:
            for box, lane_y in laid.boxes(to_u16(a) - pos, to_u16(b) - pos, lane_dy):
                strokes.append((QRectF(box.left(), lane_y, box.width(), LANE_THICKNESS), solid))
                if style.dashed:
                    outlines.append((box, QPen(solid, 1.0, Qt.PenStyle.DashLine)))
                else:
                    fills.append((box, fill))
                if span.uid == look.selected:
                    outlines.append((box.adjusted(-1, -1, 1, 1), look.selected_pen))
                if last is None and a == pieces[0][0] and to_u16(a) - pos >= laid.starts[0]:
                    if a == span.start:
                        tags.append((box, style.label, solid))
                    if span.uid in look.related:
                        dots.append((box.left() - DOT / 2, box.top() - DOT / 2))
                last = box
        for (_, b), (c, _) in pairwise(pieces):
            for box, lane_y in laid.boxes(to_u16(b) - pos, to_u16(c) - pos, lane_dy):
                link = QRectF(box.left(), lane_y + LANE_THICKNESS / 2 - 0.5, box.width(), 1.0)
                strokes.append((link, solid))
        if style.noted and last is not None and to_u16(span.end) - pos <= laid.ends[-1]:
            noted.append((last, solid))
    for rect, color in fills + strokes:
        painter.fillRect(rect, color)
    for rect, color in noted:
        _paint_note_mark(painter, rect, color)
    if look.tags is not None and tags:
        _paint_tags(painter, tags, look.tags)
    if dots and look.dot is not None:  # "this span ends a relation"
        stamp_dots(painter, dots, DOT, look.dot)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect, pen in outlines:
        painter.setPen(pen)
        painter.drawRect(rect)


def _paint_tags(painter: QPainter, tags: list[tuple[QRectF, str, QColor]], look: TagLook) -> None:
    """Each span's label name in a chip above its first character, in the label's colour.

    Chips of spans starting close together on one line are set side by side
    rather than on top of each other, so every name stays readable.
    """
    painter.setFont(look.font)
    height = look.room - 1
    right_of: dict[float, float] = {}  # line top -> right end of the last chip there
    for box, name, color in sorted(tags, key=lambda t: (t[0].top(), t[0].left())):
        text, width = look.text(name)
        left = max(box.left(), right_of.get(box.top(), -1e9) + 2)
        chip = QRectF(left, box.top() - look.room, width, height)
        right_of[box.top()] = chip.right()
        painter.fillRect(chip, color)  # square: a rounded path costs twice the time
        painter.setPen(look.ink(color))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)


NOTE_MARK = 7.0  # side of the corner mark on a span that has a note


def _paint_note_mark(painter: QPainter, box: QRectF, color: QColor) -> None:
    """A filled corner at the span's top right, like a folded page: "there is a note"."""
    right, top = box.right(), box.top()
    corner = QPolygonF(
        [QPointF(right - NOTE_MARK, top), QPointF(right, top), QPointF(right, top + NOTE_MARK)]
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPolygon(corner)


DOT = 5.0  # diameter of the mark on a span that ends a relation, on its top left corner


class _Lines:
    """The laid-out lines of one paragraph, to cut a range of it into one box per line."""

    def __init__(self, lines: Sequence[QTextLine], origin: QPointF) -> None:
        self.lines = lines
        self.origin = origin
        self.starts = [line.textStart() for line in lines]
        self.ends = [line.textStart() + line.textLength() for line in lines]

    def boxes(self, s16: int, e16: int, lane_dy: float) -> Iterator[tuple[QRectF, float]]:
        """The box of UTF-16 range *s16*-*e16* on each line it covers, with its lane's y."""
        starts, ends = self.starts, self.ends
        for j in range(max(bisect_right(starts, s16) - 1, 0), len(self.lines)):
            a, b = max(s16, starts[j]), min(e16, ends[j])
            if starts[j] >= e16:
                break
            if a >= b:
                continue
            line = self.lines[j]
            x1, x2 = _x_of(line, a), _x_of(line, b)
            left, top = self.origin.x() + min(x1, x2), self.origin.y() + line.y()
            box = QRectF(left, top, abs(x2 - x1), line.height())
            yield box, box.top() + line.ascent() + lane_dy


def _x_of(line: QTextLine, pos: int) -> float:
    """x of a caret position in *line* (PySide returns ``(x, pos)``)."""
    x, _ = cast(tuple[float, int], line.cursorToX(pos))
    return x


def first_line_below(block: QTextBlock, y: float) -> int:
    """Index of the first line whose bottom is below block-local *y* (bisection)."""
    layout = block.layout()
    lo, hi = 0, layout.lineCount()
    while lo < hi:
        mid = (lo + hi) // 2
        line = layout.lineAt(mid)
        lo, hi = (mid + 1, hi) if line.y() + line.height() < y else (lo, mid)
    return lo
