"""Mentions in several pieces: "CD19- and CD22-directed CAR-T" names two therapies.

A discontinuous mention is one annotation with its pieces (fragments) in
text order, apart from each other: it is created, relabelled, deleted and
merged as one, like any span. Stored as ``annotation.fragments``, JSON
``[[start, end], ...]``, only when there are two or more pieces; NULL is one
contiguous piece. ``start``/``end`` stay the overall extent (first start,
last end), so every query by range, order or overlap works unchanged, and
the quote is the pieces' texts joined by a single space ("CD19 CAR-T" for
``CD19`` + ``CAR-T``). The JSON is written one way only (:func:`encode`), so
two databases holding the same pieces hold the same string, which the merge
compares in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from curator.core.errors import CuratorError

Fragments = tuple[tuple[int, int], ...]
"""Two or more (start, end) pieces in text order; a contiguous span has none (None)."""

JOIN = " "
"""Between the pieces' texts in a quote."""


class FragmentError(CuratorError):
    """Pieces out of order, overlapping, empty or outside the text."""


def normalise(pieces: Iterable[Sequence[int]], text_length: int) -> Fragments | None:
    """*pieces* checked and ordered; None when they are one piece (a contiguous span).

    Pieces that touch (one ends where the next starts) are one piece: the
    same mention written two ways must be stored one way.
    """
    ordered: list[list[int]] = []
    for piece in sorted((int(p[0]), int(p[1])) for p in pieces):
        start, end = piece
        if not 0 <= start < end <= text_length:
            raise FragmentError(
                f"piece {start}-{end} is empty or outside the text (0-{text_length})"
            )
        if ordered and start < ordered[-1][1]:
            raise FragmentError(
                f"pieces {ordered[-1][0]}-{ordered[-1][1]} and {start}-{end} overlap"
            )
        if ordered and start == ordered[-1][1]:
            ordered[-1][1] = end
        else:
            ordered.append([start, end])
    if not ordered:
        raise FragmentError("a span needs at least one piece")
    if len(ordered) == 1:
        return None
    return tuple((s, e) for s, e in ordered)


def extent(fragments: Fragments) -> tuple[int, int]:
    return fragments[0][0], fragments[-1][1]


def quote(text: str, fragments: Fragments | None, start: int, end: int) -> str:
    """What a span says: its text, or its pieces' texts joined by a single space."""
    if fragments is None:
        return text[start:end]
    return JOIN.join(text[s:e] for s, e in fragments)


def pieces(fragments: Fragments | None, start: int, end: int) -> Fragments:
    """Every span as pieces: a contiguous one is its single (start, end)."""
    return fragments if fragments is not None else ((start, end),)


def encode(fragments: Fragments | None) -> str | None:
    """The stored form: ``[[0, 4], [9, 14]]`` (``json.dumps``' default spacing), or NULL."""
    if fragments is None:
        return None
    return json.dumps([list(p) for p in fragments])


def decode(raw: str | None) -> Fragments | None:
    if raw is None:
        return None
    return tuple((int(s), int(e)) for s, e in json.loads(raw))
