"""Inter-annotator agreement between two curators: pure functions over spans.

No database here (the loader is :mod:`curator.core.agreement.data`), so
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
alpha (nominal, two coders, no missing values) are taken over those
categories; both are ``None`` when there are no tokens or only one category
is used by both curators (no variation: agreement by chance cannot be told
apart). For two coders without missing values alpha has a closed form in
the category counts and the number of disagreeing tokens (the tests check it
against the ``krippendorff`` package), so both coefficients come from
counts that add up over documents: each document is measured once, and the
overall and per-label figures are sums of the documents' counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from curator.core.agreement.tokens import OUTSIDE, categories, token_bounds
from curator.core.storage.records import Labelled

TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")


class Mention(NamedTuple):
    """A span reduced to what agreement looks at (a tuple: a million are loaded at once)."""

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
    """Indices (i into a, j into b) matched one to one by maximal overlap (see module doc).

    Candidates come from B sorted by start: a span of B can overlap x only if
    it starts before x ends and after x.start minus B's longest span.
    """
    if not a or not b:
        return []
    ys = sorted((y.start, y.end, y.label, j) for j, y in enumerate(b))
    starts = [y[0] for y in ys]
    longest = max(y[1] - y[0] for y in ys)
    candidates = []
    for i, x in enumerate(a):
        x_start, x_end, x_label = x.start, x.end, x.label
        window = ys[bisect_right(starts, x_start - longest) : bisect_left(starts, x_end)]
        for y_start, y_end, y_label, j in window:
            if y_end > x_start and y_label == x_label:
                overlap = (x_end if x_end < y_end else y_end) - (
                    x_start if x_start > y_start else y_start
                )
                candidates.append((-overlap, x_start, x_end, y_start, y_end, i, j))
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
    """The definition of tokens; :mod:`agreement_tokens` computes the same with arrays."""
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


@dataclass
class TokenCounts:
    """What kappa and alpha need of two category sequences; counts add up over documents."""

    n: int = 0
    agree: int = 0
    a: Counter[str] = field(default_factory=Counter)
    b: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, x: Sequence[str], y: Sequence[str]) -> TokenCounts:
        agree = sum(p == q for p, q in zip(x, y, strict=True))
        return cls(len(x), agree, Counter(x), Counter(y))

    @classmethod
    def of_codes(
        cls, x: npt.NDArray[np.int32], y: npt.NDArray[np.int32], names: list[str]
    ) -> TokenCounts:
        """The same from category codes (indices into *names*)."""

        def counter(codes: npt.NDArray[np.int32]) -> Counter[str]:
            found = np.bincount(codes, minlength=len(names)).tolist()
            return Counter({names[i]: n for i, n in enumerate(found) if n})

        return cls(len(x), int(np.count_nonzero(x == y)), counter(x), counter(y))

    def __iadd__(self, other: TokenCounts) -> TokenCounts:
        self.n += other.n
        self.agree += other.agree
        self.a.update(other.a)
        self.b.update(other.b)
        return self

    def kappa(self) -> float | None:
        n = self.n
        if n == 0:
            return None
        observed = self.agree / n
        expected = sum(self.a[k] * self.b[k] for k in self.a) / (n * n)
        if expected == 1:
            return None
        return (observed - expected) / (1 - expected)

    def alpha(self) -> float | None:
        """Nominal alpha, two coders: 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k.

        Each token holds two values, so n is twice the tokens; the coincidences
        off the diagonal are two per disagreeing token; n_c counts category c
        over both coders.
        """
        totals = self.a + self.b
        if self.n == 0 or len(totals) < 2:
            return None
        values = 2 * self.n
        expected = values * values - sum(v * v for v in totals.values())
        return 1 - (values - 1) * 2 * (self.n - self.agree) / expected


def cohen_kappa(x: Sequence[str], y: Sequence[str]) -> float | None:
    return TokenCounts.of(x, y).kappa()


def krippendorff_alpha(x: Sequence[str], y: Sequence[str]) -> float | None:
    return TokenCounts.of(x, y).alpha()


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


def _by_label(spans: Sequence[Labelled]) -> dict[str, list[Labelled]]:
    groups: dict[str, list[Labelled]] = defaultdict(list)
    for span in spans:
        groups[span.label].append(span)
    return groups


def _measure_document(
    doc: DocumentPair, labels: Sequence[str]
) -> tuple[PairAgreement, TokenCounts]:
    """One document's figures, and its token counts for the overall kappa and alpha.

    Matching never pairs spans of different labels, so the counts over all
    spans are the sums of the per-label counts.
    """
    result = PairAgreement()
    by_a, by_b = _by_label(doc.a), _by_label(doc.b)
    per_label = {}
    for label in by_a.keys() | by_b.keys():
        a, b = by_a.get(label, []), by_b.get(label, [])
        exact, overlap = span_counts(a, b), span_counts(a, b, overlap=True)
        per_label[label] = (exact, overlap)
        result.exact += exact
        result.overlap += overlap
    empty = (Counts(0, 0, 0), Counts(0, 0, 0))
    result.labels = {label: per_label.get(label, empty) for label in labels}
    names = sorted(by_a.keys() | by_b.keys() | {OUTSIDE})  # a label "O" counts as outside
    codes = {name: i for i, name in enumerate(names)}
    starts, ends = token_bounds(doc.text)
    counts = TokenCounts.of_codes(
        categories(starts, ends, doc.a, codes), categories(starts, ends, doc.b, codes), names
    )
    result.kappa, result.alpha = counts.kappa(), counts.alpha()
    return result, counts


def compare(docs: Sequence[DocumentPair], labels: Sequence[str]) -> PairAgreement:
    """Overall, per label and per document agreement of B against A."""
    result = PairAgreement()
    result.labels = {label: (Counts(0, 0, 0), Counts(0, 0, 0)) for label in labels}
    token_counts = TokenCounts()
    for doc in docs:
        measured, counts = _measure_document(doc, labels)
        result.documents[doc.uid] = measured
        result.exact += measured.exact
        result.overlap += measured.overlap
        for label, (exact, overlap) in measured.labels.items():
            total_exact, total_overlap = result.labels[label]
            result.labels[label] = (total_exact + exact, total_overlap + overlap)
        token_counts += counts
    result.kappa, result.alpha = token_counts.kappa(), token_counts.alpha()
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
