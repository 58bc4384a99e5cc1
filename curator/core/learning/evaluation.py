"""Leave-one-document-out evaluation of the recognizer, for the suggestion benchmark.

For each document: train on the decisions of all the others, propose on the
held-out text, and pair what was proposed with that document's gold. The
pairs go to the benchmark's scorer (``benchmarks/suggestions.py``), the same
one the lexicons are scored with, so the figures compare.
"""

from __future__ import annotations

from collections.abc import Sequence

from curator.core.learning.decisions import DocumentDecisions, Place
from curator.core.learning.pipeline import SPANS_KEY
from curator.core.learning.training import train_pipeline


def leave_one_out(
    documents: Sequence[DocumentDecisions], *, epochs: int | None = None
) -> list[tuple[list[Place], list[Place]]]:
    """(proposed, gold) per document, each proposed by a model that never saw it."""
    pairs: list[tuple[list[Place], list[Place]]] = []
    for i, held_out in enumerate(documents):
        others = [d for j, d in enumerate(documents) if j != i]
        nlp, _skipped = train_pipeline(others, epochs=epochs)
        doc = nlp(held_out.text)
        found = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY])
        pairs.append((found, sorted(held_out.positives)))
    return pairs
