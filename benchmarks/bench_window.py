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

Each layout (paragraphs, one 1 MB line) runs in its own process so that the
memory of one does not hide in the other's.

    python -m benchmarks.bench_window [--smoke]
"""

from __future__ import annotations

import atexit
import gc
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from benchmarks import _qt  # offscreen unless QT_QPA_PLATFORM says otherwise
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
from benchmarks.generate import make_article, write_database
from curator.core.articles import documents
from curator.core.articles.text import text_uid
from curator.core.spans import annotate
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.gui import workspace
from curator.gui.document_list import DocumentTableModel
from curator.gui.main_window import MainWindow
from curator.gui.span_table import SpanTableModel
from curator.gui.text_view import SpanTextView

CURATOR = "bench"


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


def run_layout(layout: str, size: int, n_spans: int, edits: int, inserts: int) -> None:
    app = _qt.application()
    timers = _install_timers()
    rng = random.Random(5)
    big = make_article(rng, size, n_spans, paragraphs=layout == "paragraphs")
    small = make_article(rng, 2_000, 20, title="A short article")
    folder = Path(tempfile.mkdtemp(prefix="curator-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "bench.sqlite"
    write_database(path, [small, big], CURATOR)
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    documents.mark_opened(db, text_uid(small.text), CURATOR)
    big_uid = text_uid(big.text)
    window = MainWindow(db, CURATOR)
    window.show()
    app.processEvents()
    extra = {"layout": layout, "chars": len(big.text), "spans": n_spans}
    text_bytes = len(big.text.encode("utf-8"))

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

    # Python's share, by tracemalloc, on a second opening (it slows the code down).
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
    ratio_max(
        f"memory[{layout}]", rss_gain, text_bytes, "bytes", 10.0, python_heap_bytes=traced, **extra
    )
    floor(f"raw_committed_insert[{layout}]", committed_insert_ms(folder, inserts), "ms", **extra)
    _edit_figures(app, window=window, timers=timers, text=big.text, edits=edits, extra=extra)
    live = len(annotate.spans_for(db, big_uid, CURATOR))
    if live != n_spans:  # every add was deleted again: anything else is a broken run
        raise SystemExit(f"expected {n_spans} spans after the edits, found {live}")
    window.close()
    db.dispose()


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
    parts: dict[str, list[dict[str, float]]] = {"add_span": [], "delete_span": []}

    def timed(figure: str, key: Qt.Key) -> None:
        app.processEvents()
        gc.collect()
        timers.take()
        began = time.perf_counter()
        QTest.keyClick(view, key)
        keyed = time.perf_counter()
        # Everything the edit scheduled, as the event loop runs it before the
        # next frame: the repaints of what changed (in any widget), layouts,
        # zero-time timers. (Forcing a repaint of the whole text view would
        # time a page the edit did not change.)
        app.processEvents()
        done = time.perf_counter()
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
            parts_ms=median_parts,
            **extra,
        )


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--layout", choices=("paragraphs", "one_paragraph"))
    args = p.parse_args(argv)
    # A smoke run checks that every figure is printed; its few timed inserts
    # each pay a full garbage collection of the window's heap first.
    smoke, full = (20_000, 400, 3, 5), (1_000_000, 20_000, 15, 50)
    size, n_spans, edits, inserts = smoke if args.smoke else full
    if args.layout:
        run_layout(args.layout, size, n_spans, edits, inserts)
        return 0
    _qt.application()
    emit(machine())
    for layout in ("paragraphs", "one_paragraph"):
        command = [sys.executable, "-m", "benchmarks.bench_window", "--layout", layout]
        result = subprocess.run(command + (["--smoke"] if args.smoke else []), check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
