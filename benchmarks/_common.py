"""What every benchmark script shares: JSON figures, timing, the machine.

A figure is one JSON object on its own line of stdout. Where the target is
relative, the script measures the floor in the same run on the same machine
and the figure carries both and their ratio, so a slow machine does not fail
a target that a fast one passes, and the other way round.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

NOT_AVAILABLE = "not available on this branch"


def emit(record: dict[str, Any]) -> dict[str, Any]:
    print(json.dumps(record, ensure_ascii=False), flush=True)
    return record


def floor(name: str, value: float, unit: str, **extra: Any) -> dict[str, Any]:
    """A reference measurement that other figures are divided by."""
    return emit({"figure": name, "kind": "floor", "value": _round(value), "unit": unit, **extra})


def ratio_max(
    name: str, value: float, floor_value: float, unit: str, limit: float, **extra: Any
) -> dict[str, Any]:
    """value / floor must stay at or under *limit* (times, memory)."""
    ratio = value / floor_value if floor_value else float("inf")
    return emit(
        {
            "figure": name,
            "value": _round(value),
            "floor": _round(floor_value),
            "unit": unit,
            "ratio": round(ratio, 2),
            "target": f"<= {limit}x",
            "pass": ratio <= limit,
            **extra,
        }
    )


def ratio_min(
    name: str, value: float, floor_value: float, unit: str, limit: float, **extra: Any
) -> dict[str, Any]:
    """value / floor must reach at least *limit* (throughputs)."""
    ratio = value / floor_value if floor_value else 0.0
    return emit(
        {
            "figure": name,
            "value": _round(value),
            "floor": _round(floor_value),
            "unit": unit,
            "ratio": round(ratio, 2),
            "target": f">= {limit}x",
            "pass": ratio >= limit,
            **extra,
        }
    )


def absolute(
    name: str,
    value: float,
    unit: str,
    *,
    at_most: float | None = None,
    at_least: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A figure with a fixed target (or none: reported only)."""
    target, ok = None, None
    if at_most is not None:
        target, ok = f"<= {at_most} {unit}", value <= at_most
    elif at_least is not None:
        target, ok = f">= {at_least} {unit}", value >= at_least
    return emit(
        {
            "figure": name,
            "value": _round(value),
            "unit": unit,
            "target": target,
            "pass": ok,
            **extra,
        }
    )


def unavailable(name: str, needs: str) -> dict[str, Any]:
    return emit({"figure": name, "status": NOT_AVAILABLE, "needs": needs})


def _round(value: float) -> float:
    return round(value, 3 if abs(value) < 100 else 1)


def median_ms(
    action: Callable[[], object], repeat: int, *, setup: Callable[[], object] | None = None
) -> float:
    """Median wall time of *action* in milliseconds; *setup* runs untimed before each."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def paired_median_ms(
    floor_action: Callable[[], object],
    action: Callable[[], object],
    repeat: int,
    *,
    floor_setup: Callable[[], object] | None = None,
    setup: Callable[[], object] | None = None,
) -> tuple[float, float]:
    """Medians of a floor and a figure timed in alternation.

    Alternating spreads bursts of other work on a shared machine over both
    sides of a ratio instead of letting them land on one.
    """
    floors: list[float] = []
    values: list[float] = []
    for _ in range(repeat):
        floors.append(median_ms(floor_action, 1, setup=floor_setup))
        values.append(median_ms(action, 1, setup=setup))
    return statistics.median(floors), statistics.median(values)


def rss_bytes() -> int:
    """Resident set size of this process (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info: dict[str, Any] = {
        "figure": "machine",
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        # Other work on a shared machine inflates every time: read figures with it.
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    if "PySide6" in sys.modules:
        import PySide6
        from PySide6 import QtCore

        info["pyside6"] = PySide6.__version__
        info["qt"] = QtCore.qVersion()
    return info


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script runs")
    return p


def committed_insert_ms(folder: Path, repeat: int) -> float:
    """One row inserted and committed with the app's pragmas: the disk's floor under an edit."""
    path = folder / "commit-floor.sqlite"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, uid TEXT UNIQUE, body TEXT)")
    counter = iter(range(10**9))

    def insert() -> None:
        n = next(counter)
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t (uid, body) VALUES (?, ?)", (f"u{n}", "x" * 40))
        con.execute("COMMIT")

    try:
        return median_ms(insert, repeat)
    finally:
        con.close()
