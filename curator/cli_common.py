"""What every command of the command line shares: its messages and its repeated options.

Errors and notes go to stderr, so that a command's output on stdout stays
what a script reads; an error line starts with ``error:`` in every command.
"""

from __future__ import annotations

import sys
from typing import Any

# One way to give several values, the same in every command: "--document A B"
# and "--document A --document B" both mean A and B.
REPEATABLE: dict[str, Any] = {"action": "extend", "nargs": "+", "metavar": "UID"}


def err(message: str) -> None:
    """Print an error line (the command then exits 1)."""
    print(f"error: {message}", file=sys.stderr)


def info(message: str) -> None:
    """Print a note about what the command did, beside its output."""
    print(message, file=sys.stderr)
