"""Token categories for kappa and alpha, computed with array operations.

The definitions are :func:`curator.core.agreement.measures.tokens` and
:func:`~curator.core.agreement.measures.token_categories`; over a million spans (five
million tokens) their loops in Python took most of the agreement's time.
Here a document's tokens come from classifying its characters at once
(``\\w`` is ``str.isalnum()`` or ``_``, ``\\s`` is ``str.isspace()``, as in
``re``; characters outside ASCII are classified once each, kept in a table),
and each span writes its label over its tokens, worst span first, so every
token ends with the label of its best span (shortest, then earliest, then by
label name). The tests check both against the definitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from curator.core.storage.records import Labelled

OUTSIDE = "O"
_SPACE, _WORD, _OTHER = 0, 1, 2  # a token starts where the class exceeds the word flag before it
_UNKNOWN = 255
# Class of every character of the Basic Multilingual Plane, filled in as characters are met.
_BMP = np.full(0x10000, _UNKNOWN, dtype=np.uint8)
_BMP[:128] = [
    _WORD if chr(c).isalnum() or c == ord("_") else _SPACE if chr(c).isspace() else _OTHER
    for c in range(128)
]


def _class_of(char: str) -> int:
    if char.isalnum() or char == "_":
        return _WORD
    return _SPACE if char.isspace() else _OTHER


def _classes(text: str, out: npt.NDArray[np.uint8]) -> None:
    """Per character into *out*: word, space or other (as ``re`` decides ``\\w`` and ``\\s``).

    Text within the Basic Multilingual Plane (nearly all) is read as UTF-16,
    two bytes a character, through a table of its 65,536 classes, each found
    once per process the first time the character is met; other text is read
    as UTF-32, with its characters classified once per call.
    """
    wide = text.encode("utf-16-le", "surrogatepass")
    if len(wide) == 2 * len(text):
        codes: npt.NDArray[np.unsignedinteger[Any]] = np.frombuffer(wide, dtype=np.uint16)
        table = _BMP
    else:  # characters beyond the plane: one code each in UTF-32
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        distinct = np.unique(codes)
        table = np.zeros(int(distinct[-1]) + 1, dtype=np.uint8)
        table[distinct] = [_class_of(chr(c)) for c in distinct.tolist()]
    np.take(table, codes, out=out)
    if table is _BMP and int(out.max()) == _UNKNOWN:
        met = np.unique(codes[out == _UNKNOWN])
        _BMP[met] = [_class_of(chr(c)) for c in met.tolist()]
        np.take(table, codes, out=out)


def token_bounds(text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Starts and ends of the ``\\w+|[^\\w\\s]`` tokens of *text*, in order.

    With a space before and after the text: a token starts where a
    character's class (space 0, word 1, other 2) exceeds the word flag of
    the one before, and ends where it exceeds the word flag of the one after.
    """
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    padded = np.zeros(len(text) + 2, dtype=np.uint8)
    _classes(text, padded[1:-1])
    word = (padded == _WORD).view(np.uint8)
    middle = padded[1:-1]
    starts = np.flatnonzero(middle > word[:-2])
    ends = np.flatnonzero(middle > word[2:])
    ends += 1
    return starts.astype(np.int64, copy=False), ends.astype(np.int64, copy=False)


def categories(
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    spans: Sequence[Labelled],
    codes: dict[str, int],
) -> npt.NDArray[np.int32]:
    """Per token, the code of its best span's label, else the code of ``"O"``.

    *codes* numbers the category names in name order, so that ties between
    spans of the same length and start go to the label that sorts first.
    """
    out = np.full(len(starts), codes[OUTSIDE], dtype=np.int32)
    if not spans or not len(starts):
        return out
    n = len(spans)
    span_starts = np.fromiter((s.start for s in spans), dtype=np.int64, count=n)
    span_ends = np.fromiter((s.end for s in spans), dtype=np.int64, count=n)
    labels = np.fromiter((codes[s.label] for s in spans), dtype=np.int32, count=n)
    # Worst first: descending (length, start, label), so the best span writes last.
    order = np.lexsort((labels, span_starts, span_ends - span_starts))[::-1]
    # Tokens overlapping [start, end): token end > start and token start < end.
    first = np.searchsorted(ends, span_starts[order], side="right").tolist()
    last = np.searchsorted(starts, span_ends[order], side="left").tolist()
    for lo, hi, code in zip(first, last, labels[order].tolist(), strict=True):
        if lo < hi:
            out[lo:hi] = code
    return out
