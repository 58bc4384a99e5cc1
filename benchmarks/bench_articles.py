"""PDF import: time and word order on a 30-page two-column article, against bare extractors.

The article is drawn by ``pdf_samples`` from generated hematology text, so
the right text is known. Every extractor runs on the same file in the same
run, median of 3:

- ``pdftotext_layout`` (poppler's ``pdftotext -layout``), the floor the
  import's time is divided by; without poppler the figure says so.
- ``pdfminer_bare``: ``pdfminer.high_level.extract_text``, the library the
  import is built on, with no reading order, paragraphs or cleaning.
- ``pdf_import``: ``articles.read_article``, everything a curator gets.
- ``library[...]``: pypdf, pdfplumber and PyMuPDF's plain extraction, where
  installed (they are not dependencies; see benchmarks/README.md for why).

``word_order[...]`` is the share of the article's words each one gives in the
right order (``difflib`` over words): the import's target is >= 0.995.
"""

from __future__ import annotations

import difflib
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import (
    emit,
    floor,
    machine,
    median_ms,
    paired_median_ms,
    parser,
    unavailable,
)
from benchmarks.generate import make_article
from benchmarks.pdf_samples import Sample, drawable, expected_text, write_pdf
from curator.core.articles import read_article

REPEAT = 3
WORD_ORDER_TARGET = 0.995
POPPLER = "pdftotext (poppler-utils; Debian/Ubuntu: apt-get install poppler-utils)"


def word_order(expected: str, got: str) -> float:
    return difflib.SequenceMatcher(None, expected.split(), got.split(), autojunk=False).ratio()


def article_pdf(folder: Path, size: int) -> tuple[Path, str]:
    text = drawable(make_article(random.Random(30), size, 0).text)
    title, *paragraphs = text.split("\n\n")
    paragraphs = ["# " + p if i % 7 == 3 and len(p) < 80 else p for i, p in enumerate(paragraphs)]
    sample = Sample(title, paragraphs, columns=2, indent=True)
    return write_pdf(folder / "article.pdf", sample), expected_text(title, paragraphs)


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _libraries() -> dict[str, Callable[[Path], str] | str]:
    """Plain extraction by each other candidate library, or what to install for it."""
    found: dict[str, Callable[[Path], str] | str] = {}
    try:
        import pypdf

        found["pypdf"] = lambda p: "\n".join(
            page.extract_text() or "" for page in pypdf.PdfReader(p).pages
        )
    except ImportError:
        found["pypdf"] = "pip install pypdf"
    try:
        import pdfplumber

        def plumber(p: Path) -> str:
            with pdfplumber.open(p) as pdf:
                return "\n".join(page.extract_text() or "" for page in pdf.pages)

        found["pdfplumber"] = plumber
    except ImportError:
        found["pdfplumber"] = "pip install pdfplumber"
    try:
        import pymupdf

        def mupdf(p: Path) -> str:
            with pymupdf.open(p) as doc:
                return "\n".join(page.get_text() for page in doc)

        found["pymupdf"] = mupdf
    except ImportError:
        found["pymupdf"] = "pip install pymupdf (AGPL: measured for comparison only)"
    return found


def _relative(name: str, value: float, floor_value: float, **extra: Any) -> dict[str, Any]:
    """A time reported against a floor; the issue sets no speed target, so none is judged."""
    return emit(
        {
            "figure": name,
            "value": round(value, 1),
            "floor": round(floor_value, 1),
            "unit": "ms",
            "ratio": round(value / floor_value, 2) if floor_value else None,
            "target": None,
            "pass": None,
            **extra,
        }
    )


def _order(name: str, expected: str, got: str, target: float | None = None) -> None:
    ratio = word_order(expected, got)
    emit(
        {
            "figure": f"word_order[{name}]",
            "value": round(ratio, 5),
            "unit": "ratio",
            "target": f">= {target}" if target is not None else None,
            "pass": ratio >= target if target is not None else None,
        }
    )


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__ or "").parse_args(argv)
    emit(machine())
    with tempfile.TemporaryDirectory() as folder:
        path, expected = article_pdf(Path(folder), 9_000 if args.smoke else 135_000)
        from pdfminer.high_level import extract_text

        size = {"pages": read_article(path).meta["pages"], "bytes": path.stat().st_size}
        outputs: dict[str, str] = {}
        poppler = shutil.which("pdftotext")
        if poppler:
            outputs["pdftotext_layout"] = _pdftotext(path)
            layout_ms = median_ms(lambda: _pdftotext(path), REPEAT)
            floor("pdftotext_layout", layout_ms, "ms", **size)
        else:
            layout_ms = 0.0
            unavailable("pdftotext_layout", POPPLER)
        outputs["pdfminer_bare"] = extract_text(str(path))
        outputs["pdf_import"] = read_article(path).text
        # Alternated, so load from other work lands on both sides of the ratio.
        bare_ms, import_ms = paired_median_ms(
            lambda: extract_text(str(path)), lambda: read_article(path), REPEAT
        )
        floor("pdfminer_bare", bare_ms, "ms", **size)
        against = {"ratio_vs_pdftotext_layout": round(import_ms / layout_ms, 1)} if poppler else {}
        _relative("pdf_import", import_ms, bare_ms, **against, **size)
        for name, extract in _libraries().items():
            if isinstance(extract, str):
                emit({"figure": f"library[{name}]", "status": "not installed", "needs": extract})
                continue
            outputs[name] = extract(path)
            elapsed = median_ms(lambda run=extract: run(path), REPEAT)  # type: ignore[misc]
            _relative(f"library[{name}]", elapsed, bare_ms)
        _order("pdf_import", expected, outputs["pdf_import"], WORD_ORDER_TARGET)
        for name in ("pdftotext_layout", "pdfminer_bare", "pypdf", "pdfplumber", "pymupdf"):
            if name in outputs:
                _order(name, expected, outputs[name])
            else:
                emit({"figure": f"word_order[{name}]", "status": "not measured", "needs": name})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
