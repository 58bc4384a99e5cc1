"""Merging two curators' databases, and their agreement.

Inputs from the generator: two databases of 500,000 spans each over the same
5,000 articles (alice's, and bob's variant of them: 80% of spans equal, the
rest relabelled, resized or missing), and one database holding both, 1,000,000
spans. Figures: ``merge`` at most 3 s through
``curator.core.merge.engine.merge_databases(target, sources)``; ``agreement`` at most
5 s through ``curator.core.agreement.data.agreement_report`` (every pair, label
and document, as ``curator agreement --json`` computes it). Reported without a
target: ``remerge``, merging the same source again (idempotence: nothing
changes, every span is compared). ``--method portable`` measures the merge
path used for PostgreSQL, on the same SQLite files.

    python -m benchmarks.bench_merge [--smoke] [--method auto|attach|portable]
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import absolute, emit, machine, parser
from benchmarks.generate import SynthArticle, make_corpus, variant, write_database
from curator.core.agreement.data import agreement_report
from curator.core.merge.engine import merge_databases
from curator.core.merge.report import MergeReport
from curator.core.storage.db import Database, open_database


def _corpora(docs: int, spans: int) -> tuple[list[SynthArticle], list[SynthArticle]]:
    alice = list(make_corpus(11, docs, spans))
    rng = random.Random(12)
    bob = [variant(rng, a, agreement=0.8) for a in alice]
    return alice, bob


def _open(path: Path) -> Database:
    return open_database(f"sqlite:///{path}")


def merge_figure(
    merge_databases: Callable[..., MergeReport],
    folder: Path,
    alice: list[SynthArticle],
    bob: list[SynthArticle],
    method: str = "auto",
) -> None:
    a, b = folder / "alice.sqlite", folder / "bob.sqlite"
    write_database(a, alice, "alice", seed=1)
    write_database(b, bob, "bob", seed=2)
    spans = sum(len(x.spans) for x in alice) + sum(len(x.spans) for x in bob)
    target_path = folder / "merged.sqlite"
    shutil.copyfile(a, target_path)
    target, source = _open(target_path), _open(b)
    try:
        began = time.perf_counter()
        report = merge_databases(target, [source], method=method)
        seconds = time.perf_counter() - began
        absolute(
            "merge", seconds, "s", at_most=3.0, spans=spans, method=method,
            added=report.spans_added, updated=report.spans_updated,
        )  # fmt: skip
        began = time.perf_counter()
        again = merge_databases(target, [source], method=method)
        seconds = time.perf_counter() - began
        absolute("remerge", seconds, "s", spans=spans, method=method, changed=again.changed)
    finally:
        target.dispose()
        source.dispose()


def agreement_figure(
    measure: Callable[[Database], Any],
    folder: Path,
    alice: list[SynthArticle],
    bob: list[SynthArticle],
) -> None:
    both = folder / "both.sqlite"
    write_database(both, alice, "alice", seed=1)
    write_database(both, bob, "bob", seed=2)
    spans = sum(len(x.spans) for x in alice) + sum(len(x.spans) for x in bob)
    db = _open(both)
    try:
        began = time.perf_counter()
        measure(db)
        seconds = time.perf_counter() - began
    finally:
        db.dispose()
    absolute("agreement", seconds, "s", at_most=5.0, spans=spans)


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--method", choices=("auto", "attach", "portable"), default="auto")
    args = p.parse_args(argv)
    docs, spans = (10, 1_000) if args.smoke else (5_000, 500_000)
    emit(machine())
    alice, bob = _corpora(docs, spans)
    with tempfile.TemporaryDirectory(prefix="curator-bench-") as tmp:
        merge_figure(merge_databases, Path(tmp), alice, bob, args.method)
        agreement_figure(agreement_report, Path(tmp), alice, bob)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
