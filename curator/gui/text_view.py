"""Read-only article view that paints annotation spans itself.

It paints only the visible lines, with spans found through a sorted index
(:mod:`curator.gui.span_painting` says why), and finds the span under the
mouse (:mod:`curator.gui.span_pointing`); this module is its public API: the
article, its spans, the selected span, the font and the column.

Offsets: the public API speaks Python ``str`` indices (code points); Qt counts
UTF-16 units. ``Utf16Index`` converts, only in the view's modules. A paragraph longer than
~2,000 characters is shown with some spaces as line breaks (see
``soft_breaks``): same offsets, while ``text()`` and copies give the real text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QWidget,
)

from curator.gui.offsets import Utf16Index
from curator.gui.shown_blocks import shown_blocks
from curator.gui.soft_breaks import display_text, sentence_breaks, soft_break_positions
from curator.gui.spaced_layout import SOFT_BREAK_STATE, SpacedLayout
from curator.gui.span_index import SpanLike
from curator.gui.span_marks import (
    LANE_OFFSET,
    LANE_PITCH,
    MIN_LANES,
    TagLook,
)
from curator.gui.span_pointing import SpanPointingView
from curator.gui.span_style import SpanStyle, Style, ViewSpan

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


class SpanTextView(SpanPointingView):
    """Read-only, selectable article text with nested, overlapping span marks."""

    selected_changed = Signal(str)  # the outlined span's uid, "" for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._side_margin = -1
        self._show_tags = False

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


__all__ = ["SpanStyle", "SpanTextView", "Style", "ViewSpan"]
