"""Where spans begin and end: word snapping, edge steps and occurrences.

Curators select quickly and roughly; the app makes the span what they meant:
whole words, never the spaces or punctuation around them. Pure functions over
code-point offsets, so they are tested without a GUI.
"""

from __future__ import annotations

import re
import unicodedata

_SUPERSCRIPTS = frozenset("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_word_char(ch: str) -> bool:
    """Letters, digits and marks. Hyphens and slashes are not: selecting "BCMA"
    in "BCMA-directed" means BCMA, and a selection that already crosses a
    hyphen ("F-κ" in NF-κB) grows at both ends to the whole "NF-κB"."""
    return unicodedata.category(ch)[0] in "LNM" or ch in _SUPERSCRIPTS


def _is_edge_junk(ch: str) -> bool:
    """What a span must never start or end with: space and punctuation."""
    return not is_word_char(ch) and ch not in "%⁺⁻)]"  # "81.8%", "CD34⁺", "t(9;22)"


def _balanced(s: str) -> bool:
    return s.count("(") == s.count(")") and s.count("[") == s.count("]")


def _trim_once(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not is_word_char(text[start]) and text[start] != "(":
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    if start < end - 1 and text[start] == "(" and text[end - 1] == ")":
        return start + 1, end - 1  # "(CAR-T)" means CAR-T
    if end > start and text[end - 1] in ")]" and not _balanced(text[start:end]):
        end -= 1
    if start < end and text[start] == "(" and not _balanced(text[start:end]):
        start += 1
    return start, end


_PAIRS = {"(": ")", "[": "]"}
_OPENERS = {close: open_ for open_, close in _PAIRS.items()}
_REACH = 80  # how far a bracket's partner is looked for, within its paragraph


def _partner(text: str, pos: int) -> int | None:
    """Where the bracket at *pos* is closed (or opened), if near and in its paragraph."""
    same = text[pos]
    other = _PAIRS.get(same) or _OPENERS[same]
    direction = 1 if same in _PAIRS else -1
    depth, i = 0, pos
    while 0 <= i < len(text) and abs(i - pos) <= _REACH and text[i] != "\n":
        if text[i] == same:
            depth += 1
        elif text[i] == other:
            depth -= 1
            if depth == 0:
                return i
        i += direction
    return None


def close_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` so that no bracket inside it is left unpaired.

    "Severe aplastic anemia (SAA" means the whole "(SAA)": every word the
    curator selected stays in the span (dropping "(SAA" would lose one), and
    a span never holds half of a bracket pair. A bracket whose partner is not
    nearby in the same paragraph is left as it is.
    """
    stack: list[int] = []
    unmatched_close: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if ch in _PAIRS:
            stack.append(i)
        elif ch in _PAIRS.values():
            if stack and _PAIRS[text[stack[-1]]] == ch:
                stack.pop()
            else:
                unmatched_close.append(i)
    for pos in stack:
        partner = _partner(text, pos)
        if partner is not None and partner >= end:
            end = partner + 1
    for pos in unmatched_close:
        partner = _partner(text, pos)
        if partner is not None and partner < start:
            start = partner
    return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and punctuation at both edges; keep brackets that are paired."""
    while True:
        trimmed = _trim_once(text, start, end)
        if trimmed == (start, end):
            return trimmed
        start, end = trimmed


def _trim_closed(text: str, start: int, end: int) -> tuple[int, int]:
    """Trimmed, with brackets opened inside the span closed inside it too."""
    start, end = trim(text, start, end)
    if start < end:
        closed = close_brackets(text, start, end)
        if closed != (start, end):
            trimmed = trim(text, *closed)
            # Trimming may drop the closing bracket just added ("a((a)": the
            # outer "(" has no partner, so the ")" reads as unpaired to trim):
            # then the closed range stands, so no bracket is left half-paired.
            stable = close_brackets(text, *trimmed) == trimmed
            start, end = trimmed if stable else closed
    return start, end


def snap(text: str, start: int, end: int, *, words: bool = True) -> tuple[int, int]:
    """The span a rough selection means: trimmed, and grown to whole words when *words*.

    Returns an empty range (start == end) when nothing but spaces or
    punctuation was selected.
    """
    n = len(text)
    start, end = sorted((max(0, min(start, n)), max(0, min(end, n))))
    if words and start < end:
        start, end = trim(text, start, end)
        while 0 < start < n and is_word_char(text[start]) and is_word_char(text[start - 1]):
            start -= 1
        while 0 < end < n and is_word_char(text[end - 1]) and is_word_char(text[end]):
            end += 1
    return _trim_closed(text, start, end)


def step(text: str, pos: int, direction: int, *, words: bool = True) -> int:
    """The next edge position from *pos*: one character, or past the next whole word."""
    n = len(text)
    pos = max(0, min(pos, n))
    if not words:
        return max(0, min(n, pos + direction))
    if direction > 0:
        while pos < n and not is_word_char(text[pos]):
            pos += 1
        while pos < n and is_word_char(text[pos]):
            pos += 1
    else:
        while pos > 0 and not is_word_char(text[pos - 1]):
            pos -= 1
        while pos > 0 and is_word_char(text[pos - 1]):
            pos -= 1
    return pos


def occurrences(
    text: str, needle: str, *, case_sensitive: bool = False, whole_word: bool = True
) -> list[tuple[int, int]]:
    """Every place *needle* occurs; whole words only unless told otherwise.

    "CD7" must not match inside "CD70": a match counts as a whole word when
    the characters just outside it are not word characters.
    """
    if not needle:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    found = []
    for match in re.finditer(re.escape(needle), text, flags):
        s, e = match.span()
        if whole_word and (
            (s > 0 and is_word_char(text[s - 1]) and is_word_char(text[s]))
            or (e < len(text) and is_word_char(text[e]) and is_word_char(text[e - 1]))
        ):
            continue
        found.append((s, e))
    return found
