"""``bench_window``'s relation figures: R, Tab, Enter and reading an article's relations.

The window and its 20,000-span article come from :mod:`benchmarks.bench_window`;
here are the relations laid over them and the figures that need them.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from benchmarks import _qt
from benchmarks._common import absolute, floor, paired_median_ms, ratio_max
from curator.core import relations as core_relations
from curator.core.spans import annotate
from curator.core.storage.db import Database
from curator.gui.main_window import MainWindow

if TYPE_CHECKING:
    from benchmarks.bench_window import Sizes


def add_relations(db: Database, document_uid: str, curator: str, count: int) -> int:
    """Up to *count* relations, each from a span to the nearest later one the rules
    allow (as a curator links a therapy to its target a few words on)."""
    types = core_relations.list_relation_types(db)
    spans = sorted(annotate.spans_for(db, document_uid, curator), key=lambda s: s.start)
    items: list[core_relations.NewRelation] = []
    for i, head in enumerate(spans):
        if len(items) >= count:
            break
        for tail in spans[i + 1 : i + 8]:
            fits = core_relations.allowed_types(types, head.label, tail.label)
            if fits:
                items.append(core_relations.NewRelation(fits[0].name, head.uid, tail.uid))
                break
    with db.write() as session:
        core_relations.add_relations_in(session, document_uid, curator, items)
    return len(items)


def relation_figures(
    app: QApplication,
    window: MainWindow,
    timers: _qt.Timers,
    text_and_insert: tuple[str, float],
    sizes_and_extra: tuple[Sizes, dict[str, object]],
) -> None:
    """A repaint with a relation in focus against a bare editor's; R, Tab, Enter.

    *text_and_insert*: the article's text, and the committed insert's floor (ms).
    """
    text, insert_ms = text_and_insert
    sizes, extra = sizes_and_extra
    repeat = sizes.repaints
    ui = window.relations
    rows = ui.model.rows
    ui.show_relation(rows[len(rows) // 2].uid)  # its arc on screen, in the middle
    app.processEvents()
    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.setFont(window.view.font())
    bare.resize(window.view.size())
    bare.setPlainText(text)
    bare.show()
    app.processEvents()
    view_bar, bare_bar = window.view.verticalScrollBar(), bare.verticalScrollBar()
    bare_bar.setValue(bare_bar.maximum() * view_bar.value() // max(view_bar.maximum(), 1))
    app.processEvents()
    timers.take()
    paint_floor, paint_ms = paired_median_ms(
        bare.viewport().repaint, window.view.viewport().repaint, repeat
    )
    overlay_ms = timers.take().get("relation_overlay", 0.0) / repeat  # its share of one repaint
    bare.close()
    window.activateWindow()  # the bare editor took the focus; R is a window shortcut
    if not QTest.qWaitForWindowActive(window):
        raise SystemExit("the window never became active again")
    floor(f"bare_repaint[{extra['layout']}]", paint_floor, "ms", **extra)
    ratio_max(
        f"repaint[{extra['layout']}]",
        paint_ms,
        paint_floor,
        "ms",
        2.0,
        parts_ms={"relation_overlay": round(overlay_ms, 3)},
        **extra,
    )

    # The same page with and without the relations drawn (no arc, no dots): their cost.
    view, focus = window.view, ui.overlay.focus

    def hide() -> None:
        ui.overlay.set_focus(None)
        view.set_related(frozenset())

    def show() -> None:
        ui.overlay.set_focus(focus)
        view.set_related(ui.state.by_span)

    bare_ms, drawn_ms = paired_median_ms(
        view.viewport().repaint, view.viewport().repaint, repeat, floor_setup=hide, setup=show
    )
    floor(f"repaint_without_relations[{extra['layout']}]", bare_ms, "ms", **extra)
    ratio_max(f"repaint_relations_drawn[{extra['layout']}]", drawn_ms, bare_ms, "ms", 1.2, **extra)
    floors = {"R": paint_floor, "Tab": paint_floor, "Enter": paint_floor + insert_ms}
    _relate_figure(app, window, floors, (sizes.relate, extra))


KEY_NAMES = {Qt.Key.Key_R: "R", Qt.Key.Key_Tab: "Tab", Qt.Key.Key_Return: "Enter"}


def _relate_figure(
    app: QApplication,
    window: MainWindow,
    floors: dict[str, float],
    count_and_extra: tuple[int, dict[str, object]],
) -> None:
    """R, Tab, Enter from spans that still have a target to offer, on screen.

    Each key's median is given against its floor: what the key cannot do
    without (R and Tab show the page anew: a bare editor's repaint of it;
    Enter also commits one row).
    """
    count, extra = count_and_extra
    ui = window.relations
    keys = tuple(KEY_NAMES)
    per_key: list[float] = []
    by_key: dict[str, list[float]] = {name: [] for name in KEY_NAMES.values()}
    cpu_by_key: dict[str, list[float]] = {name: [] for name in KEY_NAMES.values()}
    made = 0
    spans = sorted(window.ws.spans.values(), key=lambda s: s.start)
    for span in spans[len(spans) // 3 :]:
        if made == count:
            break
        if span.label not in ("therapy", "expert"):
            continue
        window.view.select_range(span.start, span.start)
        window.editor.select_span(span.uid)
        window.view.setFocus()
        before = len(ui.state.relations)
        times, cpu_times = [], []
        for key in keys:
            _qt.settle(app)  # nothing of the set-up or the key before is timed
            cpu_began = time.process_time()
            began = time.perf_counter()
            QTest.keyClick(window.view, key)
            _qt.settle(app)  # the key's work, and what it posted in turn
            times.append((time.perf_counter() - began) * 1000)
            cpu_times.append((time.process_time() - cpu_began) * 1000)
            if not ui.flow.active and key == Qt.Key.Key_R:
                break  # nothing left to link from this span
        if len(ui.state.relations) == before + 1:
            per_key.extend(times)
            for key, spent, cpu_spent in zip(keys, times, cpu_times, strict=True):
                by_key[KEY_NAMES[key]].append(spent)
                cpu_by_key[KEY_NAMES[key]].append(cpu_spent)
            made += 1
    if not made:
        raise SystemExit("R, Tab, Enter never made a relation (is the window active?)")
    medians = {name: statistics.median(values) for name, values in by_key.items()}
    absolute(
        f"relate_key[{extra['layout']}]",
        statistics.median(per_key),
        "ms",
        at_most=10.0,
        worst_ms=round(max(per_key), 3),
        per_key_ms={name: round(value, 3) for name, value in medians.items()},
        cpu_per_key_ms={name: round(statistics.median(v), 3) for name, v in cpu_by_key.items()},
        floor_ms={name: round(value, 3) for name, value in floors.items()},
        ratio={name: round(medians[name] / floors[name], 2) for name in medians},
        relations_made=made,
        **extra,
    )


_RELATIONS_SQL = """
SELECT r.uid, d.uid, c.name, t.name, r.head_uid, r.tail_uid, r.origin, r.note, r.revision,
       r.created_at, r.updated_at, r.deleted_at
FROM relation r JOIN document d ON d.id = r.document_id JOIN curator c ON c.id = r.curator_id
JOIN relation_type t ON t.id = r.type_id
JOIN annotation h ON h.uid = r.head_uid JOIN annotation e ON e.uid = r.tail_uid
WHERE d.uid = ? AND c.name = ? AND r.deleted_at IS NULL AND h.deleted_at IS NULL
  AND e.deleted_at IS NULL
ORDER BY r.created_at, r.uid
"""


def relations_for_figure(
    db: Database,
    path: Path,
    document_and_curator: tuple[str, str],
    repeat_and_extra: tuple[int, dict[str, object]],
) -> None:
    """The open document's live relations as the editor reads them, against the bare driver."""
    document_uid, curator = document_and_curator
    repeat, extra = repeat_and_extra
    con = sqlite3.connect(path)

    def bare() -> object:
        return con.execute(_RELATIONS_SQL, (document_uid, curator)).fetchall()

    def ours() -> object:
        return core_relations.relations_for(db, document_uid, curator)

    if len(bare()) != len(core_relations.relations_for(db, document_uid, curator)):  # type: ignore[arg-type]
        raise SystemExit("relations_for and the floor's query read different rows")
    floor_ms, value_ms = paired_median_ms(bare, ours, repeat)
    con.close()
    floor(f"sqlite3_read_relations[{extra['layout']}]", floor_ms, "ms", **extra)
    ratio_max(f"relations_for[{extra['layout']}]", value_ms, floor_ms, "ms", 2.0, **extra)
