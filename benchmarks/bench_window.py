"""The real window on a real database: open, add and delete a span, memory.

A MainWindow on a SQLite file holding a 1 MB article with 20,000 spans (and a
small article to switch from). Figures:

- ``open_document``: Workspace.open_document through to the painted window
  (query the spans, fill the view and the span table), with its parts;
  reported against the bare first frame of the same text (no target in the
  issue).
- ``add_span`` / ``delete_span``: from a real key press (QTest) on the text
  view to the span committed and every repaint it scheduled done (pending
  events processed): at most 10 ms, with its parts (core commit, view
  update, span table, document list, counts, repaint).
- ``memory``: resident memory gained by opening the article: at most 10x the
  size of its text (the Python heap share, by tracemalloc, is given too).
- The relations variant (``[paragraphs+relations]``): the same article with
  5,000 relations between its spans. The figures above again (opening now
  reads the relations and fills the Relations table), plus ``repaint``: the
  article repainted with a relation in focus (its arc) and the related spans
  dotted, against a bare QPlainTextEdit's repaint of the same text (at most
  2x, like bench_view); ``repaint_relations_drawn``: the same page with the
  relations drawn against it without them (at most 1.2x); ``relate_key``:
  R, Tab, Enter on a selected span, from the first key to the relation
  stored and drawn (at most 10 ms a key), with each key's median against its
  floor (R, Tab: the bare editor's repaint of the page; Enter: that and one
  committed insert); and ``relations_for``: reading the 5,000 relations as
  the editor does, against the bare ``sqlite3`` module running the same
  query (at most 2x).

Each layout (paragraphs, one 1 MB line) runs in its own process so that the
memory of one does not hide in the other's. ``--smoke`` only checks that every
figure is printed, in a few seconds: a 5,000-character article with 40 spans
and 20 relations, every figure timed once, all three runs in this process
(the memory of the second and third is then not measured, and says so).

    python -m benchmarks.bench_window [--smoke] [--layout L] [--relations N]
"""

from __future__ import annotations

import atexit
import gc
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from benchmarks import (
    _qt,  # offscreen unless QT_QPA_PLATFORM says otherwise
    window_relations,
)
from benchmarks._common import (
    absolute,
    committed_insert_ms,
    emit,
    floor,
    machine,
    parser,
    ratio_max,
    rss_bytes,
)
from benchmarks.generate import SynthArticle, make_article, write_database
from curator.core import relations as core_relations
from curator.core.articles import documents
from curator.core.articles.text import text_uid
from curator.core.spans import annotate
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.gui import workspace
from curator.gui.document_list import DocumentTableModel
from curator.gui.main_window import MainWindow
from curator.gui.relations.overlay import RelationOverlay
from curator.gui.relations.table import RelationTableModel
from curator.gui.span_table import SpanTableModel
from curator.gui.text_view import SpanTextView

CURATOR = "bench"


@dataclass(frozen=True)
class Sizes:
    """How big one run is, and how often each figure is timed."""

    chars: int
    spans: int
    edits: int  # spans added, then deleted, by key presses
    inserts: int  # committed inserts of the disk's floor
    repaints: int  # paired repaints, floor and figure
    reads: int  # relations_for against the bare query
    relate: int  # relations made by R, Tab, Enter
    relations: int  # relations in the article of the relations run


FULL = Sizes(1_000_000, 20_000, 15, 50, 28, 7, 7, 5_000)
SMOKE = Sizes(5_000, 40, 1, 1, 1, 1, 1, 20)


def _install_timers() -> _qt.Timers:
    timers = _qt.Timers()
    timers.wrap(annotate, "add_spans", "core_commit")
    timers.wrap(annotate, "delete_span", "core_commit")
    timers.wrap(workspace, "live_spans", "query_spans")  # the name the workspace calls
    timers.wrap(documents, "get_document", "query_document")
    timers.wrap(documents, "mark_opened", "mark_opened")
    timers.wrap(SpanTextView, "set_article", "view_update")
    timers.wrap(SpanTextView, "set_spans", "view_update")
    timers.wrap(SpanTextView, "replace_span", "view_update")
    timers.wrap(SpanTableModel, "reset", "span_table")
    timers.wrap(SpanTableModel, "replace", "span_table")
    timers.wrap(DocumentTableModel, "edited", "document_list")
    timers.wrap(MainWindow, "_update_counts", "status_counts")
    timers.wrap(core_relations, "relations_for", "query_relations")
    timers.wrap(RelationTableModel, "reload", "relation_table")
    timers.wrap(RelationOverlay, "paint", "relation_overlay")
    return timers


def _bare_first_frame(app: QApplication, text: str, window: MainWindow) -> float:
    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.setFont(window.view.font())
    bare.resize(window.view.size())
    bare.show()
    app.processEvents()
    times = []
    for _ in range(3):
        bare.setPlainText("")
        began = time.perf_counter()
        bare.setPlainText(text)
        bare.viewport().repaint()
        times.append((time.perf_counter() - began) * 1000)
    bare.close()
    return statistics.median(times)


def _words(text: str, count: int) -> list[tuple[int, int]]:
    """*count* words from the middle half of *text* to tag, spread out."""
    middle = text[len(text) // 4 : 3 * len(text) // 4]
    found = [
        (m.start() + len(text) // 4, m.end() + len(text) // 4)
        for m in re.finditer(r"\b[a-z]{6,}\b", middle)
    ]
    step = max(len(found) // count, 1)
    return found[::step][:count]


def run_layout(
    layout: str,
    sizes: Sizes,
    timers: _qt.Timers,
    *,
    n_relations: int = 0,
    fresh_process: bool = True,
) -> None:
    """One layout's figures; *fresh_process*: nothing was opened in this process before,
    so the resident memory an opening adds is its own."""
    app = _qt.application()
    n_spans = sizes.spans
    rng = random.Random(5)
    big = make_article(rng, sizes.chars, n_spans, paragraphs=layout == "paragraphs")
    small = make_article(rng, 2_000, 20, title="A short article")
    folder, db = _database(small, big)
    big_uid = text_uid(big.text)
    extra: dict[str, object] = {"layout": layout, "chars": len(big.text), "spans": n_spans}
    if n_relations:
        layout = f"{layout}+relations"
        extra.update(
            layout=layout,
            relations=window_relations.add_relations(db, big_uid, CURATOR, n_relations),
        )
    window = MainWindow(db, CURATOR)
    window.show()
    app.processEvents()

    # Opening through the full path; the resident memory it adds.
    gc.collect()
    timers.take()
    rss_before = rss_bytes()
    began = time.perf_counter()
    window.ws.open_document(big_uid)
    window.view.viewport().repaint()
    app.processEvents()  # the span table and document list paint too
    open_ms = (time.perf_counter() - began) * 1000
    parts = timers.take()
    gc.collect()
    rss_gain = rss_bytes() - rss_before
    floor_ms = _bare_first_frame(app, big.text, window)
    absolute(
        f"open_document[{layout}]",
        open_ms,
        "ms",
        floor_bare_first_frame_ms=round(floor_ms, 3),
        ratio=round(open_ms / floor_ms, 2),
        parts_ms=parts,
        **extra,
    )

    _memory_figure(app, window, (small, big), rss_gain if fresh_process else None, extra)
    # The window's heap is left out of every later collection: the gc.collect()
    # before each timing (so that none lands inside it) then walks only what
    # was made since, milliseconds instead of 200 ms each.
    gc.freeze()
    insert_ms = committed_insert_ms(folder, sizes.inserts)
    floor(f"raw_committed_insert[{layout}]", insert_ms, "ms", **extra)
    _edit_figures(app, window=window, timers=timers, text=big.text, edits=sizes.edits, extra=extra)
    if n_relations:
        window_relations.relation_figures(
            app, window, timers, (big.text, insert_ms), (sizes, extra)
        )
        window_relations.relations_for_figure(
            db, folder / "bench.sqlite", (big_uid, CURATOR), (sizes.reads, extra)
        )
    _check_spans_back(db, big_uid, n_spans)
    window.close()
    db.dispose()


def _memory_figure(
    app: QApplication,
    window: MainWindow,
    articles: tuple[SynthArticle, SynthArticle],
    rss_gain: int | None,
    extra: dict[str, object],
) -> None:
    """The resident memory the first opening added (None: not measured), and Python's
    share, by tracemalloc, on a second opening (it slows the code down)."""
    small, big = articles
    big_uid = text_uid(big.text)
    window.ws.open_document(text_uid(small.text))
    app.processEvents()
    gc.collect()
    tracemalloc.start()
    window.ws.open_document(big_uid)
    window.view.viewport().repaint()
    app.processEvents()
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    figure = f"memory[{extra['layout']}]"
    if rss_gain is None:  # freed memory of an earlier run is reused: not this opening's gain
        emit({"figure": figure, "status": "not measured: run after another in one process"})
        return
    text_bytes = len(big.text.encode("utf-8"))
    ratio_max(figure, rss_gain, text_bytes, "bytes", 10.0, python_heap_bytes=traced, **extra)


def _database(small: SynthArticle, big: SynthArticle) -> tuple[Path, Database]:
    """A temporary database holding both articles, the small one opened last."""
    folder = Path(tempfile.mkdtemp(prefix="curator-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "bench.sqlite"
    _copy_empty_schema(path)
    write_database(path, [small, big], CURATOR)
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    documents.mark_opened(db, text_uid(small.text), CURATOR)
    return folder, db


_EMPTY_SCHEMA: list[Path] = []  # a migrated empty database, made once per process


def _copy_empty_schema(path: Path) -> None:
    """*path* becomes a migrated empty database: the first run of a process migrates
    one, the next ones copy it (the migrations take longer than a smoke run's figures)."""
    if not _EMPTY_SCHEMA:
        empty = path.parent / "empty.sqlite"
        db = open_database(f"sqlite:///{empty}")
        try:
            migrate.upgrade(db, backup=False)
        finally:
            db.dispose()
        _EMPTY_SCHEMA.append(empty)
    source, target = sqlite3.connect(_EMPTY_SCHEMA[0]), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _check_spans_back(db: Database, document_uid: str, n_spans: int) -> None:
    live = len(annotate.spans_for(db, document_uid, CURATOR))
    if live != n_spans:  # every add was deleted again: anything else is a broken run
        raise SystemExit(f"expected {n_spans} spans after the edits, found {live}")


def _edit_figures(
    app: QApplication,
    *,
    window: MainWindow,
    timers: _qt.Timers,
    text: str,
    edits: int,
    extra: dict[str, object],
) -> None:
    view = window.view
    window.activateWindow()  # label keys are window shortcuts: the window must be active
    if not QTest.qWaitForWindowActive(window):
        raise SystemExit("the window never became active; key presses would go nowhere")
    view.setFocus()
    added: list[str] = []
    totals: dict[str, list[float]] = {"add_span": [], "delete_span": []}
    cpu: dict[str, list[float]] = {"add_span": [], "delete_span": []}
    parts: dict[str, list[dict[str, float]]] = {"add_span": [], "delete_span": []}

    def timed(figure: str, key: Qt.Key) -> None:
        _qt.settle(app)  # what selecting the word scheduled is done before the clock starts
        gc.collect()
        timers.take()
        cpu_began = time.process_time()
        began = time.perf_counter()
        QTest.keyClick(view, key)
        keyed = time.perf_counter()
        # Everything the edit scheduled, as the event loop runs it before the
        # next frame: the repaints of what changed (in any widget), layouts,
        # zero-time timers, and what those post in turn. (Forcing a repaint
        # of the whole text view would time a page the edit did not change.)
        _qt.settle(app)
        done = time.perf_counter()
        cpu[figure].append((time.process_time() - cpu_began) * 1000)
        split = timers.take()
        split["repaint"] = round((done - keyed) * 1000, 3)
        split["other"] = round((keyed - began) * 1000 - sum(split.values()) + split["repaint"], 3)
        totals[figure].append((done - began) * 1000)
        parts[figure].append(split)

    for start, end in _words(text, edits):
        view.select_range(start, end)
        before = set(window.ws.spans)
        timed("add_span", Qt.Key.Key_1)
        new = set(window.ws.spans) - before
        if len(new) != 1:
            raise SystemExit("the label key did not add a span (is the window active?)")
        added.extend(new)
    for uid in added:
        # On screen and selected, as after clicking its row in the span table:
        # a span off screen would need no repaint at all.
        span = window.ws.spans[uid]
        view.select_range(span.start, span.start)
        window.editor.select_span(uid)
        timed("delete_span", Qt.Key.Key_Delete)
    for figure, values in totals.items():
        median_parts = {
            k: round(statistics.median(p.get(k, 0.0) for p in parts[figure]), 3)
            for k in parts[figure][0]
        }
        absolute(
            f"{figure}[{extra['layout']}]",
            statistics.median(values),
            "ms",
            at_most=10.0,
            worst_ms=round(max(values), 3),
            cpu_ms=round(statistics.median(cpu[figure]), 3),
            parts_ms=median_parts,
            **extra,
        )


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--layout", choices=("paragraphs", "one_paragraph"))
    p.add_argument("--relations", type=int, default=0, help="relations in the article")
    args = p.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    timers = _install_timers()
    if args.layout:
        run_layout(args.layout, sizes, timers, n_relations=args.relations)
        return 0
    _qt.application()
    emit(machine())
    runs = [("paragraphs", 0), ("one_paragraph", 0), ("paragraphs", sizes.relations)]
    if args.smoke:  # one process: a fresh one per run costs more than the run
        for i, (layout, relations) in enumerate(runs):
            run_layout(layout, sizes, timers, n_relations=relations, fresh_process=i == 0)
        return 0
    for layout, relations in runs:
        command = [sys.executable, "-m", "benchmarks.bench_window", "--layout", layout]
        command += ["--relations", str(relations)]
        result = subprocess.run(command, check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
