"""The ``CURATOR_*`` environment variables that tune limits, read and checked in one place.

A value that cannot be used is an error naming the variable and the value,
never a silent fall-back to the default: ``CURATOR_MAX_FILE_MB=abc`` that
quietly meant 20 MB, or ``=-1`` that refused every file, hides a typo the
user would want to know about. Numbers are bounded, so ``inf``, ``nan`` or
``1e400`` cannot overflow a computation later. The command line checks them
all at start (:func:`curator.core.opening.check_environment`), before any file is
touched.
"""

from __future__ import annotations

import math
import os

from curator.core.errors import CuratorError

MB = 1024 * 1024
MAX_MB = 1024 * 1024
"""The largest size a ``*_MB`` variable may give: a terabyte."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value


def whole_number(name: str, default: int, *, minimum: int, maximum: int, unit: str) -> int:
    """The whole number in *name*, or *default* when it is unset or blank."""
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise CuratorError(
            f"{name}={value!r}: give a whole number of {unit} from {minimum:,} to {maximum:,}"
        )
    return number


def megabytes(name: str, default_bytes: int) -> int:
    """The size in *name*, given in megabytes (fractions allowed), as bytes."""
    value = _raw(name)
    if value is None:
        return default_bytes
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and 0 < number <= MAX_MB):
        raise CuratorError(
            f"{name}={value!r}: give a number of megabytes greater than 0 and at most "
            f"{MAX_MB:,} (for example 50 or 0.5)"
        )
    return max(1, int(number * MB))
