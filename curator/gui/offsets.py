"""Code-point <-> UTF-16 offset conversion for one article text.

The app stores offsets as Python ``str`` indices (code points); Qt's text
classes count UTF-16 code units, where every character above U+FFFF (emoji,
mathematical letters such as 𝛼) takes two units. Only the GUI boundary
converts, and it does so with this index. Pure Python, no Qt import, so it can
be tested and reused without a display.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# A compiled regex scans 1 MB in a couple of milliseconds, far faster than a
# Python loop over every character.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Index:
    """Converts between code-point offsets and Qt's UTF-16 positions for one text.

    Valid inputs are ``0 <= cp <= len(text)`` and ``0 <= u16 <= utf16_length``;
    nothing is clamped so that off-by-one bugs in callers stay visible.
    """

    __slots__ = ("_astral_cp", "_astral_u16", "_length", "_utf16_length")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        # Code-point positions of astral characters, and their UTF-16 starts.
        self._astral_cp: list[int] = []
        self._astral_u16: list[int] = []
        if not text.isascii() and _ASTRAL.search(text) is not None:
            self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
            self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self._utf16_length = self._length + len(self._astral_cp)

    @property
    def is_identity(self) -> bool:
        """True when both offset systems coincide (no astral characters)."""
        return not self._astral_cp

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units (what Qt counts)."""
        return self._utf16_length

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point offset *cp*."""
        if not self._astral_cp:
            return cp
        # Each astral character strictly before cp adds one extra unit.
        return cp + bisect_left(self._astral_cp, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code-point offset of UTF-16 position *u16*.

        A position between the two halves of a surrogate pair rounds down to
        the start of that character, so a Qt position never maps to the middle
        of a Python character.
        """
        if not self._astral_u16:
            return u16
        # Astral characters starting before u16 each took one extra unit (the
        # one containing u16, if any, is counted too: that is the round-down).
        return u16 - bisect_right(self._astral_u16, u16 - 1)
