"""Importing BioC XML: our own BioC exports back, and BioC written by text-mining tools.

Every XML file a user gives us is parsed with defusedxml. A file that
declares an entity is refused before anything is expanded or fetched: entity
declarations are how an XML file grows to gigabytes in memory ("billion
laughs") or pulls in another file (``<!ENTITY x SYSTEM "file:///etc/passwd">``),
and BioC never needs them.

Each BioC ``<document>`` is turned into the same object a JSONL line holds
and checked by the same code (``jsonl_read.parse_line``), then stored by the
same store, in the caller's transaction: the first bad document or
annotation stops the import with the file and the line of that element, and
nothing of the file is kept. A collection whose ``source`` and ``key`` are
ours is our own export: span uids, curators and history come back, and an
export, import into an empty database and JSONL export gives the lines a
JSONL export of the original gives. Other BioC becomes new spans: of the
curator in an annotation's ``curator`` infon, else of ``curator``.

The document text is its passages' texts, each at its ``offset`` (BioC
offsets count from the start of the document), with line breaks filling any
gap between passages; our exporter writes one passage at offset 0, so its
text comes back exactly. Annotation offsets are document offsets, as BioC
defines them.

A ``<relation>`` (in a document, passage or sentence) with a ``type`` infon
and two nodes, ``role="head"`` and ``role="tail"``, whose ``refid`` name
annotations of the same document, becomes a relation (ours with its uid and
history). Other roles say nothing of direction, so such relations, and
relations of a type the database lacks or whose ends' labels the type does
not allow, are refused by line, or with ``--allow-loss`` left out and listed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from curator.core.articles.corpus import max_article_bytes
from curator.core.errors import InputError
from curator.core.files.inputs import read_input, size_text, span_file_limit
from curator.core.files.xml_input import parse_xml
from curator.core.interchange.bioc import KEY, SOURCE
from curator.core.interchange.foreign import ImportOptions, Losses, Record, store_records
from curator.core.interchange.jsonl_read import LineError
from curator.core.interchange.jsonl_shape import SCHEMA_NAME, SCHEMA_VERSION
from curator.core.interchange.jsonl_store import ImportReport
from curator.core.safe_text import UnsafeJSONError, loads, value_problem
from curator.core.storage.concepts import from_foreign_ids

SUFFIXES = (".xml",)
"""``.bioc.xml`` ends in ``.xml`` too."""

_HELD_INFONS = ("type", "label", "curator", "note", "identifier", "concepts")
"""Annotation infons the data model holds (``identifier``: the concepts); any other is not."""


def _infons(element: ET.Element) -> dict[str, str]:
    return {i.get("key", ""): i.text or "" for i in element.findall("infon")}


def _int(value: str | None, what: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise LineError(f"{what} must be a whole number, not {value!r}") from None


def _json_infon(infons: dict[str, str], key: str) -> Any:
    if key not in infons:
        return {}
    try:
        value = loads(infons[key])
    except UnsafeJSONError as exc:
        raise LineError(f"the {key!r} infon {exc}") from None
    problem = value_problem(value, f"the {key!r} infon")
    if problem:
        raise LineError(problem)
    return value


class _Reader:
    """Turns BioC elements into line objects, raising InputError at the element's line."""

    def __init__(
        self, path: Path, lines: dict[int, int], own: bool, losses: Losses | None = None
    ) -> None:
        self.path = path
        self.lines = lines
        self.own = own
        self.losses = losses
        self.longest = max_article_bytes()
        """No document's text grows past an article's limit by its passage offsets."""

    def line(self, element: ET.Element) -> int:
        return self.lines.get(id(element), 1)

    def fail(self, element: ET.Element, message: str) -> InputError:
        return InputError(self.path, message, self.line(element))

    def text(self, document: ET.Element) -> str:
        """Passages (or, without a text of their own, their sentences) at their offsets."""
        text = ""
        for passage in document.findall("passage"):
            pieces = [passage] if passage.find("text") is not None else passage.findall("sentence")
            for piece in pieces or [passage]:
                try:
                    offset = _int(piece.findtext("offset"), f"the {piece.tag} offset")
                except LineError as exc:
                    raise self.fail(piece, str(exc)) from None
                if offset > self.longest:
                    raise self.fail(
                        piece,
                        f"the {piece.tag} offset {offset} is past the {size_text(self.longest)} "
                        "limit for a document's text (set CURATOR_MAX_FILE_MB to raise it)",
                    )
                if offset < len(text):
                    raise self.fail(
                        piece,
                        f"the {piece.tag} at offset {offset} overlaps the one before it "
                        f"(which ends at {len(text)})",
                    )
                gap = "\n" if piece is pieces[0] or piece.tag == "passage" else " "
                text += gap * (offset - len(text)) + (piece.findtext("text") or "")
        return text

    def span(self, annotation: ET.Element, i: int) -> tuple[dict[str, Any] | None, str | None]:
        infons = _infons(annotation)
        locations = annotation.findall("location")
        quote = annotation.findtext("text")
        if not locations:
            raise LineError(f"span {i}: has no location")
        pieces = []
        for location in locations:
            offset = _int(location.get("offset"), f"span {i}: the location offset")
            length = _int(location.get("length"), f"span {i}: the location length")
            pieces.append([offset, offset + length])
        pieces.sort()
        start, end = pieces[0][0], max(b for _, b in pieces)
        label = infons.get("label") or infons.get("type")
        if not label and not self.own and self.losses is not None:
            self.losses.drop(self.line(annotation), f"an annotation of {quote!r} with no type")
            return None, None
        if not label:
            raise LineError(f"span {i}: has no 'type' or 'label' infon")
        span: dict[str, Any] = {"start": start, "end": end, "label": label}
        if len(pieces) > 1:  # a mention in several pieces, its quote the pieces joined by a space
            span["fragments"] = pieces
        if quote is not None or self.own:
            span["text"] = quote or ""
        if "identifier" in infons or "concepts" in infons:
            span["concepts"] = _concepts(infons, i)
        if not self.own:
            if "note" in infons:
                span["note"] = infons["note"]
            for key, value in infons.items():
                if key not in _HELD_INFONS and self.losses is not None:
                    self.losses.drop(
                        self.line(annotation),
                        f"the infon {key!r} = {value!r} of {quote or label!r}",
                    )
            return span, infons.get("curator")
        span.update(id=annotation.get("id", ""), note=infons.get("note", ""))
        for key in ("curator", "origin", "updated_at"):
            if key in infons:
                span[key] = infons[key]
        if "created_at" in infons or "updated_at" in infons:  # older exports: no created_at
            span["created_at"] = infons.get("created_at", infons.get("updated_at"))
        span["revision"] = _int(infons.get("revision", "1"), f"span {i}: the revision")
        return span, None

    def relation(self, record: Record, relation: ET.Element) -> None:
        """A ``<relation>`` with a ``type`` infon and a ``head`` and a ``tail`` node.

        Ours come back whole (uid, curator, history); others' become new
        relations. What cannot be held (no type, nodes that are not one head
        and one tail, infons the data model has no place for) is a loss.
        """
        infons = _infons(relation)
        ident, line = relation.get("id", ""), self.line(relation)
        nodes = {n.get("role", ""): n.get("refid", "") for n in relation.findall("node")}
        kind = infons.get("type", "")
        if not kind or sorted(nodes) != ["head", "tail"] or len(relation.findall("node")) != 2:
            if self.losses is None or self.own:
                raise self.fail(relation, f"relation {ident!r} needs a 'type' infon and "
                                "two nodes, role=\"head\" and role=\"tail\"")  # fmt: skip
            what = "no type" if not kind else "nodes that are not one head and one tail"
            self.losses.drop(line, f"a relation {ident} {kind} with {what}".replace("  ", " "))
            return
        if not self.own:
            for key, value in infons.items():
                if key not in ("type", "note") and self.losses is not None:
                    self.losses.drop(line, f"the infon {key!r} = {value!r} of relation {ident}")
            record.add_relation(nodes["head"], nodes["tail"], kind, line)
            if "note" in infons:
                record.obj["relations"][-1]["note"] = infons["note"]
            return
        try:
            revision = _int(infons.get("revision", "1"), f"relation {ident}: the revision")
        except LineError as exc:
            raise self.fail(relation, str(exc)) from None
        own: dict[str, Any] = {"uid": ident, "type": kind, "head": nodes["head"]}
        own["tail"] = nodes["tail"]
        own |= {
            k: infons[k] for k in ("curator", "origin", "created_at", "updated_at") if k in infons
        }
        own |= {"note": infons.get("note", ""), "revision": revision}
        record.obj.setdefault("relations", []).append(own)
        record.relation_lines.append(line)

    def document(self, document: ET.Element) -> Record:
        text = self.text(document)
        annotations = [
            a
            for p in document.findall("passage")
            for a in p.findall("annotation") + p.findall("sentence/annotation")
        ]
        annotations += document.findall("annotation")
        name = document.findtext("id") or ""
        record = Record(self.line(document), {"text": text, "spans": []}, name=name)
        kept = []
        for i, annotation in enumerate(annotations, 1):
            try:
                span, curator = self.span(annotation, i)
                if span is not None and "fragments" in span:
                    _quote_pieces(text, span, i)
            except LineError as exc:
                raise self.fail(annotation, str(exc)) from None
            if span is not None:
                record.add_span(span, self.line(annotation), curator)
                kept.append(annotation)
        relations = document.findall("relation") + [
            r
            for p in document.findall("passage")
            for r in p.findall("relation") + p.findall("sentence/relation")
        ]
        if relations:
            for span, annotation in zip(record.obj["spans"], kept, strict=True):
                span["id"] = annotation.get("id", "")
        for relation in relations:
            self.relation(record, relation)
        infons = _infons(document)
        obj = record.obj
        if infons.get("title"):
            obj["title"] = infons["title"]
        if self.own:
            try:
                meta, status = _json_infon(infons, "meta"), _json_infon(infons, "status")
            except LineError as exc:
                raise self.fail(document, str(exc)) from None
            obj.update(
                schema={"name": SCHEMA_NAME, "version": SCHEMA_VERSION},
                id=name,
                text_sha256=name,
                title=infons.get("title", ""),
                meta=meta,
                status=status,
            )
        else:
            passages = [
                {"offset": _int(p.findtext("offset"), "the passage offset"), **_infons(p)}
                for p in document.findall("passage")
            ]
            obj["meta"] = (
                {"bioc_id": name, "passages": passages} if name else {"passages": passages}
            )
        return record


def _concepts(infons: dict[str, str], i: int) -> list[dict[str, str]]:
    """Our ``concepts`` infon (ids with names), else the ``identifier`` of any BioC."""
    if "concepts" in infons:
        found = _json_infon(infons, "concepts")
        if not isinstance(found, list):
            raise LineError(f"span {i}: the 'concepts' infon must be a JSON list")
        return found
    linked = from_foreign_ids(infons["identifier"])
    return [{"id": c.id, "name": c.name} for c in linked]


def read_documents(path: Path, data: bytes, losses: Losses | None = None) -> list[Record]:
    """Every document of a BioC XML file, checked for shape (not yet against the text)."""
    root, lines = parse_xml(path, data)
    return read_root(path, root, lines, losses)


def read_root(
    path: Path, root: ET.Element, lines: dict[int, int], losses: Losses | None
) -> list[Record]:
    if root.tag != "collection":
        raise InputError(path, f"expected a BioC <collection>, found <{root.tag}>", lines[id(root)])
    own = root.findtext("source") == SOURCE and root.findtext("key") == KEY
    reader = _Reader(path, lines, own, losses)
    return [reader.document(d) for d in root.findall("document")]


def import_bioc_in(
    session: Session, path: Path, options: ImportOptions, data: bytes | None = None
) -> ImportReport:
    """Import one BioC XML file inside the caller's transaction (see the module docstring)."""
    if data is None:
        data = read_input(path, span_file_limit(), "a span file", "CURATOR_MAX_SPAN_FILE_MB")
    losses = Losses(path, options.allow_loss)
    records = read_documents(path, data, losses)
    if not records:
        raise InputError(path, "holds no BioC documents")
    return store_records(session, path, records, options, losses, "documents")


def _quote_pieces(text: str, span: dict[str, Any], i: int) -> None:
    """Give a mention in several locations our quote: its pieces joined by a space.

    BioC writers put either that or the text of the whole extent (the bioc
    package's validator wants the latter, and our export writes it); any
    other text is refused, never trusted.
    """
    start, end = span["start"], span["end"]
    if not 0 <= start < end <= len(text):
        return  # the offsets are refused by the span checks, with the line
    joined = " ".join(text[a:b] for a, b in span["fragments"])
    given = span.get("text")
    if given is not None and given not in (joined, text[start:end]):
        raise LineError(f"span {i}: the text at its locations is {joined!r}, not {given!r}")
    span["text"] = joined
