"""The article view against Qt's bare QPlainTextEdit: first frame, repaint, scroll.

Floors, measured in the same run: a bare, read-only QPlainTextEdit with the
same font and size showing the same text (``setPlainText`` then a repaint).
The figures: the real SpanTextView showing that text with 20,000 nested and
overlapping spans highlighted, on an article with paragraphs and on one that
is a single 1 MB line. Targets: at most 2x the floor.

    python -m benchmarks.bench_view [--smoke]
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from benchmarks import _qt  # offscreen unless QT_QPA_PLATFORM says otherwise
from benchmarks._common import emit, floor, machine, paired_median_ms, parser, ratio_max
from benchmarks.generate import make_article
from curator.gui.text_view import SpanTextView, ViewSpan

SIZE = (900, 900)


def _show(widget: QWidget) -> None:
    widget.resize(*SIZE)
    widget.show()


def run_layout(layout: str, size: int, n_spans: int, repeat: int) -> None:
    app = _qt.application()
    article = make_article(random.Random(11), size, n_spans, paragraphs=layout == "paragraphs")
    text = article.text
    spans = [
        ViewSpan(f"s{i}", s.start, s.end, _qt.LABEL_COLORS[s.label], s.label, s.label)
        for i, s in enumerate(article.spans)
    ]
    view = SpanTextView()
    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare.setFont(view.font())
    for widget in (view, bare):
        _show(widget)
    app.processEvents()

    def bare_open() -> None:
        bare.setPlainText(text)
        bare.viewport().repaint()

    def view_open() -> None:
        view.set_article(text, spans)
        view.viewport().repaint()

    bare_open(), view_open()  # warm the font and glyph caches of both
    open_floor, open_ms = paired_median_ms(
        bare_open,
        view_open,
        repeat,
        floor_setup=lambda: bare.setPlainText(""),
        setup=lambda: view.set_article("", []),
    )
    extra = {"layout": layout, "chars": len(text), "spans": len(spans)}
    floor(f"bare_first_frame[{layout}]", open_floor, "ms", **extra)
    ratio_max(f"open_first_frame[{layout}]", open_ms, open_floor, "ms", 2.0, **extra)

    for widget in (bare, view):
        bar = widget.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
    app.processEvents()
    paint_floor, paint_ms = paired_median_ms(
        bare.viewport().repaint, view.viewport().repaint, repeat * 4
    )
    floor(f"bare_repaint[{layout}]", paint_floor, "ms", **extra)
    ratio_max(f"repaint[{layout}]", paint_ms, paint_floor, "ms", 2.0, **extra)

    def scroller(widget: QPlainTextEdit) -> Callable[[], None]:
        bar = widget.verticalScrollBar()
        bar.setValue(bar.maximum() // 4)

        def step() -> None:
            value = bar.value() + bar.pageStep()
            bar.setValue(value if value < bar.maximum() else bar.maximum() // 4)
            widget.viewport().repaint()

        return step

    scroll_floor, scroll_ms = paired_median_ms(scroller(bare), scroller(view), repeat * 4)
    floor(f"bare_scroll_page[{layout}]", scroll_floor, "ms", **extra)
    ratio_max(f"scroll_page[{layout}]", scroll_ms, scroll_floor, "ms", 2.0, **extra)
    for widget in (view, bare):
        widget.close()
        widget.deleteLater()
    app.processEvents()


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.split("\n\n")[0]).parse_args(argv)
    size, n_spans, repeat = (20_000, 400, 2) if args.smoke else (1_000_000, 20_000, 7)
    _qt.application()
    emit(machine())
    for layout in ("paragraphs", "one_paragraph"):
        run_layout(layout, size, n_spans, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
