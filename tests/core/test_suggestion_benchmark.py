"""The suggestion benchmark: leave one document out, also for sources plugged in."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Sequence

from curator.core.suggest.finding import Matcher, Proposal
from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location(
    "bench_suggestions", REPO / "benchmarks" / "suggestions.py"
)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_suggestions", bench)
_spec.loader.exec_module(bench)


def articles() -> list:  # type: ignore[type-arg]
    return bench.load_articles(sorted(bench.GOLD.glob("*.tsv")))


def test_a_plugged_in_source_never_sees_the_article_it_is_scored_on() -> None:
    arts = articles()
    seen: list[set[str]] = []

    def memorizing(training: Sequence[bench.Article]) -> Matcher:
        """Proposes every gold quote of its training articles, wherever it appears."""
        seen.append({a.name for a in training})
        quotes = {(q, lab) for a in training for _s, _e, lab, q in a.gold}

        def match(text: str) -> list[Proposal]:
            return [
                Proposal(m.start(), m.end(), lab, "memo")
                for q, lab in quotes
                for m in re.finditer(re.escape(q), text)
            ]

        return match

    table = bench.evaluate(arts, learned=False, factories=[memorizing])
    assert len(seen) == len(arts)
    for art, names in zip(arts, seen, strict=True):
        assert art.name not in names
        assert len(names) == len(arts) - 1
    assert table["all"]["gold"] == sum(len(a.gold) for a in arts)


def test_scores_count_exact_and_overlapping_matches_per_label() -> None:
    gold = [(0, 10, "therapy"), (20, 30, "target")]
    found = [(0, 10, "therapy"), (22, 30, "target"), (40, 45, "expert")]
    table = bench.score([(found, gold)])
    assert table["therapy"]["precision_exact"] == 1.0
    assert table["target"]["precision_exact"] == 0.0
    assert table["target"]["recall_overlap"] == 1.0
    assert table["expert"]["precision_exact"] == 0.0
    assert table["all"]["recall_exact"] == 0.5
