"""brat standoff: a folder per curator, a ``.txt`` and an ``.ann`` per document.

brat counts offsets in code points, as we do, and reads the ``.txt`` as the
exact canonical text (UTF-8, LF). An entity line cannot hold a newline, so a
span across a line break is written as fragments (``start end;start end``)
that leave the newline (and tab) characters out, with the fragments' texts joined by a
space, as brat itself writes them; read back, its first fragment's start and
last fragment's end are the span. A span that begins or ends on a newline
would come back shorter, so it is reported and left out rather than moved.
Notes become ``AnnotatorNotes`` lines; tabs and line breaks in a note become
spaces there (brat notes are one line). Each concept of a span becomes a
normalization line, ``N1<TAB>Reference T1 HGNC:11913<TAB>TNFRSF17``. Each
relation of the curator becomes an ``R`` line (``R1<TAB>acts_on Arg1:T1
Arg2:T2``, the head first), its note an ``AnnotatorNotes`` line; the
``annotation.conf`` declares every relation type with its labels. Each
curator folder also gets an ``annotation.conf`` and a ``visual.conf`` so the
brat server shows the labels in the app's colours. The whole tree is built
beside the destination and renamed into place at the end.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from curator.core.interchange.common import (
    DocumentStream,
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_directory,
    check_loss,
    child_path,
    curators_of,
    document_stream,
    export_labels,
    safe_file_name,
)
from curator.core.interchange.relation_rows import kept_relations
from curator.core.relations import list_relation_types
from curator.core.storage.db import Database
from curator.core.storage.records import LabelInfo, RelationRecord, RelationTypeInfo, Span

_NOT_TYPE = re.compile(r"[^\w/-]")


def brat_type(label: str) -> str:
    """brat entity types are ``[\\w/-]+``; anything else becomes ``_``."""
    return _NOT_TYPE.sub("_", label)


def folder_name(curator: str) -> str:
    """A safe folder name for a curator (names may hold any character, ``../x`` too)."""
    return safe_file_name(curator, "curator")


_PIECE = re.compile(r"[^\n\t]+")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` between line breaks and tabs, as brat needs them.

    A tab would end the ``.ann`` line's text field early, so it splits a span
    just as a newline does.
    """
    return [(m.start(), m.end()) for m in _PIECE.finditer(text, start, end)]


def _unwritable(text: str, span: Span) -> str:
    """Why brat cannot hold *span* so that it reads back the same, or ""."""
    parts = span.fragments or ((span.start, span.end),)
    for a, b in parts:
        cut = fragments(text, a, b)
        if not cut or cut[0][0] != a or cut[-1][1] != b:
            return "begins or ends with a line break or tab, which brat cannot hold"
    for (_, end), (start, _) in itertools.pairwise(parts):
        gap = text[end:start]
        if not gap.strip(" \n\t\r") and ("\n" in gap or "\t" in gap):
            return "is in pieces apart only by a line break, which brat reads as one piece"
    return ""


def ann_lines(
    doc: ExportDocument,
    spans: list[Span],
    report: ExportReport,
    relations: list[RelationRecord] | None = None,
) -> list[str]:
    lines: list[str] = []
    number = 0
    references = 0
    entities: dict[str, int] = {}
    for span in spans:
        why = _unwritable(doc.text, span)
        if why:
            report.problems.append(
                f"{doc.uid[:12]} {span.curator}: {span.label} span {span.start}-{span.end} "
                f"{span.text!r} {why}; left out"
            )
            continue
        parts = span.fragments or ((span.start, span.end),)
        pieces = [p for a, b in parts for p in fragments(doc.text, a, b)]
        number += 1
        entities[span.uid] = number
        where = ";".join(f"{a} {b}" for a, b in pieces)
        quote = " ".join(doc.text[a:b] for a, b in pieces)
        lines.append(f"T{number}\t{brat_type(span.label)} {where}\t{quote}")
        if span.note:
            note = re.sub(r"\s", " ", span.note)
            lines.append(f"#{number}\tAnnotatorNotes T{number}\t{note}")
        for concept in span.concepts:
            references += 1
            name = re.sub(r"\s", " ", concept.name) or concept.id  # brat needs some text
            lines.append(f"N{references}\tReference T{number} {concept.id}\t{name}")
        report.spans += 1
    if relations:
        lines += relation_lines(doc, relations, entities, number, report)
    return lines


def relation_lines(
    doc: ExportDocument,
    relations: list[RelationRecord],
    entities: dict[str, int],
    notes_from: int,
    report: ExportReport,
) -> list[str]:
    """``R`` lines (``Arg1`` the head, ``Arg2`` the tail) and their notes, numbered after
    the entities' notes; a relation whose end was left out is reported."""
    kept = kept_relations(doc, relations, set(entities), "brat", report.lost_relations)
    lines = []
    for number, relation in enumerate(kept, 1):
        head, tail = entities[relation.head], entities[relation.tail]
        lines.append(f"R{number}\t{brat_type(relation.type)} Arg1:T{head} Arg2:T{tail}")
        if relation.note:
            note = re.sub(r"\s", " ", relation.note)
            lines.append(f"#{notes_from + number}\tAnnotatorNotes R{number}\t{note}")
        report.relations += 1
    return lines


def annotation_conf(
    labels: list[LabelInfo], curator: str, types: list[RelationTypeInfo] | None = None
) -> str:
    """The entity and relation types; the comment names whose folder it is, for importing
    it back. A relation type's line says the labels its ends may carry, as brat checks."""
    entities = "\n".join(brat_type(label.name) for label in labels)
    relations = "\n".join(
        f"{brat_type(t.name)} Arg1:{'|'.join(map(brat_type, t.head_labels))}, "
        f"Arg2:{'|'.join(map(brat_type, t.tail_labels))}"
        for t in types or []
        if t.head_labels and t.tail_labels
    )
    who = " ".join(curator.split())
    return (
        f"# curator: {who}\n[entities]\n{entities}\n[relations]\n{relations}\n"
        "[events]\n\n[attributes]\n\n"
    )


def visual_conf(labels: list[LabelInfo], types: list[RelationTypeInfo] | None = None) -> str:
    """Labels and colours; relation types get a line too, so a name brat would spell
    otherwise comes back as it was."""
    shown = [(label.name, label.color) for label in labels]
    shown += [(t.name, t.color) for t in types or []]
    names = "\n".join(f"{brat_type(name)} | {name}" for name, _ in shown)
    drawing = "\n".join(f"{brat_type(label.name)}\tbgColor:{label.color}" for label in labels)
    drawing += "".join(f"\n{brat_type(t.name)}\tcolor:{t.color}" for t in types or [])
    return f"[labels]\n{names}\n[drawing]\n{drawing}\n"


def document_file_name(doc: ExportDocument) -> str:
    """The document uid: unique, stable, and the same in every curator's folder.

    Uids are SHA-256 hex, but a database merged from elsewhere could hold
    anything there, so it goes through the same sanitising as curator names.
    """
    return safe_file_name(doc.uid, "document")


def export_brat(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    path = Path(out_path)
    labels = export_labels(db)
    types = list_relation_types(db, include_retired=True)
    report = ExportReport(format="brat", path=path)
    with document_stream(db, selection, progress) as docs:
        _write_brat(path, docs, curators_of(docs, selection), (labels, types), report)
    return report


def _write_brat(
    path: Path,
    docs: DocumentStream,
    curators: list[str],
    kinds: tuple[list[LabelInfo], list[RelationTypeInfo]],
    report: ExportReport,
) -> None:
    """The folders, a document at a time; the report's problems say what was left out."""
    labels, types = kinds
    folders: dict[str, str] = {}
    taken: set[str] = set()  # casefolded: "Ana" and "ana" are one folder on macOS and Windows
    for name in curators:
        folder = folder_name(name)
        while folder.casefold() in taken:
            folder += "_"
        taken.add(folder.casefold())
        folders[name] = folder
    with atomic_directory(path) as tmp:
        for name, folder in folders.items():
            child_path(tmp, folder).mkdir()
            conf = annotation_conf(labels, name, types)
            (tmp / folder / "annotation.conf").write_text(conf, "utf-8")
            (tmp / folder / "visual.conf").write_text(visual_conf(labels, types), "utf-8")
        for doc in docs:
            for name, folder in folders.items():
                base = child_path(tmp / folder, document_file_name(doc))
                mine = [s for s in doc.spans if s.curator == name]
                base.with_name(base.name + ".txt").write_text(doc.text, "utf-8", newline="")
                linked = [r for r in doc.relations if r.curator == name]
                lines = ann_lines(doc, mine, report, linked)
                base.with_name(base.name + ".ann").write_text(
                    "".join(line + "\n" for line in lines), "utf-8", newline=""
                )
            report.documents += 1
        check_loss(report, docs.selection)  # before the folder is put in place
    report.files = [path / folder for folder in folders.values()]
