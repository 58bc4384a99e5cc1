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


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and punctuation at both edges; keep brackets that are paired."""
    while True:
        trimmed = _trim_once(text, start, end)
        if trimmed == (start, end):
            return trimmed
        start, end = trimmed


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
    return trim(text, start, end)


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
