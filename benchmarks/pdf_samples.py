"""Journal-like PDFs of known text, drawn with reportlab, for the PDF import tests and benchmark.

Each page is set the way journals set articles: justified lines drawn word by
word, one or two columns, a title across the page, words hyphenated at line
ends, a running header and a footer with the page number, paragraphs
separated by a gap or by an indented first line, bold headings, and
paragraphs flowing from one column or page into the next. The font is the
Bitstream Vera that ships with reportlab, embedded, so ligature glyphs
("ﬁ") and no-break spaces reach the text layer as a publisher's PDF has them.

:func:`write_pdf` returns the paragraphs it drew; the text an import must
give back is :func:`expected_text` of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from curator.core.articles.text import canonical_text, plain_typography

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 54.0, 72.0, 72.0
GUTTER = 18.0
FONT, BOLD = "Vera", "VeraBd"
_SUBSTITUTES = str.maketrans({"κ": "k", "α": "a", "β": "b", "γ": "g", "μ": "u"})


@dataclass
class Sample:
    """What to draw: a title, then paragraphs; a heading is a paragraph starting with '# '."""

    title: str
    paragraphs: list[str]
    columns: int = 1
    size: float = 10.0
    leading: float = 12.0
    indent: bool = False
    """Paragraphs start with an indented first line instead of after a gap."""
    hyphenate: bool = True
    break_compounds: bool = False
    """Also break after the hyphen of a compound ("anti-" + "inflammatory"), as TeX does."""
    header: str | None = "Haematology Letters · Curated Review"
    page_numbers: bool = True
    encrypt_password: str | None = None


def expected_text(title: str, paragraphs: list[str]) -> str:
    """The canonical text an import of the drawn PDF must produce."""
    parts = [title, *(p.removeprefix("# ") for p in paragraphs)]
    return canonical_text(plain_typography("\n\n".join(" ".join(p.split()) for p in parts)))


def _register_fonts() -> None:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))


def drawable(text: str) -> str:
    """*text* with the few letters Vera lacks (Greek) spelled in Latin."""
    return text.translate(_SUBSTITUTES)


class _Flow:
    def __init__(self, path: Path, sample: Sample) -> None:
        from reportlab.lib.pdfencrypt import StandardEncryption
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen.canvas import Canvas

        self.width_of = stringWidth
        encrypt = (
            StandardEncryption(sample.encrypt_password, ownerPassword="owner", strength=128)
            if sample.encrypt_password is not None
            else None
        )
        self.canvas = Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), encrypt=encrypt)
        self.sample = sample
        self.page = 1
        body = PAGE_WIDTH - 2 * MARGIN_X
        self.column_width = (body - GUTTER * (sample.columns - 1)) / sample.columns
        self.column = 0
        self.y = PAGE_HEIGHT - MARGIN_TOP
        self.top = self.y
        self._decorate()

    def _decorate(self) -> None:
        c, s = self.canvas, self.sample
        c.setFont(FONT, 8)
        if s.header:
            c.drawString(MARGIN_X, PAGE_HEIGHT - 40, s.header)
            if s.page_numbers:
                c.drawRightString(PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 40, str(self.page))
        if s.page_numbers:
            c.drawCentredString(PAGE_WIDTH / 2, 36, f"Page {self.page}")

    def _next_column(self) -> None:
        if self.column + 1 < self.sample.columns:
            self.column += 1
        else:
            self.canvas.showPage()
            self.page += 1
            self.column = 0
            self.top = PAGE_HEIGHT - MARGIN_TOP
            self._decorate()
        self.y = self.top

    def _x(self) -> float:
        return MARGIN_X + self.column * (self.column_width + GUTTER)

    def title(self, text: str) -> None:
        size = 16.0
        full = PAGE_WIDTH - 2 * MARGIN_X
        for line in self._wrap(text.split(" "), full, BOLD, size, hyphenate=False):
            self.canvas.setFont(BOLD, size)
            self.canvas.drawString(MARGIN_X, self.y - size, " ".join(line))
            self.y -= size * 1.25
        self.y -= 14
        self.top = self.y

    def paragraph(self, text: str, first: bool) -> None:
        s = self.sample
        heading = text.startswith("# ")
        font = BOLD if heading else FONT
        words = text.removeprefix("# ").split(" ")
        if not first and (heading or not s.indent):
            self.y -= s.leading * 0.75
        indent = 14.0 if s.indent and not heading and not first else 0.0
        lines = self._wrap(
            words,
            self.column_width,
            font,
            s.size,
            hyphenate=s.hyphenate and not heading,
            indent=indent,
        )
        for i, line in enumerate(lines):
            if self.y - s.leading < MARGIN_BOTTOM:
                self._next_column()
            self.y -= s.leading
            x = self._x() + (indent if i == 0 else 0.0)
            last = i == len(lines) - 1
            self._draw_line(line, x, self.column_width - (indent if i == 0 else 0.0), font, last)

    def _draw_line(self, words: list[str], x: float, width: float, font: str, last: bool) -> None:
        size = self.sample.size
        space = self.width_of(" ", font, size)
        widths = [self.width_of(w, font, size) for w in words]
        gap = space
        if not last and len(words) > 1:
            gap = (width - sum(widths)) / (len(words) - 1)
        self.canvas.setFont(font, size)
        for word, w in zip(words, widths, strict=True):
            self.canvas.drawString(x, self.y, word)
            x += w + gap

    def _wrap(
        self,
        words: list[str],
        width: float,
        font: str,
        size: float,
        *,
        hyphenate: bool,
        indent: float = 0.0,
    ) -> list[list[str]]:
        lines: list[list[str]] = []
        line: list[str] = []
        room = width - indent
        space = self.width_of(" ", font, size)
        pending = list(words)
        while pending:
            word = pending.pop(0)
            need = self.width_of(word, font, size) + (space if line else 0.0)
            if need <= room:
                line.append(word)
                room -= need
                continue
            compound = self.sample.break_compounds and "-" in word[:-1]
            if hyphenate and line and compound:
                head, _, rest = word.partition("-")
                if self.width_of(head + "-", font, size) + space <= room:
                    line.append(head + "-")
                    pending.insert(0, rest)
                else:
                    pending.insert(0, word)
            elif hyphenate and line and len(word) >= 8 and word.isalpha():
                for cut in range(len(word) - 3, 2, -1):
                    head = word[:cut] + "-"
                    if self.width_of(head, font, size) + space <= room:
                        line.append(head)
                        pending.insert(0, word[cut:])
                        break
                else:
                    pending.insert(0, word)
            else:
                pending.insert(0, word)
            if not line:  # a word wider than the column: let it overflow alone
                line.append(pending.pop(0))
            lines.append(line)
            line, room = [], width
        if line:
            lines.append(line)
        return lines


def write_pdf(path: Path, sample: Sample) -> Path:
    """Draw *sample* into *path* and return it."""
    _register_fonts()
    flow = _Flow(path, sample)
    flow.title(sample.title)
    for i, paragraph in enumerate(sample.paragraphs):
        flow.paragraph(paragraph, first=i == 0)
    flow.canvas.save()
    return path
