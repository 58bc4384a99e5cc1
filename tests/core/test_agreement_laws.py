"""Agreement's fast paths against their definitions, on generated cases.

Alpha comes from a closed form over counts (checked against the
``krippendorff`` package), overlap matching takes its candidates from a
sorted sweep (checked against every pair), and the overall and per-label
figures are sums over documents (checked against measuring the pooled
spans directly).
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.agreement.measures import (
    OUTSIDE,
    DocumentPair,
    Labelled,
    Mention,
    cohen_kappa,
    compare,
    krippendorff_alpha,
    overlap_pairs,
    span_counts,
    token_categories,
    tokens,
)
from curator.core.agreement.tokens import categories, token_bounds

CATEGORIES = st.sampled_from([OUTSIDE, "therapy", "target", "outcome"])
LABELS = ["therapy", "target", "outcome"]


@st.composite
def two_coders(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    n = draw(st.integers(1, 40))
    return draw(st.lists(CATEGORIES, min_size=n, max_size=n)), draw(
        st.lists(CATEGORIES, min_size=n, max_size=n)
    )


@settings(max_examples=200, deadline=None)
@given(two_coders())
def test_alpha_matches_the_krippendorff_package(data: tuple[list[str], list[str]]) -> None:
    x, y = data
    values = sorted(set(x) | set(y))
    ours = krippendorff_alpha(x, y)
    if len(values) < 2:
        assert ours is None
        return
    code = {v: i for i, v in enumerate(values)}
    matrix = np.array([[code[v] for v in x], [code[v] for v in y]], dtype=float)
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert ours == pytest.approx(float(expected), abs=1e-12)


def _brute_force_pairs(a: list[Mention], b: list[Mention]) -> list[tuple[int, int]]:
    candidates = [
        (-(min(x.end, y.end) - max(x.start, y.start)), x.start, x.end, y.start, y.end, i, j)
        for i, x in enumerate(a)
        for j, y in enumerate(b)
        if x.label == y.label and x.start < y.end and y.start < x.end
    ]
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for *_, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


@st.composite
def mentions(draw: st.DrawFn) -> list[Mention]:
    spans = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 60))
        end = start + draw(st.integers(1, 30))
        spans.append(Mention(start, end, draw(st.sampled_from(LABELS))))
    return spans


@settings(max_examples=300, deadline=None)
@given(mentions(), mentions())
def test_overlap_matching_equals_checking_every_pair(a: list[Mention], b: list[Mention]) -> None:
    assert overlap_pairs(a, b) == _brute_force_pairs(a, b)


TEXT = "Ruxolitinib (a JAK1/2 inhibitor) lowered CD19; overall response 81.8% at week 24. "


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(mentions(), mentions()), min_size=1, max_size=4))
def test_overall_and_label_figures_are_the_pooled_figures(
    pairs: list[tuple[list[Mention], list[Mention]]],
) -> None:
    docs = [DocumentPair(f"d{i}", TEXT * 2, a, b) for i, (a, b) in enumerate(pairs)]
    result = compare(docs, LABELS)
    # Pooled: every document's spans measured as one list (shifted apart, so no
    # span of one document can meet a span of another).
    width = len(TEXT * 2) + 100

    def pooled(side: int, label: str | None = None) -> list[Labelled]:
        return [
            Mention(s.start + k * width, s.end + k * width, s.label)
            for k, pair in enumerate(pairs)
            for s in pair[side]
            if label is None or s.label == label
        ]

    assert result.exact == span_counts(pooled(0), pooled(1))
    assert result.overlap == span_counts(pooled(0), pooled(1), overlap=True)
    for label in LABELS:
        a, b = pooled(0, label), pooled(1, label)
        assert result.labels[label] == (span_counts(a, b), span_counts(a, b, overlap=True))
    cat_a: list[str] = []
    cat_b: list[str] = []
    for doc in docs:
        toks = tokens(doc.text)
        cat_a += token_categories(toks, doc.a)
        cat_b += token_categories(toks, doc.b)
    assert result.kappa == cohen_kappa(cat_a, cat_b)
    assert result.alpha == krippendorff_alpha(cat_a, cat_b)


# Word characters of several scripts, digits, marks, underscores, punctuation,
# symbols, every kind of space, and characters outside the BMP.
CHARS = st.sampled_from(
    [
        *"aZ09_ .,;-/()%\n\t\u00a0\u2009\u3000κé\u0301ß٣²½漢–’",
        *["\U0001d6fc", "\U0001f600", "\u200b", "\x1c"],
    ]
)
TOKEN_TEXTS = st.lists(CHARS, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(TOKEN_TEXTS)
def test_token_bounds_are_the_regex_tokens(text: str) -> None:
    starts, ends = token_bounds(text)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == tokens(text)


@settings(max_examples=300, deadline=None)
@given(TOKEN_TEXTS, mentions(), st.booleans())
def test_array_categories_are_the_defined_categories(
    text: str, spans: list[Mention], outside_label: bool
) -> None:
    if outside_label and spans:  # a label called "O" is the same category as no label
        spans[0] = Mention(spans[0].start, spans[0].end, OUTSIDE)
    starts, ends = token_bounds(text)
    names = sorted({s.label for s in spans} | {OUTSIDE})
    codes = {name: i for i, name in enumerate(names)}
    got = [names[c] for c in categories(starts, ends, spans, codes).tolist()]
    assert got == token_categories(tokens(text), spans)
