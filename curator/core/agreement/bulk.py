"""Agreement over a whole database at once, with array operations.

:func:`curator.core.agreement.measures.compare` is the definition: it
measures one document at a time with Python objects per span. Over a million
spans that Python work per span was most of ``curator agreement``, so the
report is computed here from columns (document, start, end, label code) of
every curator's live spans, with the same figures (the tests compare both on
generated cases):

- **exact** matches: both curators' spans sorted together by (document,
  label, start, end); each run of equal keys matches ``min(n_a, n_b)`` times.
- **overlap** matches: the same sorted spans fall into clusters per document
  and label (a span starts a cluster when it starts at or after the end of
  every earlier span of the run). Greedy matching never pairs spans of two
  clusters, so each cluster is matched on its own: none when one side is
  missing, one when a side has a single span (it overlaps a span of the
  other side, or it would be a cluster of its own), and the definition's
  greedy (:func:`~curator.core.agreement.measures.overlap_pairs`) for the
  few clusters with two or more spans on each side.
- **token categories**: the tokens of every document are found once per
  report (:class:`TokenTable`); each span reaches its tokens by binary
  search and every token keeps the best-ranked span covering it (shortest,
  then earliest, then by label name) with ``numpy.minimum.at``.

Kappa and alpha come from the same integer counts as the definition's, by
:class:`~curator.core.agreement.measures.TokenCounts`, so every figure is
the same float.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from curator.core.agreement.measures import (
    Counts,
    PairAgreement,
    TokenCounts,
)
from curator.core.agreement.tokens import OUTSIDE, token_bounds

Ints = npt.NDArray[np.int64]

_CHUNK = 1 << 20  # characters tokenized at once: bounds the memory of the classes


@dataclass(frozen=True)
class SpanColumns:
    """One curator's live spans as columns: document row, start, end, label code."""

    doc: Ints
    start: Ints
    end: Ints
    label: Ints

    @classmethod
    def empty(cls) -> SpanColumns:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none)

    def take(self, keep: npt.NDArray[np.bool_] | Ints) -> SpanColumns:
        return SpanColumns(self.doc[keep], self.start[keep], self.end[keep], self.label[keep])


class TokenTable:
    """The tokens of many documents: document *i* is row *i*.

    Documents are laid end to end with a newline between them (never part of
    a token), so token positions are global offsets and one binary search
    finds a span's tokens; ``offsets[i]`` is where row *i* starts.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        self.lengths = lengths
        self.offsets = np.zeros(len(texts), dtype=np.int64)
        if len(texts):
            self.offsets[1:] = np.cumsum(lengths + 1)[:-1]
        # Positions, token numbers and document rows in 32 bits when they fit:
        # half the memory, and fewer pages for a fresh process to fault in.
        total = int(lengths.sum()) + len(texts)
        self.dtype = np.dtype(np.int32 if total < 2**31 else np.int64)
        starts: list[npt.NDArray[np.signedinteger[Any]]] = []
        ends: list[npt.NDArray[np.signedinteger[Any]]] = []
        row = 0
        while row < len(texts):
            last, size = row, 0
            while last < len(texts) and (size == 0 or size + len(texts[last]) <= _CHUNK):
                size += len(texts[last]) + 1
                last += 1
            chunk_starts, chunk_ends = token_bounds("\n".join(texts[row:last]))
            base = self.offsets[row]
            starts.append((chunk_starts + base).astype(self.dtype))
            ends.append((chunk_ends + base).astype(self.dtype))
            row = last
        none = np.zeros(0, dtype=self.dtype)
        self.starts = np.concatenate(starts) if starts else none
        self.ends = np.concatenate(ends) if ends else none
        first = np.searchsorted(self.starts, self.offsets.astype(self.dtype))
        counts = np.diff(np.append(first, len(self.starts)))
        self.row_of_token = np.repeat(np.arange(len(texts), dtype=self.dtype), counts)

    def __len__(self) -> int:
        return len(self.offsets)


def _runs(lo: Ints, counts: Ints, dtype: npt.DTypeLike = np.int64) -> Ints:
    """``lo[k], lo[k] + 1, ..., lo[k] + counts[k] - 1`` for every k, concatenated."""
    keep = counts > 0
    lo, counts = lo[keep], counts[keep]
    total = int(counts.sum())
    steps = np.ones(total, dtype=dtype)
    if total:
        heads = np.cumsum(counts) - counts
        steps[heads[0]] = lo[0]
        steps[heads[1:]] = lo[1:] - (lo[:-1] + counts[:-1] - 1)
    return np.cumsum(steps, out=steps)


def _categories(
    table: TokenTable, spans: SpanColumns, outside: int, labels: int
) -> npt.NDArray[np.signedinteger[Any]]:
    """Per token of *table*, the code of the best span of *spans* over it, else *outside*.

    A span's rank is one integer, (length, start, label code) in that order
    of weight with the code in the low bits, and every token keeps the least
    rank over it; a token no span covers keeps one above every rank that
    ends in *outside*'s code, so the low bits are the category.
    """
    if not len(spans.doc) or not len(table.starts):
        return np.full(len(table.starts), outside, dtype=np.int32)
    length = table.lengths[spans.doc]
    base = table.offsets[spans.doc]
    # Tokens overlapping [start, end): token end > start and token start < end.
    first = (base + np.minimum(spans.start, length)).astype(table.dtype)
    after = (base + np.minimum(spans.end, length)).astype(table.dtype)
    lo = np.searchsorted(table.ends, first, side="right")
    hi = np.searchsorted(table.starts, after, side="left")
    counts = np.maximum(hi - lo, 0)
    widest = int(spans.start.max()) + 1
    longest = int((spans.end - spans.start).max()) + 1
    shift = (labels - 1).bit_length()
    size = (longest * widest + 1) << shift  # above every rank, and room for the code
    code = None
    if size <= 2**62:
        small = size <= 2**31
        rank = (((spans.end - spans.start) * widest + spans.start) << shift) | spans.label
        rank = rank.astype(np.int32 if small else np.int64, copy=False)
        none = ((2**31 - 1 if small else 2**63 - 1) >> shift << shift) | outside
    else:  # too wide for one integer: rank by position in the sorted order
        order = np.lexsort((spans.label, spans.start, spans.end - spans.start))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        code = spans.label[order]
        none = int(np.iinfo(np.int64).max)
    best = np.full(len(table.starts), none, dtype=rank.dtype)
    np.minimum.at(best, _runs(lo, counts, table.dtype), np.repeat(rank, counts))
    if code is None:
        best &= (1 << shift) - 1
        return best
    covered = best != none
    out = np.full(len(best), outside, dtype=np.int32)
    out[covered] = code[best[covered]]
    return out


@dataclass(frozen=True)
class _Sides:
    """Both curators' spans sorted together by (document position, label, start, end)."""

    cell: Ints  # document position * labels + label
    start: Ints
    end: Ints
    side_a: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, a: SpanColumns, b: SpanColumns, cell_a: Ints, cell_b: Ints) -> _Sides:
        cell = np.concatenate((cell_a, cell_b))
        start = np.concatenate((a.start, b.start))
        end = np.concatenate((a.end, b.end))
        side_a = np.concatenate((np.ones(len(cell_a), bool), np.zeros(len(cell_b), bool)))
        width = int(end.max()) + 1 if len(end) else 1
        if int(cell.max(initial=0) + 1) * width * width < 2**62:
            order = np.argsort((cell * width + start) * width + end)
        else:
            order = np.lexsort((end, start, cell))
        return cls(cell[order], start[order], end[order], side_a[order])


def _exact(s: _Sides, cells: int) -> Ints:
    """Exact matches per (document position, label) cell."""
    n = len(s.cell)
    if n == 0:
        return np.zeros(cells, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = (
        (s.cell[1:] != s.cell[:-1]) | (s.start[1:] != s.start[:-1]) | (s.end[1:] != s.end[:-1])
    )
    heads = np.flatnonzero(new)
    in_a = np.add.reduceat(s.side_a.astype(np.int64), heads)
    in_b = np.diff(np.append(heads, n)) - in_a
    both = np.minimum(in_a, in_b)
    return np.bincount(s.cell[heads], weights=both, minlength=cells).astype(np.int64)


def _greedy(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """How many pairs :func:`~curator.core.agreement.measures.overlap_pairs` takes."""
    candidates = []
    for i, (xs, xe) in enumerate(a):
        for j, (ys, ye) in enumerate(b):
            if ys < xe and xs < ye:
                overlap = (xe if xe < ye else ye) - (xs if xs > ys else ys)
                candidates.append((-overlap, xs, xe, ys, ye, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for *_, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def _overlap(s: _Sides, cells: int) -> Ints:
    """Overlap matches per (document position, label) cell, cluster by cluster.

    A cluster whose two sides hold the same spans matches all of them: its
    longest overlaps are its longest spans with their twins, and so on down.
    """
    n = len(s.cell)
    if n == 0:
        return np.zeros(cells, dtype=np.int64)
    width = int(s.end.max()) + 1
    # Ends lifted by cell, so one running maximum never carries over from a cell to the next.
    reach = np.maximum.accumulate(s.cell * width + s.end)
    new = np.ones(n, dtype=bool)
    new[1:] = (s.cell[1:] != s.cell[:-1]) | (s.cell[1:] * width + s.start[1:] >= reach[:-1])
    heads = np.flatnonzero(new)
    size = np.diff(np.append(heads, n))
    in_a = np.add.reduceat(s.side_a.astype(np.int64), heads)
    in_b = size - in_a
    matched = np.minimum(np.minimum(in_a, in_b), 1)
    hard = np.flatnonzero((in_a >= 2) & (in_b >= 2))
    if len(hard):
        # Twins: equal spans of the two sides, counted one to one within each run of equals.
        same = np.ones(n, dtype=bool)
        same[1:] = (s.start[1:] != s.start[:-1]) | (s.end[1:] != s.end[:-1]) | new[1:]
        runs = np.flatnonzero(same)
        run_a = np.add.reduceat(s.side_a.astype(np.int64), runs)
        run_b = np.diff(np.append(runs, n)) - run_a
        cluster_of_run = np.cumsum(new)[runs] - 1
        twins = np.bincount(
            cluster_of_run, weights=np.minimum(run_a, run_b), minlength=len(heads)
        ).astype(np.int64)
        alike = hard[(twins[hard] == in_a[hard]) & (in_a[hard] == in_b[hard])]
        matched[alike] = in_a[alike]
        hard = np.setdiff1d(hard, alike, assume_unique=True)
        members = _runs(heads[hard], size[hard])
        starts, ends = s.start[members].tolist(), s.end[members].tolist()
        sides = s.side_a[members].tolist()
        at = 0
        for k, count in zip(hard.tolist(), size[hard].tolist(), strict=True):
            spans = list(zip(starts[at : at + count], ends[at : at + count], strict=True))
            mine = sides[at : at + count]
            matched[k] = _greedy(
                [x for x, m in zip(spans, mine, strict=True) if m],
                [y for y, m in zip(spans, mine, strict=True) if not m],
            )
            at += count
    return np.bincount(s.cell[heads], weights=matched, minlength=cells).astype(np.int64)


def _counter(row: list[int], names: Sequence[str]) -> Counter[str]:
    return Counter({names[i]: n for i, n in enumerate(row) if n})


_EXACT = 2**24  # tokens in a document below which every count and product is an exact double


def _chance(
    n: Ints, agree: Ints, per_a: Ints, per_b: Ints, names: Sequence[str]
) -> tuple[list[float | None], list[float | None]]:
    """Kappa and alpha of every document, as :class:`TokenCounts` computes them.

    The same integers and the same float operations, so the same floats: every
    integer here is below 2**53, where Python's ``int / int`` is the quotient
    of the two exact doubles, as numpy's is.
    """
    if len(n) and int(n.max()) >= _EXACT:
        counts = [
            TokenCounts(k, g, _counter(x, names), _counter(y, names))
            for k, g, x, y in zip(
                n.tolist(), agree.tolist(), per_a.tolist(), per_b.tolist(), strict=True
            )
        ]
        return [c.kappa() for c in counts], [c.alpha() for c in counts]
    totals = per_a + per_b
    values = 2 * n
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = agree / n.astype(np.float64)
        expected = (per_a * per_b).sum(axis=1) / (n * n).astype(np.float64)
        kappa = (observed - expected) / (1 - expected)
        spread = values * values - (totals * totals).sum(axis=1)
        alpha = 1 - ((values - 1) * 2 * (n - agree)) / spread.astype(np.float64)
    has_kappa = ((n > 0) & (expected != 1)).tolist()
    has_alpha = ((n > 0) & ((totals > 0).sum(axis=1) >= 2)).tolist()
    return (
        [k if ok else None for k, ok in zip(kappa.tolist(), has_kappa, strict=True)],
        [x if ok else None for x, ok in zip(alpha.tolist(), has_alpha, strict=True)],
    )


def _token_counts(
    table: TokenTable, rows: Sequence[int], a: SpanColumns, b: SpanColumns, names: Sequence[str]
) -> tuple[Ints, Ints, Ints, Ints]:
    """Per compared document: tokens, agreeing tokens, and each side's category counts."""
    width = len(names)
    docs = len(rows)
    outside = list(names).index(OUTSIDE)
    cat_a = _categories(table, a, outside, width)
    cat_b = _categories(table, b, outside, width)
    # One histogram of (document, category of A, category of B) gives both
    # sides' category counts and the agreements (its diagonal).
    joint = cat_a * width + cat_b
    if docs * width * width >= 2**31:
        joint = joint.astype(np.int64)
    if docs == len(table) and np.array_equal(rows, np.arange(docs)):  # tokens in row order
        joint += table.row_of_token.astype(joint.dtype) * (width * width)
    else:
        where = np.full(len(table), -1, dtype=np.int64)
        where[np.asarray(rows, dtype=np.int64)] = np.arange(docs, dtype=np.int64)
        token_pos = where[table.row_of_token]
        compared = token_pos >= 0
        joint = joint[compared] + token_pos[compared].astype(joint.dtype) * (width * width)
    pairs = np.bincount(joint, minlength=docs * width * width).reshape(docs, width, width)
    per_a, per_b = pairs.sum(axis=2), pairs.sum(axis=1)
    return per_a.sum(axis=1), np.trace(pairs, axis1=1, axis2=2), per_a, per_b


def compare_columns(
    table: TokenTable,
    rows: Sequence[int],
    uids: Sequence[str],
    a: SpanColumns,
    b: SpanColumns,
    *,
    names: Sequence[str],
    labels: Sequence[str],
) -> PairAgreement:
    """What :func:`~curator.core.agreement.measures.compare` gives for these documents.

    *rows* are the documents compared (rows of *table*), *uids* their uids in
    the same order (the report's order); *names* are the label codes' names
    in name order, ``"O"`` among them; *labels* the labels reported.
    """
    width = len(names)
    docs = len(rows)
    cells = docs * width
    where = np.full(len(table), -1, dtype=np.int64)
    where[np.asarray(rows, dtype=np.int64)] = np.arange(docs, dtype=np.int64)
    a = a.take(where[a.doc] >= 0)
    b = b.take(where[b.doc] >= 0)
    pos_a, pos_b = where[a.doc], where[b.doc]
    cell_a, cell_b = pos_a * width + a.label, pos_b * width + b.label
    n_a = np.bincount(cell_a, minlength=cells).astype(np.int64)
    n_b = np.bincount(cell_b, minlength=cells).astype(np.int64)
    sides = _Sides.of(a, b, cell_a, cell_b)
    exact = _exact(sides, cells)
    overlap = _overlap(sides, cells)

    n_tokens, agree, per_a, per_b = _token_counts(table, rows, a, b, names)
    kappas, alphas = _chance(n_tokens, agree, per_a, per_b, names)

    by_doc = [m.reshape(docs, width) for m in (exact, overlap, n_a, n_b)]
    sums = [m.sum(axis=1).tolist() for m in by_doc]
    result = PairAgreement()
    for p, uid in enumerate(uids):
        na, nb = sums[2][p], sums[3][p]
        result.documents[uid] = PairAgreement(
            Counts(sums[0][p], na, nb), Counts(sums[1][p], na, nb), kappas[p], alphas[p]
        )
    totals = [m.sum(axis=0).tolist() for m in by_doc]
    code = {name: i for i, name in enumerate(names)}
    result.labels = {}
    for label in labels:
        i = code.get(label)
        if i is None:
            result.labels[label] = (Counts(0, 0, 0), Counts(0, 0, 0))
            continue
        na, nb = totals[2][i], totals[3][i]
        result.labels[label] = (Counts(totals[0][i], na, nb), Counts(totals[1][i], na, nb))
    na, nb = sum(totals[2]), sum(totals[3])
    result.exact = Counts(sum(totals[0]), na, nb)
    result.overlap = Counts(sum(totals[1]), na, nb)
    overall = TokenCounts(
        int(n_tokens.sum()),
        int(agree.sum()),
        _counter(per_a.sum(axis=0).tolist(), names),
        _counter(per_b.sum(axis=0).tolist(), names),
    )
    result.kappa, result.alpha = overall.kappa(), overall.alpha()
    return result
