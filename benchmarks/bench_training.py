"""Training the suggestion model: CPU time for 100 documents, and its leave-one-out quality.

Input: the gold articles (``benchmarks/gold``, text from ``data/`` and
``../shared/corpus``) repeated, each copy made distinct by a numbered first
line, to 100 documents with their gold spans as the team's decisions: the
size a team reaches in its first weeks. Figures: ``train_100_documents``,
the CPU seconds (all threads) of :func:`curator.core.learning.training.train_pipeline`,
median of 3 runs, target at most 60 s (the model trains in a background
process on a 2-core laptop while the curator works); ``leave_one_out[LABEL]``
with ``--evaluate``: precision and recall (exact match) per label of models
trained on all other gold articles, and ``leave_one_out_with_lexicons[LABEL]``
of those models' proposals combined with the lexicons' (:func:`evaluate_model`).

    python -m benchmarks.bench_training [--smoke] [--evaluate]
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._common import absolute, emit, machine, parser, unavailable  # noqa: E402
from benchmarks.suggestions import (  # noqa: E402
    GOLD,
    LABELS,
    article_for,
    read_gold,
    read_text,
    score,
)
from curator.core.learning.decisions import DocumentDecisions  # noqa: E402
from curator.core.optional import SPACY, installed  # noqa: E402

TARGET_S = 60.0


def gold_documents() -> list[DocumentDecisions]:
    """The gold articles whose text is here, their gold spans as positives."""
    out = []
    for gold in sorted(GOLD.glob("*.tsv")):
        article = article_for(gold)
        if not article.is_file():
            continue
        spans = frozenset((s, e, label) for s, e, label, _t in read_gold(gold))
        out.append(DocumentDecisions(gold.stem, read_text(article), spans, frozenset()))
    return out


def copies(documents: list[DocumentDecisions], n: int) -> list[DocumentDecisions]:
    """*n* documents cycling through *documents*, each with its own first line."""
    out = []
    for i in range(n):
        doc = documents[i % len(documents)]
        head = f"Copy {i}.\n"
        shift = len(head)
        spans = frozenset((s + shift, e + shift, label) for s, e, label in doc.positives)
        out.append(DocumentDecisions(f"{doc.uid}-{i}", head + doc.text, spans, frozenset()))
    return out


def evaluate_model(
    documents: list[DocumentDecisions], epochs: int | None = None
) -> dict[str, dict[str, dict[str, float]]]:
    """Leave-one-document-out scores in the suggestion benchmark's shape.

    ``model``: the model's proposals alone; ``with lexicons``: what a curator
    is offered, the model combined with the shipped lexicons and patterns as
    ``suggest`` combines them (the model as an extra source).
    """
    from curator.core.learning.evaluation import leave_one_out
    from curator.core.learning.recognizer import ScoredProposal, beside_rules
    from curator.core.suggest.finding import shipped_sources, suggest

    pairs = leave_one_out(documents, epochs=epochs)
    combined = []
    for document, (found, gold) in zip(documents, pairs, strict=True):
        rules = suggest(document.text, shipped_sources())
        found_here = [ScoredProposal(s, e, label, "model", 1.0) for s, e, label in found]
        model = beside_rules(found_here, rules)
        offered = suggest(document.text, shipped_sources(), None, LABELS, [lambda _t, m=model: m])
        combined.append(([(p.start, p.end, p.label) for p in offered], gold))
    return {"model": score(pairs), "with lexicons": score(combined)}


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--evaluate", action="store_true", help="also score the model leave-one-out")
    args = p.parse_args()
    emit(machine())
    if not installed(SPACY):
        unavailable("train_100_documents", "spaCy (the 'formats' extra)")
        return 0
    from curator.core.learning.training import train_pipeline

    documents = gold_documents()
    n, epochs, runs = (4, 1, 1) if args.smoke else (100, None, 3)
    train = copies(documents, n)
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        if epochs is None:
            train_pipeline(train)
        else:
            train_pipeline(train, epochs=epochs)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    absolute(
        "train_100_documents",
        statistics.median(cpu),
        "s",
        at_most=TARGET_S,
        wall_s=round(statistics.median(wall), 1),
        characters=sum(len(d.text) for d in train),
        spans=sum(len(d.positives) for d in train),
        documents=n,
        runs=runs,
    )
    if args.evaluate:
        settings = evaluate_model(documents[:3] if args.smoke else documents, epochs)
        for (setting, scores), label in itertools.product(settings.items(), (*LABELS, "all")):
            row = scores[label]
            name = "leave_one_out" if setting == "model" else "leave_one_out_with_lexicons"
            emit(
                {
                    "figure": f"{name}[{label}]",
                    "value": row["precision_exact"],
                    "unit": "precision",
                    "recall": row["recall_exact"],
                    "precision_overlap": row["precision_overlap"],
                    "recall_overlap": row["recall_overlap"],
                    "gold": row["gold"],
                    "suggested": row["suggested"],
                    "target": None,
                    "pass": None,
                }
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
