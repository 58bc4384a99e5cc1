"""The layout rules on lines made by hand: reading order, running lines, joins."""

from __future__ import annotations

from curator.core.articles.pdf_layout import Line, Page, paragraphs_of


def line(x0: float, top: float, x1: float, text: str, size: float = 10.0) -> Line:
    return Line(x0=x0, top=top, x1=x1, bottom=top + size, text=text, size=size, font="F")


def texts(*pages: Page) -> list[str]:
    return [p.text for p in paragraphs_of(pages).paragraphs]


def page(number: int, *lines: Line) -> Page:
    return Page(number, 600.0, 800.0, list(lines))


def test_line_ends_join_with_a_space_or_without_the_hyphen() -> None:
    p = page(
        1,
        line(50, 100, 550, "CD7-directed CAR-"),
        line(50, 112, 550, "T cells cleared the leuk-"),
        line(50, 124, 550, "aemia in most pa\u00ad"),
        line(50, 136, 300, "tients."),
    )
    assert texts(p) == ["CD7-directed CAR-T cells cleared the leukaemia in most patients."]


def test_a_compound_spelled_with_a_hyphen_elsewhere_keeps_it() -> None:
    p = page(
        1,
        line(50, 100, 550, "Steroids are anti-inflammatory; other anti-"),
        line(50, 112, 300, "inflammatory drugs followed."),
    )
    assert texts(p) == ["Steroids are anti-inflammatory; other anti-inflammatory drugs followed."]


def test_a_wider_gap_or_an_indent_starts_a_paragraph() -> None:
    p = page(
        1,
        line(50, 100, 550, "First paragraph runs"),
        line(50, 112, 200, "short."),
        line(50, 134, 550, "Second after a gap runs"),
        line(50, 146, 200, "short."),
        line(64, 158, 550, "Third is indented."),
    )
    assert texts(p) == [
        "First paragraph runs short.",
        "Second after a gap runs short.",
        "Third is indented.",
    ]


def test_left_column_is_read_before_the_right_one_under_a_title() -> None:
    left = [line(50, 100 + 12 * i, 290, f"left {i}") for i in range(4)]
    right = [line(310, 100 + 12 * i, 550, f"right {i}") for i in range(4)]
    title = line(50, 60, 550, "A title across the page", size=14)
    p = page(1, *sorted([*left, *right, title], key=lambda ln: ln.top))
    assert texts(p) == [
        "A title across the page",
        "left 0 left 1 left 2 left 3 right 0 right 1 right 2 right 3",
    ]


def test_running_lines_repeat_at_one_height_and_lone_page_numbers_go() -> None:
    pages = [
        page(
            n,
            line(50, 30, 300, f"Haematology Letters {2024} · {n}"),
            line(50, 100, 550, "Body text that is not"),
            line(50, 112, 550, "repeated at all, page"),
            line(50, 124, 200, f"{n} here."),
            line(290, 760, 310, str(n)),
        )
        for n in (1, 2, 3)
    ]
    layout = paragraphs_of(pages)
    assert layout.running_lines == 6
    assert [p.text for p in layout.paragraphs] == [
        f"Body text that is not repeated at all, page {n} here." for n in (1, 2, 3)
    ]


def test_a_number_sharing_its_row_is_body_text() -> None:
    p = page(
        1,
        line(50, 100, 550, "Enrolled at week"),
        line(50, 740, 400, "n ="),
        line(420, 740, 440, "52"),
    )
    assert texts(p) == ["Enrolled at week", "n = 52"]


def test_a_hanging_indent_goes_on_the_same_paragraph() -> None:
    p = page(
        1,
        line(50, 100, 550, "• mime.cache (holds the globs, magic and aliases in a"),
        line(62, 112, 300, "binary, mappable format)"),
        line(50, 124, 550, "• icons (maps MIME types to"),
        line(62, 136, 300, "Icons)."),
        line(76, 148, 300, "A new paragraph, indented."),
    )
    assert texts(p) == [
        "• mime.cache (holds the globs, magic and aliases in a binary, mappable format) "
        "• icons (maps MIME types to Icons).",
        "A new paragraph, indented.",
    ]
