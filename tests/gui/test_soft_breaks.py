"""Display-only soft breaks: long paragraphs shown in pieces, offsets and text unchanged."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from curator.core.articles import corpus
from curator.gui.main_window import MainWindow
from curator.gui.soft_breaks import display_text, sentence_breaks, soft_break_positions
from curator.gui.text_view import SpanTextView
from tests.gui.helpers import open_by_title, press, select_with_keys, stored

SENTENCE = "Ruxolitinib reached an overall response rate of 81.8% in 𝛼 cohorts. "


@given(st.text(alphabet=" ab\n𝛼", max_size=400), st.integers(4, 50))
def test_breaks_are_spaces_and_bound_every_shown_line(text: str, every: int) -> None:
    positions = soft_break_positions(text, every)
    shown = display_text(text, positions)
    assert len(shown) == len(text)
    assert positions == sorted(set(positions))
    assert all(text[p] == " " for p in positions)
    assert [i for i, (a, b) in enumerate(zip(text, shown, strict=True)) if a != b] == positions
    for line in shown.split("\n"):
        # A line stays long only where it has no space to break at.
        assert len(line) <= every or " " not in line[every // 2 :]


def test_short_paragraphs_are_left_alone() -> None:
    text = "A short line.\n\n" + "word " * 300 + "\nend"
    assert soft_break_positions(text, 2000) == []
    assert display_text(text, []) is text


def test_view_keeps_the_canonical_text_and_offsets(qtbot) -> None:  # type: ignore[no-untyped-def]
    text = SENTENCE * 200  # ~14,000 characters, one paragraph
    view = SpanTextView()
    qtbot.addWidget(view)
    view.set_article(text, [])
    positions = soft_break_positions(text)
    assert len(positions) >= 6
    assert view.document().blockCount() == len(positions) + 1
    assert view.text() == text
    shown = view.document().toPlainText()
    assert [i for i in range(len(text)) if shown[i] != text[i]] == positions  # code points
    view.select_range(positions[2] - 5, positions[2] + 6)  # across the third break
    assert view.selection_range() == (positions[2] - 5, positions[2] + 6)
    view.copy()
    assert QGuiApplication.clipboard().text() == text[positions[2] - 5 : positions[2] + 6]


def test_tagging_across_a_soft_break_stores_the_real_space(
    make_window, samples_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "pasted.txt"
    article.write_text("Pasted from a PDF\n\n" + SENTENCE * 100, encoding="utf-8")
    corpus.import_articles(samples_db, [article])
    window: MainWindow = make_window()
    open_by_title(window, "Pasted from a PDF")
    text = window.view.text()
    cut = soft_break_positions(text)[0]
    start = text.rindex(" ", 0, cut - 1) + 1  # the word before the break ...
    end = text.index(" ", cut + 1)  # ... and the word after it
    select_with_keys(window, start, end)
    press(window, Qt.Key.Key_3)
    (span,) = stored(window)
    assert (span.start, span.end) == (start, end)
    assert span.text == text[start:end] and " " in span.text and "\n" not in span.text
    assert window.view.spans_at(cut)[0].uid == span.uid


def test_a_line_break_inside_a_sentence_is_not_a_paragraph() -> None:
    text = "Severe aplastic\nanemia responds.\nNew paragraph here\n\nAnother one:\nlist"
    assert sentence_breaks(text) == [text.index("\nanemia")]


def test_a_pdf_line_end_shows_as_an_ordinary_line_not_a_paragraph_gap(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = SpanTextView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    view.set_article("Severe aplastic\nanemia responds.\nNext paragraph.", [])
    doc = view.document()
    tops = []
    for number in range(3):
        block = doc.findBlockByNumber(number)
        line = block.layout().lineAt(0)
        tops.append(view.blockBoundingGeometry(block).top() + line.y())
    line_height = doc.findBlockByNumber(0).layout().lineAt(0).height()
    within, between = tops[1] - tops[0], tops[2] - tops[1]
    assert within == line_height + view._layout.line_gap  # as a wrapped line
    assert between > within  # a sentence ended: a paragraph
