"""Articles as they arrive: plain text, PDF, PubMed Central JATS XML and saved web pages.

One entry point, :func:`read_article`, picks the reader by suffix and content
(:func:`format_of`: ``.xml`` whose root is ``<article>`` is JATS, anything
else is left to the span importers) and returns the same :class:`corpus.Article` a
``.txt`` file gives. Every extracted text gets ligatures spelled out and
no-break spaces made plain (:func:`text.plain_typography`), then the
canonical form; the document id is the SHA-256 of that text, so an article
imported as text and as PDF is one document only when the texts agree.

The PDF and web page readers need the optional ``articles`` libraries and
say so, naming the file, when they are missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curator.core.articles import corpus
from curator.core.articles.text import canonical_text, text_uid, title_from_text
from curator.core.errors import InputError

EXTRACTED_SUFFIXES = (".pdf", ".nxml", ".html", ".htm")
SUFFIXES = (".txt", *EXTRACTED_SUFFIXES)
"""Files read as articles by name; ``.xml`` is one when its root is JATS's ``<article>``."""

LAYOUT_FILE_FACTOR = 5
"""A PDF or web page may be this many times the text size limit (figures, scripts)."""


def format_of(path: Path, data: bytes) -> str | None:
    """``pdf``, ``jats``, ``html`` or ``txt`` for an article file, None for anything else.

    The suffix names PDFs and web pages; a PDF named otherwise is known by its
    header, and an ``.xml`` is JATS only when its first element is ``<article>``
    (BioC's is ``<collection>``).
    """
    from curator.core.articles.jats import is_jats

    suffix = path.suffix.lower()
    head = data[:1024].lstrip()
    if suffix == ".pdf" or head.startswith(b"%PDF-"):
        return "pdf"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".nxml" or (head.startswith(b"<") and is_jats(data)):
        return "jats"
    if suffix == ".txt":
        return "txt"
    return None


def is_article(path: Path) -> bool:
    """True for files this module reads, False for span files (JSONL, BioC XML...)."""
    try:
        with path.open("rb") as f:
            return format_of(path, f.read(65536)) is not None
    except OSError:
        return False  # whoever reads it next names the problem


def read_article(path: Path) -> corpus.Article:
    """Read and check one article file; InputError naming the file (and page or line)."""
    limit = corpus.max_article_bytes()
    data = corpus.read_limited(path, limit * LAYOUT_FILE_FACTOR)
    kind = format_of(path, data)
    if kind in ("txt", None):
        return corpus.read_article(path)
    title: str | None = None
    meta: dict[str, Any]
    if kind == "pdf":
        from curator.core.articles.pdf import read_pdf

        text, meta = read_pdf(path, data)
    elif kind == "html":
        from curator.core.articles.html import read_html

        text, meta, title = read_html(path, data)
    else:
        from curator.core.articles.jats import read_jats

        text, meta, title = read_jats(path, data)
    text = canonical_text(text)
    if not text.strip():
        raise InputError(path, "holds no text")
    size = len(text.encode("utf-8"))
    if size > limit:
        raise InputError(path, f"holds {size:,} bytes of text, over the {limit:,} byte limit")
    return corpus.Article(
        path=path,
        uid=text_uid(text),
        title=title or title_from_text(text, path.stem),
        text=text,
        meta=meta,
    )
