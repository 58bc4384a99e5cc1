"""A model's own confidence is kept with its suggestions and orders "most uncertain first"."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from curator.core.articles import corpus
from curator.core.storage.db import Database
from curator.core.suggest import stored
from curator.core.suggest.finding import shipped_sources
from curator.core.suggest.proposal import Proposal

TEXT = "Venetoclax with azacitidine was given; gilteritinib followed in relapse.\n"


def _model(text: str) -> list[Proposal]:
    """A stand-in for a trained model: two proposals with its own probabilities."""
    first, second = text.index("azacitidine"), text.index("gilteritinib")
    return [
        Proposal(first, first + len("azacitidine"), "therapy", "model:v1", 0.93),
        Proposal(second, second + len("gilteritinib"), "therapy", "model:v1", 0.41),
    ]


def test_scores_are_stored_and_order_the_uncertain_first(db: Database, tmp_path: Path) -> None:
    article = tmp_path / "aml.txt"
    article.write_text(TEXT, encoding="utf-8")
    (doc,) = corpus.import_articles(db, [article]).added
    # The shipped lists would propose these drugs themselves: only the model here.
    nothing = dataclasses.replace(shipped_sources(), lexicons=(), patterns=(), drug_stems=())
    stored.compute(db, doc.uid, "ana", sources=nothing, extra=[_model])
    pending = [s for s in stored.pending_suggestions(db, doc.uid, "ana") if s.source == "model:v1"]
    scores = {s.text: s.score for s in pending}
    assert scores == {"azacitidine": 0.93, "gilteritinib": 0.41}
    order = stored.review_order(pending, uncertain_first=True)
    assert [s.text for s in order] == ["gilteritinib", "azacitidine"]
    assert [s.text for s in stored.review_order(pending, uncertain_first=False)] == [
        "azacitidine",
        "gilteritinib",
    ]
