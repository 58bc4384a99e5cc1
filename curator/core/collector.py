"""No garbage collection while many long-lived objects are made.

CPython's collector runs each time enough container objects have been made
since its last run, and walks the young ones; a full walk of every tracked
object comes once the survivors outnumber a quarter of those kept before.
Three things the app does make such objects by the tens or hundreds of
thousands, nearly all of them kept, so the walks free next to nothing:

- an import: the decoded JSON, the checked spans, the rows to insert, all
  living until it ends. The walks were a third of the CPU time of importing
  200,000 spans of Label Studio tasks (13.4 s, 8.4 s with the collector
  paused);
- opening an article: a record per span. 10,000 on top of the app's ~100,000
  objects stay under the full walk's line, 50,000 do not, and that walk of
  the whole app (over 100 ms) made a 50,000-span article take 3.2x as long
  to open as a 10,000-span one (2.3x without it);
- a command's start: importing the command line, SQLAlchemy and the mapped
  models leaves some 96,000 tracked objects, 58,000 of them in use until
  the process ends. The collector walked them again and again
  as they grew (one full walk among them: about 50 ms by its callbacks),
  and the interpreter walks every one once more as it exits. ``curator
  progress`` took 500 ms of CPU with both, 460 with the import paused and
  375 with the objects frozen as well (:func:`kept_for_good`; the bare
  ``import sqlalchemy.orm, sqlite3, json`` takes about 330).

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


@contextmanager
def kept_for_good() -> Iterator[None]:
    """Run the block with the collector off, and leave what it made out of every later walk.

    For a process's start (its modules, classes and mapped tables, kept to the
    end): ``gc.freeze`` moves every object alive then into a generation the
    collector never walks, neither during the command's own work nor in the
    interpreter's last collection at exit. The cycles the imports left as
    garbage are kept too (under 1 MB after importing the command line, where
    a full collection to free them takes ~30 ms). Only for a process's entry
    point: in a long-lived process it would keep whatever it held then.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if running:
            gc.enable()
