"""Token categories for kappa and alpha, computed with array operations.

The definitions are :func:`curator.core.agreement.measures.tokens` and
:func:`~curator.core.agreement.measures.token_categories`; over a million spans (five
million tokens) their loops in Python took most of the agreement's time.
Here a document's tokens come from classifying its characters at once
(``\\w`` is ``str.isalnum()`` or ``_``, ``\\s`` is ``str.isspace()``, as in
``re``; characters outside ASCII are classified once per distinct character),
and each span writes its label over its tokens, worst span first, so every
token ends with the label of its best span (shortest, then earliest, then by
label name). The tests check both against the definitions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from curator.core.storage.records import Labelled

OUTSIDE = "O"
_ASCII = np.array([chr(c).isalnum() or c == ord("_") for c in range(128)], dtype=bool)
_ASCII_SPACE = np.array([chr(c).isspace() for c in range(128)], dtype=bool)


def _classes(text: str) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Per character: is it a word character, is it a space (as ``re`` decides)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ascii_ = codes < 128
    low = np.where(ascii_, codes, 0)
    word = _ASCII[low] & ascii_
    space = _ASCII_SPACE[low] & ascii_
    if not ascii_.all():
        high = ~ascii_
        distinct, inverse = np.unique(codes[high], return_inverse=True)
        chars = [chr(c) for c in distinct.tolist()]
        word[high] = np.array([c.isalnum() or c == "_" for c in chars], dtype=bool)[inverse]
        space[high] = np.array([c.isspace() for c in chars], dtype=bool)[inverse]
    return word, space


def token_bounds(text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Starts and ends of the ``\\w+|[^\\w\\s]`` tokens of *text*, in order."""
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    word, space = _classes(text)
    other = ~word & ~space
    before = np.concatenate(([False], word[:-1]))
    after = np.concatenate((word[1:], [False]))
    starts = np.flatnonzero((word & ~before) | other)
    ends = np.flatnonzero((word & ~after) | other) + 1
    return starts.astype(np.int64), ends.astype(np.int64)


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
