"""Articles from saved web pages: the main text, without menus, footers or comments.

trafilatura (Apache-2.0) finds the article in the page and drops the rest;
each paragraph, heading or list item it keeps becomes a paragraph of the
text, with the page's title as the first one. Title, publication date,
author, site and address go into ``meta`` when the page says them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from curator.core.articles.text import plain_typography
from curator.core.errors import InputError
from curator.core.optional import WEB_PAGES, how_to_install

MISSING = (
    "needs the optional web page library (trafilatura), not installed here; "
    + how_to_install(WEB_PAGES)
)


def read_html(path: Path, data: bytes) -> tuple[str, dict[str, Any], str | None]:
    """The main text of a saved web page, its ``meta`` and its title."""
    try:
        import trafilatura
    except ImportError:
        raise InputError(path, MISSING) from None
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its own notes are not ours
    if not data.strip():
        raise InputError(path, "is empty")
    found = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True
    )
    body = getattr(found, "text", None) or ""
    paragraphs = [" ".join(plain_typography(p).split()) for p in body.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise InputError(path, "holds no article text that could be told from the page around it")
    title = " ".join(plain_typography(getattr(found, "title", None) or "").split()) or None
    if title and paragraphs[0] != title:
        paragraphs.insert(0, title)
    meta: dict[str, Any] = {"format": "html"}
    for key, attribute in (
        ("title", "title"),
        ("published", "date"),
        ("author", "author"),
        ("site", "sitename"),
        ("url", "url"),
    ):
        value = getattr(found, attribute, None)
        if isinstance(value, str) and value.strip():
            meta[key] = " ".join(value.split())
    return "\n\n".join(paragraphs), meta, title
