"""The article view's text layout: room between lines for the span underline lanes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

SOFT_BREAK_STATE = 1  # QTextBlock.userState of a block that starts after a soft break


class SpacedLayout(QPlainTextDocumentLayout):
    """Plain-text layout with extra room between lines and paragraphs.

    QPlainTextDocumentLayout ignores QTextBlockFormat.setLineHeight and block
    margins (checked on Qt 6.11), so after Qt lays out a block we move its
    lines down. Every caller (painting, hit testing, scrolling, cursorRect)
    asks for the block's geometry through this virtual first, and Qt reads
    line positions back from the QTextLayout, so everything stays consistent.
    The gap above each line holds the underline lanes of the line before it.
    A block that continues a paragraph after a soft break gets a line gap,
    not a paragraph gap, so the break reads as an ordinary wrapped line.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.line_gap = 8.0
        self.para_gap = 16.0  # above a block's first line; never 0 (marks "spaced")

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        layout = block.layout()
        if layout is None:  # a block of a document being cleared or replaced
            return rect
        count = layout.lineCount()
        y = self.line_gap if block.userState() == SOFT_BREAK_STATE else self.para_gap
        if count == 0 or layout.lineAt(0).y() == y:
            return rect
        for i in range(count):
            line = layout.lineAt(i)
            line.setPosition(QPointF(line.x(), y))
            y += line.height() + self.line_gap
        return super().blockBoundingRect(block)
