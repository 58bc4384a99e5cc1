"""Import and export throughput, whole command and inner step, against SQLite's own floors.

Input: a synthetic corpus from the generator (1,000 documents, 200,000 spans
by default) written two ways: as minimal span JSONL (``{"text", "spans":
[{start, end, label}]}``, what other tools write) and as our own JSONL (an
export of the same spans). Floors, measured in this run:

- ``raw_executemany``: the same documents and span rows (uids, timestamps,
  quotes ready) inserted with the ``sqlite3`` module's ``executemany`` into a
  freshly migrated database, indexes in place, one transaction, committed:
  the cost of the rows themselves, with nothing checked.
- ``sqlite3_json_annotation``: the ``sqlite3`` shell dumping
  ``SELECT * FROM annotation`` as JSON (``-json``) to a file.

Figures (median of ``--repeat`` runs, each into a fresh database; the floor and
the figures are timed in turn within each run, so a burst of other work on a
shared machine lands on both sides of a ratio):

- ``import_cli[minimal]``, ``import_cli[jsonl]``: ``curator import FILE`` as a
  subprocess, spans/s, at least 0.6x ``raw_executemany``; ``import_step[...]``
  the same import in this process (``importing.import_paths``), reported.
- ``export_cli[jsonl]``: ``curator export OUT.jsonl`` as a subprocess, spans/s,
  at least 0.6x ``sqlite3_json_annotation``; ``export_step[jsonl]`` the export
  in this process (one connection, as the app's own export), reported. Each
  timed run's CPU seconds (user and system, from the kernel's accounting of the
  child) are printed beside: ``cpu_s`` for the command, ``floor_cpu_s`` for the
  shell, the steadier comparison on a loaded machine.
- ``export_cli[labelstudio]``: ``curator export --format labelstudio`` of the
  same spans as a subprocess, spans/s with ``cpu_s``, reported (its target is
  against Label Studio's own export, ``vs_labelstudio``).
- ``export_rss[FORMAT]``: peak resident memory of ``curator export`` in each
  format at the full size, against the same at a quarter of the documents and
  spans (``floor``): flat means a ratio near 1 (target at most 1.25x).

    python -m benchmarks.bench_io [--smoke] [--docs N] [--spans N] [--repeat N]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks._common import absolute, emit, floor, machine, parser, ratio_max, ratio_min
from benchmarks.generate import SynthArticle, make_corpus, write_database
from curator.core.articles.text import text_uid
from curator.core.interchange import FORMATS
from curator.core.storage import migrate
from curator.core.storage.db import open_database

REPO = Path(__file__).resolve().parent.parent
SQLITE3_MISSING = "the sqlite3 shell is not installed (Debian/Ubuntu: apt-get install sqlite3)"
STAMP = "2026-01-05 09:00:00.000000"


def write_minimal(path: Path, articles: list[SynthArticle]) -> int:
    """Minimal span JSONL of *articles*; the number of spans."""
    spans = 0
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            rows = [{"start": s.start, "end": s.end, "label": s.label} for s in a.spans]
            out.write(json.dumps({"text": a.text, "spans": rows}, ensure_ascii=False) + "\n")
            spans += len(rows)
    return spans


def fresh_database(path: Path) -> Path:
    """A migrated, empty database at *path* (made once, then copied: migrating is not timed)."""
    template = path.with_name("template.sqlite")
    if not template.exists():
        db = open_database(f"sqlite:///{template}")
        try:
            migrate.upgrade(db, backup=False)
        finally:
            db.dispose()
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, path)
    return path


def raw_executemany(path: Path, articles: list[SynthArticle]) -> tuple[float, float]:
    """Seconds (and CPU seconds) to insert the documents and spans with bare ``executemany``."""
    fresh_database(path)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        labels = dict(con.execute("SELECT name, id FROM label"))
        con.execute("INSERT INTO curator (name) VALUES ('alice')")
        docs = [
            (text_uid(a.text), a.title, "bench", a.text, "{}", STAMP) for a in articles
        ]  # the row values are ready before the clock starts, as the floor's name says
        spans = [
            (str(uuid.uuid4()), i, 1, labels[s.label], s.start, s.end, a.text[s.start : s.end])
            for i, a in enumerate(articles, 1)
            for s in a.spans
        ]
        cpu = time.process_time()
        began = time.perf_counter()
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO document (uid, title, source, text, meta, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            docs,
        )
        con.executemany(
            "INSERT INTO annotation (uid, document_id, curator_id, label_id, start, "
            '"end", text, note, origin, created_at, updated_at, deleted_at, revision) '
            f"VALUES (?, ?, ?, ?, ?, ?, ?, '', 'imported', '{STAMP}', '{STAMP}', NULL, 1)",
            spans,
        )
        con.execute("COMMIT")
        return time.perf_counter() - began, time.process_time() - cpu
    finally:
        con.close()


# Runs the CLI and writes its own peak RSS (VmHWM of this process, after exec) to stderr's
# last line: the rusage of a child counts the parent's pages it was forked with.
_CLI = """
import runpy, sys
sys.argv = ["curator", *sys.argv[1:]]
try:
    runpy.run_module("curator", run_name="__main__")
finally:
    with open("/proc/self/status") as f:
        peak = next((l.split()[1] for l in f if l.startswith("VmHWM:")), "0")
    sys.stderr.write(f"\\npeak_kb {peak}\\n")
"""


def children_cpu() -> float:
    """CPU seconds (user and system) of every child this process has waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def curator_cli(db: Path, *args: str) -> tuple[float, int, float]:
    """Seconds of ``curator --db DB ARGS`` as a subprocess, its peak RSS in bytes, its CPU s."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # As bench_start: an installed app starts from compiled bytecode (pip compiles on
    # install); the first run writes it, where a developer's environment may forbid it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-c", _CLI, "--db", str(db), "--curator", "alice", "-q"]
    cpu = children_cpu()
    began = time.perf_counter()
    done = subprocess.run([*command, *args], cwd=REPO, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - began
    cpu = children_cpu() - cpu
    errors = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        raise SystemExit(f"curator {' '.join(args)} failed: {errors}")
    peak = errors.rsplit("peak_kb ", 1)[-1].strip()
    return seconds, int(peak) * 1024 if peak.isdigit() else 0, cpu


def import_step(db: Path, source: Path) -> float:
    from curator.core.interchange import importing

    database = open_database(f"sqlite:///{db}")
    try:
        began = time.perf_counter()
        importing.import_paths(database, [source], curator="alice")
        return time.perf_counter() - began
    finally:
        database.dispose()


def export_step(db: Path, out: Path) -> float:
    from curator.core.interchange import export

    database = open_database(f"sqlite:///{db}")
    try:
        began = time.perf_counter()
        export(database, "jsonl", out)
        return time.perf_counter() - began
    finally:
        database.dispose()


def shell_dump(db: Path, out: Path) -> tuple[float, float] | None:
    """Seconds and CPU seconds of the shell's dump; None without the shell."""
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    with out.open("wb") as sink:
        cpu = children_cpu()
        began = time.perf_counter()
        query = "SELECT * FROM annotation"
        subprocess.run([shell, "-json", str(db), query], stdout=sink, check=True)
        return time.perf_counter() - began, children_cpu() - cpu


def median(values: list[float]) -> float:
    return statistics.median(values)


def import_figures(folder: Path, articles: list[SynthArticle], spans: int, repeat: int) -> None:
    """Floor and figures timed in turn, run after run: a burst of other work lands on all."""
    target = folder / "target.sqlite"
    minimal = folder / "minimal.jsonl"
    write_minimal(minimal, articles)
    own = folder / "own.jsonl"
    source = folder / "source.sqlite"
    write_database(source, articles, "alice")
    curator_cli(source, "export", "-o", str(own))
    floors: list[float] = []
    floor_cpus: list[float] = []
    times: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, path in (("minimal", minimal), ("jsonl", own)):
            seconds, cpu = raw_executemany(target, articles)
            floors.append(seconds)
            floor_cpus.append(cpu)
            cli, _peak, cli_cpu = curator_cli(fresh_database(target), "import", str(path))
            times.setdefault(f"import_cli[{name}]", []).append(cli)
            times.setdefault(f"cpu[{name}]", []).append(cli_cpu)
            times.setdefault(f"import_step[{name}]", []).append(
                import_step(fresh_database(target), path)
            )
            with sqlite3.connect(target) as con:
                (stored,) = con.execute("SELECT count(*) FROM annotation").fetchone()
            if stored != spans:
                raise SystemExit(f"import of {name} stored {stored} of {spans} spans")
    floor_s = median(floors)
    floor_rate = spans / floor_s
    floor_cpu = round(median(floor_cpus), 3)
    floor(
        "raw_executemany", floor_rate, "spans/s",
        spans=spans, seconds=round(floor_s, 3), cpu_s=floor_cpu,
    )  # fmt: skip
    for name in ("minimal", "jsonl"):
        for figure in ("import_cli", "import_step"):
            seconds = median(times[f"{figure}[{name}]"])
            extra = {}
            if figure == "import_cli":
                extra = {"cpu_s": round(median(times[f"cpu[{name}]"]), 3), "floor_cpu_s": floor_cpu}
            ratio_min(
                f"{figure}[{name}]", spans / seconds, floor_rate, "spans/s", 0.6,
                spans=spans, seconds=round(seconds, 3), **extra,
            )  # fmt: skip


def export_figures(folder: Path, articles: list[SynthArticle], spans: int, repeat: int) -> None:
    """The shell's dump, the command and the step in turn, run after run."""
    source = folder / "source.sqlite"
    if not source.exists():
        write_database(source, articles, "alice")
    out = folder / "export.jsonl"
    tasks = folder / "tasks.json"
    dumps: list[tuple[float, float] | None] = []
    cli: list[float] = []
    cli_cpu: list[float] = []
    step: list[float] = []
    studio: list[tuple[float, float]] = []
    for _ in range(repeat):
        dumps.append(shell_dump(source, folder / "dump.json"))
        seconds, _peak, cpu = curator_cli(source, "export", "-o", str(out))
        cli.append(seconds)
        cli_cpu.append(cpu)
        step.append(export_step(source, out))
        seconds, _peak, cpu = curator_cli(
            source, "export", "--format", "labelstudio", "-o", str(tasks)
        )
        studio.append((seconds, cpu))
    cpu_s = round(median(cli_cpu), 3)
    studio_s = median([seconds for seconds, _ in studio])
    studio_extra = {
        "seconds": round(studio_s, 3),
        "cpu_s": round(median([c for _, c in studio]), 3),
    }
    shell = [d for d in dumps if d is not None]
    if not shell:
        emit({"figure": "sqlite3_json_annotation", "kind": "floor", "status": SQLITE3_MISSING})
        absolute(
            "export_cli[jsonl]", spans / median(cli), "spans/s",
            floor_missing=SQLITE3_MISSING, cpu_s=cpu_s,
        )  # fmt: skip
        absolute("export_step[jsonl]", spans / median(step), "spans/s")
        absolute("export_cli[labelstudio]", spans / studio_s, "spans/s", **studio_extra)
        return
    floor_rate = spans / median([seconds for seconds, _ in shell])
    floor_cpu = round(median([cpu for _, cpu in shell]), 3)
    floor("sqlite3_json_annotation", floor_rate, "rows/s", spans=spans, cpu_s=floor_cpu)
    for figure, times in (("export_cli[jsonl]", cli), ("export_step[jsonl]", step)):
        seconds = median(times)
        extra = {"cpu_s": cpu_s, "floor_cpu_s": floor_cpu} if figure == "export_cli[jsonl]" else {}
        ratio_min(
            figure, spans / seconds, floor_rate, "spans/s", 0.6,
            spans=spans, seconds=round(seconds, 3), **extra,
        )  # fmt: skip
    # Reported beside the same floor: its target is against Label Studio (vs_labelstudio).
    absolute(
        "export_cli[labelstudio]", spans / studio_s, "spans/s",
        floor_ratio=round(spans / studio_s / floor_rate, 3), floor_cpu_s=floor_cpu, **studio_extra,
    )  # fmt: skip


def rss_figures(folder: Path, articles: list[SynthArticle]) -> None:
    """Peak RSS of each format's export at the full size against a quarter of it."""
    quarter = articles[: max(1, len(articles) // 4)]
    paths = {}
    for size, chosen in (("quarter", quarter), ("full", articles)):
        paths[size] = folder / f"rss-{size}.sqlite"
        write_database(paths[size], chosen, "alice")
    for name, fmt in FORMATS.items():
        peaks = {}
        for size, db in paths.items():
            out = folder / f"rss-{size}-{name}{fmt.suffix}"
            args = ["export", "--format", name, "--allow-loss", "-o", str(out)]
            peaks[size] = curator_cli(db, *args)[1]
            if out.is_dir():
                shutil.rmtree(out)
            else:
                out.unlink()
        ratio_max(
            f"export_rss[{name}]", peaks["full"], peaks["quarter"], "bytes", 1.25,
            spans=sum(len(a.spans) for a in articles),
            floor_spans=sum(len(a.spans) for a in quarter),
        )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=1_000)
    p.add_argument("--spans", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument(
        "--only", choices=("import", "export", "rss"), action="append", help="run these parts"
    )
    args = p.parse_args(argv)
    docs, spans = (8, 800) if args.smoke else (args.docs, args.spans)
    repeat = 1 if args.smoke else max(args.repeat, 1)
    emit(machine())
    articles = list(make_corpus(21, docs, spans))
    spans = sum(len(a.spans) for a in articles)
    with tempfile.TemporaryDirectory(prefix="curator-bench-") as tmp:
        folder = Path(tmp)
        parts = args.only or ["import", "export", "rss"]
        if "import" in parts:
            import_figures(folder, articles, spans, repeat)
        if "export" in parts:
            export_figures(folder, articles, spans, repeat)
        if "rss" in parts:
            rss_figures(folder, articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
