"""Which spans a relation from a given head may point to, and in which order.

Pure functions, no Qt: the R flow offers only tails whose label the rules
allow for some relation type given the head's label, and never a pair that
already holds every type the rules allow (the core would refuse the copy).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from operator import attrgetter, sub
from typing import NamedTuple, Protocol

from curator.core.storage.records import RelationTypeInfo

_START, _END, _LABEL, _UID = (attrgetter(name) for name in ("start", "end", "label", "uid"))


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


class Candidate(NamedTuple):
    """A span the head may be linked to, and the types the rules allow for the pair."""

    span: SpanEnd
    types: tuple[RelationTypeInfo, ...]


class Targets:
    """The spans a head may point to, in reading order, each with its types when asked.

    R is pressed on an article of up to 20,000 spans: choosing them is one pass
    and one sort of the spans themselves, and a :class:`Candidate` is made only
    for the one Tab shows (a tuple per span cost more than the rest of the key).
    """

    __slots__ = ("_by_label", "_linked", "_longest", "spans", "starts")

    def __init__(
        self,
        spans: list[SpanEnd],
        by_label: dict[str, tuple[RelationTypeInfo, ...]],
        linked: dict[str, set[str]],
    ) -> None:
        self.spans = spans
        self.starts = [span.start for span in spans]
        self._by_label, self._linked = by_label, linked
        self._longest: int | None = None

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, index: int) -> Candidate:
        span = self.spans[index]
        fits = self._by_label[span.label]
        used = self._linked.get(span.uid)
        if used is not None:
            fits = tuple(t for t in fits if t.name not in used)
        return Candidate(span, fits)

    def __iter__(self) -> Iterator[Candidate]:
        return (self[i] for i in range(len(self.spans)))

    @property
    def longest(self) -> int:
        """The longest target's length (how far back a nearer one may start)."""
        if self._longest is None:  # asked once per flow, over up to 20,000 spans: no Python loop
            self._longest = max(map(sub, map(_END, self.spans), self.starts), default=0)
        return self._longest


def tail_labels(types: Iterable[RelationTypeInfo], head_label: str) -> set[str]:
    """Every label some type allows as a tail when the head has *head_label*."""
    return {t for rt in types if head_label in rt.head_labels for t in rt.tail_labels}


def candidate_tails(
    head: SpanEnd,
    spans: Iterable[SpanEnd],
    types: Sequence[RelationTypeInfo],
    taken: Iterable[tuple[str, str]] = (),
) -> Targets:
    """Spans *head* may point to, in reading order, with the types allowed for each.

    *taken*: the (type, tail) pairs already linked from *head* in the layer; a
    type already linking a pair is not offered again, and a span every allowed
    type already links to the head is not offered at all.
    """
    by_label: dict[str, tuple[RelationTypeInfo, ...]] = {}
    for label in tail_labels(types, head.label):
        by_label[label] = tuple(t for t in types if t.allows(head.label, label))
    linked: dict[str, set[str]] = {}
    for type_name, tail in taken:
        linked.setdefault(tail, set()).add(type_name)
    if not by_label:
        return Targets([], by_label, linked)

    def free(span: SpanEnd) -> bool:  # some allowed type does not link it to the head yet
        return any(t.name not in linked[span.uid] for t in by_label[span.label])

    # The spans of an allowed label, chosen without a Python loop over them
    # (20,000 at most); then the head and the few already linked are looked up.
    every = spans if isinstance(spans, list) else list(spans)
    found = list(compress(every, map(by_label.__contains__, map(_LABEL, every))))
    uids = list(map(_UID, found))
    for uid in (head.uid, *linked):
        try:
            at = uids.index(uid)
        except ValueError:
            continue
        if uid == head.uid or not free(found[at]):
            del found[at], uids[at]
    # The workspace keeps spans loaded in reading order (edits since come last):
    # a stable sort on the start is nearly a single pass.
    found.sort(key=_START)
    return Targets(found, by_label, linked)


def gap(head: SpanEnd, span: SpanEnd) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    if span.start >= head.end:
        return span.start - head.end
    if span.end <= head.start:
        return head.start - span.end
    return 0


def nearest(candidates: Targets, head: SpanEnd, *, before: bool = False) -> int:
    """Index of the candidate nearest *head*; ties go to the one read after it.

    *before*: the nearest one that starts before the head (Shift+Tab first),
    or the last one when none does. Found by bisection and a scan of the few
    candidates that can be nearer, not by measuring all of them.
    """
    starts, spans = candidates.starts, candidates.spans
    at = bisect_left(starts, head.start)  # candidates[at:] start at or after the head
    if before:
        return at - 1 if at > 0 else len(starts) - 1

    def distance(i: int) -> tuple[int, bool]:
        span = spans[i]
        return gap(head, span), span.start < head.start

    # Of the spans starting at or after the head, the first is the nearest.
    best: int | None = at if at < len(starts) else None
    longest = candidates.longest
    reach = distance(best)[0] if best is not None else None
    i = at - 1
    # An earlier span is nearer only if it ends within reach of the head's start.
    while i >= 0 and (reach is None or starts[i] >= head.start - reach - longest):
        if best is None or distance(i) < distance(best):
            best = i
            reach = distance(i)[0]
        i -= 1
    assert best is not None
    return best


def describe_rules(types: Sequence[RelationTypeInfo], head_label: str) -> str:
    """What the rules allow from *head_label*, for the message when nothing qualifies."""
    parts = [
        f"{t.name} to {' or '.join(t.tail_labels)}" for t in types if head_label in t.head_labels
    ]
    return "; ".join(parts) if parts else f"no relation type starts at a {head_label} span"
