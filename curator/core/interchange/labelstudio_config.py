"""The Label Studio labelling configuration written beside the tasks (``NAME.config.xml``).

Kept apart from :mod:`.labelstudio` so that the command's quick path, which
runs on the standard library's ``sqlite3`` alone, writes the same file.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

FROM_NAME = "label"
NOTE_NAME = "note"
TO_NAME = "text"


def config_path(path: Path) -> Path:
    return path.with_name(path.stem + ".config.xml")


def config_xml(labels: Sequence[tuple[str, str]], types: Sequence[str]) -> str:
    """The labelling interface: the labels (name, colour) over the text, the relation
    types, and a note box."""
    view = ET.Element("View")
    if types:
        kinds = ET.SubElement(view, "Relations")
        for kind in types:
            ET.SubElement(kinds, "Relation", value=kind)
    tags = ET.SubElement(view, "Labels", name=FROM_NAME, toName=TO_NAME)
    for name, color in labels:
        ET.SubElement(tags, "Label", value=name, background=color)
    ET.SubElement(view, "Text", name=TO_NAME, value=f"${TO_NAME}")
    ET.SubElement(
        view,
        "TextArea",
        name=NOTE_NAME,
        toName=TO_NAME,
        perRegion="true",
        editable="true",
        placeholder="Note",
    )
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def config_sqlite(con: sqlite3.Connection) -> str:
    """:func:`config_xml` of the database's labels (every one, in their order) and live
    relation types, read through a plain ``sqlite3`` connection (as ``export_labels`` and
    ``list_relation_types`` read them)."""
    labels = con.execute("SELECT name, color FROM label ORDER BY position, name").fetchall()
    types = con.execute(
        "SELECT name FROM relation_type WHERE deleted_at IS NULL ORDER BY position, name"
    ).fetchall()
    return config_xml(labels, [name for (name,) in types])
