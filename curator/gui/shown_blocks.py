"""Which paragraphs of the article view are on screen: lines to repaint, the character hit.

Kept out of the view so the view keeps to painting and input: after an edit
or a selection the view repaints only the lines of the spans it changed (or
whole paragraphs when their lanes moved), not the page. Offsets in ``ranges``
are code points; Qt's blocks and lines count UTF-16 units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QRegion, QTextBlock, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

Convert = Callable[[int], int]


@dataclass(frozen=True, slots=True)
class ShownBlock:
    """A block at least partly on screen: its code-point range and place in the viewport."""

    block: QTextBlock
    start: int
    end: int
    top: float
    height: float

    def touches(self, ranges: Iterable[tuple[int, int]]) -> bool:
        return any(start < self.end and end > self.start for start, end in ranges)


def shown_blocks(view: QPlainTextEdit, to_cp: Convert) -> list[ShownBlock]:
    """The visible blocks from the first one on screen to the viewport's bottom."""
    offset, block = view.contentOffset(), view.firstVisibleBlock()
    top = view.blockBoundingGeometry(block).translated(offset).top()
    bottom = view.viewport().height()
    out = []
    while block.isValid() and top <= bottom:
        height = view.blockBoundingRect(block).height()
        if block.isVisible():
            pos = block.position()
            out.append(ShownBlock(block, to_cp(pos), to_cp(pos + block.length()), top, height))
        top += height
        block = block.next()
    return out


def region_to_repaint(
    width: int,
    shown: list[ShownBlock],
    ranges: list[tuple[int, int]],
    *,
    whole: set[int],
    to_u16: Convert,
    below: float,
    above: float = 2.0,
) -> QRegion:
    """The rows of *shown* blocks that marks over *ranges* are drawn in.

    Blocks numbered in *whole* are repainted entirely; in the others only the
    lines a range covers. Marks reach *below* a line (lanes, into the gap)
    and *above* it (the selection outline, label tags).
    """
    area = QRegion()
    for sb in shown:
        if not sb.touches(ranges):
            continue
        if sb.block.blockNumber() in whole:
            y = math.floor(sb.top - above)
            area += QRect(0, y, width, math.ceil(sb.top + sb.height + below) - y)
            continue
        pos, layout = sb.block.position(), sb.block.layout()
        spans16 = [(to_u16(start) - pos, to_u16(end) - pos) for start, end in ranges]
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            a = line.textStart()
            b = a + line.textLength()
            if any(start < b and end > a for start, end in spans16):
                y = math.floor(sb.top + line.y() - above)
                bottom = sb.top + line.y() + line.height() + below
                area += QRect(0, y, width, math.ceil(bottom) - y)
    return area


def char_under(
    view: QPlainTextEdit, point: QPointF, line_gap: float, para_gap: float
) -> int | None:
    """UTF-16 position of the character under a viewport point (or above its lanes).

    Unlike cursorForPosition, which finds the nearest caret gap, this names
    the character itself; a point off the text hits nothing (None).
    """
    offset, block = view.contentOffset(), view.firstVisibleBlock()
    top = view.blockBoundingGeometry(block).translated(offset).top()
    while block.isValid():
        height = view.blockBoundingRect(block).height()
        if point.y() < top + height + para_gap:
            break
        top += height
        block = block.next()
    else:
        return None
    layout, y, x = block.layout(), point.y() - top, point.x() - offset.x()
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    above = [line for line in lines if line.y() <= y]
    if not above or y > above[-1].y() + above[-1].height() + line_gap:
        return None
    line = above[-1]
    if not line.x() <= x < line.x() + line.naturalTextWidth():
        return None
    char = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
    return block.position() + min(
        max(char, line.textStart()), line.textStart() + line.textLength() - 1
    )
