"""CoNLL export: spans IOB cannot hold are named with the span they clash with, and counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.articles import corpus
from curator.core.interchange.common import LossError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database

TEXT = "Trial\nCD7 CAR-T cells and CD19 CAR-T cells worked.\n"


def _nested_and_overlapping(db: Database, tmp_path: Path) -> str:
    article = tmp_path / "trial.txt"
    article.write_text(TEXT, encoding="utf-8")
    (added,) = corpus.import_articles(db, [article]).added

    def at(quote: str, label: str) -> NewSpan:
        start = TEXT.index(quote)
        return NewSpan(start, start + len(quote), label)

    annotate.add_spans(
        db,
        added.uid,
        "ana",
        [
            at("CD7", "target"),  # nested in the therapy span
            at("CD7 CAR-T cells", "therapy"),
            at("CD19 CAR-T", "therapy"),
            at("CAR-T cells worked", "outcome"),  # overlaps "CD19 CAR-T"
        ],
    )
    annotate.add_span(db, added.uid, "bo", at("CD7", "target"))  # another column: no clash
    return added.uid


def test_nested_and_overlapping_spans_are_named_counted_and_refused(
    db: Database, tmp_path: Path
) -> None:
    _nested_and_overlapping(db, tmp_path)
    out = tmp_path / "x.conll"
    with pytest.raises(LossError, match="conll cannot hold 2 of 5 spans") as refused:
        interchange.export(db, "conll", out)
    assert not out.exists()
    message = str(refused.value)
    assert "target span 6-9 'CD7' is nested in therapy span 6-21 'CD7 CAR-T cells'" in message
    assert "'CAR-T cells worked' overlaps therapy span 26-36 'CD19 CAR-T'" in message

    report = interchange.export(db, "conll", out, allow_loss=True)
    assert (report.spans, len(report.problems)) == (3, 2)
    assert "2 spans left out" in report.summary()
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    tags = {row[0]: row[1:] for row in rows if len(row) == 3 and row[0] != "-DOCSTART-"}
    assert tags["CD7"] == ["B-therapy", "B-target"]  # the outer span kept for ana; bo's own
    assert tags["CD19"] == ["B-therapy", "O"] and tags["worked"] == ["O", "O"]
