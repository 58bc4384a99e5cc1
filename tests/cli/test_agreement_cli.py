"""``curator agreement``: the JSON shape the docs promise, and the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from tests.cli.test_merge_cli import DATA, call


def test_agreement_json_and_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    assert call(capsys, "--db", str(path), "import", str(DATA))[0] == 0
    db = open_database(f"sqlite:///{path}")
    uid = documents.list_documents(db)[0].uid
    annotate.add_spans(db, uid, "alice", [NewSpan(0, 8, "therapy"), NewSpan(20, 30, "target")])
    annotate.add_spans(db, uid, "bob", [NewSpan(0, 8, "therapy"), NewSpan(20, 28, "target")])
    db.dispose()
    code, out, err = call(capsys, "--db", str(path), "agreement", "--json")
    assert code == 0, err
    (pair,) = json.loads(out)["pairs"]
    assert set(pair) == {"a", "b", "overall", "labels", "documents", "relations"}
    assert set(pair["overall"]) == {"f1_exact", "f1_overlap", "kappa", "alpha"}
    assert pair["labels"]["target"] == {
        "f1_exact": 0.0, "f1_overlap": 1.0, "n_a": 1, "n_b": 1,
        "concepts_matched": 0, "concepts_agree": None,
    }  # fmt: skip
    assert pair["labels"]["therapy"]["concepts_agree"] == 1.0  # both unlinked: they agree
    assert pair["labels"]["therapy"]["f1_exact"] == 1.0
    assert list(pair["documents"]) == [uid]

    code, out, _ = call(capsys, "--db", str(path), "agreement", "--label", "target")
    assert code == 0
    assert "bob against alice: 1 document both worked on" in out
    assert "target" in out and "therapy" not in out

    code, _, err = call(capsys, "--db", str(path), "agreement", "--curators", "alice", "zed")
    assert code == 1 and "no curator called 'zed'" in err
    code, _, err = call(capsys, "--db", str(path), "agreement", "--label", "dose")
    assert code == 1 and "unknown label 'dose'" in err


def test_agreement_json_shares_of_matched_spans_with_the_same_concepts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from curator.core.concepts.linking import link_span
    from curator.core.storage.concepts import Concept

    path = tmp_path / "team.sqlite"
    assert call(capsys, "--db", str(path), "import", str(DATA))[0] == 0
    db = open_database(f"sqlite:///{path}")
    uid = documents.list_documents(db)[0].uid
    items = [NewSpan(0, 4, "target"), NewSpan(5, 9, "target"), NewSpan(10, 14, "target")]
    mine = annotate.add_spans(db, uid, "alice", items)
    theirs = annotate.add_spans(db, uid, "bob", [*items, NewSpan(20, 24, "target")])
    one, two = Concept("HGNC:1", "ONE"), Concept("HGNC:2", "TWO")
    link_span(db, mine[0].uid, [one])
    link_span(db, theirs[0].uid, [one])  # agree
    link_span(db, mine[1].uid, [one])
    link_span(db, theirs[1].uid, [two])  # differ
    link_span(db, theirs[3].uid, [two])  # unmatched span: not counted
    db.dispose()  # the third pair is unlinked on both sides: agrees
    code, out, err = call(capsys, "--db", str(path), "agreement", "--json")
    assert code == 0, err
    (pair,) = json.loads(out)["pairs"]
    target = pair["labels"]["target"]
    assert (target["concepts_matched"], target["concepts_agree"]) == (3, round(2 / 3, 4))
