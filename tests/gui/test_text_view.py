"""The article view with real key presses, mouse clicks and painted pixels."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPaintEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from curator.gui.text_view import SpanTextView, ViewSpan

THERAPY, TARGET, OUTCOME, EXPERT = "#0072B2", "#E69F00", "#009E73", "#CC79A7"

TEXT = (
    "TNF-𝛼 blockade with infliximab reduced transfusion needs, and ruxolitinib "
    "targeting JAK2 gave a durable spleen response in most patients with myelofibrosis.\n"
    "A second paragraph 😀 follows with more words about imatinib and BCR-ABL1."
)


def span(uid: str, phrase: str, color: str, tooltip: str = "", *, dashed: bool = False) -> ViewSpan:
    start = TEXT.index(phrase)
    return ViewSpan(uid, start, start + len(phrase), color, uid, tooltip or uid, dashed)


SPANS = [
    span("infliximab", "infliximab", THERAPY, "therapy<br>curator: anna"),
    span("rux", "ruxolitinib", THERAPY),
    span("rux-jak2", "ruxolitinib targeting JAK2", THERAPY),  # encloses rux and jak2
    span("jak2", "JAK2", TARGET, "<b>target</b><br>note: &lt;JAK2 V617F&gt;"),
    span("response", "durable spleen response", OUTCOME),
    span("late", "spleen response in most patients", OUTCOME),  # overlaps response
    span("imatinib", "imatinib", THERAPY, dashed=True),
    span("bcr", "BCR-ABL1", TARGET),
]


def make_view(qtbot: QtBot, text: str = TEXT, spans: list[ViewSpan] | None = None) -> SpanTextView:
    view = SpanTextView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.set_article(text, SPANS if spans is None else spans)
    view.show()
    qtbot.waitExposed(view)
    return view


def point_of(view: SpanTextView, cp: int) -> QPoint:
    """Viewport pixel inside the character at code point *cp*."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 3, rect.center().y())


def grab(view: SpanTextView) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def in_widget(view: SpanTextView, point: QPoint) -> QPoint:
    return view.viewport().mapTo(view, point)


def test_text_and_offsets_are_code_points(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    assert view.text() == TEXT
    assert view.utf16().utf16_length == view.document().characterCount() - 1
    start = TEXT.index("infliximab")
    view.select_range(start, start + len("infliximab"))
    assert view.selection_range() == (start, start + len("infliximab"))
    assert view.textCursor().selectedText() == "infliximab"
    # Both UTF-16 positions are one past the code points (𝛼 is two units).
    assert view.textCursor().selectionStart() == start + 1
    view.select_range(3, 5)  # "-𝛼": across the astral character
    assert view.selection_range() == (3, 5)
    assert view.textCursor().selectedText() == "-𝛼"


def test_shift_right_extends_the_selection_in_code_points(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.setFocus()
    view.select_range(2, 2)
    for _ in range(4):  # F, -, 𝛼 (one keypress, two UTF-16 units), space
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection_range() == (2, 6)
    qtbot.keyClick(
        view,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
    )
    start, end = view.selection_range()
    assert start == 2
    assert TEXT[6:end].strip() == "blockade"


def test_spans_at_lists_innermost_first(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    assert [s.uid for s in view.spans_at(TEXT.index("JAK2") + 1)] == ["jak2", "rux-jak2"]
    assert [s.uid for s in view.spans_at(TEXT.index("spleen"))] == ["response", "late"]
    assert view.spans_at(0) == []


def test_click_on_a_span_emits_its_uid(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    for uid, phrase in [("jak2", "JAK2"), ("rux", "ruxolitinib"), ("infliximab", "infliximab")]:
        point = point_of(view, TEXT.index(phrase) + 1)
        with qtbot.waitSignal(view.span_clicked, timeout=1000) as blocker:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert blocker.args == [uid]
    with qtbot.waitSignal(view.span_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, TEXT.index("blockade"))
        )
    assert blocker.args == [""]


def test_drag_selects_text_without_a_click(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    start, end = point_of(view, TEXT.index("ruxolitinib")), point_of(view, TEXT.index("gave"))
    with qtbot.assertNotEmitted(view.span_clicked):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), end)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    a, b = view.selection_range()
    assert a < b
    assert "targeting" in TEXT[a:b]


def test_painting_tints_spans_and_draws_lanes(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    before = grab(view)
    white = QColor("white").rgb()

    def tinted_share(uid: str, hue: str) -> float:
        """Share of the pixels over the span's first three characters with its hue."""
        s = next(x for x in SPANS if x.uid == uid)
        first = view.cursorRect(_cursor_at(view, s.start))
        third = view.cursorRect(_cursor_at(view, s.start + 3))
        assert first.top() == third.top()
        hits = total = 0
        for x in range(first.x() + 1, third.x()):
            for y in range(first.top() + 1, first.bottom()):
                c = QColor(before.pixel(in_widget(view, QPoint(x, y))))
                total += 1
                if hue == "blue":
                    hits += c.blue() - c.red() > 25 and c.lightness() > 150
                elif hue == "orange":
                    hits += c.red() - c.blue() > 25 and c.lightness() > 150
                else:
                    hits += c.green() - c.red() > 15 and c.lightness() > 150
        return hits / total

    assert tinted_share("infliximab", "blue") > 0.4
    assert tinted_share("bcr", "orange") > 0.4
    assert tinted_share("response", "green") > 0.4

    def top_pixel(cp: int) -> QColor:
        """Pixel near the top of the line box at *cp*, above the glyphs."""
        rect = view.cursorRect(_cursor_at(view, cp))
        return QColor(before.pixel(in_widget(view, QPoint(rect.x() + 3, rect.top() + 1))))

    # A nested span reads darker than its parent alone.
    inner, outer = top_pixel(TEXT.index("JAK2")), top_pixel(TEXT.index("targeting"))
    assert outer.rgb() != white
    assert inner.lightness() < outer.lightness()
    # Lane 0 just under the baseline carries the label colour itself.
    block = view.document().firstBlock()
    line = block.layout().lineForTextPosition(view.utf16().to_utf16(TEXT.index("infliximab")))
    top_y = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
    lane_y = int(top_y + line.y() + line.ascent() + 2.5)
    x = point_of(view, TEXT.index("infliximab") + 4).x()
    assert QColor(before.pixel(in_widget(view, QPoint(x, lane_y)))).name() == THERAPY.lower()


def _cursor_at(view: SpanTextView, cp: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.utf16().to_utf16(cp))
    return cursor


def test_selected_span_gets_a_dark_outline(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    s = next(x for x in SPANS if x.uid == "infliximab")
    rect = view.cursorRect(_cursor_at(view, s.start))
    edge = in_widget(view, QPoint(rect.x() + 1, rect.top() - 1))

    def dark_pixels_on_top_edge(image: QImage) -> int:
        right = point_of(view, s.end - 1).x()
        return sum(
            QColor(image.pixel(edge.x() + dx, edge.y())).lightness() < 80
            for dx in range(right - rect.x())
        )

    assert dark_pixels_on_top_edge(grab(view)) == 0
    view.set_selected_span("infliximab")
    assert view.selected_span() == "infliximab"
    assert dark_pixels_on_top_edge(grab(view)) > (point_of(view, s.end - 1).x() - rect.x()) // 2
    view.set_selected_span(None)
    assert view.selected_span() is None


def test_upsert_and_remove_repaint_one_span(qtbot: QtBot) -> None:
    view = make_view(qtbot, spans=[])
    cp = TEXT.index("myelofibrosis")
    point = in_widget(view, point_of(view, cp))
    y = view.cursorRect(_cursor_at(view, cp)).top() + 2
    probe = QPoint(point.x(), view.viewport().mapTo(view, QPoint(0, y)).y())
    assert QColor(grab(view).pixel(probe)).name() == "#ffffff"
    view.upsert_span(ViewSpan("mf", cp, cp + len("myelofibrosis"), EXPERT, "expert", "expert"))
    assert QColor(grab(view).pixel(probe)).name() != "#ffffff"
    assert [s.uid for s in view.spans_at(cp)] == ["mf"]
    view.upsert_span(ViewSpan("mf", 0, 3, EXPERT, "expert", "expert"))  # moved away
    assert view.spans_at(cp) == []
    assert QColor(grab(view).pixel(probe)).name() == "#ffffff"
    view.remove_span("mf")
    assert view.spans_at(1) == []


def test_tooltip_lists_all_spans_under_the_mouse(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    point = point_of(view, TEXT.index("JAK2") + 1)
    # Delivered to the viewport, as Qt does on hover; it propagates to the view.
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    text = QToolTip.text()
    assert "<b>target</b><br>note: &lt;JAK2 V617F&gt;" in text  # rich text shown as given
    assert text.index("target") < text.index("rux-jak2")  # innermost first
    assert "<hr>" in text
    outside = point_of(view, TEXT.index("blockade"))
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, outside, view.viewport().mapToGlobal(outside)),
    )
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)  # Qt hides after 300 ms


def test_set_spans_keeps_text_and_scroll(qtbot: QtBot) -> None:
    long_text = "\n".join(f"Paragraph {i}: " + "imatinib and dasatinib " * 12 for i in range(200))
    view = make_view(qtbot, long_text, [])
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    value = bar.value()
    view.set_spans([ViewSpan("a", 10, 20, THERAPY, "therapy", "t")])
    assert bar.value() == value
    assert view.text() == long_text


def test_select_range_scrolls_off_screen_text_into_view(qtbot: QtBot) -> None:
    long_text = "\n".join(f"Paragraph {i}: " + "imatinib and dasatinib " * 12 for i in range(300))
    view = make_view(qtbot, long_text, [])
    start = long_text.index("Paragraph 250:")
    view.select_range(start, start + 9)
    assert view.selection_range() == (start, start + 9)
    rect = view.cursorRect(_cursor_at(view, start))
    assert view.viewport().rect().contains(rect)
    # Centred: the selection sits in the middle third of the viewport.
    third = view.viewport().height() / 3
    assert third < rect.center().y() < 2 * third
    # Hit testing agrees with the spaced-out lines far down the document.
    assert view.cursorForPosition(rect.center()).position() == view.utf16().to_utf16(start)


def test_select_range_on_the_last_visible_line_scrolls_it_up(qtbot: QtBot) -> None:
    long_text = "\n".join(f"Paragraph {i}: " + "imatinib and dasatinib " * 12 for i in range(300))
    view = make_view(qtbot, long_text, [])
    height = view.viewport().height()
    y = height - 4
    while (
        not view.viewport().rect().contains(view.cursorRect(view.cursorForPosition(QPoint(10, y))))
    ):
        y -= 4  # the last line shown whole
    bottom = view.cursorForPosition(QPoint(10, y)).position()
    assert view.cursorRect(view.cursorForPosition(QPoint(10, y))).bottom() > height * 0.8
    top = view.cursorForPosition(QPoint(10, height // 2)).position()
    view.select_range(top, top + 3)  # well inside the page: nothing moves
    assert view.verticalScrollBar().value() == 0
    start = view.utf16().to_codepoint(bottom)
    view.select_range(start, start + 3)
    rect = view.cursorRect(_cursor_at(view, start))
    assert view.verticalScrollBar().value() > 0
    assert rect.bottom() < height - 2 * view.fontMetrics().lineSpacing()


def test_lines_get_room_for_underline_lanes(qtbot: QtBot) -> None:
    view = make_view(qtbot)

    def room_below_baseline() -> float:
        """Pixels from a line's baseline to the top of the next line."""
        layout = view.document().firstBlock().layout()
        assert layout.lineCount() >= 2
        first, second = layout.lineAt(0), layout.lineAt(1)
        return second.y() - (first.y() + first.ascent())

    lanes_need = 2 + 3 * 3  # offset below the baseline, then three 2 px lanes 1 px apart
    assert room_below_baseline() >= lanes_need
    view.zoomIn(4)  # a font change relays out with new gaps; clicks still land
    qtbot.waitUntil(lambda: view.document().firstBlock().layout().lineCount() >= 2)
    assert room_below_baseline() >= lanes_need
    point = point_of(view, TEXT.index("JAK2") + 1)
    with qtbot.waitSignal(view.span_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["jak2"]


def test_many_void_calls_complete(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 aborted after ~5,000 void calls (None refcount)."""
    view = make_view(qtbot)
    cursor = QTextCursor(view.document())
    size = view.utf16().utf16_length
    for i in range(20_000):
        cursor.setPosition(i % size)
    assert cursor.position() == 19_999 % size


class _PaintRegions(QObject):
    """Records the regions the viewport is asked to repaint."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.rects.extend(event.region())
        return False

    def height(self) -> int:
        return sum(r.height() for r in self.rects)

    def contains(self, point: QPoint) -> bool:
        return any(r.contains(point) for r in self.rects)


def test_an_edited_span_repaints_its_paragraph_only(qtbot: QtBot) -> None:
    long_text = "\n".join(f"Paragraph {i}: " + "imatinib and dasatinib " * 3 for i in range(40))
    first = ViewSpan("a", 0, 9, THERAPY, "therapy", "t")
    view = make_view(qtbot, long_text, [first])
    QApplication.processEvents()  # the first paint
    regions = _PaintRegions()
    view.viewport().installEventFilter(regions)
    start = long_text.index("Paragraph 5:")
    moved = ViewSpan("a", start, start + 9, TARGET, "target", "t")
    view.replace_span(first, moved)
    qtbot.waitUntil(lambda: len(regions.rects) > 0, timeout=2000)
    height = view.viewport().height()
    assert regions.height() < height / 4  # two paragraphs, not the page
    for cp in (0, start):  # the old place and the new one
        assert regions.contains(view.cursorRect(_cursor_at(view, cp)).center())
    assert [s.uid for s in view.spans_at(start)] == ["a"] and view.spans_at(0) == []
    probe = in_widget(view, point_of(view, start + 1))
    assert QColor(grab(view).pixel(probe)).name() != "#ffffff"
    regions.rects.clear()
    view.set_selected_span("a")  # the outline: the span's paragraph again
    qtbot.waitUntil(lambda: len(regions.rects) > 0, timeout=2000)
    assert 0 < regions.height() < height / 4
    view.replace_span(moved, None)
    assert view.spans_at(start) == [] and view.selected_span() is None


def test_an_edit_that_moves_other_spans_lanes_repaints_their_lines_too(qtbot: QtBot) -> None:
    text = "Intro.\n" + "imatinib and dasatinib in chronic phase " * 20 + "\nEnd."
    outer = ViewSpan("outer", 7, 507, THERAPY, "therapy", "t")
    inner = ViewSpan("inner", 400, 410, TARGET, "target", "t")
    view = make_view(qtbot, text, [outer, inner])
    QApplication.processEvents()
    regions = _PaintRegions()
    view.viewport().installEventFilter(regions)
    short = ViewSpan("short", 7, 12, EXPERT, "expert", "t")  # takes a free lane: nothing moves
    view.replace_span(None, short)
    qtbot.waitUntil(lambda: len(regions.rects) > 0, timeout=2000)
    assert regions.contains(view.cursorRect(_cursor_at(view, 8)).center())
    assert not regions.contains(view.cursorRect(_cursor_at(view, 405)).center())
    regions.rects.clear()
    # Starts in the paragraph before: first in lane order, so outer and inner swap lanes.
    cross = ViewSpan("cross", 5, 9, OUTCOME, "outcome", "t")
    view.replace_span(None, cross)
    qtbot.waitUntil(lambda: len(regions.rects) > 0, timeout=2000)
    assert regions.contains(view.cursorRect(_cursor_at(view, 405)).center())
