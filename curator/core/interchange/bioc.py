"""BioC XML and BioC JSON, the exchange formats of biomedical text mining.

One BioC document per article, with the whole canonical text as a single
passage at offset 0, so BioC offsets are our offsets (code points, which is
how the ``bioc`` package and PubTator count). Each span is an annotation
whose id is the span uid; its label is in the ``type`` infon (the BioC
convention) and again in ``label``, the curator in ``curator``, and origin,
note, creation, last edit and revision in infons of their own; the
document's ``meta`` and per-curator ``status`` ride in document infons as
JSON. Each relation is a ``<relation>`` of the passage whose id is its uid,
with its type in the ``type`` infon, curator, origin, note, times and
revision in infons of their own, and two nodes: ``role="head"`` and
``role="tail"``, each naming its span's annotation id. That is everything a
JSONL line holds except deleted spans and relations, so
``bioc_import`` gives back the same spans. Written with the standard library,
so exporting needs no extra package; the tests load every file with the
``bioc`` package and run its validator.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from curator.core.errors import CuratorError
from curator.core.interchange.common import (
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_writer,
    document_stream,
)
from curator.core.interchange.jsonl_shape import format_time
from curator.core.interchange.relation_rows import kept_relations
from curator.core.storage.concepts import encode
from curator.core.storage.concepts import ids as concept_ids
from curator.core.storage.db import Database
from curator.core.storage.fragments import pieces
from curator.core.storage.records import RelationRecord, Span

SOURCE = "Heme Curator"
KEY = "heme-curator.key"

# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _annotation_infons(span: Span) -> dict[str, str]:
    infons = {
        "type": span.label,
        "label": span.label,
        "curator": span.curator,
        "origin": span.origin,
        "created_at": format_time(span.created_at),
        "updated_at": format_time(span.updated_at),
        "revision": str(span.revision),
    }
    if span.note:
        infons["note"] = span.note
    if span.concepts:  # ids as PubTator writes them; the names in our own infon
        infons["identifier"] = concept_ids(span.concepts)
        infons["concepts"] = encode(span.concepts)
    return infons


def _relation_infons(relation: RelationRecord) -> dict[str, str]:
    infons = {
        "type": relation.type,
        "curator": relation.curator,
        "origin": relation.origin,
        "created_at": format_time(relation.created_at),
        "updated_at": format_time(relation.updated_at),
        "revision": str(relation.revision),
    }
    if relation.note:
        infons["note"] = relation.note
    return infons


def _relations(doc: ExportDocument, report: ExportReport) -> list[RelationRecord]:
    written = {s.uid for s in doc.spans}
    kept = kept_relations(doc, doc.relations, written, report.format, report.lost_relations)
    report.relations += len(kept)
    return kept


def _document_infons(doc: ExportDocument) -> dict[str, str]:
    infons = {"title": doc.title}
    if doc.meta:
        infons["meta"] = json.dumps(dict(sorted(doc.meta.items())), ensure_ascii=False)
    if doc.status:
        infons["status"] = json.dumps(doc.status, ensure_ascii=False)
    return infons


def _today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def _check_xml_text(doc: ExportDocument) -> None:
    for value in (doc.text, doc.title, *(s.note for s in doc.spans)):
        bad = _NOT_XML.search(value)
        if bad:
            raise CuratorError(
                f"document {doc.uid[:12]} ({doc.title}) holds the control character "
                f"U+{ord(bad.group()):04X}, which XML cannot hold; export it as BioC JSON"
            )


def _infon(parent: ET.Element, key: str, value: str) -> None:
    ET.SubElement(parent, "infon", key=key).text = value


def _bioc_text(doc: ExportDocument, span: Span) -> str:
    """An annotation's text: a mention in pieces gives its whole extent, as the bioc
    package's validator checks (its locations say which parts are the mention)."""
    return doc.text[span.start : span.end] if span.fragments else span.text


def _xml_document(doc: ExportDocument, report: ExportReport) -> ET.Element:
    element = ET.Element("document")
    ET.SubElement(element, "id").text = doc.uid
    for key, value in _document_infons(doc).items():
        _infon(element, key, value)
    passage = ET.SubElement(element, "passage")
    _infon(passage, "type", "article")
    ET.SubElement(passage, "offset").text = "0"
    ET.SubElement(passage, "text").text = doc.text
    for span in doc.spans:
        annotation = ET.SubElement(passage, "annotation", id=span.uid)
        for key, value in _annotation_infons(span).items():
            _infon(annotation, key, value)
        for a, b in pieces(span.fragments, span.start, span.end):
            ET.SubElement(annotation, "location", offset=str(a), length=str(b - a))
        ET.SubElement(annotation, "text").text = _bioc_text(doc, span)
    for relation in _relations(doc, report):
        linked = ET.SubElement(passage, "relation", id=relation.uid)
        for key, value in _relation_infons(relation).items():
            _infon(linked, key, value)
        ET.SubElement(linked, "node", refid=relation.head, role="head")
        ET.SubElement(linked, "node", refid=relation.tail, role="tail")
    return element


def export_bioc_xml(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """Stream the collection, a document at a time, into the file (indented as before)."""
    path = Path(out_path)
    report = ExportReport(format="bioc-xml", path=path, files=[path])
    head = ET.Element("collection")
    ET.SubElement(head, "source").text = SOURCE
    ET.SubElement(head, "date").text = _today()
    ET.SubElement(head, "key").text = KEY
    ET.indent(head, space="  ")
    opening = ET.tostring(head, encoding="unicode").removesuffix("</collection>")
    with document_stream(db, selection, progress) as docs, atomic_writer(path) as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(b'<!DOCTYPE collection SYSTEM "BioC.dtd">\n')
        out.write(opening.removesuffix("\n").encode("utf-8"))
        for doc in docs:
            _check_xml_text(doc)
            element = _xml_document(doc, report)
            # indent() only adds whitespace between elements; text of <text> stays exact.
            ET.indent(element, space="  ", level=1)
            out.write(b"\n  " + ET.tostring(element, encoding="utf-8", xml_declaration=False))
            report.documents += 1
            report.spans += len(doc.spans)
        out.write(b"\n</collection>\n")
    return report


def _json_document(doc: ExportDocument, report: ExportReport) -> dict[str, Any]:
    annotations = [
        {
            "id": span.uid,
            "infons": _annotation_infons(span),
            "text": _bioc_text(doc, span),
            "locations": [
                {"offset": a, "length": b - a}
                for a, b in pieces(span.fragments, span.start, span.end)
            ],
        }
        for span in doc.spans
    ]
    passage = {
        "offset": 0,
        "infons": {"type": "article"},
        "text": doc.text,
        "sentences": [],
        "annotations": annotations,
        "relations": [
            {
                "id": relation.uid,
                "infons": _relation_infons(relation),
                "nodes": [
                    {"refid": relation.head, "role": "head"},
                    {"refid": relation.tail, "role": "tail"},
                ],
            }
            for relation in _relations(doc, report)
        ],
    }
    return {
        "id": doc.uid,
        "infons": _document_infons(doc),
        "passages": [passage],
        "annotations": [],
        "relations": [],
    }


def export_bioc_json(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    """Stream the collection into the file, one document a line, as the documents are read."""
    path = Path(out_path)
    report = ExportReport(format="bioc-json", path=path, files=[path])
    head = {"source": SOURCE, "date": _today(), "key": KEY, "infons": {}}
    opening = json.dumps(head, ensure_ascii=False).removesuffix("}") + ', "documents": ['
    with document_stream(db, selection, progress) as docs, atomic_writer(path) as out:
        out.write(opening.encode("utf-8"))
        for doc in docs:
            out.write(b",\n" if report.documents else b"\n")
            out.write(json.dumps(_json_document(doc, report), ensure_ascii=False).encode("utf-8"))
            report.documents += 1
            report.spans += len(doc.spans)
        out.write(b"\n]}\n" if report.documents else b"]}\n")
    return report
