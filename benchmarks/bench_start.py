"""Start-up as the user feels it: ``curator gui`` to the painted article, ``curator list``.

Every figure is a whole process timed from outside (the monotonic clock read
just before it is spawned, to the moment it reports), median of the runs,
the floor spawned in alternation with it:

- ``gui_text_painted``: ``curator gui`` on a database holding a 1 MB article
  with 20,000 spans, opened by a curator new to it (so its suggestions are
  computed too), until the first frame showing the article in the window
  titled with it. The app prints that moment under ``CURATOR_REPORT_PAINTED``
  (``curator/gui/paint_report.py``). Floor ``bare_editor_painted``: a bare
  PySide6 script (``benchmarks/bare_editor.py``) showing the same text in a
  ``QPlainTextEdit``. Target <= 2.5x. Its parts: ``window_ms`` (the window's
  first frame), ``text_after_window_ms`` (0 when the first frame shows the
  article), ``complete_ms`` (the complete main window painted, taking edits),
  and ``suggestions_ms`` (when the suggestions were stored and drawn, after
  the text).
- ``cli_list``: ``curator list`` on an empty database at the current schema.
  Floor ``import_floor``: ``python -c "import sqlalchemy.orm, sqlite3, json"``.
  Target <= 1.3x. The entry point takes ``list`` of a SQLite file at the
  current schema without SQLAlchemy (``curator/cli_quick_list.py``; anything
  else goes to ``curator.cli``); its parts, timed inside a process: importing
  ``curator.cli_quick`` and running it, and whether it took the command
  (``quick_path``) and imported SQLAlchemy.
- ``cli_full[progress]``, ``cli_full[relation-types]``: ``curator progress``
  and ``curator relation-types`` on the same empty database, commands the
  quick paths do not take: the full command line (its parser, SQLAlchemy,
  the mapped models, the engine, the schema check and the command's
  queries). Same floor, target <= 1.3x; the floor and both commands are
  spawned in turn. The command line imports with the garbage collector
  paused and then freezes what it made (``curator.core.collector.kept_for_good``),
  which the floor does not: ``import_floor_frozen`` is the floor's imports
  done the same way, and each figure's ``vs_frozen_floor`` its ratio to
  that, what the command adds beyond the same imports done the same way.
- ``start_many_documents``: ``curator gui`` to the painted article on a
  database of 10,000 documents holding 1,000,000 spans, against
  ``start_few_documents`` (10 such documents). Target <= 1.2x.
- ``open_article_5x``: opening a 1 MB article holding 50,000 spans, from the
  window's first frame to the article painted, against ``open_article_1x``
  (the same text with 10,000). Target <= 3x. Started through
  ``curator.cli.main``, the usual start, which opens the article through the
  workspace after the window's frame (``curator gui``'s first frame paints
  it from a raw read instead: see ``gui_text_painted``).

    python -m benchmarks.bench_start [--smoke] [--runs N]

Offscreen unless ``QT_QPA_PLATFORM`` says otherwise; the app's settings go to a
throw-away folder. The spawned processes may write bytecode caches
(``PYTHONDONTWRITEBYTECODE`` is dropped for them), as an installed app has
them: without, every start compiles each module of the app again.
"""

from __future__ import annotations

import json
import os
import random
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import emit, floor, machine, parser, ratio_max
from benchmarks.generate import make_article, make_corpus, write_database
from curator.core.storage import migrate
from curator.core.storage.db import open_database

REPO = Path(__file__).resolve().parent.parent
FLOOR_IMPORTS = "import sqlalchemy.orm, sqlite3, json"
TIMEOUT_S = 120


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["XDG_CONFIG_HOME"] = str(home / "config")  # window settings: thrown away
    env["XDG_DATA_HOME"] = str(home / "data")
    env.pop("CURATOR_DB", None)
    # An installed app starts from compiled bytecode (pip compiles on install):
    # the warm-up run writes it, where a developer's environment may forbid it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def _painted(command: list[str], env: dict[str, str], until: str) -> dict[str, float]:
    """Spawn *command*; ms from just before the spawn to each ``painted`` line, up to *until*.

    ``cpu:EVENT`` holds the process's CPU milliseconds at that line.
    """
    began = time.monotonic()
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0
    )
    seen: dict[str, float] = {}
    try:
        assert process.stdout is not None
        waiting = selectors.DefaultSelector()
        waiting.register(process.stdout, selectors.EVENT_READ)
        pending = b""
        while time.monotonic() - began < TIMEOUT_S:
            if b"\n" not in pending:
                if not waiting.select(timeout=1.0):
                    continue  # nothing printed yet: the deadline still holds
                chunk = os.read(process.stdout.fileno(), 4096)
                if not chunk:
                    break  # the process ended
                pending += chunk
                continue
            line, pending = pending.split(b"\n", 1)
            parts = line.decode().split()
            if len(parts) == 4 and parts[0] == "painted":
                seen[parts[1]] = (float(parts[2]) - began) * 1000
                seen[f"cpu:{parts[1]}"] = float(parts[3]) * 1000
                if parts[1] == until:
                    break
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if until not in seen:
        raise RuntimeError(f"{command}: never reported {until!r} (saw {sorted(seen)})")
    return seen


def _whole_ms(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall and CPU (user + system, from the kernel's accounting) milliseconds of *command*."""
    began = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command}: exit {process.returncode}")
    wall = (time.perf_counter() - began) * 1000
    return {"wall": wall, "cpu": (usage.ru_utime + usage.ru_stime) * 1000}


def _alternate(
    runs: int, floor_run: Callable[[], Any], run: Callable[[], Any]
) -> tuple[list[Any], list[Any]]:
    """A warm-up of each (file cache, bytecode), then *runs* of both in alternation."""
    floor_run()
    run()
    floors, values = [], []
    for _ in range(runs):
        floors.append(floor_run())
        values.append(run())
    return floors, values


def _cpu(value: list[dict[str, float]], floor_value: list[dict[str, float]], key: str) -> Any:
    """The CPU side of a figure: other work on a shared machine stretches the clock, not this."""
    cpu, floor_cpu = _median(value, key), _median(floor_value, key)
    return {"cpu_ms": round(cpu, 1), "cpu_floor_ms": round(floor_cpu, 1),
            "cpu_ratio": round(cpu / floor_cpu, 2) if floor_cpu else None}  # fmt: skip


def _median(values: list[dict[str, float]], key: str) -> float:
    return statistics.median(v[key] for v in values)


def _database(path: Path, articles: list[Any], curator: str = "alice") -> Path:
    write_database(path, articles, curator)
    return path


def _gui(db: Path, curator: str) -> list[str]:
    return [sys.executable, "-m", "curator", "--db", str(db), "--curator", curator, "gui"]


def _usual_gui(db: Path, curator: str) -> list[str]:
    """``curator gui`` started through the command line's parser, without the first frame."""
    start = "import sys; from curator.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", start, "--db", str(db), "--curator", curator, "gui"]


def gui_text_painted(folder: Path, runs: int, size: int, spans: int) -> None:
    article = make_article(random.Random(11), size, spans)
    db = _database(folder / "article.sqlite", [article])
    text_file = folder / "article.txt"
    text_file.write_text(article.text, encoding="utf-8")
    home = folder / "home"
    fresh = iter(range(10**6))

    def bare() -> dict[str, float]:
        bare_cmd = [sys.executable, "-m", "benchmarks.bare_editor", str(text_file)]
        return _painted(bare_cmd, _env(home), "text")

    def app() -> dict[str, float]:
        # A curator new to the article: its suggestions are computed on opening.
        env = _env(home, CURATOR_REPORT_PAINTED="1")
        return _painted(_gui(db, f"new{next(fresh)}"), env, "suggestions")

    floors, seen = _alternate(runs, bare, app)
    floor_ms = _median(floors, "text")
    floor("bare_editor_painted", floor_ms, "ms", chars=len(article.text))
    window = _median(seen, "window")
    text = _median(seen, "text")
    complete = _median(seen, "complete")
    ratio_max(
        "gui_text_painted",
        text,
        floor_ms,
        "ms",
        2.5,
        spans=spans,
        window_ms=round(window, 1),
        text_after_window_ms=round(statistics.median(s["text"] - s["window"] for s in seen), 1),
        complete_ms=round(complete, 1),
        suggestions_ms=round(_median(seen, "suggestions"), 1),
        **_cpu(seen, floors, "cpu:text"),
        runs=runs,
    )


def cli_list(folder: Path, runs: int) -> None:
    empty = folder / "empty.sqlite"
    db = open_database(f"sqlite:///{empty}")
    migrate.upgrade(db)
    db.dispose()
    home = folder / "home"
    env = _env(home)
    floor_cmd = [sys.executable, "-c", FLOOR_IMPORTS]
    list_cmd = [sys.executable, "-m", "curator", "--db", str(empty), "list"]
    floors, values = _alternate(
        runs, lambda: _whole_ms(floor_cmd, env), lambda: _whole_ms(list_cmd, env)
    )
    floor_ms = _median(floors, "wall")
    inner = (
        "import json, sys, time\n"
        "t0 = time.perf_counter()\n"
        "from curator.cli_quick import run\n"
        "t1 = time.perf_counter()\n"
        f"quick = run(['--db', {str(empty)!r}, 'list']) is not None\n"
        "t2 = time.perf_counter()\n"
        "loaded = 'sqlalchemy' in sys.modules\n"
        "print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000, quick, loaded]))\n"
    )
    parts = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", inner],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        parts.append(json.loads(done.stdout.strip().splitlines()[-1]))
    floor("import_floor", floor_ms, "ms", command=f'python -c "{FLOOR_IMPORTS}"')
    ratio_max(
        "cli_list",
        _median(values, "wall"),
        floor_ms,
        "ms",
        1.3,
        parts_ms={
            "import_quick_path": round(statistics.median(p[0] for p in parts), 1),
            "run": round(statistics.median(p[1] for p in parts), 1),
        },
        quick_path=all(p[2] for p in parts),
        sqlalchemy_imported=any(p[3] for p in parts),
        **_cpu(values, floors, "cpu"),
        runs=runs,
    )


FULL_COMMANDS = (("progress",), ("relation-types",))


def cli_full(folder: Path, runs: int) -> None:
    db = folder / "full.sqlite"
    opened = open_database(f"sqlite:///{db}")
    migrate.upgrade(opened)
    opened.dispose()
    env = _env(folder / "home")
    floor_cmd = [sys.executable, "-c", FLOOR_IMPORTS]
    frozen = f"import gc; gc.disable(); {FLOOR_IMPORTS}; gc.freeze(); gc.enable()"
    frozen_cmd = [sys.executable, "-c", frozen]
    commands = [[sys.executable, "-m", "curator", "--db", str(db), *c] for c in FULL_COMMANDS]
    for command in [floor_cmd, frozen_cmd, *commands]:
        _whole_ms(command, env)  # warm-up: file cache, bytecode
    floors: list[dict[str, float]] = []
    frozens: list[dict[str, float]] = []
    values: list[list[dict[str, float]]] = [[] for _ in commands]
    for _ in range(runs):
        floors.append(_whole_ms(floor_cmd, env))
        frozens.append(_whole_ms(frozen_cmd, env))
        for seen, command in zip(values, commands, strict=True):
            seen.append(_whole_ms(command, env))
    floor_ms = _median(floors, "wall")
    frozen_ms = _median(frozens, "wall")
    floor("import_floor", floor_ms, "ms", command=f'python -c "{FLOOR_IMPORTS}"')
    frozen_cpu = _median(frozens, "cpu")
    floor("import_floor_frozen", frozen_ms, "ms", cpu_ms=round(frozen_cpu, 1))
    for words, seen in zip(FULL_COMMANDS, values, strict=True):
        wall = _median(seen, "wall")
        ratio_max(
            f"cli_full[{' '.join(words)}]",
            wall,
            floor_ms,
            "ms",
            1.3,
            **_cpu(seen, floors, "cpu"),
            vs_frozen_floor={
                "ratio": round(wall / frozen_ms, 2),
                "cpu_ratio": round(_median(seen, "cpu") / frozen_cpu, 2),
            },
            runs=runs,
        )


def scale(folder: Path, runs: int, documents: int, spans: int, big: tuple[int, int]) -> None:
    home = folder / "home"
    env = _env(home, CURATOR_REPORT_PAINTED="1")
    small_db = _database(folder / "ten.sqlite", list(make_corpus(7, 10, 10 * spans // documents)))
    large_db = _database(folder / "many.sqlite", list(make_corpus(7, documents, spans)))

    def start(db: Path) -> dict[str, float]:
        return _painted(_gui(db, "alice"), env, "text")

    smalls, large = _alternate(runs, lambda: start(small_db), lambda: start(large_db))
    small_ms = _median(smalls, "text")
    floor("start_few_documents", small_ms, "ms", documents=10)
    ratio_max(
        "start_many_documents",
        _median(large, "text"),
        small_ms,
        "ms",
        1.2,
        documents=documents,
        spans=spans,
        **_cpu(large, smalls, "cpu:text"),
        runs=runs,
    )
    size, many = big
    few = many // 5
    rng_seed = 12
    dbs = {}
    for n in (few, many):
        article = make_article(random.Random(rng_seed), size, n)
        dbs[n] = _database(folder / f"open{n}.sqlite", [article])

    def opening(n: int) -> dict[str, float]:
        # The usual start (curator.cli.main): its window is painted first, then the
        # article is opened through the workspace. The console script's first frame
        # paints the article itself, from a raw read, so it has no such step to time.
        seen = _painted(_usual_gui(dbs[n], "alice"), env, "text")
        return {
            "wall": seen["text"] - seen["window"],
            "cpu": seen["cpu:text"] - seen["cpu:window"],
        }

    fews, opened = _alternate(runs, lambda: opening(few), lambda: opening(many))
    few_ms = _median(fews, "wall")
    floor("open_article_1x", few_ms, "ms", chars=size, spans=few)
    ratio_max(
        "open_article_5x",
        _median(opened, "wall"),
        few_ms,
        "ms",
        3.0,
        spans=many,
        **_cpu(opened, fews, "cpu"),
        runs=runs,
    )


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="runs of each figure (median)")
    p.add_argument(
        "--only",
        choices=("gui_text_painted", "cli_list", "cli_full", "scale"),
        help="run one group of figures (scale: start_many_documents and open_article_5x)",
    )
    args = p.parse_args(argv)

    def wanted(name: str) -> bool:
        return args.only in (None, name)

    emit(machine())
    folder = Path(tempfile.mkdtemp(prefix="curator-bench-start-"))
    try:
        runs = 1 if args.smoke else args.runs
        if wanted("gui_text_painted"):
            gui_text_painted(folder, runs, *((20_000, 400) if args.smoke else (1_000_000, 20_000)))
        if wanted("cli_list"):
            cli_list(folder, runs)
        if wanted("cli_full"):
            cli_full(folder, runs)
        if wanted("scale"):
            if args.smoke:
                scale(folder, 1, 40, 4_000, (40_000, 1_000))
            else:
                scale(folder, runs, 10_000, 1_000_000, (1_000_000, 50_000))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
