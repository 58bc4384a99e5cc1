"""Precision and recall of suggestions against hand-made gold spans, and their cost.

    .venv/bin/python benchmarks/suggestions.py             # JSON
    .venv/bin/python benchmarks/suggestions.py --markdown  # the README table

Gold: ``benchmarks/gold/*.tsv`` (start, end, label, text), one file per
article, written by hand following the annotation guidelines. Files named
``corpus_*`` belong to ``../shared/corpus``; the others to ``data/``.

Settings: the shipped lexicons and patterns alone, and with the learned
source added, where the gold of all *other* articles (samples and corpus)
stands for what the team tagged before (leave one out); and, when the
``drugs`` extra is installed, with the drug-named-entity-recognition
dictionary as another therapy source. Exact match: same start, end and label.
Overlap match: same label and overlapping ranges.

Timing: suggestions computed and stored for the longest corpus article in a
fresh SQLite file, as on a curator's first open.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from curator.core.articles import corpus  # noqa: E402
from curator.core.articles.text import decode_article  # noqa: E402
from curator.core.storage import migrate  # noqa: E402
from curator.core.storage.db import open_database  # noqa: E402
from curator.core.suggest import drug_library  # noqa: E402
from curator.core.suggest import stored as suggestions  # noqa: E402
from curator.core.suggest.finding import Matcher, learned_lexicon, shipped_sources, suggest  # noqa: E402

GOLD = REPO / "benchmarks" / "gold"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
LABELS = ("therapy", "target", "outcome", "expert")

Span = tuple[int, int, str]


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
    return REPO / "data" / (gold.stem + ".txt")


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


def evaluate(
    golds: list[Path],
    *,
    learned: bool,
    team: list[Path] | None = None,
    extra: Sequence[Matcher] = (),
) -> dict[str, dict[str, float]]:
    """Score *golds*; with *learned*, every other file of *team* is the team's earlier work."""
    sources = shipped_sources()
    texts = {g: read_text(article_for(g)) for g in golds}
    spans = {g: read_gold(g) for g in {*golds, *(team or [])}}
    pairs = []
    for g in golds:
        lexicon = None
        if learned:
            others = [(t, lab, 1) for o in team or [] if o != g for _s, _e, lab, t in spans[o]]
            lexicon = learned_lexicon(others)
        proposals = suggest(texts[g], sources, lexicon, LABELS, extra)
        found = [(p.start, p.end, p.label) for p in proposals]
        pairs.append((found, [(s, e, lab) for s, e, lab, _t in spans[g]]))
    return score(pairs)


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
    # Scale: the same article repeated to about 1 MB, matching only.
    big = (read_text(longest) + "\n\n") * (1_000_000 // (len(read_text(longest)) + 2))
    t_big = time.perf_counter()
    n_big = len(suggest(big, shipped_sources()))
    big_ms = (time.perf_counter() - t_big) * 1000
    return {
        "article": longest.name,
        "characters": len(read_text(longest)),
        "suggestions": len(shown),
        "compute_and_store_ms": round((t1 - t0) * 1000, 1),
        "read_pending_ms": round((t2 - t1) * 1000, 1),
        "load_sources_ms": round(load_ms, 1),
        "match_1mb": {"characters": len(big), "suggestions": n_big, "ms": round(big_ms)},
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print tables for the README")
    args = parser.parse_args()
    golds = sorted(GOLD.glob("*.tsv"))
    groups = {
        "sample articles (data/)": [g for g in golds if not g.stem.startswith("corpus_")],
        "shared corpus": [
            g for g in golds if g.stem.startswith("corpus_") and article_for(g).is_file()
        ],
    }
    usable = [g for files in groups.values() for g in files]
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for name, files in groups.items():
        if not files:
            continue
        results[name] = {
            "lexicons and patterns": evaluate(files, learned=False),
            "with learned (leave one out)": evaluate(files, learned=True, team=usable),
        }
        if drug_library.available():
            matcher = drug_library.drug_library()
            results[name]["with the drug library"] = evaluate(files, learned=False, extra=[matcher])
    if args.markdown:
        print(markdown(results))
        return 0
    out = {"articles": {k: [g.stem for g in v] for k, v in groups.items()}, "scores": results}
    out["first_open"] = time_first_open()
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
