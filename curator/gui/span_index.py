"""Interval index and underline-lane assignment for annotation spans.

Pure Python (no Qt) so the logic behind the article view can be unit-tested
and reused. Offsets are half-open ``[start, end)`` ranges in any unit; the
view uses code points.

Why this shape: an article may carry 20,000 spans and the view asks "which
spans touch these visible lines?" on every repaint, so the query must be
logarithmic, and opening an article must cost little more than Qt's own
``setPlainText``, so building must be one sort and one pass.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar


class SpanLike(Protocol):
    """Anything with a uid and a half-open ``[start, end)`` range."""

    @property
    def uid(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=SpanLike)

# Maximum span length per tier: each tier holds spans 16x longer than the one
# before; the last is unbounded. Short spans (words, phrases) fill the first.
_TIER_LIMITS = (256, 4096, 65536, 1048576, 1 << 62)


def _start_of(span: SpanLike) -> int:
    return span.start


class _Tier(Generic[S]):
    """Spans no longer than ``limit``, sorted by start.

    A span overlapping ``[a, b)`` must start in ``(a - limit, b)``, so a query
    bisects that window and only filters the few spans that end before ``a``.
    """

    __slots__ = ("items", "limit", "starts")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: list[S] = []
        self.starts: list[int] = []

    def query(self, a: int, b: int, out: list[S]) -> None:
        starts = self.starts
        lo = bisect_left(starts, a - self.limit + 1)
        hi = bisect_left(starts, b, lo)
        out.extend(s for s in self.items[lo:hi] if s.end > a)

    def insert(self, span: S) -> None:
        i = bisect_right(self.starts, span.start)
        self.starts.insert(i, span.start)
        self.items.insert(i, span)

    def delete(self, span: S) -> None:
        i = bisect_left(self.starts, span.start)
        while self.items[i] is not span:
            i += 1
        del self.starts[i]
        del self.items[i]


class SpanIndex(Generic[S]):
    """Spans kept sorted by start in length tiers, for fast overlap queries.

    Long spans (a sentence, a paragraph, a whole section) sit in their own
    tiers so they never widen the search window of the many short ones.
    Uids are unique: adding a span whose uid is present replaces it.

    ``keyed=False`` leaves out the uid map (``get``, ``add`` and ``remove``
    by uid): for an owner that keeps its records by uid already and says
    which record an edit replaces (:meth:`replace`); at 20,000 spans the
    map is 400 KB.
    """

    def __init__(self, spans: Iterable[S] = (), *, keyed: bool = True) -> None:
        self._tiers: list[_Tier[S]] = [_Tier(limit) for limit in _TIER_LIMITS]
        self._keyed = keyed
        self._by_uid: dict[str, S] = {}
        self._count = 0
        self.reset(spans)

    def reset(self, spans: Iterable[S]) -> None:
        """Replace all spans: one dict build, one sort, one pass."""
        if self._keyed:
            by_uid = {s.uid: s for s in spans}  # last one wins on duplicate uids
            self._by_uid = by_uid
            ordered = sorted(by_uid.values(), key=_start_of)
        else:
            ordered = sorted(spans, key=_start_of)
        self._count = len(ordered)
        tiers = self._tiers = [_Tier(limit) for limit in _TIER_LIMITS]
        first = tiers[0]
        first_limit = first.limit
        first_items = first.items
        long_spans: list[S] = []
        for s in ordered:
            if s.end - s.start <= first_limit:
                first_items.append(s)
            else:
                long_spans.append(s)
        first.starts = [s.start for s in first_items]
        for s in long_spans:  # already in start order, so appends stay sorted
            tier = self._tier_for(s)
            tier.items.append(s)
            tier.starts.append(s.start)

    def _tier_for(self, span: SpanLike) -> _Tier[S]:
        length = span.end - span.start
        for tier in self._tiers:
            if length <= tier.limit:
                return tier
        return self._tiers[-1]

    def __len__(self) -> int:
        return self._count

    def __contains__(self, uid: object) -> bool:
        return uid in self._by_uid

    def __iter__(self) -> Iterator[S]:
        """All spans, in no particular order."""
        for tier in self._tiers:
            yield from tier.items

    def get(self, uid: str) -> S | None:
        return self._by_uid.get(uid)

    def add(self, span: S) -> None:
        """Insert *span*, replacing any span with the same uid (keyed index)."""
        self.replace(self._by_uid.get(span.uid), span)

    def remove(self, uid: str) -> S | None:
        """Remove the span with *uid*; return it, or None if it was absent (keyed index)."""
        span = self._by_uid.get(uid)
        if span is not None:
            self.replace(span, None)
        return span

    def replace(self, old: S | None, new: S | None) -> None:
        """Take out *old* (a span in the index) and put in *new*; either may be None."""
        if old is not None:
            self._tier_for(old).delete(old)
            self._count -= 1
            if self._keyed:
                del self._by_uid[old.uid]
        if new is not None:
            if self._keyed and new.uid in self._by_uid:
                self.replace(self._by_uid[new.uid], None)
            self._tier_for(new).insert(new)
            self._count += 1
            if self._keyed:
                self._by_uid[new.uid] = new

    def overlapping(self, start: int, end: int) -> list[S]:
        """Spans sharing at least one position with ``[start, end)``.

        Ordered by start, then longest first (outer before inner), which is
        the order lanes are assigned in.
        """
        out: list[S] = []
        for tier in self._tiers:
            if tier.items:
                tier.query(start, end, out)
        out.sort(key=outer_first)
        return out

    def at(self, pos: int) -> list[S]:
        """Spans covering position *pos*, shortest (innermost) first."""
        out = self.overlapping(pos, pos + 1)
        out.sort(key=shortest_first)
        return out


def outer_first(span: SpanLike) -> tuple[int, int]:
    return (span.start, -span.end)


def shortest_first(span: SpanLike) -> tuple[int, int]:
    return (span.end - span.start, span.start)


def assign_lanes(spans: Sequence[SpanLike]) -> dict[str, int]:
    """Give every span the lowest lane not used by an overlapping span.

    Spans are processed by start (outer before inner on ties); first-fit in
    that order is optimal for intervals, so the number of lanes equals the
    deepest overlap. Overlapping spans never share a lane.
    """
    lane_end: list[int] = []  # end of the last span placed in each lane
    lanes: dict[str, int] = {}
    for s in sorted(spans, key=outer_first):
        start = s.start
        for lane, busy_until in enumerate(lane_end):
            if busy_until <= start:
                lane_end[lane] = s.end
                lanes[s.uid] = lane
                break
        else:
            lanes[s.uid] = len(lane_end)
            lane_end.append(s.end)
    return lanes
