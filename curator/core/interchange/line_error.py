"""The error of one line of a span file; the caller adds the file and line number.

Apart from the line reader so that the readers of a line's parts (spans,
relations) share it without importing one another.
"""

from __future__ import annotations


class LineError(Exception):
    """A problem with one line; the caller adds the file and line number."""
