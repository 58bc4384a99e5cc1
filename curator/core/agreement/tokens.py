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
_OTHER, _WORD, _SPACE, _BEYOND = 0, 1, 2, 3
# Class of each ASCII character, and _BEYOND (index 128) for every other one.
_ASCII = np.array(
    [
        *(_WORD if chr(c).isalnum() or c == ord("_") else _SPACE if chr(c).isspace() else _OTHER
          for c in range(128)),
        _BEYOND,
    ],
    dtype=np.uint8,
)  # fmt: skip


def _class_of(char: str) -> int:
    if char.isalnum() or char == "_":
        return _WORD
    return _SPACE if char.isspace() else _OTHER


def _classes(text: str) -> npt.NDArray[np.uint8]:
    """Per character: word, space or other (as ``re`` decides ``\\w`` and ``\\s``)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes: npt.NDArray[np.uint8] = _ASCII[np.minimum(codes, 128)]
    beyond = np.flatnonzero(classes == _BEYOND)
    if len(beyond):
        distinct, inverse = np.unique(codes[beyond], return_inverse=True)
        found = [_class_of(chr(c)) for c in distinct.tolist()]
        classes[beyond] = np.array(found, dtype=np.uint8)[inverse]
    return classes


def token_bounds(text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Starts and ends of the ``\\w+|[^\\w\\s]`` tokens of *text*, in order."""
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    classes = _classes(text)
    word = classes == _WORD
    first = classes == _OTHER  # a token starts here: another character, or a word's first
    last = first.copy()  # a token ends after here: another character, or a word's last
    first[0] |= word[0]
    first[1:] |= word[1:] & ~word[:-1]
    last[-1] |= word[-1]
    last[:-1] |= word[:-1] & ~word[1:]
    starts = np.flatnonzero(first)
    ends = np.flatnonzero(last)
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
