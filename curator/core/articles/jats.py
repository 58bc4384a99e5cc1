"""Articles from PubMed Central's JATS XML (``.nxml``, or ``.xml`` whose root is ``<article>``).

The text is the title, the abstract and the body in document order, one
paragraph per ``<p>``, section headings as paragraphs of their own, and each
figure or table caption ("Figure 1. ...") where it stands. The reference
list is left out and counted in ``meta`` (``references_left_out``), as are
table bodies (``table_bodies_left_out``): they are not prose to curate.
PMID, PMCID, DOI, journal and publication date go into ``meta``.

Parsed with defusedxml (entity declarations refused), like every XML file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curator.core.articles.text import plain_typography
from curator.core.errors import InputError
from curator.core.files.xml_input import parse_xml

_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_BLOCKS = {"fig", "fig-group", "table-wrap", "table-wrap-group", "list", "disp-quote", "boxed-text"}
_CAPTIONED = {"fig", "table-wrap", "supplementary-material"}
_LEFT_OUT = {"ref-list", "table", "graphic", "media", "alternatives", "object-id"}


def is_jats(data: bytes) -> bool:
    """True when the first element of *data* is ``<article>`` (JATS), without parsing it all."""
    head = re.sub(rb"<!--.*?-->", b"", data[:65536], flags=re.S)
    found = _FIRST_TAG.search(head)
    return found is not None and found.group(1).split(b":")[-1] == b"article"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clean(text: str) -> str:
    return " ".join(plain_typography(text).split())


@dataclass
class _Text:
    paragraphs: list[str] = field(default_factory=list)
    references: int = 0
    tables: int = 0

    def add(self, text: str) -> None:
        text = _clean(text)
        if text:
            self.paragraphs.append(text)

    def inline(self, element: ET.Element) -> str:
        """Text of *element* without the blocks nested in it (figures inside a paragraph)."""
        parts = [element.text or ""]
        for child in element:
            if _local(child.tag) not in _BLOCKS:
                parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def walk(self, element: ET.Element) -> None:
        tag = _local(element.tag)
        if tag == "ref-list":
            self.references += len([r for r in element.iter() if _local(r.tag) == "ref"])
            return
        if tag in _LEFT_OUT:
            return
        if tag == "p":
            self.add(self.inline(element))
            for child in element:
                if _local(child.tag) in _BLOCKS:
                    self.walk(child)
            return
        if tag in _CAPTIONED:
            self.caption(element)
            return
        if tag in ("title", "label"):
            self.add(self.inline(element))
            return
        heading = " ".join(
            _clean(self.inline(c)) for c in element if _local(c.tag) in ("label", "title")
        )
        self.add(heading)
        for child in element:
            if _local(child.tag) not in ("label", "title"):
                self.walk(child)

    def caption(self, element: ET.Element) -> None:
        label = _clean(" ".join(self.inline(c) for c in element if _local(c.tag) == "label"))
        caption = element.find("caption")
        parts = []
        if caption is not None:
            parts = [_clean(self.inline(c)) for c in caption]
        words = " ".join(p for p in parts if p)
        if label and words:
            self.add(label + (" " if label[-1] in ".:" else ". ") + words)
        else:
            self.add(label or words)
        if _local(element.tag) == "table-wrap" and element.find(".//table") is not None:
            self.tables += 1


def read_jats(path: Path, data: bytes) -> tuple[str, dict[str, Any], str | None]:
    """The text of a JATS article, its ``meta`` and its title."""
    root, lines = parse_xml(path, data)
    if _local(root.tag) != "article":
        raise InputError(path, f"expected a JATS <article>, found <{root.tag}>", lines[id(root)])
    meta: dict[str, Any] = {"format": "jats"}
    article_meta = root.find("front/article-meta")
    out = _Text()
    title = None
    if article_meta is not None:
        for ident in article_meta.findall("article-id"):
            kind, value = ident.get("pub-id-type", ""), _clean(ident.text or "")
            if not value:
                continue
            if kind == "pmid":
                meta["pmid"] = value
            elif kind in ("pmc", "pmcid"):
                meta["pmcid"] = value if value.upper().startswith("PMC") else f"PMC{value}"
            elif kind == "doi":
                meta["doi"] = value
        title_element = article_meta.find("title-group/article-title")
        if title_element is not None:
            title = _clean(out.inline(title_element)) or None
            out.add(title or "")
        journal = root.findtext("front/journal-meta/journal-title-group/journal-title")
        if journal and _clean(journal):
            meta["journal"] = _clean(journal)
        date = _publication_date(article_meta)
        if date:
            meta["published"] = date
        for abstract in article_meta.findall("abstract"):
            if abstract.get("abstract-type") in ("graphical", "teaser"):
                continue
            if abstract.find("title") is None:
                out.add("Abstract")
            out.walk(abstract)
    for part in ("body", "back", "floats-group"):
        element = root.find(part)
        if element is not None:
            out.walk(element)
    if not out.paragraphs:
        raise InputError(
            path, "holds no article text (no title, abstract or body)", lines[id(root)]
        )
    meta["references_left_out"] = out.references
    meta["table_bodies_left_out"] = out.tables
    return "\n\n".join(out.paragraphs), meta, title


def _publication_date(article_meta: ET.Element) -> str | None:
    dates = article_meta.findall("pub-date")
    if not dates:
        return None
    preferred = [d for d in dates if d.get("pub-type") in ("epub", "ppub")] or dates
    date = preferred[0]
    parts = [date.findtext(k) for k in ("year", "month", "day")]
    found = [p.strip().zfill(2) for p in parts if p and p.strip().isdigit()]
    return "-".join(found) or None
