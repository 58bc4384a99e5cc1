"""PDF articles: known text drawn with reportlab comes back in reading order, as paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.pdf_samples import Sample, expected_text, write_pdf
from curator.core.articles import read_article
from curator.core.errors import InputError
from tests.articles.samples import PARAGRAPHS, TITLE, long_paragraphs, word_order_ratio


def raw_text(path: Path) -> str:
    """pdfminer's plain extraction: what the text layer holds before any reordering."""
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def imported(path: Path, sample: Sample) -> tuple[str, str]:
    article = read_article(write_pdf(path, sample))
    return article.text, expected_text(sample.title, sample.paragraphs)


def test_one_column_page_reads_exactly(tmp_path: Path) -> None:
    got, want = imported(
        tmp_path / "a.pdf", Sample(TITLE, PARAGRAPHS, hyphenate=False, header=None)
    )
    assert got == want


def test_two_columns_are_read_left_column_first(tmp_path: Path) -> None:
    title, paragraphs = long_paragraphs(9_000)
    sample = Sample(title, paragraphs, columns=2)
    path = tmp_path / "two.pdf"
    got, want = imported(path, sample)
    assert got == want
    # The text layer itself interleaves nothing here, but a naive reading of
    # lines by height would: check the columns really sit side by side.
    article = read_article(path)
    lefts = {box[1] for p in article.meta["paragraphs"] for box in p["boxes"]}
    assert min(lefts) < 100 and max(lefts) > 300


def test_words_hyphenated_at_line_ends_are_joined(tmp_path: Path) -> None:
    sample = Sample(TITLE, PARAGRAPHS * 3, columns=2, header=None)
    path = tmp_path / "hyphens.pdf"
    got, want = imported(path, sample)
    assert "-\n" in raw_text(path)  # the PDF does break words at line ends
    assert got == want


def test_a_compound_the_article_spells_with_a_hyphen_keeps_it(tmp_path: Path) -> None:
    filler = "word " * 5
    paragraph = (
        f"Patients received anti-inflammatory drugs first. {filler}"
        "The trial compared steroids with further anti-inflammatory agents in every arm."
    )
    # A size at which a line ends on "anti-": try a few.
    for size in (9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0):
        path = tmp_path / f"compound{size}.pdf"
        sample = Sample(TITLE, [paragraph], size=size, header=None, break_compounds=True)
        write_pdf(path, sample)
        if "anti-\n" in raw_text(path):
            break
    else:
        pytest.fail("no size put a line break after 'anti-'")
    article = read_article(path)
    assert article.text == expected_text(TITLE, [paragraph])


def test_running_header_footer_and_page_numbers_are_left_out(tmp_path: Path) -> None:
    title, paragraphs = long_paragraphs(7_000, seed=2)
    sample = Sample(title, paragraphs, header="Haematology Letters 2024; 12: 101-120")
    path = tmp_path / "running.pdf"
    got, want = imported(path, sample)
    assert "Haematology Letters" in raw_text(path)
    assert got == want
    meta = read_article(path).meta
    assert meta["pages"] >= 2
    assert meta["running_lines_left_out"] == 3 * meta["pages"]  # header, its number, footer


def test_ligatures_and_no_break_spaces_become_plain_letters_and_spaces(tmp_path: Path) -> None:
    paragraph = "The ﬁrst ﬂow cytometry ﬁndings at 10\u00a0mg were signiﬁcant and ﬁnal."
    path = write_pdf(tmp_path / "lig.pdf", Sample(TITLE, [paragraph], hyphenate=False, header=None))
    assert "ﬁ" in raw_text(path)  # the text layer holds the ligature glyphs
    text = read_article(path).text
    assert text.endswith("The first flow cytometry findings at 10 mg were significant and final.")
    assert "\u00a0" not in text and "ﬁ" not in text


@pytest.mark.parametrize("indent", [False, True], ids=["gap", "indent"])
def test_a_paragraph_crossing_a_page_break_stays_one_paragraph(
    tmp_path: Path, indent: bool
) -> None:
    title, paragraphs = long_paragraphs(6_000, seed=3)
    sample = Sample(title, paragraphs, indent=indent)
    path = tmp_path / "cross.pdf"
    got, want = imported(path, sample)
    assert got == want
    meta = read_article(path).meta
    crossing = [p for p in meta["paragraphs"] if len({b[0] for b in p["boxes"]}) > 1]
    assert crossing, "no paragraph ran over a page break: the case is not tested"
    for paragraph in meta["paragraphs"]:
        assert got[paragraph["start"] : paragraph["end"]] in want.split("\n\n")


def test_long_two_column_article_keeps_its_words_in_order(tmp_path: Path) -> None:
    title, paragraphs = long_paragraphs(40_000, seed=4)
    sample = Sample(title, paragraphs, columns=2, indent=True)
    got, want = imported(tmp_path / "long.pdf", sample)
    assert word_order_ratio(want, got) >= 0.995
    assert got.count("\n\n") == want.count("\n\n")


def test_paragraph_positions_cover_the_text(tmp_path: Path) -> None:
    article = read_article(write_pdf(tmp_path / "p.pdf", Sample(TITLE, PARAGRAPHS, header=None)))
    meta = article.meta
    assert meta["format"] == "pdf" and meta["pages"] == 1
    spans = [(p["start"], p["end"]) for p in meta["paragraphs"]]
    assert [article.text[s:e] for s, e in spans] == article.text.split("\n\n")
    first = meta["paragraphs"][0]["boxes"][0]
    assert first[0] == 1 and 0 < first[1] < first[3] <= 612 and 0 < first[2] < first[4] <= 792


def test_a_scan_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path))
    canvas.rect(50, 50, 400, 600, fill=1)  # a page image stands in for a scan
    canvas.showPage()
    canvas.save()
    with pytest.raises(InputError, match=r"scan\.pdf: has no text layer .*OCR"):
        read_article(path)


def test_a_pdf_that_needs_a_password_is_refused(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "locked.pdf", Sample(TITLE, PARAGRAPHS, encrypt_password="s3"))
    with pytest.raises(InputError, match=r"locked\.pdf: is encrypted and needs a password"):
        read_article(path)


def test_a_pdf_encrypted_without_a_user_password_opens(tmp_path: Path) -> None:
    sample = Sample(TITLE, PARAGRAPHS, hyphenate=False, header=None, encrypt_password="")
    got, want = imported(tmp_path / "owner-only.pdf", sample)
    assert got == want


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"just some text\n", "is not a PDF"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "is not a readable PDF"),
    ],
)
def test_a_broken_pdf_is_refused_naming_the_file(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"broken\.pdf: {needle}"):
        read_article(path)


def test_a_page_whose_drawing_cannot_be_read_is_named_in_meta(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "damaged.pdf"
    canvas = Canvas(str(path), pageCompression=0)
    canvas.drawString(72, 700, "Page one text here.")
    canvas.showPage()
    canvas.drawString(72, 700, "Page two text here.")
    canvas.showPage()
    canvas.save()
    data = path.read_bytes()
    last = data.rindex(b"BT")  # page two's text, replaced by operators nobody can read
    path.write_bytes(
        data[:last] + b"BT /F1 12 Tf 72 700 Td <ZZZZ> Tj [(a) 5 (b) TJ ET" + data[last + 2 :]
    )

    article = read_article(path)

    assert article.text == "Page one text here."
    assert article.meta["pages"] == 2 and article.meta["pages_without_text"] == [2]


def test_same_article_as_text_and_as_pdf_is_one_document(tmp_path: Path) -> None:
    pdf = read_article(write_pdf(tmp_path / "a.pdf", Sample(TITLE, PARAGRAPHS, header=None)))
    txt = tmp_path / "a.txt"
    txt.write_text(expected_text(TITLE, PARAGRAPHS), encoding="utf-8")
    assert read_article(txt).uid == pdf.uid
