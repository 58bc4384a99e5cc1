"""Agreement on relations (curator.core.agreement.relations), with figures worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core import relations
from curator.core.agreement.data import agreement_report
from curator.core.agreement.measures import Mention
from curator.core.agreement.relations import (
    RelationMention,
    exact_relation_matches,
    overlap_relation_matches,
)
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from tests.cli.helpers import call
from tests.core.storage_helpers import add_documents

TEXT = "Prof Ada Roy: zanubrutinib blocks BTK and MYD88, with ORR of 77.5% at 2 years."


def tag(db: Database, doc: str, curator: str, term: str, label: str, *, extra: int = 0) -> str:
    start = TEXT.index(term)
    span = NewSpan(start, start + len(term) + extra, label)
    return annotate.add_span(db, doc, curator, span).uid


@pytest.fixture
def two_layers(db: Database) -> str:
    """ana: 3 relations; bo: 3, of which 1 exact, 1 more by overlap, 1 unmatched."""
    (doc,) = add_documents(db, TEXT)
    a = {t: tag(db, doc, "ana", t, lab) for t, lab in (
        ("zanubrutinib", "therapy"), ("BTK", "target"), ("ORR of 77.5%", "outcome"),
        ("Ada Roy", "expert"))}  # fmt: skip
    relations.add_relation(db, doc, "ana", "acts_on", a["zanubrutinib"], a["BTK"])
    relations.add_relation(db, doc, "ana", "has_outcome", a["zanubrutinib"], a["ORR of 77.5%"])
    relations.add_relation(db, doc, "ana", "reports", a["Ada Roy"], a["ORR of 77.5%"])
    b = {t: tag(db, doc, "bo", t, lab) for t, lab in (
        ("zanubrutinib", "therapy"), ("BTK", "target"), ("MYD88", "target"))}  # fmt: skip
    longer = tag(db, doc, "bo", "ORR of 77.5%", "outcome", extra=11)  # "... at 2 years"
    relations.add_relation(db, doc, "bo", "acts_on", b["zanubrutinib"], b["BTK"])  # exact
    relations.add_relation(db, doc, "bo", "has_outcome", b["zanubrutinib"], longer)  # overlap
    relations.add_relation(db, doc, "bo", "acts_on", b["zanubrutinib"], b["MYD88"])  # none
    return doc


def test_pair_block_with_hand_computed_figures(db: Database, two_layers: str) -> None:
    (pair,) = agreement_report(db)["pairs"]  # type: ignore[index]
    assert pair["relations"] == {  # n_a = n_b = 3
        "n_a": 3,
        "n_b": 3,
        # exact: 1 match -> P = R = 1/3, F1 = 2*1/(3+3)
        "exact": {"matched": 1, "precision": 0.3333, "recall": 0.3333, "f1": 0.3333},
        # overlap: 2 matches -> P = R = F1 = 2/3
        "overlap": {"matched": 2, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667},
    }


def test_deleted_ends_leave_the_comparison(db: Database, two_layers: str) -> None:
    (btk,) = [s for s in annotate.spans_for(db, two_layers, "bo") if s.text == "MYD88"]
    annotate.delete_span(db, btk.uid)  # bo's unmatched relation goes with it
    (pair,) = agreement_report(db)["pairs"]  # type: ignore[index]
    # exact: 1 of n_b = 2 -> P 0.5, R 1/3, F1 2/5; overlap: 2 -> P 1.0, R 2/3, F1 4/5
    assert pair["relations"]["exact"] == {
        "matched": 1, "precision": 0.5, "recall": 0.3333, "f1": 0.4}  # fmt: skip
    assert pair["relations"]["overlap"] == {
        "matched": 2, "precision": 1.0, "recall": 0.6667, "f1": 0.8}  # fmt: skip


def test_matching_is_one_to_one_and_typed() -> None:
    t, g, g2 = Mention(0, 5, "therapy"), Mention(10, 14, "target"), Mention(11, 16, "target")
    a = [RelationMention(t, g, "acts_on")]
    b = [RelationMention(t, g2, "acts_on"), RelationMention(t, g, "acts_on")]
    assert exact_relation_matches(a, b) == 1
    assert overlap_relation_matches(a, b) == 1  # A's one relation matches once
    assert overlap_relation_matches(a, [RelationMention(t, g2, "binds")]) == 0
    assert (
        overlap_relation_matches(a, [RelationMention(t, Mention(10, 14, "outcome"), "acts_on")])
        == 0
    )
    assert exact_relation_matches([], []) == 0


def test_the_command_prints_the_block(
    db: Database, db_path: Path, two_layers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(capsys, "--db", str(db_path), "agreement", "--json")
    assert code == 0, err
    (pair,) = json.loads(out)["pairs"]
    assert pair["relations"]["overlap"]["matched"] == 2
