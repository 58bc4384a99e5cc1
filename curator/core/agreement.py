"""Inter-annotator agreement between two curators: pure functions over spans.

No database here (the loader is :mod:`curator.core.agreement_data`), so
every figure can be checked against cases computed by hand.

Span matching, B measured against A (A is the reference):

- **exact**: a span of B matches a span of A with the same ``(start, end,
  label)``; duplicates match one to one (multiset intersection).
- **overlap**: a span of B matches a span of A with the same label whose
  range overlaps it (shares at least one character). Matching is one to
  one and greedy by maximal overlap: all same-label overlapping pairs are
  sorted by overlap length, longest first (ties by A's then B's ``(start,
  end)``), and a pair is taken when neither span is matched yet. So a long
  span of A overlapped by two short spans of B matches only one of them.

With *m* matches, ``precision = m / n_b``, ``recall = m / n_a`` and ``F1 =
2m / (n_a + n_b)``. Empty cases: when neither side has a span, F1,
precision and recall are ``None`` (JSON ``null``: nothing to agree or
disagree on, which is not the same as perfect agreement); when only one
side is empty, F1 is 0.0 (and the undefined one of precision/recall is
``None``).

Token-level chance-corrected agreement: tokens are ``TOKEN_PATTERN``
matches on the canonical text (runs of word characters, or a single other
non-space character). A token's category for a curator is the label of the
shortest of their spans that overlaps the token (ties: earlier start, then
label name), or ``"O"`` when none does. Cohen's kappa and Krippendorff's
alpha (nominal, two coders, no missing values; computed by the
``krippendorff`` package) are taken over those categories; both are
``None`` when there are no tokens or only one category is used by both
curators (no variation: agreement by chance cannot be told apart).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import krippendorff
import numpy as np

TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"


class Labelled(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Mention:
    """A span reduced to what agreement looks at."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Counts:
    matched: int
    n_a: int
    n_b: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.n_b if self.n_b else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.n_a if self.n_a else None

    @property
    def f1(self) -> float | None:
        total = self.n_a + self.n_b
        return 2 * self.matched / total if total else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.n_a + other.n_a, self.n_b + other.n_b)


def exact_matches(a: Sequence[Labelled], b: Sequence[Labelled]) -> int:
    key_a = Counter((s.start, s.end, s.label) for s in a)
    key_b = Counter((s.start, s.end, s.label) for s in b)
    return sum((key_a & key_b).values())


def overlap_pairs(a: Sequence[Labelled], b: Sequence[Labelled]) -> list[tuple[int, int]]:
    """Indices (i into a, j into b) matched one to one by maximal overlap (see module doc)."""
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x.label == y.label and x.start < y.end and y.start < x.end:
                overlap = min(x.end, y.end) - max(x.start, y.start)
                candidates.append((-overlap, x.start, x.end, y.start, y.end, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for *_, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def span_counts(a: Sequence[Labelled], b: Sequence[Labelled], *, overlap: bool = False) -> Counts:
    matched = len(overlap_pairs(a, b)) if overlap else exact_matches(a, b)
    return Counts(matched, len(a), len(b))


def tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN_PATTERN.finditer(text)]


def token_categories(toks: Sequence[tuple[int, int]], spans: Sequence[Labelled]) -> list[str]:
    """Per token, the label of the shortest overlapping span, else ``"O"``."""
    best: list[tuple[int, int, str] | None] = [None] * len(toks)
    starts = [t[0] for t in toks]
    ends = [t[1] for t in toks]
    for span in spans:
        key = (span.end - span.start, span.start, span.label)
        # tokens overlapping [start, end): end > span.start and start < span.end
        for k in range(bisect_right(ends, span.start), bisect_left(starts, span.end)):
            current = best[k]
            if current is None or key < current:
                best[k] = key
    return [OUTSIDE if k is None else k[2] for k in best]


def cohen_kappa(x: Sequence[str], y: Sequence[str]) -> float | None:
    n = len(x)
    if n == 0:
        return None
    observed = sum(p == q for p, q in zip(x, y, strict=True)) / n
    cx, cy = Counter(x), Counter(y)
    expected = sum(cx[k] * cy[k] for k in cx) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(x: Sequence[str], y: Sequence[str]) -> float | None:
    values = sorted(set(x) | set(y))
    if len(x) == 0 or len(values) < 2:
        return None
    code = {v: i for i, v in enumerate(values)}
    data = np.array([[code[v] for v in x], [code[v] for v in y]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@dataclass(frozen=True, slots=True)
class DocumentPair:
    """One document as two curators annotated it."""

    uid: str
    text: str
    a: Sequence[Labelled]
    b: Sequence[Labelled]


@dataclass
class PairAgreement:
    exact: Counts = Counts(0, 0, 0)
    overlap: Counts = Counts(0, 0, 0)
    kappa: float | None = None
    alpha: float | None = None
    labels: dict[str, tuple[Counts, Counts]] = field(default_factory=dict)
    documents: dict[str, PairAgreement] = field(default_factory=dict)

    def summary(self) -> dict[str, float | None]:
        return {
            "f1_exact": _round(self.exact.f1),
            "f1_overlap": _round(self.overlap.f1),
            "kappa": _round(self.kappa),
            "alpha": _round(self.alpha),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _measure(docs: Sequence[DocumentPair], labels: Sequence[str]) -> PairAgreement:
    result = PairAgreement()
    cat_a: list[str] = []
    cat_b: list[str] = []
    for label in labels:
        exact, overlap = Counts(0, 0, 0), Counts(0, 0, 0)
        for doc in docs:
            a = [s for s in doc.a if s.label == label]
            b = [s for s in doc.b if s.label == label]
            exact += span_counts(a, b)
            overlap += span_counts(a, b, overlap=True)
        result.labels[label] = (exact, overlap)
    for doc in docs:
        result.exact += span_counts(doc.a, doc.b)
        result.overlap += span_counts(doc.a, doc.b, overlap=True)
        toks = tokens(doc.text)
        cat_a += token_categories(toks, doc.a)
        cat_b += token_categories(toks, doc.b)
    result.kappa = cohen_kappa(cat_a, cat_b)
    result.alpha = krippendorff_alpha(cat_a, cat_b)
    return result


def compare(docs: Sequence[DocumentPair], labels: Sequence[str]) -> PairAgreement:
    """Overall, per label and per document agreement of B against A."""
    result = _measure(docs, labels)
    for doc in docs:
        result.documents[doc.uid] = _measure([doc], labels)
    return result


def to_json(a: str, b: str, result: PairAgreement) -> dict[str, object]:
    """One entry of ``curator agreement --json``'s ``pairs`` list."""
    return {
        "a": a,
        "b": b,
        "overall": result.summary(),
        "labels": {
            label: {
                "f1_exact": _round(exact.f1),
                "f1_overlap": _round(overlap.f1),
                "n_a": exact.n_a,
                "n_b": exact.n_b,
            }
            for label, (exact, overlap) in result.labels.items()
        },
        "documents": {
            uid: {**doc.summary(), "n_a": doc.exact.n_a, "n_b": doc.exact.n_b}
            for uid, doc in result.documents.items()
        },
    }
