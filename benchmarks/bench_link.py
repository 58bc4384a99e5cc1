"""Linking spans to concepts: top-1 accuracy against a hand-written gold, and speed.

- ``accuracy[...]``: every target and therapy span of ``benchmarks/gold/*.tsv``
  (the sample articles in ``data/`` and the shared corpus) is added unlinked
  for one curator, ``curator link`` runs over them, and each span's concepts
  are compared with ``benchmarks/gold_concepts/concepts.tsv`` (spans it has
  no row for yet are left out and listed on stderr). A span whose
  gold is "-" (a pathway, an axis, a vague phrase) is right when left
  unlinked. Targets: all target spans; drug names: therapy spans whose gold
  is a drug or a list of drugs; kinds: the therapy kinds (reported only).
- ``link_20k``: ``curator link`` over 20,000 unlinked spans, one core (the
  floor: the same spans' concepts written by one plain UPDATE).
- ``candidates_p95``: the picker's candidates for type-ahead queries (every
  prefix of 200 names) over a 150,000-name vocabulary, 95th percentile.

Run: ``python -m benchmarks.bench_link`` (``--smoke``: small sizes).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks._common import absolute, emit, floor, machine, median_ms, parser
from benchmarks.suggestions import GOLD, article_for, read_gold
from curator.core.articles import corpus
from curator.core.concepts.linking import link_unlinked
from curator.core.concepts.ranking import Ranker
from curator.core.concepts.vocabulary import names_for
from curator.core.concepts.vocabulary_index import shipped_ranker
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database

REPO = Path(__file__).resolve().parent.parent
CONCEPT_GOLD = REPO / "benchmarks" / "gold_concepts" / "concepts.tsv"
CLASSES = {"target": ("gene", "group"), "drug_name": ("drug", "regimen"), "kind": ("kind",)}


def read_concept_gold() -> dict[tuple[str, str], tuple[str, frozenset[str]]]:
    gold = {}
    for line in CONCEPT_GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text, kind, ids = line.split("\t")
        gold[(label, text)] = (kind, frozenset() if ids == "-" else frozenset(ids.split(";")))
    return gold


def _database(folder: Path, name: str) -> Database:
    db = open_database(f"sqlite:///{folder / name}")
    migrate.upgrade(db, backup=False)
    return db


def _gold_spans(db: Database) -> None:
    for gold in sorted(GOLD.glob("*.tsv")):
        article = corpus.import_articles(db, [article_for(gold)])
        uid = (article.added or article.present)[0].uid
        items = [NewSpan(s, e, label) for s, e, label, _ in read_gold(gold) if label != "outcome"]
        annotate.add_spans(db, uid, "gold", [i for i in items if i.label != "expert"])


def accuracy(folder: Path) -> dict[str, tuple[int, int]]:
    gold = read_concept_gold()
    db = _database(folder, "accuracy.sqlite")
    try:
        _gold_spans(db)
        link_unlinked(db, "gold")
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        misses: list[str] = []
        from curator.core.articles import documents

        unjudged: set[tuple[str, str]] = set()
        for doc in documents.list_documents(db):
            for span in annotate.spans_for(db, doc.uid, "gold"):
                if (span.label, span.text) not in gold:
                    unjudged.add((span.label, span.text))  # no concept written for it yet
                    continue
                kind, ids = gold[(span.label, span.text)]
                found = frozenset(c.id for c in span.concepts)
                for name, kinds in CLASSES.items():
                    if kind in kinds or (name == "target" and span.label == "target"):
                        total[name] += 1
                        if found == ids:
                            right[name] += 1
                        else:
                            misses.append(f"{span.label} {span.text!r}: {sorted(found)}")
        for miss in misses:
            print(f"# miss: {miss}", file=sys.stderr)
        for label, text in sorted(unjudged):
            print(f"# no concept gold: {label} {text!r}", file=sys.stderr)
        return {name: (right[name], total[name]) for name in CLASSES}
    finally:
        db.dispose()


def link_speed(folder: Path, n_spans: int, repeat: int) -> tuple[float, float, int]:
    """Median ms of linking about *n_spans* spans, of the floor (one plain UPDATE of
    them), and the exact number of spans."""
    template = _database(folder, "template.sqlite")
    try:
        _gold_spans(template)
        originals = {
            doc: [NewSpan(s.start, s.end, s.label) for s in annotate.spans_for(template, doc)]
            for doc in corpus_docs(template)
        }
        per_copy = sum(len(items) for items in originals.values())
        for _ in range(max(1, n_spans // per_copy) - 1):  # the gold spans again and again
            for doc, items in originals.items():
                annotate.add_spans(template, doc, "gold", items)
        n_spans = per_copy * max(1, n_spans // per_copy)
    finally:
        template.dispose()
    data = (folder / "template.sqlite").read_bytes()
    target = folder / "link.sqlite"
    holder: list[Database] = []

    def setup() -> None:
        for db in holder:
            db.dispose()
        holder.clear()
        target.write_bytes(data)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        holder.append(open_database(f"sqlite:///{target}"))

    def link() -> None:
        shipped_ranker.cache_clear()  # as a fresh `curator link`: indexes read from disk
        link_unlinked(holder[0], "gold")

    def plain_update() -> None:
        with holder[0].write() as session:
            session.connection().exec_driver_sql(
                'UPDATE annotation SET concepts = \'[{"id": "X:1", "name": "x"}]\', '
                "revision = revision + 1"
            )

    setup()
    link()  # builds the on-disk index cache once, as the first run after installing does
    link_unlinked_ms = median_ms(link, repeat, setup=setup)
    floor_ms = median_ms(plain_update, repeat, setup=setup)
    for db in holder:
        db.dispose()
    return link_unlinked_ms, floor_ms, n_spans


def corpus_docs(db: Database) -> list[str]:
    from curator.core.articles import documents

    return [d.uid for d in documents.list_documents(db)]


def candidates_p95(n_names: int, n_queries: int) -> tuple[float, int]:
    names = [*names_for("therapy"), *names_for("target")][:n_names]
    ranker = Ranker(names)
    rng = random.Random(14)
    picks = rng.sample(names, n_queries)
    times = []
    for name in picks:
        for end in range(1, min(len(name.text), 12) + 1):
            began = time.perf_counter()
            ranker.candidates(name.text[:end])
            times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return times[int(0.95 * (len(times) - 1))], len(names)


def main() -> None:
    args = parser(__doc__ or "").parse_args()
    emit(machine())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scores = accuracy(folder)
        for name, at_least in (("target", 0.95), ("drug_name", 0.95), ("kind", None)):
            right, total = scores[name]
            share = right / total if total else 0.0
            if at_least is None:
                absolute(f"accuracy[{name}]", share, "share", right=right, spans=total)
            else:
                absolute(f"accuracy[{name}]", share, "share", at_least=at_least,
                         right=right, spans=total)  # fmt: skip
        linked_ms, floor_ms, n_spans = link_speed(
            folder, 2_000 if args.smoke else 20_000, 1 if args.smoke else 3
        )
        floor("update_floor", floor_ms, "ms", spans=n_spans)
        absolute("link_20k", linked_ms, "ms", at_most=2000.0, spans=n_spans,
                 times_floor=round(linked_ms / floor_ms, 2))  # fmt: skip
    p95, size = candidates_p95(20_000 if args.smoke else 150_000, 20 if args.smoke else 200)
    absolute("candidates_p95", p95, "ms", at_most=50.0, names=size)


if __name__ == "__main__":
    main()
