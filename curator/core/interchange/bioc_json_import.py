"""BioC JSON in, read exactly as BioC XML is.

The JSON collection (``source``, ``key``, ``documents`` with ``passages``,
``annotations`` with ``infons`` and ``locations``, ``relations``) is turned
into the element tree the XML reader walks, each element remembering the line
of the JSON object it came from, so both files mean the same and fail the
same way, by file and line. Our own BioC JSON export comes back to the same
spans, curators and history.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from curator.core.errors import InputError
from curator.core.interchange.bioc_import import read_root
from curator.core.interchange.foreign import ImportOptions, Losses, store_records
from curator.core.interchange.jsonl_store import ImportReport
from curator.core.interchange.located_json import line_of


def looks_like(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("documents"), list)


class _Builder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[int, int] = {}

    def element(self, tag: str, source: Any, parent: ET.Element | None = None) -> ET.Element:
        element = ET.Element(tag) if parent is None else ET.SubElement(parent, tag)
        self.lines[id(element)] = line_of(source)
        return element

    def infons(self, parent: ET.Element, source: Any) -> None:
        infons = source.get("infons") or {}
        if not isinstance(infons, dict):
            raise InputError(self.path, "'infons' must be an object", line_of(source))
        for key, value in infons.items():
            text = value if isinstance(value, str) else "" if value is None else str(value)
            self.element("infon", source, parent).set("key", str(key))
            parent[-1].text = text

    def text(self, parent: ET.Element, tag: str, source: Any, key: str) -> None:
        value = source.get(key)
        if value is not None:
            self.element(tag, source, parent).text = str(value)

    def items(self, source: Any, key: str) -> list[Any]:
        value = source.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise InputError(self.path, f"{key!r} must be a list of objects", line_of(source))
        return value

    def annotation(self, parent: ET.Element, source: Any) -> None:
        element = self.element("annotation", source, parent)
        element.set("id", str(source.get("id", "")))
        self.infons(element, source)
        for location in self.items(source, "locations"):
            at = self.element("location", location, element)
            at.set("offset", str(location.get("offset", "")))
            at.set("length", str(location.get("length", "")))
        self.text(element, "text", source, "text")

    def relation(self, parent: ET.Element, source: Any) -> None:
        element = self.element("relation", source, parent)
        element.set("id", str(source.get("id", "")))
        self.infons(element, source)
        for node in self.items(source, "nodes"):
            end = self.element("node", node, element)
            end.set("refid", str(node.get("refid", "")))
            end.set("role", str(node.get("role", "")))

    def collection(self, source: dict[str, Any]) -> ET.Element:
        root = self.element("collection", source)
        for key in ("source", "date", "key"):
            self.text(root, key, source, key)
        for doc in self.items(source, "documents"):
            document = self.element("document", doc, root)
            self.text(document, "id", doc, "id")
            self.infons(document, doc)
            for item in self.items(doc, "passages"):
                passage = self.element("passage", item, document)
                self.infons(passage, item)
                self.text(passage, "offset", item, "offset")
                self.text(passage, "text", item, "text")
                if item.get("sentences") and item.get("text") is None:
                    self.element("sentence", item, passage)
                for annotation in self.items(item, "annotations"):
                    self.annotation(passage, annotation)
                for relation in self.items(item, "relations"):
                    self.relation(passage, relation)
            for annotation in self.items(doc, "annotations"):
                self.annotation(document, annotation)
            for relation in self.items(doc, "relations"):
                self.relation(document, relation)
        return root


def import_bioc_json_in(
    session: Session, path: Path, value: dict[str, Any], options: ImportOptions
) -> ImportReport:
    builder = _Builder(path)
    root = builder.collection(value)
    losses = Losses(path, options.allow_loss)
    records = read_root(path, root, builder.lines, losses)
    return store_records(session, path, records, options, losses, "documents")
