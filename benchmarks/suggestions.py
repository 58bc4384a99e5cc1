"""Precision and recall of suggestions against hand-made gold spans, and their cost.

    .venv/bin/python benchmarks/suggestions.py             # JSON
    .venv/bin/python benchmarks/suggestions.py --markdown  # the README table
    .venv/bin/python benchmarks/suggestions.py --source pkg.module:factory

Gold: ``benchmarks/gold/*.tsv`` (start, end, label, text), one file per
article, written by hand following the annotation guidelines. Files named
``corpus_*`` belong to ``../shared/corpus``; the others to the sample
articles of ``data/`` (imported by the tests and the demo) or, for the
articles written for this benchmark only, ``benchmarks/articles/``.

Leave one document out: every article is evaluated with what was learned
from the *other* articles only. The shipped lexicons and patterns are
fixed data; the learned source (strings the team tagged elsewhere) and
every extra source are built afresh for each evaluated article from the
other articles' texts and gold, so an article's own spans never reach them.

Extra sources plug in as factories (:data:`SourceFactory`): given the
training articles, return a matcher ``text -> [Proposal]``. A trained
recognizer trains on the others and proposes on the held-out article;
``--source module:function`` names one on the command line, and
:func:`evaluate` takes a list. Settings scored: the shipped sources alone;
with learned; with the drug library (when the ``drugs`` extra is
installed); with each extra source (shipped and learned too).

Exact match: same start, end and label. Overlap match: same label and
overlapping ranges. Figures per label, over all articles together and per
group (sample articles, shared corpus); per source, the exact precision of
what it proposed (the evidence for the confidence priors of
``curator/core/suggest/confidence.py``).

Timing: suggestions computed and stored for the longest corpus article in a
fresh SQLite file, as on a curator's first open; matching 1 MB of text,
median of 3, against a floor measured in the same run (tokenizing the same
text with the lexicons' token pattern).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from curator.core.articles import corpus  # noqa: E402
from curator.core.articles.text import decode_article  # noqa: E402
from curator.core.storage import migrate  # noqa: E402
from curator.core.storage.db import open_database  # noqa: E402
from curator.core.suggest import drug_library  # noqa: E402
from curator.core.suggest import stored as suggestions  # noqa: E402
from curator.core.suggest.finding import (  # noqa: E402
    Matcher,
    Proposal,
    learned_lexicon,
    shipped_sources,
    suggest,
)

GOLD = REPO / "benchmarks" / "gold"
ARTICLES = REPO / "benchmarks" / "articles"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
LABELS = ("therapy", "target", "outcome", "expert")

Span = tuple[int, int, str]


class Article(NamedTuple):
    """One gold article: its name, text and gold spans (start, end, label, quote)."""

    name: str
    text: str
    gold: tuple[tuple[int, int, str, str], ...]


# Given the training articles (never the evaluated one), a matcher for the held-out text.
SourceFactory = Callable[[Sequence[Article]], Matcher]


def unescape(field: str) -> str:
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 1 < len(field):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def read_gold(path: Path) -> list[tuple[int, int, str, str]]:
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        start, end, label, text = line.split("\t")
        rows.append((int(start), int(end), label, unescape(text)))
    return rows


def article_for(gold: Path) -> Path:
    if gold.stem.startswith("corpus_"):
        return SHARED_CORPUS / (gold.stem.removeprefix("corpus_") + ".txt")
    sample = REPO / "data" / (gold.stem + ".txt")
    return sample if sample.is_file() else ARTICLES / (gold.stem + ".txt")


def read_text(path: Path) -> str:
    return decode_article(path.read_bytes(), path)


def score(pairs: Iterable[tuple[list[Span], list[Span]]]) -> dict[str, dict[str, float]]:
    """Per label and overall: exact and overlap precision/recall over all articles."""
    tally: dict[str, dict[str, int]] = {}
    for found, gold in pairs:
        for label in (*LABELS, "all"):
            f = [s for s in found if label in ("all", s[2])]
            g = [s for s in gold if label in ("all", s[2])]
            t = tally.setdefault(label, dict.fromkeys(("n_s", "n_g", "ep", "er", "op", "or"), 0))
            t["n_s"] += len(f)
            t["n_g"] += len(g)
            gset, fset = set(g), set(f)
            t["ep"] += sum(1 for s in f if s in gset)
            t["er"] += sum(1 for s in g if s in fset)
            t["op"] += sum(1 for s in f if any(_overlaps(s, x) for x in g))
            t["or"] += sum(1 for s in g if any(_overlaps(s, x) for x in f))
    return {
        label: {
            "suggested": t["n_s"],
            "gold": t["n_g"],
            "precision_exact": _ratio(t["ep"], t["n_s"]),
            "recall_exact": _ratio(t["er"], t["n_g"]),
            "precision_overlap": _ratio(t["op"], t["n_s"]),
            "recall_overlap": _ratio(t["or"], t["n_g"]),
        }
        for label, t in tally.items()
    }


def _overlaps(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def _ratio(n: int, d: int) -> float:
    return round(n / d, 3) if d else 0.0


def load_articles(golds: Sequence[Path]) -> list[Article]:
    return [
        Article(g.stem, read_text(article_for(g)), tuple(read_gold(g)))
        for g in golds
        if article_for(g).is_file()
    ]


def evaluate(
    articles: Sequence[Article],
    *,
    learned: bool,
    team: Sequence[Article] | None = None,
    extra: Sequence[Matcher] = (),
    factories: Sequence[SourceFactory] = (),
    per_source: dict[str, list[int]] | None = None,
) -> dict[str, dict[str, float]]:
    """Score *articles*, each left out of what the others teach.

    *team* (default: *articles*) are the articles the learned source and the
    *factories* learn from, the evaluated one always removed. *extra* are
    fixed matchers (a dictionary). *per_source*, when given, collects per
    source [proposed, exactly right].
    """
    sources = shipped_sources()
    team = list(articles if team is None else team)
    pairs = []
    for art in articles:
        others = [o for o in team if o.name != art.name]
        assert all(o.name != art.name for o in others)  # the held-out gold stays out
        lexicon = None
        if learned:
            lexicon = learned_lexicon([(q, lab, 1) for o in others for _s, _e, lab, q in o.gold])
        matchers = [*extra, *(factory(others) for factory in factories)]
        proposals = suggest(art.text, sources, lexicon, LABELS, matchers)
        found = [(p.start, p.end, p.label) for p in proposals]
        gold = [(s, e, lab) for s, e, lab, _q in art.gold]
        if per_source is not None:
            _tally_sources(proposals, set(gold), per_source)
        pairs.append((found, gold))
    return score(pairs)


def _tally_sources(
    proposals: Iterable[Proposal], gold: set[Span], tally: dict[str, list[int]]
) -> None:
    for p in proposals:
        row = tally.setdefault(p.source, [0, 0])
        row[0] += 1
        row[1] += (p.start, p.end, p.label) in gold


def import_factory(spec: str) -> SourceFactory:
    """``package.module:function`` -> that function (a :data:`SourceFactory`)."""
    module, _, name = spec.partition(":")
    if not name:
        raise SystemExit(f"error: --source {spec}: expected module:function")
    factory: SourceFactory = getattr(importlib.import_module(module), name)
    return factory


def time_first_open() -> dict[str, object]:
    articles = sorted(SHARED_CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
    if not articles:
        return {"skipped": f"no articles in {SHARED_CORPUS}"}
    longest = articles[-1]
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        migrate.upgrade(db)
        report = corpus.import_articles(db, [longest])
        uid = report.added[0].uid
        shipped_sources()  # loaded once per process, at the first open
        t0 = time.perf_counter()
        suggestions.compute_on_first_open(db, uid, "bench")
        t1 = time.perf_counter()
        shown = suggestions.pending_suggestions(db, uid, "bench")
        t2 = time.perf_counter()
        db.dispose()
    t_load = time.perf_counter()
    from curator.core.suggest.finding import load_sources

    load_sources()
    load_ms = (time.perf_counter() - t_load) * 1000
    # Scale: the same article repeated to about 1 MB, matching only; median of 3
    # against a floor of the same run: tokenizing that text as the lexicons do.
    from curator.core.suggest.finding import _TOKEN

    big = (read_text(longest) + "\n\n") * (1_000_000 // (len(read_text(longest)) + 2))
    runs, floors, n_big = [], [], 0
    for _ in range(3):
        t_floor = time.perf_counter()
        sum(1 for _m in _TOKEN.finditer(big))
        floors.append((time.perf_counter() - t_floor) * 1000)
        t_big = time.perf_counter()
        n_big = len(suggest(big, shipped_sources()))
        runs.append((time.perf_counter() - t_big) * 1000)
    big_ms, floor_ms = statistics.median(runs), statistics.median(floors)
    return {
        "article": longest.name,
        "characters": len(read_text(longest)),
        "suggestions": len(shown),
        "compute_and_store_ms": round((t1 - t0) * 1000, 1),
        "read_pending_ms": round((t2 - t1) * 1000, 1),
        "load_sources_ms": round(load_ms, 1),
        "match_1mb": {
            "characters": len(big),
            "suggestions": n_big,
            "ms": round(big_ms),
            "runs_ms": [round(r) for r in runs],
            "floor_tokenize_ms": round(floor_ms),
            "times_floor": round(big_ms / floor_ms, 1),
        },
        "machine": {"cores": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 2)},
    }


def markdown(results: dict[str, dict[str, dict[str, dict[str, float]]]]) -> str:
    lines = []
    for name, settings in results.items():
        for setting, table in settings.items():
            lines.append(f"\n**{name}, {setting}**\n")
            lines.append("| label | gold | suggested | P exact | R exact | P overlap | R overlap |")
            lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for label in (*LABELS, "all"):
                r = table[label]
                lines.append(
                    f"| {label} | {r['gold']} | {r['suggested']} | {r['precision_exact']:.2f} | "
                    f"{r['recall_exact']:.2f} | {r['precision_overlap']:.2f} | "
                    f"{r['recall_overlap']:.2f} |"
                )
    return "\n".join(lines)


def run(
    factories: Sequence[tuple[str, SourceFactory]] = (),
) -> tuple[
    dict[str, list[str]], dict[str, dict[str, dict[str, dict[str, float]]]], dict[str, object]
]:
    """Every setting over all articles and per group; per-source precision (shipped + learned)."""
    golds = sorted(GOLD.glob("*.tsv"))
    everything = load_articles(golds)
    groups = {
        "all articles": everything,
        "sample articles": [a for a in everything if not a.name.startswith("corpus_")],
        "shared corpus": [a for a in everything if a.name.startswith("corpus_")],
    }
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    tally: dict[str, list[int]] = {}
    library = drug_library.drug_library() if drug_library.available() else None
    for name, arts in groups.items():
        if not arts:
            continue
        first = name == "all articles"
        results[name] = {
            "lexicons and patterns": evaluate(arts, learned=False, team=everything),
            "with learned (leave one out)": evaluate(
                arts, learned=True, team=everything, per_source=tally if first else None
            ),
        }
        if library is not None:
            results[name]["with the drug library"] = evaluate(
                arts, learned=False, team=everything, extra=[library]
            )
        for label, factory in factories:
            results[name][f"with {label} (leave one out)"] = evaluate(
                arts, learned=True, team=everything, factories=[factory]
            )
    sources = {
        source: {"proposed": n, "exact": k, "precision_exact": _ratio(k, n)}
        for source, (n, k) in sorted(tally.items())
    }
    names = {k: [a.name for a in v] for k, v in groups.items() if k != "all articles"}
    return names, results, sources


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print tables for the README")
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="MODULE:FUNCTION",
        help="an extra suggestion source: a factory given the training articles (repeatable)",
    )
    args = parser.parse_args()
    factories = [(spec, import_factory(spec)) for spec in args.source]
    names, results, sources = run(factories)
    if args.markdown:
        print(markdown(results))
        return 0
    out: dict[str, object] = {"articles": names, "scores": results, "per_source": sources}
    out["first_open"] = time_first_open()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
