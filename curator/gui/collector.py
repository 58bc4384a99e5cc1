"""No full garbage collection in the middle of opening an article.

CPython runs a full collection, a walk over every tracked object of the
process, once the objects that survived since the last one outnumber a
quarter of those it kept then. Opening an article makes a record per span:
10,000 on top of the app's ~100,000 objects stay under that line, 50,000 do
not, and the collection then walked the whole app in the middle of the
opening (over 100 ms; a 50,000-span article took 3.2x as long to open as a
10,000-span one, 2.3x without it). Those records hold no reference cycles,
so collecting while they are made frees nothing: :func:`records_made`
pauses the collector while an article's records are read and handed to the
widgets, and it runs again as before afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def records_made() -> Iterator[None]:
    """Make many long-lived objects without a collection in the middle."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
