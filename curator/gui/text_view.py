"""Read-only article view that paints annotation spans itself.

Why custom painting: an article may carry 20,000 spans. Qt's ExtraSelections
(35x slower than plain text) and QSyntaxHighlighter (4x) touch every span or
block up front; painting only the visible lines, with spans found through a
sorted index, keeps opening close to a bare ``setPlainText``.

Offsets: the public API speaks Python ``str`` indices (code points); Qt counts
UTF-16 units. ``Utf16Index`` converts, and only here. A paragraph longer than
~2,000 characters is shown with some spaces as line breaks (see
``soft_breaks``): same offsets, while ``text()`` and copies give the real text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextLine,
)
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from curator.gui.edge_drag import EdgeDrag, edge_at, position_under, start_drag
from curator.gui.offsets import Utf16Index
from curator.gui.shown_blocks import ShownBlock, char_under, region_to_repaint, shown_blocks
from curator.gui.soft_breaks import display_text, sentence_breaks, soft_break_positions
from curator.gui.spaced_layout import SOFT_BREAK_STATE, SpacedLayout
from curator.gui.span_contrast import span_colors
from curator.gui.span_index import SpanIndex, SpanLike, assign_lanes, outer_first, shortest_first
from curator.gui.span_marks import (
    LANE_OFFSET,
    LANE_PITCH,
    MIN_LANES,
    MarkLook,
    TagLook,
    first_line_below,
    paint_marks,
)
from curator.gui.span_style import SpanStyle, Style, ViewSpan, own_style

_SERIF_FAMILIES = ["Source Serif 4", "Charter", "Georgia", "Noto Serif", "DejaVu Serif"]
_POINT_SIZE = 12.0
_DOC_MARGIN = 20.0  # room around the text; the bottom margin also holds the last lanes
_COLUMN_CHARS = 90  # readable line length when the widget is wide
_NARROW_CHARS = 50  # the least the article pane asks for when the window is small
# Measured on prose: averageCharWidth() is inflated by wide glyphs of other scripts.
_SAMPLE = "the quick brown fox jumps over the lazy dog, Patient 12 (BCR-ABL1)."
_LINE_PITCH = 1.75  # baseline-to-baseline distance in em: room to read and for lanes
_TAG_SCALE = 0.62  # label tags' font, relative to the article's
MIN_POINT_SIZE, MAX_POINT_SIZE = 6.0, 48.0  # the zoom's range


class SpanTextView(QPlainTextEdit):
    """Read-only, selectable article text with nested, overlapping span marks."""

    span_clicked = Signal(str)  # innermost span under a plain click, "" for none
    selected_changed = Signal(str)  # the outlined span's uid, "" for none
    edge_dragged = Signal(str, int, int)  # span uid, its new start and end (code points)

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
        self._press_pos: QPointF | None = None
        self._drag: EdgeDrag | None = None
        self._side_margin = -1
        self._max_lanes = 1
        self._tags: TagLook | None = None  # label names above the spans, when shown
        self._show_tags = False
        # Painted over the span marks, under the text (the relations' dots and arc).
        self._overlays: list[Callable[[QPainter, QRect], None]] = []
        self._related: Container[str] = frozenset()  # spans dotted: they end a relation

        doc = QTextDocument(self)
        self._layout = SpacedLayout(doc)
        doc.setDocumentLayout(self._layout)
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(_DOC_MARGIN)
        self.setDocument(doc)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.viewport().setMouseTracking(True)  # the resize cursor over a span edge
        # The side margins left by the centred column get the page colour too.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        font = QFont()
        font.setFamilies(_SERIF_FAMILIES)
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(_POINT_SIZE)
        self._base_font = QFont(font)  # the chosen font; zoom changes only its size
        self.setFont(font)
        self._apply_font_metrics()

    # ----- public API -------------------------------------------------------

    def set_styler(self, style_of: Callable[[Any], SpanStyle]) -> None:
        """How to colour the spans given to this view (default: they carry their style)."""
        self._style_of = style_of
        self._spans_changed()

    def set_article(self, text: str, spans: Sequence[SpanLike]) -> None:
        """Show a new article; scroll and cursor go back to the top."""
        self._text = text
        self._u16 = Utf16Index(text)
        self._selected = None
        soft = soft_break_positions(text)
        self.setPlainText(display_text(text, soft))
        doc, to_u16 = self.document(), self._u16.to_utf16
        for pos in soft + sentence_breaks(text):
            doc.findBlock(to_u16(pos) + 1).setUserState(SOFT_BREAK_STATE)
        self.set_spans(spans)

    def set_spans(self, spans: Sequence[SpanLike]) -> None:
        """Replace all spans (marks too); text and scroll position stay."""
        self._spans.reset(spans)
        self._marks.reset(())
        selected = self._selected
        if selected is not None and not any(s.uid == selected for s in spans):
            self._selected = None
        self._spans_changed()

    def replace_span(self, old: SpanLike | None, new: SpanLike | None) -> None:
        """A stored span edited: *old* (as given before, or None) becomes *new* (None: gone)."""
        self._spans.replace(old, new)
        if new is None and old is not None and self._selected == old.uid:
            self._selected = None
        self._spans_changed(old, new)

    def upsert_span(self, span: SpanLike) -> None:
        """Add a mark (a span the view is not given by an owner), or replace one by uid."""
        old = self._marks.get(span.uid)
        self._marks.add(span)
        self._spans_changed(old, span)

    def remove_span(self, uid: str) -> None:
        """Remove the mark *uid*."""
        old = self._marks.remove(uid)
        if old is not None:
            if self._selected == uid:
                self._selected = None
            self._spans_changed(old, None)

    def set_selected_span(self, uid: str | None) -> None:
        """Outline one span (None: no span) so the curator sees what is edited."""
        old, self._selected = self._selected, uid or None
        if old != self._selected:
            marked = [s for s in self._visible_spans() if s.uid in (old, self._selected)]
            shown = shown_blocks(self, self._u16.to_codepoint)
            self._repaint(shown, [(s.start, s.end) for s in marked], set())
            self.selected_changed.emit(self._selected or "")

    def selected_span(self) -> str | None:
        return self._selected

    def add_overlay(self, paint: Callable[[QPainter, QRect], None]) -> None:
        """Have *paint* draw on the viewport after the span marks, under the text."""
        self._overlays.append(paint)

    def set_related(self, uids: Container[str]) -> None:
        """Dot the spans in *uids*, kept (not copied): its owner updates it in place
        and repaints."""
        self._related = uids
        self.viewport().update()

    def visible_spans(self) -> list[SpanLike]:
        """The spans (and marks) of the paragraphs on screen."""
        return self._visible_spans()

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

    def _overlapping(self, start: int, end: int) -> list[SpanLike]:
        out = self._spans.overlapping(start, end)
        if len(self._marks):
            out += self._marks.overlapping(start, end)
            out.sort(key=outer_first)
        return out

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

    def reading_width(self, chars: int = _NARROW_CHARS) -> int:
        """Widget width that shows about *chars* characters a line: no word is broken."""
        fm = QFontMetricsF(self.font())
        column = chars * fm.horizontalAdvance(_SAMPLE) / len(_SAMPLE) + 2 * _DOC_MARGIN
        frame = self.frameWidth() * 2 + self.verticalScrollBar().sizeHint().width()
        return math.ceil(column) + frame

    def set_text_font(self, font: QFont) -> None:
        """Show the article in *font* (View > Font); the zoom starts again from its size."""
        self._base_font = QFont(font)
        self.setFont(font)

    def text_font(self) -> QFont:
        """The chosen font, before zoom."""
        return QFont(self._base_font)

    def zoom_by(self, points: float) -> None:
        """Larger (positive) or smaller text, within MIN_POINT_SIZE..MAX_POINT_SIZE."""
        font = self.font()
        size = min(max(font.pointSizeF() + points, MIN_POINT_SIZE), MAX_POINT_SIZE)
        if size != font.pointSizeF():
            font.setPointSizeF(size)
            self.setFont(font)

    def reset_zoom(self) -> None:
        self.setFont(self._base_font)

    def zoom(self) -> float:
        """Points the text is larger (or smaller) than the chosen font."""
        return self.font().pointSizeF() - self._base_font.pointSizeF()

    def show_label_names(self, shown: bool) -> None:
        """Draw each span's label name in a small tag above its start (or stop).

        The lines move apart to make room for the tags; only visible
        paragraphs are painted, so 20,000 spans cost no more than without.
        """
        self._show_tags = shown
        self._apply_font_metrics()
        self.viewport().update()

    def label_names_shown(self) -> bool:
        return self._show_tags

    def text(self) -> str:
        """The article exactly as given (``toPlainText`` would alter some characters)."""
        return self._text

    def utf16(self) -> Utf16Index:
        return self._u16

    # ----- Qt overrides -----------------------------------------------------

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy the canonical text: soft breaks are spaces again, no character altered."""
        start, end = self.selection_range()
        data = QMimeData()
        data.setText(self._text[start:end])
        return data

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

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Margins first: Qt sets the wrap width from the viewport in super().
        self._update_column()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_font_metrics()
        elif event.type() == QEvent.Type.PaletteChange:
            self._colors.clear()  # lanes and fills adapt to a light or dark page
            self.viewport().update()

    # ----- internals --------------------------------------------------------

    def _apply_font_metrics(self) -> None:
        """Derive line spacing and lane room from the font, then relayout."""
        fm = QFontMetricsF(self.font())
        em = self.fontInfo().pixelSize()
        # Lines about _LINE_PITCH em apart, but always room for MIN_LANES lanes.
        lanes_need = LANE_OFFSET + MIN_LANES * LANE_PITCH - fm.descent()
        gap = max(round(_LINE_PITCH * em - fm.lineSpacing()), math.ceil(lanes_need))
        self._tags = None
        if self._show_tags:  # room above each line for the tags, below the lanes
            tag_font = QFont(self.font())
            tag_font.setPointSizeF(max(self.font().pointSizeF() * _TAG_SCALE, 5.0))
            tag_font.setBold(True)
            self._tags = TagLook(tag_font, math.ceil(QFontMetricsF(tag_font).height()) + 2.0)
        tag_room = self._tags.room if self._tags is not None else 0.0
        self._layout.line_gap = float(gap) + tag_room
        self._layout.para_gap = float(gap + round(0.6 * em)) + tag_room
        room = fm.descent() + gap - LANE_OFFSET
        self._max_lanes = max(1, int(room // LANE_PITCH))
        doc = self.document()
        doc.markContentsDirty(0, doc.characterCount())
        self._side_margin = -1
        self._update_column()

    def _update_column(self) -> None:
        """Centre a column of about _COLUMN_CHARS characters in a wide widget."""
        fm = QFontMetricsF(self.font())
        column = _COLUMN_CHARS * fm.horizontalAdvance(_SAMPLE) / len(_SAMPLE) + 2 * _DOC_MARGIN
        # Always reserve the scrollbar so its appearing cannot change the margins.
        avail = self.contentsRect().width() - self.verticalScrollBar().sizeHint().width()
        side = max(0, int((avail - column) / 2))
        if side != self._side_margin:
            self._side_margin = side
            self.setViewportMargins(side, 0, side, 0)

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

    def _visible_spans(self) -> list[SpanLike]:
        shown = shown_blocks(self, self._u16.to_codepoint)
        return self._overlapping(shown[0].start, shown[-1].end) if shown else []

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

    def _is_visible(self, u16: int) -> bool:
        """On screen with two lines to spare: a match or span on the very last
        line is scrolled up, so its end and the words after it are readable."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(u16)
        margin = 2 * self.fontMetrics().lineSpacing()
        shown = self.viewport().rect().adjusted(0, margin, 0, -margin)
        return shown.contains(self.cursorRect(cursor))

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

    def _spans_under(self, point: QPointF) -> list[SpanLike]:
        """Spans on the character under a viewport point (or on its lanes), shortest first."""
        gaps = (self._layout.line_gap, self._layout.para_gap)
        char = char_under(self, point, *gaps)
        return [] if char is None else self.spans_at(self._u16.to_codepoint(char))


def _others(lanes: dict[str, int], changed: set[str]) -> dict[str, int]:
    return {uid: lane for uid, lane in lanes.items() if uid not in changed}


__all__ = ["SpanStyle", "SpanTextView", "Style", "ViewSpan"]
