"""No garbage collection while many long-lived objects are made.

CPython's collector runs each time enough container objects have been made
since its last run, and walks the young ones; a full walk of every tracked
object comes once the survivors outnumber a quarter of those kept before.
Two things the app does make such objects by the hundred thousand, none of
them in a reference cycle, so the walks free nothing:

- an import: the decoded JSON, the checked spans, the rows to insert, all
  living until it ends. The walks were a third of the CPU time of importing
  200,000 spans of Label Studio tasks (13.4 s, 8.4 s with the collector
  paused);
- opening an article: a record per span. 10,000 on top of the app's ~100,000
  objects stay under the full walk's line, 50,000 do not, and that walk of
  the whole app (over 100 ms) made a 50,000-span article take 3.2x as long
  to open as a 10,000-span one (2.3x without it).

Objects freed by reference counting go as always; cycles made meanwhile wait
for the first run afterwards. Pauses that overlap (an import on the app's
worker thread while the window opens an article, or one pause inside
another) leave the collector running once all have ended.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the collector off; it runs again afterwards if it ran before."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
