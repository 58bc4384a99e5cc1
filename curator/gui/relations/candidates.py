"""Which spans a relation from a given head may point to, and in which order.

Pure functions, no Qt: the R flow offers only tails whose label the rules
allow for some relation type given the head's label, and never a pair that
already holds every type the rules allow (the core would refuse the copy).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from curator.core.storage.records import RelationTypeInfo


class SpanEnd(Protocol):
    """What a relation end needs to offer: a live span of the open document."""

    @property
    def uid(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span the head may be linked to, and the types the rules allow for the pair."""

    span: SpanEnd
    types: tuple[RelationTypeInfo, ...]


def tail_labels(types: Iterable[RelationTypeInfo], head_label: str) -> set[str]:
    """Every label some type allows as a tail when the head has *head_label*."""
    return {t for rt in types if head_label in rt.head_labels for t in rt.tail_labels}


def candidate_tails(
    head: SpanEnd,
    spans: Iterable[SpanEnd],
    types: Sequence[RelationTypeInfo],
    taken: set[tuple[str, str, str]] | frozenset[tuple[str, str, str]] = frozenset(),
) -> list[Candidate]:
    """Spans *head* may point to, in reading order, with the types allowed for each.

    *taken* holds the live (type, head, tail) triples of the layer: a type
    already linking the pair is not offered again.
    """
    allowed = tail_labels(types, head.label)
    if not allowed:
        return []
    out: list[Candidate] = []
    for span in spans:
        if span.uid == head.uid or span.label not in allowed:
            continue
        fits = tuple(
            t
            for t in types
            if t.allows(head.label, span.label) and (t.name, head.uid, span.uid) not in taken
        )
        if fits:
            out.append(Candidate(span, fits))
    out.sort(key=lambda c: (c.span.start, c.span.end, c.span.uid))
    return out


def gap(head: SpanEnd, span: SpanEnd) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    if span.start >= head.end:
        return span.start - head.end
    if span.end <= head.start:
        return head.start - span.end
    return 0


def nearest(candidates: Sequence[Candidate], head: SpanEnd, *, before: bool = False) -> int:
    """Index of the candidate nearest *head*; ties go to the one read after it.

    *before*: the nearest one that starts before the head (Shift+Tab first),
    or the last one when none does.
    """
    indices = range(len(candidates))
    if before:
        earlier = [i for i in indices if candidates[i].span.start < head.start]
        return earlier[-1] if earlier else len(candidates) - 1

    def distance(i: int) -> tuple[int, bool]:
        span = candidates[i].span
        return gap(head, span), span.start < head.start

    return min(indices, key=distance)


def describe_rules(types: Sequence[RelationTypeInfo], head_label: str) -> str:
    """What the rules allow from *head_label*, for the message when nothing qualifies."""
    parts = [
        f"{t.name} to {' or '.join(t.tail_labels)}" for t in types if head_label in t.head_labels
    ]
    return "; ".join(parts) if parts else f"no relation type starts at a {head_label} span"
