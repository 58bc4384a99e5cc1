"""A real database of the sample and corpus articles, with the gold spans as a team's work."""

from __future__ import annotations

from pathlib import Path

from benchmarks.suggestions import GOLD, article_for, read_gold
from curator.core.articles import corpus
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database

HELD_OUT = "04_itp_tpo"
"""Never tagged in :func:`team_database`: the unseen article."""


def gold_files() -> list[Path]:
    """The sample articles of ``data/`` and the shared corpus: a fixed team of seven
    articles, so training in the tests costs the same as more gold is written."""
    return [
        g
        for g in sorted(GOLD.glob("*.tsv"))
        if article_for(g).is_file() and "articles" not in article_for(g).parent.parts[-1:]
    ]


def team_database(db: Database, curator: str = "ann", held_out: str = HELD_OUT) -> dict[str, str]:
    """Import every gold article; tag the gold spans of all but *held_out*.

    Returns article stem -> document uid.
    """
    files = gold_files()
    report = corpus.import_articles(db, [article_for(g) for g in files])
    uids = {Path(a.path).stem: a.uid for a in report.added}
    for gold in files:
        stem = article_for(gold).stem
        if stem == held_out:
            continue
        spans = [NewSpan(s, e, label) for s, e, label, _t in read_gold(gold)]
        annotate.add_spans(db, uids[stem], curator, spans)
    return uids


def gold_of(stem: str) -> set[tuple[int, int, str]]:
    for gold in gold_files():
        if article_for(gold).stem == stem:
            return {(s, e, label) for s, e, label, _t in read_gold(gold)}
    raise KeyError(stem)
