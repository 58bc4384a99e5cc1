"""Agreement figures against small cases computed by hand."""

from __future__ import annotations

import pytest

from curator.core.agreement.data import agreement_report
from curator.core.agreement.measures import (
    DocumentPair,
    Mention,
    cohen_kappa,
    compare,
    krippendorff_alpha,
    overlap_pairs,
    span_counts,
    to_json,
    token_categories,
    tokens,
)
from curator.core.articles.documents import mark_opened
from curator.core.spans.annotate import NewSpan, add_spans
from curator.core.storage.db import Database
from tests.core.storage_helpers import add_documents

M = Mention
LABELS = ["therapy", "target", "outcome", "expert"]


def test_exact_and_overlap_differ_on_boundaries() -> None:
    a, b = [M(0, 10, "therapy")], [M(0, 8, "therapy")]
    assert span_counts(a, b).f1 == 0.0
    overlap = span_counts(a, b, overlap=True)
    assert (overlap.f1, overlap.precision, overlap.recall) == (1.0, 1.0, 1.0)


def test_overlap_needs_the_same_label() -> None:
    assert span_counts([M(0, 10, "therapy")], [M(0, 10, "target")], overlap=True).f1 == 0.0


def test_overlap_is_one_to_one_by_largest_overlap() -> None:
    a = [M(0, 20, "therapy")]
    b = [M(0, 5, "therapy"), M(10, 20, "therapy")]
    assert overlap_pairs(a, b) == [(0, 1)]
    counts = span_counts(a, b, overlap=True)
    assert (counts.matched, counts.f1) == (1, pytest.approx(2 / 3))
    assert (counts.precision, counts.recall) == (0.5, 1.0)


def test_exact_duplicates_match_once_each() -> None:
    a = [M(0, 5, "target"), M(0, 5, "target")]
    assert span_counts(a, [M(0, 5, "target")]).matched == 1


def test_empty_sides() -> None:
    both = span_counts([], [])
    assert (both.f1, both.precision, both.recall) == (None, None, None)
    one = span_counts([M(0, 3, "target"), M(4, 6, "target")], [])
    assert (one.f1, one.precision, one.recall) == (0.0, None, 0.0)


NESTED = "CD7 CAR-T cell therapy works"


def test_tokens_and_shortest_covering_span_gives_the_category() -> None:
    toks = tokens(NESTED)
    assert [NESTED[s:e] for s, e in toks] == ["CD7", "CAR", "-", "T", "cell", "therapy", "works"]
    nested = [M(0, 22, "therapy"), M(0, 3, "target")]
    assert token_categories(toks, nested) == ["target"] + ["therapy"] * 5 + ["O"]


def test_nested_spans_by_hand() -> None:
    doc = DocumentPair(
        "d1", NESTED, a=[M(0, 22, "therapy"), M(0, 3, "target")], b=[M(0, 22, "therapy")]
    )
    result = compare([doc], LABELS)
    assert result.exact.f1 == pytest.approx(2 / 3)
    assert (result.exact.precision, result.exact.recall) == (1.0, 0.5)
    # po = 6/7, pe = (5*6 + 1*1)/49 -> kappa = 11/18
    assert result.kappa == pytest.approx(11 / 18)
    # 14 values: target 1, therapy 11, O 2; Do = 2/14, De = 70/182 -> alpha = 22/35
    assert result.alpha == pytest.approx(22 / 35)
    out = to_json("alice", "bob", result)
    assert out["labels"]["target"] == {"f1_exact": 0.0, "f1_overlap": 0.0, "n_a": 1, "n_b": 0}  # type: ignore[index]
    assert out["labels"]["expert"] == {"f1_exact": None, "f1_overlap": None, "n_a": 0, "n_b": 0}  # type: ignore[index]
    assert out["overall"] == {"f1_exact": 0.6667, "f1_overlap": 0.6667, "kappa": 0.6111,
                              "alpha": 0.6286}  # fmt: skip


def test_kappa_and_alpha_on_a_textbook_table() -> None:
    x, y = ["a", "b", "b", "a"], ["a", "b", "a", "a"]
    assert cohen_kappa(x, y) == pytest.approx(0.5)  # po 3/4, pe 1/2
    assert krippendorff_alpha(x, y) == pytest.approx(8 / 15)  # Do 2/8, De 30/56


def test_no_variation_means_no_chance_corrected_figure() -> None:
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    assert krippendorff_alpha(["O", "O"], ["O", "O"]) is None
    assert cohen_kappa([], []) is None


def test_one_curator_silent_gives_kappa_zero() -> None:
    doc = DocumentPair("d", NESTED, a=[M(0, 3, "target")], b=[])
    result = compare([doc], LABELS)
    assert result.exact.f1 == 0.0
    assert result.kappa == pytest.approx(0.0)


def test_report_counts_only_documents_both_worked_on(db: Database) -> None:
    d1, d2, d3 = add_documents(db, NESTED, "Ruxolitinib helped.", "Untouched by bob.")
    add_spans(db, d1, "alice", [NewSpan(0, 22, "therapy"), NewSpan(0, 3, "target")])
    add_spans(db, d1, "bob", [NewSpan(0, 22, "therapy")])
    add_spans(db, d2, "alice", [NewSpan(0, 11, "therapy")])
    mark_opened(db, d2, "bob")  # bob read it and found nothing
    add_spans(db, d3, "alice", [NewSpan(0, 9, "therapy")])
    report = agreement_report(db)
    (pair,) = report["pairs"]  # type: ignore[misc]
    assert (pair["a"], pair["b"]) == ("alice", "bob")
    assert set(pair["documents"]) == {d1, d2}
    assert pair["labels"]["therapy"]["n_a"] == 2 and pair["labels"]["therapy"]["n_b"] == 1
    assert pair["documents"][d1]["f1_exact"] == 0.6667
    only = agreement_report(db, label="target", documents=[d1])["pairs"][0]  # type: ignore[index]
    assert list(only["labels"]) == ["target"]
    assert only["overall"]["f1_exact"] == 0.0
