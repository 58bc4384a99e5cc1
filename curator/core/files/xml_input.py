"""Reading a user's XML safely, with the line of every element for error messages.

Every XML file a user gives us (BioC, PubMed Central JATS) is parsed with
defusedxml: a file that declares an entity or refers to an external resource
is refused before anything is expanded or fetched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from curator.core.errors import InputError


class _LineTarget:
    """Builds the element tree and remembers the line of every start tag."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser: Any = None  # the expat parser, set once the XMLParser exists

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrs)
        self.lines[id(element)] = int(self.parser.CurrentLineNumber)
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()


def parse_xml(path: Path, data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """The root element and the line of each element, with entities refused."""
    target = _LineTarget()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    target.parser = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden as exc:
        raise InputError(
            path,
            f"declares the XML entity {exc.name!r}; files that declare entities are refused "
            "(they can expand to gigabytes, as in 'billion laughs', or read other files) and "
            "nothing was imported",
            int(parser.parser.CurrentLineNumber),
        ) from None
    except ExternalReferenceForbidden as exc:
        raise InputError(
            path,
            f"refers to the external resource {exc.sysid!r}; external references are refused "
            "and nothing was imported",
            int(parser.parser.CurrentLineNumber),
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        message = f"is not well-formed XML: {reason} (column {column + 1})"
        raise InputError(path, message, line) from None
    assert isinstance(root, ET.Element)
    return root, target.lines
