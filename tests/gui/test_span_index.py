"""Span index queries and lane assignment against brute force."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from curator.gui.span_index import SpanIndex, assign_lanes


@dataclass(frozen=True, slots=True)
class Span:
    uid: str
    start: int
    end: int


def brute_overlapping(spans: dict[str, Span], a: int, b: int) -> set[str]:
    return {s.uid for s in spans.values() if s.start < b and s.end > a}


# Lengths from one character to whole-article spans, so every tier is used.
LENGTHS = st.one_of(
    st.integers(1, 40), st.integers(200, 300), st.integers(4000, 5000), st.integers(1, 80_000)
)
ADD = st.tuples(st.just("add"), st.integers(0, 9), st.integers(0, 100_000), LENGTHS)
REMOVE = st.tuples(st.just("remove"), st.integers(0, 9), st.just(0), st.just(0))
OPS = st.lists(st.one_of(ADD, REMOVE), max_size=60)
QUERIES = st.lists(st.tuples(st.integers(0, 190_000), st.integers(0, 6000)), min_size=1, max_size=8)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(0, 100_000), LENGTHS), max_size=30), OPS, QUERIES)
def test_overlapping_equals_brute_force_after_adds_and_removes(
    initial: list[tuple[int, int]],
    ops: list[tuple[str, int, int, int]],
    queries: list[tuple[int, int]],
) -> None:
    model = {f"i{n}": Span(f"i{n}", s, s + length) for n, (s, length) in enumerate(initial)}
    index = SpanIndex(model.values())
    for op, key, start, length in ops:
        uid = f"u{key}"
        if op == "add":
            model[uid] = Span(uid, start, start + length)
            index.add(model[uid])
        else:
            assert (index.remove(uid) is not None) == (model.pop(uid, None) is not None)
    assert len(index) == len(model)
    assert {s.uid for s in index} == set(model)
    for a, width in queries:
        got = index.overlapping(a, a + width)
        assert {s.uid for s in got} == brute_overlapping(model, a, a + width)
        assert got == sorted(got, key=lambda s: (s.start, -s.end))
        at = index.at(a)
        assert {s.uid for s in at} == brute_overlapping(model, a, a + 1)
        assert [s.end - s.start for s in at] == sorted(s.end - s.start for s in at)


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 120)), max_size=40), OPS)
def test_overlapping_spans_never_share_a_lane(
    initial: list[tuple[int, int]], ops: list[tuple[str, int, int, int]]
) -> None:
    index = SpanIndex(Span(f"i{n}", s, s + length) for n, (s, length) in enumerate(initial))
    for op, key, start, length in ops:
        if op == "add":
            index.add(Span(f"u{key}", start % 300, start % 300 + min(length, 200)))
        else:
            index.remove(f"u{key}")
    spans = list(index)
    lanes = assign_lanes(spans)
    assert set(lanes) == {s.uid for s in spans}
    for x in spans:
        for y in spans:
            if x.uid != y.uid and x.start < y.end and y.start < x.end:
                assert lanes[x.uid] != lanes[y.uid]
    # First-fit by start is optimal: as many lanes as the deepest overlap.
    depth = max((sum(s.start <= p < s.end for s in spans) for p in range(600)), default=0)
    assert (max(lanes.values()) + 1 if lanes else 0) == depth


def test_outer_span_takes_the_lower_lane() -> None:
    lanes = assign_lanes([Span("inner", 5, 8), Span("outer", 5, 20), Span("after", 20, 25)])
    assert lanes == {"outer": 0, "inner": 1, "after": 0}


def test_add_replaces_a_span_with_the_same_uid() -> None:
    index = SpanIndex([Span("a", 0, 5)])
    index.add(Span("a", 10, 12))
    assert [s.uid for s in index.overlapping(0, 5)] == []
    assert index.get("a") == Span("a", 10, 12)
    assert len(index) == 1
    assert index.remove("missing") is None


@settings(max_examples=100)
@given(st.lists(st.tuples(st.integers(0, 100_000), LENGTHS), max_size=30), OPS, QUERIES)
def test_an_index_without_uid_map_follows_its_owners_replacements(
    initial: list[tuple[int, int]],
    ops: list[tuple[str, int, int, int]],
    queries: list[tuple[int, int]],
) -> None:
    """The owner keeps spans by uid and names the old one: the same answers as brute force."""
    owner = {f"i{n}": Span(f"i{n}", s, s + length) for n, (s, length) in enumerate(initial)}
    index = SpanIndex(owner.values(), keyed=False)
    for op, key, start, length in ops:
        uid = f"u{key}"
        new = Span(uid, start, start + length) if op == "add" else None
        index.replace(owner.pop(uid, None), new)
        if new is not None:
            owner[uid] = new
    assert len(index) == len(owner)
    assert sorted(s.uid for s in index) == sorted(owner)
    for a, width in queries:
        got = index.overlapping(a, a + width)
        assert {s.uid for s in got} == brute_overlapping(owner, a, a + width)
