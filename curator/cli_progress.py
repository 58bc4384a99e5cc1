"""Progress bars for long commands: counts and an estimate on stderr, only for a person.

A bar is drawn only when stderr is a terminal and ``-q`` was not given, so a
script that pipes or redirects the output reads exactly what it read before.
The bars are tqdm's: they rate-limit their own redraws, so a loop may report
every item without slowing down.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from tqdm import tqdm


class Step(Protocol):
    """What the core's ``progress`` callbacks are given: items done, items in all."""

    def __call__(self, done: int, total: int, /, *rest: object) -> None: ...


def wanted(quiet: bool) -> bool:
    """A bar is for a person watching a terminal, never for a pipe or a log file."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(what: str, unit: str, *, quiet: bool, total: int | None = None) -> Iterator[Step]:
    """A callback ``(done, total, ...)`` drawing *what* with counts of *unit* and a time left.

    The bar disappears when the work ends (the command's own summary follows),
    and nothing at all is drawn when :func:`wanted` says no.
    """
    bar = tqdm(
        total=total,
        desc=what,
        unit=f" {unit}",
        file=sys.stderr,
        disable=not wanted(quiet),
        leave=False,
        dynamic_ncols=True,
        mininterval=0.2,
    )

    def step(done: int, all_: int, /, *rest: object) -> None:
        if bar.total != all_:
            bar.total = all_
        bar.update(done - bar.n)

    try:
        yield step
    finally:
        bar.close()
