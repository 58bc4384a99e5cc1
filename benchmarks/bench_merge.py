"""Merging two curators' databases, and their agreement, against the sqlite3 shell's floors.

Inputs from the generator: two databases of 500,000 spans each over the same
5,000 articles (alice's, and bob's variant of them: 80% of spans equal, the
rest relabelled, resized or missing), and one database holding both, 1,000,000
spans. Floors, measured in this run by the ``sqlite3`` shell:

- ``sqlite3_attach_insert``: bob's database attached to a copy of alice's and
  his spans copied in with one ``INSERT ... SELECT`` (documents, curators and
  labels mapped by uid and name), into the same table with the same indexes,
  committed, with the page cache the merge uses (256 MB).
- ``sqlite3_read_spans``: the spans agreement reads (document, curator, label,
  offsets of every live span) selected by the shell.

Figures, median of ``--repeat`` runs: ``merge`` (``merge_databases(target,
[source])`` in this process) and ``merge_cli`` (``curator merge`` as a
subprocess), each on a fresh copy of alice's database, at most 1.5x the
attach floor; ``agreement`` (``agreement_report``, every pair, label and
document, as ``curator agreement --json`` computes it) and ``agreement_cli``
(that command as a subprocess), at most 3x the read floor; beside them
``cpu_s``, their CPU time (user + system: on a busy machine the wall time
mostly measures the wait for a core), and ``floor_cpu_s``, the shell's. Reported:
``remerge``, merging the same source again (nothing changes, every span is
compared). ``--method portable`` measures the merge path used for PostgreSQL,
on the same SQLite files. Without the shell the figures are reported alone.

    python -m benchmarks.bench_merge [--smoke] [--repeat N] [--method auto|attach|portable]
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import absolute, emit, floor, machine, parser, ratio_max
from benchmarks.generate import SynthArticle, make_corpus, variant, write_database
from curator.core.agreement.data import agreement_report
from curator.core.merge.engine import merge_databases
from curator.core.merge.report import MergeReport
from curator.core.storage.db import Database, open_database

REPO = Path(__file__).resolve().parent.parent
SQLITE3_MISSING = "the sqlite3 shell is not installed (Debian/Ubuntu: apt-get install sqlite3)"
_COLUMNS = (
    'start, "end", text, note, origin, created_at, updated_at, deleted_at, revision, '
    "concepts, fragments"
)
ATTACH_INSERT = f"""
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -262144;
ATTACH 'SOURCE' AS src;
BEGIN IMMEDIATE;
INSERT INTO curator (name)
SELECT name FROM src.curator WHERE name NOT IN (SELECT name FROM curator);
INSERT INTO annotation (uid, document_id, curator_id, label_id, {_COLUMNS})
SELECT a.uid, d.id, c.id, l.id, {", ".join("a." + c.strip() for c in _COLUMNS.split(","))}
FROM src.annotation a
JOIN src.document sd ON sd.id = a.document_id JOIN document d ON d.uid = sd.uid
JOIN src.curator sc ON sc.id = a.curator_id JOIN curator c ON c.name = sc.name
JOIN src.label sl ON sl.id = a.label_id JOIN label l ON l.name = sl.name;
COMMIT;
"""
READ_SPANS = (
    'SELECT curator_id, document_id, start, "end", label_id FROM annotation '
    "WHERE deleted_at IS NULL"
)


def _corpora(docs: int, spans: int) -> tuple[list[SynthArticle], list[SynthArticle]]:
    alice = list(make_corpus(11, docs, spans))
    rng = random.Random(12)
    bob = [variant(rng, a, agreement=0.8) for a in alice]
    return alice, bob


def _open(path: Path) -> Database:
    return open_database(f"sqlite:///{path}")


def _copy(source: Path, target: Path) -> Path:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def _timed(command: list[str], stdin: str | None = None, cwd: Path = REPO) -> float:
    return _timed_cpu(command, stdin, cwd)[0]


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed_cpu(
    command: list[str], stdin: str | None = None, cwd: Path = REPO
) -> tuple[float, float]:
    """Wall seconds of *command*, and its CPU seconds (user + system, from the kernel)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    cpu = _children_cpu()
    began = time.perf_counter()
    done = subprocess.run(
        command, input=stdin, text=True, cwd=cwd, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed: {done.stderr}")
    return seconds, _children_cpu() - cpu


def _curator(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "curator", "--db", str(db), "-q", *args]


def _against(name: str, seconds: float, floor_s: float | None, limit: float, **extra: Any) -> None:
    """A figure in ms (small runs need the digits) against its floor, or alone without one."""
    if floor_s is None:
        absolute(name, seconds * 1000, "ms", floor_missing=SQLITE3_MISSING, **extra)
    else:
        ratio_max(name, seconds * 1000, floor_s * 1000, "ms", limit, **extra)


def merge_figure(
    merge_databases: Callable[..., MergeReport],
    folder: Path,
    alice: list[SynthArticle],
    bob: list[SynthArticle],
    *,
    method: str = "auto",
    repeat: int = 3,
) -> None:
    a, b = folder / "alice.sqlite", folder / "bob.sqlite"
    write_database(a, alice, "alice", seed=1)
    write_database(b, bob, "bob", seed=2)
    spans = sum(len(x.spans) for x in alice) + sum(len(x.spans) for x in bob)
    target_path = folder / "merged.sqlite"
    shell = shutil.which("sqlite3")
    floor_s = None
    if shell is not None:
        script = ATTACH_INSERT.replace("SOURCE", str(b).replace("'", "''"))
        floor_s = statistics.median(
            _timed([shell, str(_copy(a, target_path))], script) for _ in range(repeat)
        )
        floor("sqlite3_attach_insert", floor_s * 1000, "ms", spans=spans)
    else:
        emit({"figure": "sqlite3_attach_insert", "kind": "floor", "status": SQLITE3_MISSING})
    inner, report = [], None
    for _ in range(repeat):
        target, source = _open(_copy(a, target_path)), _open(b)
        try:
            began = time.perf_counter()
            report = merge_databases(target, [source], method=method)
            inner.append(time.perf_counter() - began)
        finally:
            target.dispose()
            source.dispose()
    assert report is not None
    _against(
        "merge", statistics.median(inner), floor_s, 1.5, spans=spans, method=method,
        added=report.spans_added, updated=report.spans_updated,
    )  # fmt: skip
    whole = [_timed(_curator(_copy(a, target_path), "merge", str(b))) for _ in range(repeat)]
    _against("merge_cli", statistics.median(whole), floor_s, 1.5, spans=spans)
    target, source = _open(target_path), _open(b)
    try:
        began = time.perf_counter()
        again = merge_databases(target, [source], method=method)
        seconds = time.perf_counter() - began
        absolute("remerge", seconds * 1000, "ms", spans=spans, method=method, changed=again.changed)
    finally:
        target.dispose()
        source.dispose()


def agreement_figure(
    measure: Callable[[Database], Any],
    folder: Path,
    alice: list[SynthArticle],
    bob: list[SynthArticle],
    repeat: int = 3,
) -> None:
    both = folder / "both.sqlite"
    write_database(both, alice, "alice", seed=1)
    write_database(both, bob, "bob", seed=2)
    spans = sum(len(x.spans) for x in alice) + sum(len(x.spans) for x in bob)
    shell = shutil.which("sqlite3")
    floor_s = floor_cpu = None
    if shell is not None:
        reads = [_timed_cpu([shell, "-json", str(both), READ_SPANS]) for _ in range(repeat)]
        floor_s = statistics.median(wall for wall, _ in reads)
        floor_cpu = round(statistics.median(cpu for _, cpu in reads), 3)
        floor("sqlite3_read_spans", floor_s * 1000, "ms", spans=spans, cpu_s=floor_cpu)
    else:
        emit({"figure": "sqlite3_read_spans", "kind": "floor", "status": SQLITE3_MISSING})
    inner, inner_cpu = [], []
    for _ in range(repeat):
        db = _open(both)
        try:
            began, cpu = time.perf_counter(), time.process_time()
            measure(db)
            inner.append(time.perf_counter() - began)
            inner_cpu.append(time.process_time() - cpu)
        finally:
            db.dispose()
    cpu_s = round(statistics.median(inner_cpu), 3)
    _against("agreement", statistics.median(inner), floor_s, 3.0, spans=spans, cpu_s=cpu_s)
    whole = [_timed_cpu(_curator(both, "agreement", "--json")) for _ in range(repeat)]
    cpu_s = round(statistics.median(cpu for _, cpu in whole), 3)
    _against(
        "agreement_cli", statistics.median(w for w, _ in whole), floor_s, 3.0,
        spans=spans, cpu_s=cpu_s, floor_cpu_s=floor_cpu,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--method", choices=("auto", "attach", "portable"), default="auto")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    docs, spans = (10, 1_000) if args.smoke else (5_000, 500_000)
    repeat = 1 if args.smoke else max(args.repeat, 1)
    emit(machine())
    alice, bob = _corpora(docs, spans)
    with tempfile.TemporaryDirectory(prefix="curator-bench-") as tmp:
        merge_figure(merge_databases, Path(tmp), alice, bob, method=args.method, repeat=repeat)
        agreement_figure(agreement_report, Path(tmp), alice, bob, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
