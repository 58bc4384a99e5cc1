"""The benchmark's gold spans are well-formed slices of their articles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED_CORPUS

GOLD = REPO / "benchmarks" / "gold"
_spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "suggestions.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.tsv"))


def test_every_sample_article_has_a_gold_file() -> None:
    samples = {p.stem for p in (REPO / "data").glob("*.txt")}
    assert samples <= {p.stem for p in gold_files()}
    assert any(p.stem.startswith("corpus_") for p in gold_files())


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.stem)
def test_gold_text_is_the_article_slice(gold: Path) -> None:
    article = bench.article_for(gold)
    if gold.stem.startswith("corpus_") and not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not here ({SHARED_CORPUS})")
    text = bench.read_text(article)
    rows = bench.read_gold(gold)
    assert rows, gold
    assert gold.read_text(encoding="utf-8").splitlines()[0] == "start\tend\tlabel\ttext"
    for start, end, label, quote in rows:
        assert label in bench.LABELS
        assert 0 <= start < end <= len(text)
        assert text[start:end] == quote
        # No extra characters at the edges; a bracket only when the span opened it.
        assert quote == quote.strip(" \n.,;:\"'"), quote
        assert not quote.startswith(("(", ")")), quote
        assert not quote.endswith(")") or quote.count("(") == quote.count(")"), quote
    keys = [(s, e, lab) for s, e, lab, _q in rows]
    assert len(set(keys)) == len(keys)
    assert keys == sorted(keys)
