"""Display-only line breaks for paragraphs too long for Qt to lay out quickly.

Why: QPlainTextEdit lays out a whole block to paint any of it, so an article
that is one 1 MB paragraph (text pasted from a PDF) costs ~30 ms a repaint.
Showing a space every ~2,000 characters as a line break splits it into
blocks Qt handles in ~3 ms. A space and a line break are both one code point
and one UTF-16 unit, so every offset stays valid; only the document shown to
Qt differs from the canonical text, and only at those positions. Pure Python
(no Qt) so it is tested without a display.
"""

from __future__ import annotations

SOFT_BREAK_EVERY = 2000


def soft_break_positions(text: str, every: int = SOFT_BREAK_EVERY) -> list[int]:
    """Offsets of the spaces to show as line breaks, in increasing order.

    Each line longer than *every* is cut at the last space in the second half
    of every window of *every* characters (or the first space after it, for
    a run without spaces), so no displayed line is much longer than *every*.
    """
    positions: list[int] = []
    size = len(text)
    line_start = 0
    while line_start < size:
        newline = text.find("\n", line_start)
        line_end = size if newline < 0 else newline
        pos = line_start
        while line_end - pos > every:
            cut = text.rfind(" ", pos + every // 2, pos + every)
            if cut < 0:
                cut = text.find(" ", pos + every, line_end)
                if cut < 0:
                    break
            positions.append(cut)
            pos = cut + 1
        line_start = line_end + 1
    return positions


def display_text(text: str, positions: list[int]) -> str:
    """*text* with the spaces at *positions* turned into line breaks (same length)."""
    if not positions:
        return text
    parts: list[str] = []
    previous = 0
    for pos in positions:
        parts.append(text[previous:pos])
        parts.append("\n")
        previous = pos + 1
    parts.append(text[previous:])
    return "".join(parts)


_SENTENCE_ENDS = frozenset('.!?:;"”')


def sentence_breaks(text: str) -> list[int]:
    """Offsets of single line breaks inside a sentence (text extracted from a PDF
    keeps the page's line ends): shown as an ordinary wrapped line, not as the
    gap that sets paragraphs apart. A blank line, or a line ending a sentence,
    still starts a paragraph."""
    out = []
    pos = text.find("\n")
    while pos >= 0:
        i = pos - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        before = text[i] if i >= 0 else ""
        after = text[pos + 1 : pos + 2]
        if before and before != "\n" and before not in _SENTENCE_ENDS and after not in ("", "\n"):
            out.append(pos)
        pos = text.find("\n", pos + 1)
    return out
