"""From positioned text lines to paragraphs in reading order.

A PDF stores text as glyphs at positions, in whatever order the program
that wrote it chose; nothing says where a paragraph ends or which column
comes first. This module rebuilds both from geometry alone (the PDF library
only supplies :class:`Line` objects), so the rules can be tested on lines
made by hand:

- Running headers and footers: lines near the top or bottom edge whose
  text, with every number written as ``#``, repeats at the same height on
  several pages, and lone page numbers ("3", "Page 3 of 12") there. They are counted, not kept.
- Reading order: a page is cut at every line that crosses its middle (a
  title, an abstract set across the page); between two such lines, the left
  column is read before the right one.
- Paragraphs: a new one starts at a wider gap than the usual line pitch, an
  indented line after a closed sentence, a change of font size, or a short
  line in another font (a heading). At a column or page break the paragraph goes on unless
  the previous line closed a sentence short of the column's edge and the
  next one starts a sentence.
- Lines of a paragraph are joined with a space; a word hyphenated at a line
  end is joined without its hyphen, unless the document spells the word with
  a hyphen elsewhere and never without one ("anti-" + "inflammatory").
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from curator.core.articles.text import plain_typography

EDGE_BAND = 0.1
"""Share of the page height at the top and at the bottom where running lines live."""

_PAGE_NUMBER = re.compile(r"^(page )?#( (of|/) #)?$")
_WORD = re.compile(r"\w+(?:-\w+)*")
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_HYPHENS = ("-", "\u2010")


@dataclass(frozen=True)
class Line:
    """One line of text on a page; coordinates in points from the page's top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    font: str = ""


@dataclass
class Page:
    number: int
    """1-based, as a reader counts pages."""
    width: float
    height: float
    lines: list[Line]


@dataclass
class Block:
    """Consecutive lines of one column (or of a page set in one column), in reading order."""

    page: int
    left: float
    right: float
    lines: list[Line]


@dataclass
class Paragraph:
    text: str
    boxes: list[list[float]] = field(default_factory=list)
    """One ``[page, x0, top, x1, bottom]`` per page or column the paragraph is on."""


@dataclass
class Layout:
    paragraphs: list[Paragraph]
    running_lines: int
    """Headers, footers and page numbers left out."""


def paragraphs_of(pages: Sequence[Page]) -> Layout:
    """The paragraphs of *pages* in reading order, running lines left out."""
    body, dropped = _drop_running_lines(pages)
    blocks = [block for page in body for block in _reading_order(page)]
    vocabulary = _vocabulary(line for page in body for line in page.lines)
    pitches = _usual_pitches(blocks)
    groups: list[list[tuple[Block, Line]]] = []
    previous: tuple[Block, Line] | None = None
    for block in blocks:
        for i, line in enumerate(block.lines):
            if previous is None or _starts_paragraph(previous, (block, line), i == 0, pitches):
                groups.append([])
            groups[-1].append((block, line))
            previous = (block, line)
    paragraphs = [_paragraph(group, vocabulary) for group in groups]
    return Layout([p for p in paragraphs if p.text], dropped)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _running_key(line: Line) -> tuple[str, int]:
    """Running lines repeat their words (numbers aside) at the same height on every page."""
    return _key(line.text), round(line.top / 2)


def _in_edge_band(line: Line, page: Page) -> bool:
    return line.top < page.height * EDGE_BAND or line.bottom > page.height * (1 - EDGE_BAND)


def _drop_running_lines(pages: Sequence[Page]) -> tuple[list[Page], int]:
    pages_with: Counter[tuple[str, int]] = Counter()
    for page in pages:
        pages_with.update({_running_key(ln) for ln in page.lines if _in_edge_band(ln, page)})
    repeated = max(2, math.ceil(0.3 * len(pages)))
    kept: list[Page] = []
    dropped = 0
    for page in pages:
        running = {
            id(ln)
            for ln in page.lines
            if _in_edge_band(ln, page) and pages_with[_running_key(ln)] >= repeated
        }
        rest = [ln for ln in page.lines if id(ln) not in running]
        running |= {id(ln) for ln in rest if _is_page_number(ln, page, rest)}
        dropped += len(running)
        kept.append(Page(page.number, page.width, page.height, [
            ln for ln in page.lines if id(ln) not in running
        ]))  # fmt: skip
    return kept, dropped


def _is_page_number(line: Line, page: Page, others: Sequence[Line]) -> bool:
    """A lone number above or below everything else on the page ("3", "Page 3 of 12").

    A number that shares its height with other text, or has text beyond it,
    is part of the body (a justified line's last word printed apart).
    """
    if not (_in_edge_band(line, page) and _PAGE_NUMBER.match(_key(line.text))):
        return False
    outer = line.top < page.height / 2
    for other in others:
        if other is line:
            continue
        if other.bottom > line.top and other.top < line.bottom:
            return False  # same row
        if (other.top < line.top) if outer else (other.bottom > line.bottom):
            return False  # something further out
    return True


def _column_split(lines: Sequence[Line]) -> float | None:
    """The x of the gutter between two columns, or None for a page set in one column.

    The gutter is the x in the middle of the page crossed by the fewest lines;
    the page has two columns there when at least three lines stand wholly on
    each side and fewer lines cross it than stand beside it (a title or an
    abstract across the top crosses it; the lines of a one-column page do).
    """
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    width = right_edge - left_edge
    best: tuple[int, float] | None = None
    x = left_edge + 0.3 * width
    while x <= left_edge + 0.7 * width:
        crossing = sum(1 for ln in lines if ln.x0 < x < ln.x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 1.0
    if best is None:
        return None
    crossing, split = best
    left = sum(1 for ln in lines if ln.x1 <= split)
    right = sum(1 for ln in lines if ln.x0 >= split)
    if left >= 3 and right >= 3 and crossing < left + right:
        return split
    return None


def _merge_fragments(lines: list[Line]) -> list[Line]:
    """Pieces of one printed line (split at wide justified gaps) as one line, left to right."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and abs(line.top - last.top) < 0.5 * min(line.size, last.size):
            left, right = (last, line) if last.x0 <= line.x0 else (line, last)
            merged[-1] = Line(
                x0=min(left.x0, right.x0),
                top=min(left.top, right.top),
                x1=max(left.x1, right.x1),
                bottom=max(left.bottom, right.bottom),
                text=left.text.rstrip() + " " + right.text.lstrip(),
                size=left.size if len(left.text) >= len(right.text) else right.size,
                font=left.font if len(left.text) >= len(right.text) else right.font,
            )
        else:
            merged.append(line)
    return merged


def _block(page: Page, lines: list[Line]) -> Block:
    ordered = _merge_fragments(sorted(lines, key=lambda ln: (ln.top, ln.x0)))
    return Block(page.number, min(ln.x0 for ln in ordered), max(ln.x1 for ln in ordered), ordered)


def _reading_order(page: Page) -> list[Block]:
    """Blocks of *page*: one-column runs whole, two-column runs left column first."""
    if not page.lines:
        return []
    lines = sorted(page.lines, key=lambda ln: (ln.top, ln.x0))
    split = _column_split(lines)
    if split is None:
        return [_block(page, lines)]
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    left = [ln for ln in lines if ln.x1 <= split]
    right = [ln for ln in lines if ln.x0 >= split]
    sides = {id(ln): "left" for ln in left} | {id(ln): "right" for ln in right}
    left_box = (min(ln.x0 for ln in left), max(ln.x1 for ln in left))
    right_box = (min(ln.x0 for ln in right), max(ln.x1 for ln in right))
    # Cut the page at every line crossing the gutter; between two cuts, a run
    # with lines on both sides is two columns, anything else one stream.
    blocks: list[Block] = []
    stream: list[Line] = []
    segment: list[Line] = []

    def close_segment() -> None:
        on_left = [ln for ln in segment if sides[id(ln)] == "left"]
        on_right = [ln for ln in segment if sides[id(ln)] == "right"]
        if on_left and on_right:
            if stream:
                blocks.append(_edged(_block(page, stream), left_edge, right_edge))
                stream.clear()
            blocks.append(_edged(_block(page, on_left), *left_box))
            blocks.append(_edged(_block(page, on_right), *right_box))
        else:
            stream.extend(segment)
        segment.clear()

    for line in lines:
        if id(line) in sides:
            segment.append(line)
        else:
            close_segment()
            stream.append(line)
    close_segment()
    if stream:
        blocks.append(_edged(_block(page, stream), left_edge, right_edge))
    return blocks


def _edged(block: Block, left: float, right: float) -> Block:
    """*block* measured against its column's edges on the page, not its own few lines."""
    block.left, block.right = left, right
    return block


def _usual_pitches(blocks: Iterable[Block]) -> dict[int, float]:
    """The usual distance from one line's top to the next, per (rounded) font size."""
    seen: defaultdict[int, list[float]] = defaultdict(list)
    for block in blocks:
        for a, b in zip(block.lines, block.lines[1:], strict=False):
            pitch = b.top - a.top
            if abs(a.size - b.size) < 0.6 and 0 < pitch < 3 * a.size:
                seen[round(a.size)].append(pitch)
    return {size: statistics.median(values) for size, values in seen.items()}


def _short(line: Line, block: Block) -> bool:
    return line.x1 < block.right - 3 * line.size


def _starts_paragraph(
    previous: tuple[Block, Line],
    current: tuple[Block, Line],
    first_in_block: bool,
    pitches: dict[int, float],
) -> bool:
    (block_a, a), (block_b, b) = previous, current
    if abs(a.size - b.size) >= 0.6:
        return True
    if a.font != b.font and (_short(a, block_a) or _short(b, block_b)):
        return True
    if first_in_block:
        if b.x0 - block_b.left > 0.8 * b.size:
            return True
        first = b.text.lstrip()[:1]
        if first.islower():
            return False
        closed = _SENTENCE_END.search(a.text.rstrip()) is not None
        return closed and a.x1 < block_a.right - 0.5 * a.size  # set short of a justified edge
    usual = pitches.get(round(a.size), 1.2 * a.size)
    if b.top - a.top > usual + 0.4 * a.size:
        return True
    # An indented line after a closed sentence opens a paragraph; after an open
    # one it is the hanging indent of a list item or a reference going on.
    closed = _SENTENCE_END.search(a.text.rstrip()) is not None
    return closed and b.x0 - a.x0 > 0.8 * b.size


def _vocabulary(lines: Iterable[Line]) -> set[str]:
    """Every word the document spells within a line (not across a line end), lowercased."""
    words: set[str] = set()
    for line in lines:
        words.update(w.lower() for w in _WORD.findall(line.text))
    return words


def _joined(before: str, after: str, vocabulary: set[str]) -> str:
    """*before* (one line) and *after* (the next) as one run of text."""
    if before.endswith("\u00ad"):
        return before[:-1] + after
    if before.endswith(_HYPHENS) and len(before) > 1 and before[-2].isalpha():
        if after[:1].islower():
            head = _WORD.findall(before[:-1])
            tail = _WORD.findall(after)
            if head and tail:
                whole, split = head[-1] + tail[0], head[-1] + "-" + tail[0]
                if split.lower() in vocabulary and whole.lower() not in vocabulary:
                    return before + after
            return before[:-1] + after
        return before + after  # "CAR-" + "T cells"
    return before + " " + after


def _paragraph(group: list[tuple[Block, Line]], vocabulary: set[str]) -> Paragraph:
    text = ""
    boxes: list[list[float]] = []
    last_block: Block | None = None
    for block, line in group:
        piece = line.text.strip()
        if piece:
            text = _joined(text, piece, vocabulary) if text else piece
        if block is not last_block:
            boxes.append([block.page, line.x0, line.top, line.x1, line.bottom])
            last_block = block
        else:
            box = boxes[-1]
            box[1], box[2] = min(box[1], line.x0), min(box[2], line.top)
            box[3], box[4] = max(box[3], line.x1), max(box[4], line.bottom)
    text = " ".join(plain_typography(text).split())
    return Paragraph(text, [[int(box[0]), *(round(v, 1) for v in box[1:])] for box in boxes])
