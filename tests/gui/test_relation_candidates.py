"""Which targets the R flow offers, and which one Tab reaches first."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from curator.core.storage.records import RelationTypeInfo
from curator.gui.relations.candidates import candidate_tails, gap, nearest

ACTS_ON = RelationTypeInfo("u1", "acts_on", ("therapy",), ("target",), "a", "#000000", "")
HAS_OUTCOME = RelationTypeInfo("u2", "has_outcome", ("therapy",), ("outcome",), "o", "#000000", "")
LOOSE = RelationTypeInfo("u3", "mentions", ("therapy",), ("target", "outcome"), None, "#000", "")
TYPES = [ACTS_ON, HAS_OUTCOME]


@dataclass(frozen=True)
class S:
    uid: str
    label: str
    start: int
    end: int


def test_only_labels_the_rules_allow_in_reading_order() -> None:
    head = S("h", "therapy", 50, 60)
    spans = [
        S("o", "outcome", 90, 95),
        S("x", "expert", 61, 64),
        head,
        S("t2", "therapy", 70, 75),
        S("g", "target", 10, 13),
    ]
    found = candidate_tails(head, spans, TYPES)
    assert [(c.span.uid, [t.name for t in c.types]) for c in found] == [
        ("g", ["acts_on"]),
        ("o", ["has_outcome"]),
    ]
    assert len(candidate_tails(S("g2", "target", 0, 1), spans, TYPES)) == 0


def test_a_type_already_linking_the_pair_is_not_offered() -> None:
    head = S("h", "therapy", 0, 5)
    spans = [S("g", "target", 10, 13), S("k", "target", 20, 23)]
    types = [ACTS_ON, LOOSE]
    found = candidate_tails(head, spans, types, [("acts_on", "g"), ("mentions", "g")])
    assert [c.span.uid for c in found] == ["k"]
    found = candidate_tails(head, spans, types, [("acts_on", "g")])
    assert [(c.span.uid, [t.name for t in c.types]) for c in found] == [
        ("g", ["mentions"]),
        ("k", ["acts_on", "mentions"]),
    ]


spans_st = st.lists(
    st.tuples(st.integers(0, 300), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1])),
    min_size=1,
    max_size=40,
)


@given(spans_st, st.integers(0, 300), st.integers(1, 30))
def test_nearest_is_the_least_gap_ties_to_the_later_one(
    extents: list[tuple[int, int]], start: int, length: int
) -> None:
    head = S("h", "therapy", start, start + length)
    spans = [S(f"s{i}", "target", a, b) for i, (a, b) in enumerate(extents)]
    found = candidate_tails(head, spans, TYPES)
    got = nearest(found, head)
    best = min((gap(head, c.span), c.span.start < head.start) for c in found)
    assert (gap(head, found[got].span), found[got].span.start < head.start) == best


@given(spans_st, st.integers(0, 300))
def test_shift_tab_first_goes_to_the_last_target_before_the_head(
    extents: list[tuple[int, int]], start: int
) -> None:
    head = S("h", "therapy", start, start + 3)
    spans = [S(f"s{i}", "outcome", a, b) for i, (a, b) in enumerate(extents)]
    found = candidate_tails(head, spans, TYPES)
    got = nearest(found, head, before=True)
    earlier = [i for i, c in enumerate(found) if c.span.start < head.start]
    assert got == (earlier[-1] if earlier else len(found) - 1)
