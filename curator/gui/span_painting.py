"""The span marks of the article view: fills, lanes, outlines, painted per visible line.

Why custom painting: an article may carry 20,000 spans. Qt's ExtraSelections
(35x slower than plain text) and QSyntaxHighlighter (4x) touch every span or
block up front; painting only the visible lines, with spans found through a
sorted index, keeps opening close to a bare ``setPlainText``. An edit
repaints only the lines it touches (or its paragraph, where lanes moved).

:class:`SpanPaintingView` holds the spans and draws them; the hit testing and
the mouse live in :mod:`curator.gui.span_pointing`, the public API in
:mod:`curator.gui.text_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTextBlock,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from curator.gui.offsets import Utf16Index
from curator.gui.shown_blocks import ShownBlock, region_to_repaint, shown_blocks
from curator.gui.spaced_layout import SpacedLayout
from curator.gui.span_contrast import span_colors
from curator.gui.span_index import SpanIndex, SpanLike, assign_lanes, outer_first
from curator.gui.span_marks import MarkLook, TagLook, first_line_below, paint_marks
from curator.gui.span_style import SpanStyle, own_style


class SpanPaintingView(QPlainTextEdit):
    """A plain text view that paints the spans of its text under it."""

    _layout: SpacedLayout  # the document's layout: the gaps between lines hold the lanes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._u16 = Utf16Index("")
        # Stored spans, whose owner keeps them by uid and names what an edit
        # replaces (no second uid map of 20,000), and marks added by uid
        # (pending suggestions): few, so they keep their own.
        self._spans: SpanIndex[SpanLike] = SpanIndex(keyed=False)
        self._marks: SpanIndex[SpanLike] = SpanIndex()
        # Spans are kept as given (ViewSpans, or the app's own records) and
        # styled when painted: no second object per span for 20,000 spans.
        self._style_of: Callable[[Any], SpanStyle] = own_style
        self._lanes: dict[int, dict[str, int]] = {}  # block number -> uid -> lane
        self._colors: dict[str, tuple[QColor, QColor]] = {}  # "#rrggbb" -> (fill, line)
        self._selected: str | None = None
        self._max_lanes = 1
        self._tags: TagLook | None = None  # label names above the spans, when shown
        # Painted over the span marks, under the text (the relations' dots and arc).
        self._overlays: list[Callable[[QPainter, QRect], None]] = []
        self._related: Container[str] = frozenset()  # spans dotted: they end a relation

    def paintEvent(self, event: QPaintEvent) -> None:
        # Space the top block before Qt computes the scroll offset from its lines.
        self.blockBoundingRect(self.firstVisibleBlock())
        if len(self._spans) or len(self._marks):
            painter = QPainter(self.viewport())
            self._paint_spans(painter, event.rect())
            for paint in self._overlays:
                paint(painter, event.rect())
            painter.end()
        super().paintEvent(event)  # text and caret on top of the fills, crisp

    def _overlapping(self, start: int, end: int) -> list[SpanLike]:
        out = self._spans.overlapping(start, end)
        if len(self._marks):
            out += self._marks.overlapping(start, end)
            out.sort(key=outer_first)
        return out

    def _visible_spans(self) -> list[SpanLike]:
        shown = shown_blocks(self, self._u16.to_codepoint)
        return self._overlapping(shown[0].start, shown[-1].end) if shown else []

    def _spans_changed(self, *changed: SpanLike | None) -> None:
        """Redraw after spans changed: everything, or only what *changed* touches.

        An edit touches one span: the lanes of its paragraphs are recomputed,
        and only the lines it covers (before and after) are repainted, or its
        whole paragraph where the other spans' lanes moved; not the page.
        """
        spans = [s for s in changed if s is not None]
        if not spans:
            self._lanes.clear()
            self.viewport().update()
            return
        ranges = [(s.start, s.end) for s in spans]
        uids = {s.uid for s in spans}
        shown = shown_blocks(self, self._u16.to_codepoint)
        whole: set[int] = set()
        for sb in shown:
            if sb.touches(ranges):
                number = sb.block.blockNumber()
                before = self._lanes.pop(number, None)
                after = self._block_lanes(sb.block)
                if before is None or _others(before, uids) != _others(after, uids):
                    whole.add(number)
        fresh = {sb.block.blockNumber() for sb in shown}
        doc, to_u16 = self.document(), self._u16.to_utf16
        for start, end in ranges:  # paragraphs off screen: lanes recomputed when shown
            first = doc.findBlock(to_u16(start)).blockNumber()
            last = doc.findBlock(to_u16(max(end - 1, start))).blockNumber()
            for number in range(first, last + 1):
                if number not in fresh:
                    self._lanes.pop(number, None)
        self._repaint(shown, ranges, whole)

    def _repaint(
        self, shown: list[ShownBlock], ranges: list[tuple[int, int]], whole: set[int]
    ) -> None:
        below = self._layout.line_gap + self._layout.para_gap
        width, to_u16 = self.viewport().width(), self._u16.to_utf16
        above = 2.0 + (self._tags.room if self._tags is not None else 0.0)
        area = region_to_repaint(
            width, shown, ranges, whole=whole, to_u16=to_u16, below=below, above=above
        )
        if not area.isEmpty():
            self.viewport().update(area)

    def _color(self, name: str) -> tuple[QColor, QColor]:
        colors = self._colors.get(name)
        if colors is None:
            page = self.palette().color(QPalette.ColorRole.Base)
            colors = self._colors[name] = span_colors(name, page)
        return colors

    def _block_lanes(self, block: QTextBlock) -> dict[str, int]:
        """Lanes of the spans touching *block*, cached until spans change.

        Lanes are assigned per paragraph: optimal (as few as the deepest
        overlap there), independent of edit history, and a one-span edit only
        recomputes the visible paragraphs instead of 20,000 spans.
        """
        number = block.blockNumber()
        lanes = self._lanes.get(number)
        if lanes is None:
            to_cp = self._u16.to_codepoint
            start = block.position()
            spans = self._overlapping(to_cp(start), to_cp(start + max(block.length() - 1, 1)))
            lanes = self._lanes[number] = assign_lanes(spans)
        return lanes

    def _paint_spans(self, painter: QPainter, clip: QRect) -> None:
        extra = self._layout.line_gap + self._layout.para_gap  # lanes below a block
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(offset).top()
        while block.isValid() and top <= clip.bottom():
            height = self.blockBoundingRect(block).height()
            if block.isVisible() and top + height + extra >= clip.top():
                self._paint_block(painter, block, QPointF(offset.x(), top), clip)
            top += height
            block = block.next()

    def _paint_block(
        self, painter: QPainter, block: QTextBlock, origin: QPointF, clip: QRect
    ) -> None:
        """Fills, lanes and outlines of the spans on this block's lines inside *clip*."""
        layout, pos = block.layout(), block.position()
        y_min = clip.top() - origin.y() - self._layout.line_gap - self._layout.para_gap
        y_max = clip.bottom() - origin.y() + (self._tags.room if self._tags is not None else 0)
        lines: list[QTextLine] = []
        for i in range(first_line_below(block, y_min), layout.lineCount()):
            line = layout.lineAt(i)
            if line.y() > y_max:
                break
            lines.append(line)
        if not lines:
            return
        to_cp = self._u16.to_codepoint
        last = lines[-1]
        spans = self._overlapping(
            to_cp(pos + lines[0].textStart()), to_cp(pos + last.textStart() + last.textLength())
        )
        if not spans:
            return
        look = MarkLook(
            self._style_of,
            self._color,
            self._max_lanes,
            self._selected,
            QPen(self.palette().color(QPalette.ColorRole.Text), 2.0),
            self._tags,
            self._related,
            self._dot_color(),
        )
        lanes = self._block_lanes(block)
        paint_marks(
            painter, block, origin, lines, spans=spans, lanes=lanes, u16=self._u16, look=look
        )

    def _dot_color(self) -> QColor:
        color = QColor(self.palette().color(QPalette.ColorRole.Text))
        color.setAlpha(170)
        return color


def _others(lanes: dict[str, int], changed: set[str]) -> dict[str, int]:
    return {uid: lane for uid, lane in lanes.items() if uid not in changed}
