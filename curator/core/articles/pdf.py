"""Articles from PDF files: the text layer, in reading order, as paragraphs.

pdfminer.six reads the text layer (pure Python, MIT licence; the comparison
with pypdf, pdfplumber and PyMuPDF is in benchmarks/README.md) and groups
glyphs into lines; :mod:`curator.core.articles.pdf_layout` turns the lines
into paragraphs. The page and box of every paragraph go into the document's
``meta`` (``paragraphs``: ``start``, ``end`` and ``boxes``), so a viewer can
show where a span came from.

A PDF without any text (a scan) and one that needs a password are refused:
there is nothing to curate until someone runs OCR or removes the password.
A PDF that merely restricts copying but opens without a password is read.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from curator.core.articles.pdf_layout import Line, Page, paragraphs_of
from curator.core.errors import InputError
from curator.core.optional import PDF, how_to_install

MISSING = (
    f"needs the optional PDF library (pdfminer.six), not installed here; {how_to_install(PDF)}"
)


def read_pdf(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    """The article text of a PDF and its ``meta``; InputError naming the file (and page)."""
    if b"%PDF-" not in data[:1024]:
        raise InputError(path, "is not a PDF (no %PDF- header)")
    pages = _pages(path, data)
    if not any(page.lines for page in pages):
        raise InputError(
            path,
            f"has no text layer on any of its {len(pages)} pages (a scanned image?); "
            "run OCR on it first (e.g. ocrmypdf) and import the result",
        )
    layout = paragraphs_of(pages)
    text = "\n\n".join(p.text for p in layout.paragraphs)
    where: list[dict[str, Any]] = []
    at = 0
    for paragraph in layout.paragraphs:
        where.append({"start": at, "end": at + len(paragraph.text), "boxes": paragraph.boxes})
        at += len(paragraph.text) + 2
    meta: dict[str, Any] = {
        "format": "pdf",
        "pages": len(pages),
        "pages_without_text": [p.number for p in pages if not p.lines],
        "running_lines_left_out": layout.running_lines,
        "paragraphs": where,  # boxes: [page, left, top, right, bottom], points from top-left
    }
    return text, meta


def _pages(path: Path, data: bytes) -> list[Page]:
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams, LTChar, LTPage, LTTextLineHorizontal
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:
        raise InputError(path, MISSING) from None
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(
            path, "is encrypted and needs a password; save an unprotected copy and import that"
        ) from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(path, f"is not a readable PDF ({_reason(exc)})") from None
    resources = PDFResourceManager()
    # boxes_flow=None: lines are all we need (pdf_layout orders them), and
    # pdfminer's own box ordering is the slow part of its layout analysis.
    device = PDFPageAggregator(resources, laparams=LAParams(boxes_flow=None, all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[Page] = []
    reading = 1
    try:
        for number, pdf_page in enumerate(PDFPage.create_pages(document), 1):
            reading = number
            interpreter.process_page(pdf_page)
            result = device.get_result()
            assert isinstance(result, LTPage)
            lines = []
            for item in _text_lines(result, LTTextLineHorizontal):
                chars = [c for c in item if isinstance(c, LTChar)]
                if not chars or not item.get_text().strip():
                    continue
                lines.append(
                    Line(
                        x0=item.x0 - result.x0,
                        top=result.y1 - item.y1,
                        x1=item.x1 - result.x0,
                        bottom=result.y1 - item.y0,
                        text=item.get_text(),
                        size=statistics.median(round(c.size, 1) for c in chars),
                        font=Counter(c.fontname for c in chars).most_common(1)[0][0],
                    )
                )
            pages.append(Page(number, result.width, result.height, lines))
            reading = number + 1
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"page {reading}: cannot be read ({_reason(exc)})") from None
    if not pages:
        raise InputError(path, "has no pages")
    return pages


def _text_lines(container: Any, kind: type) -> list[Any]:
    """Every text line inside *container*, however deep (text boxes, figures)."""
    found = []
    for item in container:
        if isinstance(item, kind):
            found.append(item)
        elif hasattr(item, "__iter__"):
            found.extend(_text_lines(item, kind))
    return found


def _reason(exc: Exception) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
