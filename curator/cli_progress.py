"""Progress bars for long commands: counts and an estimate on stderr, only for a person.

A bar is drawn only when stderr is a terminal and ``-q`` was not given, so a
script that pipes or redirects the output reads exactly what it read before.
The bars are tqdm's: they rate-limit their own redraws, so a loop may report
every item without slowing down. ``CURATOR_PROGRESS=lines`` asks for plain
lines instead ("importing 120/120 files", at most one a second and always the
last), for the log of a long batch job; ``off`` for none; ``auto`` (the
default) for bars on a terminal.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from curator.core.errors import CuratorError

MODES = ("auto", "lines", "off")
LINE_EVERY_S = 1.0


class Step(Protocol):
    """What the core's ``progress`` callbacks are given: items done, items in all."""

    def __call__(self, done: int, total: int, /, *rest: object) -> None: ...


def mode() -> str:
    value = os.environ.get("CURATOR_PROGRESS", "").strip().lower() or "auto"
    if value not in MODES:
        raise CuratorError(
            f"CURATOR_PROGRESS={value!r}: use one of {', '.join(MODES)} (default: auto)"
        )
    return value


def wanted(quiet: bool) -> bool:
    """A bar is for a person watching a terminal, never for a pipe or a log file."""
    return not quiet and mode() == "auto" and sys.stderr.isatty()


@contextmanager
def _lines(what: str, unit: str) -> Iterator[Step]:
    last = [0.0]

    def step(done: int, total: int, /, *rest: object) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= LINE_EVERY_S:
            last[0] = now
            print(f"{what} {done}/{total} {unit}", file=sys.stderr, flush=True)

    yield step


def _unseen(done: int, total: int, /, *rest: object) -> None:
    """The step of a bar nobody sees."""


@contextmanager
def progress_bar(what: str, unit: str, *, quiet: bool, total: int | None = None) -> Iterator[Step]:
    """A callback ``(done, total, ...)`` drawing *what* with counts of *unit* and a time left.

    The bar disappears when the work ends (the command's own summary follows),
    and nothing at all is drawn when :func:`wanted` says no.
    """
    if not quiet and mode() == "lines":
        with _lines(what, unit) as step:
            yield step
        return
    if not wanted(quiet):  # no bar, and no import of tqdm (15 ms) for it
        yield _unseen
        return
    from tqdm import tqdm  # here, not at start-up: most commands draw no bar

    bar = tqdm(
        total=total,
        desc=what,
        unit=f" {unit}",
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
        mininterval=0.2,
    )

    def draw(done: int, all_: int, /, *rest: object) -> None:
        if bar.total != all_:
            bar.total = all_
        bar.update(done - bar.n)

    try:
        yield draw
    finally:
        bar.close()
