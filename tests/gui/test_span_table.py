"""The span table model: rows found by bisection, kept in order through edits and sorts."""

from __future__ import annotations

import datetime as dt
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QPaintEvent, QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.records import Span
from curator.gui import plain_text
from curator.gui.concept_picker import ConceptPicker
from curator.gui.main_window import MainWindow
from curator.gui.span_table import END, LABEL, NOTE, START, TEXT, SpanTable, SpanTableModel
from tests.gui.helpers import (
    click_span,
    open_by_title,
    press,
    select_with_keys,
    stored,
    write_note,
)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LABELS = ("therapy", "target", "outcome", "expert")


def span(uid: str, start: int, end: int, label: str = "therapy", *, deleted: bool = False) -> Span:
    return Span(
        uid, "doc", "tester", label, start, end, "x" * (end - start), "", "manual", 1,
        NOW, NOW, NOW if deleted else None,
    )  # fmt: skip


def shown(model: SpanTableModel) -> list[str]:
    return [model.span_at(row).uid for row in range(model.rowCount())]


def text_order(spans: list[Span]) -> list[str]:
    return [s.uid for s in sorted(spans, key=lambda s: (s.start, s.end, s.uid))]


def test_upserts_keep_text_order_and_find_every_row(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = SpanTableModel({})
    model.reset([span("b", 10, 20), span("a", 0, 5)])
    model.upsert(span("c", 5, 8))  # between the two
    model.upsert(span("d", 10, 15))  # same start as b, shorter: before it
    assert shown(model) == ["a", "c", "d", "b"]
    model.upsert(span("a", 30, 40))  # resized past the end: moves to the last row
    model.upsert(span("c", 5, 8, "target"))  # relabelled in place
    model.upsert(span("d", 10, 15, deleted=True))
    assert shown(model) == ["c", "b", "a"]
    assert model.span_at(0).label == "target"
    assert [model.row_of(u) for u in ("c", "b", "a", "d")] == [0, 1, 2, None]
    qtmodeltester.check(model)


def test_sorting_by_a_column_keeps_rows_and_selection_right(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = SpanTableModel({})
    model.reset([span("a", 0, 5, "target"), span("b", 6, 9, "expert"), span("c", 10, 30)])
    kept = QPersistentModelIndex(model.index(model.row_of("c") or 0, TEXT))
    model.sort(LABEL, Qt.SortOrder.AscendingOrder)
    assert shown(model) == ["b", "a", "c"]  # expert, target, therapy
    assert kept.row() == model.row_of("c") == 2
    model.sort(END, Qt.SortOrder.DescendingOrder)
    assert shown(model) == ["c", "b", "a"]
    assert kept.row() == 0 and kept.column() == TEXT
    model.upsert(span("d", 0, 100))  # ends last: first row when descending
    model.upsert(span("e", 0, 7))
    assert shown(model) == ["d", "c", "b", "e", "a"]
    assert [model.row_of(u) for u in shown(model)] == [0, 1, 2, 3, 4]
    qtmodeltester.check(model)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(LABELS), st.booleans()),
        max_size=40,
    ),
    st.sampled_from([LABEL, TEXT, START, END]),
    st.booleans(),
)
def test_any_edit_sequence_matches_a_full_sort(
    edits: list[tuple[int, int, str, bool]], column: int, descending: bool
) -> None:
    """Incremental upserts give the same rows as sorting everything from scratch."""
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model = SpanTableModel({})
    model.sort(column, order)
    live: dict[str, Span] = {}
    rng = random.Random(len(edits))
    for start, length, label, delete in edits:
        uid = rng.choice(list(live)) if live and rng.random() < 0.5 else f"u{len(live)}{start}"
        item = span(uid, start, start + length, label, deleted=delete and uid in live)
        model.upsert(item)
        if item.deleted:
            live.pop(uid)
        else:
            live[uid] = item
    expected = SpanTableModel({})
    expected.reset(list(live.values()))
    expected.sort(column, order)
    assert shown(model) == shown(expected)
    assert sorted(shown(model)) == sorted(live)
    assert all(model.row_of(uid) == row for row, uid in enumerate(shown(model)))
    if column == START and not descending:
        assert shown(model) == text_order(list(live.values()))


def test_a_model_whose_owner_keeps_the_spans_matches_one_that_keeps_its_own() -> None:
    owner: dict[str, Span] = {}
    owned = SpanTableModel({}, owner=owner.get)
    own = SpanTableModel({})
    for item in (span("b", 10, 20), span("a", 0, 5), span("c", 5, 8), span("a", 30, 40),
                 span("c", 5, 8, "target"), span("b", 10, 20, deleted=True)):  # fmt: skip
        old = owner.pop(item.uid, None)
        if not item.deleted:
            owner[item.uid] = item
        owned.replace(old, item)
        own.upsert(item)
    assert shown(owned) == shown(own) == ["c", "a"]
    assert owned.span_at(0).label == "target"
    assert [owned.row_of(u) for u in ("c", "a", "b")] == [0, 1, None]


def test_clicking_a_row_after_sorting_selects_that_span(window: MainWindow) -> None:
    open_by_title(window, "BCMA")
    text = window.view.text()
    for word, key in (("BCMA", Qt.Key.Key_2), ("idecabtagene", Qt.Key.Key_1)):
        start = text.index(word)
        select_with_keys(window, start, start + len(word))
        press(window, key)
    window.span_table.sortByColumn(LABEL, Qt.SortOrder.DescendingOrder)  # therapy first
    table = window.span_table
    rect = table.visualRect(table.model().index(0, TEXT))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    therapy = next(s for s in stored(window) if s.label == "therapy")
    assert window.view.selected_span() == therapy.uid


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_rows_changed_below_the_visible_ones_repaint_nothing_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = SpanTableModel({})
    model.reset([span(f"s{i:03}", 10 * i, 10 * i + 5) for i in range(300)])
    table = SpanTable(model)
    qtbot.addWidget(table)
    table.resize(400, 300)
    table.show()
    qtbot.waitExposed(table)
    QApplication.processEvents()
    paints = _Paints()
    table.viewport().installEventFilter(paints)
    bar = table.verticalScrollBar()
    maximum = bar.maximum()
    model.upsert(span("late", 2000, 2003))  # row 200: far below the shown rows
    model.upsert(span("s250", 2500, 2505, deleted=True))
    qtbot.wait(100)  # Qt lays the rows out on a zero-time timer
    assert paints.count == 0
    assert bar.maximum() == maximum  # one row in, one out
    model.upsert(span("late2", 2010, 2013))
    qtbot.wait(100)
    assert bar.maximum() == maximum + 1  # the scroll range follows the row count
    model.upsert(span("first", 0, 2))  # row 0: every shown row moves down
    qtbot.waitUntil(lambda: paints.count > 0, timeout=2000)
    shown_first = table.indexAt(table.viewport().rect().topLeft() + QPoint(2, 2))
    assert model.span_at(shown_first.row()).uid == "first"


class _PaintedRegion(QObject):
    """The union of every region the watched viewport was asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.region += event.region()
        return False


def test_a_tagging_key_inserts_one_row_and_repaints_from_it_down(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Tagging a word adds one row where it sorts: the table is not reset, keeps its
    scroll position, and repaints only the rows that moved, not those above."""
    open_by_title(window, "BCMA")
    doc = window.ws.document
    assert doc is not None
    text = window.view.text()
    words = [(m.start(), m.end()) for m in re.finditer(r"\b[a-z]{4,}\b", text)]
    tagged, free = words[0:160:2], words[81]  # every other word; the free one among them
    annotate.add_spans(
        window.ws.db, doc.uid, "tester", [NewSpan(s, e, "outcome") for s, e in tagged]
    )
    window.ws.reload()
    table, model = window.span_table, window.span_model
    events: list[tuple[str, int]] = []
    model.modelReset.connect(lambda: events.append(("reset", -1)))
    model.layoutChanged.connect(lambda: events.append(("layout", -1)))
    model.rowsInserted.connect(lambda _parent, first, _last: events.append(("inserted", first)))
    QApplication.processEvents()
    row_above = sum(1 for s, _e in tagged if s < free[0]) - 1  # the tagged word before it
    bar = table.verticalScrollBar()
    bar.setValue(max(row_above - 5, 0))  # the row to come in the middle of the table
    scrolled = bar.value()
    window.view.setFocus()  # where the keys go; the table repaints all when it loses focus
    qtbot.waitUntil(window.view.hasFocus)
    painted = _PaintedRegion()
    table.viewport().installEventFilter(painted)
    for _ in range(40):  # until the scroll and the reload are painted: a quiet 100 ms
        painted.region = QRegion()
        qtbot.wait(100)
        if painted.region.isEmpty():
            break
    assert painted.region.isEmpty()

    select_with_keys(window, *free)
    press(window, Qt.Key.Key_3)

    new = next(s for s in stored(window) if (s.start, s.end) == free)
    assert new.label == "outcome"
    row = model.row_of(new.uid)
    assert row == row_above + 1
    qtbot.waitUntil(lambda: not painted.region.isEmpty())
    assert events == [("inserted", row)]
    assert bar.value() == scrolled
    assert table.currentIndex().row() == row  # the table follows the new span
    top = table.rowViewportPosition(row)
    assert 0 < top < table.viewport().height()
    assert painted.region.boundingRect().top() >= top  # the rows above were left alone


def test_deleting_a_span_selects_no_other_and_leaves_the_caret(window: MainWindow) -> None:
    """Qt moves the table's current row to the next one when a row goes; that is not
    the curator choosing the next span: nothing is selected and the caret stays."""
    open_by_title(window, "BCMA")
    text = window.view.text()
    for word in ("BCMA", "idecabtagene"):
        start = text.index(word)
        select_with_keys(window, start, start + len(word))
        press(window, Qt.Key.Key_2 if word == "BCMA" else Qt.Key.Key_1)
    first, second = sorted(stored(window), key=lambda s: s.start)
    click_span(window, first)
    assert window.view.selected_span() == first.uid
    assert window.span_table.currentIndex().row() == window.span_model.row_of(first.uid)
    caret = window.view.selection_range()

    press(window, Qt.Key.Key_Delete)

    assert [s.uid for s in stored(window)] == [second.uid]
    assert window.view.selected_span() is None
    assert window.view.selection_range() == caret  # not moved to the next span's start
    assert not window.span_table.selectionModel().hasSelection()


def _row_shown(window: MainWindow, uid: str) -> dict[str, object]:
    """What the span table shows for *uid*: each column's text and the row's tooltip."""
    model = window.span_model
    row = model.row_of(uid)
    assert row is not None
    cells = {name: model.data(model.index(row, col)) for col, name in enumerate(model.COLUMNS)}
    cells["tooltip"] = model.data(model.index(row, TEXT), Qt.ItemDataRole.ToolTipRole)
    cells["edited note"] = model.data(model.index(row, NOTE), Qt.ItemDataRole.EditRole)
    return cells


def test_a_rows_cells_follow_each_edit_of_its_span(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The table keeps each row's cells once made; a relabel, a note, a concept
    linked (real keys each) show in the row as the database holds them."""
    open_by_title(window, "BCMA")
    text = window.view.text()
    start = text.index("BCMA")
    select_with_keys(window, start, start + 4)
    press(window, Qt.Key.Key_1)  # therapy, by mistake
    (tagged,) = stored(window)
    assert _row_shown(window, tagged.uid)["Label"] == "therapy"  # the cells are made

    press(window, Qt.Key.Key_2)  # corrected: a target
    write_note(window, qtbot, "the receptor, not the drug")
    seen: dict[str, object] = {}

    def link(picker: ConceptPicker) -> None:
        seen["picker"] = picker
        QTest.keyClick(picker.query, Qt.Key.Key_Return)

    def in_picker() -> None:
        picker = QApplication.activeModalWidget()
        if isinstance(picker, ConceptPicker):
            link(picker)
        else:
            seen["picker"] = None

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTimer.singleShot(0, in_picker)
    press(window, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "picker" in seen)

    (held,) = stored(window)
    assert held.label == "target" and held.note == "the receptor, not the drug"
    assert [c.id for c in held.concepts] == ["HGNC:11913"]
    cells = _row_shown(window, held.uid)
    assert {k: cells[k] for k in ("Label", "Text", "Start", "End", "Note", "Concept")} == {
        "Label": "target",
        "Text": "BCMA",
        "Start": held.start,
        "End": held.end,
        "Note": held.note,
        "Concept": "TNFRSF17 (HGNC:11913)",
    }
    assert cells["edited note"] == held.note
    assert cells["tooltip"] == plain_text.tooltip(
        "target: BCMA\nConcept: TNFRSF17 (HGNC:11913)\nNote: the receptor, not the drug"
    )
