"""PubTator: the title and abstract format of PubMed's text-mining services, in and out.

A document is a title line ``PMID|t|Title``, an abstract line
``PMID|a|Abstract``, then one tab-separated line per mention (``PMID start
end mention type identifier``) and relation lines (``PMID CID id1 id2``),
with a blank line before the next document. Offsets count code points from
the start of the title, with the abstract after one space.

In: the text is the title, a line break and the abstract (the line break
stands where the space was, so every offset stays as it is); the PMID goes
into the document's ``meta`` as ``pmid``. A mention's identifiers become the
span's concepts (bare MeSH and NCBI Gene ids get their ``MESH:`` and
``NCBIGene:`` prefixes). A relation line (``PMID TYPE ID1 ID2``) relates
concepts, not mentions: it becomes a relation of type ``TYPE`` from the
first mention (lowest offset) carrying ``ID1`` to the first carrying
``ID2``. When no mention carries an id, the database has no such type (the
CDR corpus's ``CID``, unless added), or the type does not allow the two
mentions' labels, the line is refused by file and line, or with
``--allow-loss`` left out and listed; the mentions themselves are imported.
A file is recognised by its content, whatever its name.

Out: the text's first line is the title and the rest the abstract, its line
breaks written as spaces (PubTator has one line per abstract; offsets do not
move). PubTator holds one set of mentions, so the spans of one curator are
written (``--curator``); a span whose text holds a tab or a line break, or
that has a note, cannot be written as a mention line, and is reported. A
linked span's concept ids fill the identifier column (``;`` between them).
A relation of the curator is written as ``PMID TYPE ID1 ID2``, the first
concept id of its head and of its tail, when each end is the first written
mention carrying that id (so that reading the file back relates the same
two spans); any other relation, and a relation's note, are reported.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session

from curator.core.errors import CuratorError, InputError
from curator.core.interchange.common import (
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_writer,
    check_loss,
    curators_of,
    document_stream,
    in_pieces,
)
from curator.core.interchange.foreign import ImportOptions, Losses, Record, store_records
from curator.core.interchange.jsonl_store import ImportReport
from curator.core.interchange.relation_rows import kept_relations, relation_loss
from curator.core.storage.concepts import from_foreign_ids
from curator.core.storage.concepts import ids as concept_ids
from curator.core.storage.db import Database
from curator.core.storage.records import Span

FMT = "pubtator"
TITLE = re.compile(r"^([^|\t\n]+)\|t\|(.*)$")
_ABSTRACT = re.compile(r"^([^|\t\n]+)\|a\|(.*)$")


def looks_like(text: str) -> bool:
    """The first line that is not blank is a PubTator title line."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    return bool(TITLE.match(first.rstrip("\r")))


def read_pubtator(path: Path, text: str, losses: Losses) -> list[Record]:
    records: list[Record] = []
    record: Record | None = None
    links: dict[int, list[tuple[int, str, str, str]]] = {}
    pmid = ""
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            record = None
            continue
        title = TITLE.match(line)
        if title:
            pmid = title.group(1)
            record = Record(
                number,
                {
                    "text": title.group(2),
                    "title": title.group(2),
                    "spans": [],
                    "meta": {"pmid": pmid},
                },
                name=pmid,
            )
            records.append(record)
            continue
        if record is None:
            raise InputError(path, "expected a title line 'PMID|t|title' first", number)
        abstract = _ABSTRACT.match(line)
        if abstract:
            if abstract.group(1) != pmid:
                raise InputError(path, f"the abstract's PMID is not {pmid!r}", number)
            record.obj["text"] += "\n" + abstract.group(2)
            continue
        fields = line.split("\t")
        if fields[0] != pmid:
            raise InputError(path, f"the line's PMID {fields[0]!r} is not {pmid!r}", number)
        if len(fields) >= 5 and fields[1].isdigit() and fields[2].isdigit():
            start, end = int(fields[1]), int(fields[2])
            span: dict[str, object] = {
                "start": start, "end": end, "text": fields[3], "label": fields[4],
            }  # fmt: skip
            linked = from_foreign_ids(fields[5]) if len(fields) > 5 else ()
            if linked:
                span["concepts"] = [{"id": c.id, "name": c.name} for c in linked]
            record.add_span(span, number)
            if len(fields) > 6 and any(f.strip() for f in fields[6:]):
                losses.drop(number, f"the extra columns of {fields[3]!r}")
        elif len(fields) == 4:
            links.setdefault(id(record), []).append((number, fields[1], fields[2], fields[3]))
        elif len(fields) >= 3:
            losses.drop(number, f"a relation ({' '.join(fields[1:])})")
        else:
            raise InputError(path, f"is not a PubTator line: {line[:60]!r}", number)
    for held in records:
        _join_concepts(held, links.get(id(held), []), losses)
    return records


def _first_mentions(record: Record) -> dict[str, int]:
    """Each concept id -> the index of the first mention (lowest start, then end) carrying it."""
    spans = record.obj["spans"]
    first: dict[str, int] = {}
    for i in sorted(range(len(spans)), key=lambda i: (spans[i]["start"], spans[i]["end"], i)):
        for concept in spans[i].get("concepts", []):
            first.setdefault(concept["id"], i)
    return first


def _join_concepts(record: Record, links: list[tuple[int, str, str, str]], losses: Losses) -> None:
    """``PMID TYPE ID1 ID2`` lines: a relation from the first mention carrying ID1 to the
    first carrying ID2 (PubTator relates concepts; these mentions stand for them)."""
    if not links:
        return
    first = _first_mentions(record)
    spans = record.obj["spans"]
    for number, kind, head, tail in links:
        ends = []
        for given in (head, tail):
            found = from_foreign_ids(given)
            index = first.get(found[0].id) if len(found) == 1 else None
            if index is None:
                losses.drop(number, f"a {kind} relation of {given}, which no one mention carries")
                break
            spans[index]["id"] = index
            ends.append(index)
        else:
            record.add_relation(ends[0], ends[1], kind, number)


def import_pubtator_in(
    session: Session, path: Path, text: str, options: ImportOptions
) -> ImportReport:
    losses = Losses(path, options.allow_loss)
    records = read_pubtator(path, text, losses)
    return store_records(session, path, records, options, losses)


def _pmid(meta: dict[str, object], uid: str) -> str:
    pmid = meta.get("pmid")
    if isinstance(pmid, str | int) and re.fullmatch(r"[^|\t\n]+", str(pmid)):
        return str(pmid)
    return uid


def export_pubtator(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    path = Path(out_path)
    report = ExportReport(format="pubtator", path=path, files=[path])
    with document_stream(db, selection, progress) as docs:
        curators = curators_of(docs, selection)
        if len(curators) > 1:
            raise CuratorError(
                f"PubTator holds one set of mentions, and {len(curators)} curators have spans "
                f"({', '.join(curators)}); choose one with --curator"
            )
        with atomic_writer(path) as sink:
            for doc in docs:
                sink.write(_document(doc, report).encode("utf-8"))
                report.documents += 1
            check_loss(report, selection)
    return report


def _document(doc: ExportDocument, report: ExportReport) -> str:
    """One document's lines; spans PubTator cannot hold go to the report's problems."""
    out: list[str] = []
    written: list[Span] = []
    pmid = _pmid(doc.meta, doc.uid)
    title, _, rest = doc.text.partition("\n")
    out.append(f"{pmid}|t|{title}\n{pmid}|a|{rest.replace(chr(10), ' ')}\n")
    for span in doc.spans:
        where = f"{doc.uid[:12]} {span.curator}: {span.label} span {span.start}-{span.end}"
        problem = in_pieces(doc, span, "a PubTator mention")
        if problem:
            report.problems.append(problem)
            continue
        if re.search(r"[\t\n\r]", span.text) or re.search(r"[\t\n\r]", span.label):
            report.problems.append(f"{where} {span.text!r} holds a tab or line break")
            continue
        if span.note:
            report.problems.append(f"{where} {span.text!r}: its note has no place in PubTator")
            continue
        ids = concept_ids(span.concepts)
        out.append(f"{pmid}\t{span.start}\t{span.end}\t{span.text}\t{span.label}\t{ids}\n")
        written.append(span)
        report.spans += 1
    out += _relation_lines(doc, pmid, written, report)
    out.append("\n")
    return "".join(out)


def _relation_lines(
    doc: ExportDocument, pmid: str, written: list[Span], report: ExportReport
) -> list[str]:
    """``PMID TYPE ID1 ID2`` for each relation that reads back between the same spans."""
    first: dict[str, str] = {}
    for span in sorted(written, key=lambda s: (s.start, s.end)):
        for concept in span.concepts:
            first.setdefault(concept.id, span.uid)
    by_uid = {s.uid: s for s in written}
    kept = kept_relations(doc, doc.relations, set(by_uid), FMT, report.lost_relations)
    lines = []
    for relation in kept:
        ends = [by_uid[relation.head], by_uid[relation.tail]]
        why = ""
        if any(not end.concepts for end in ends):
            why = "PubTator relates concept ids, and an end carries no concept id"
        elif any(first[end.concepts[0].id] != end.uid for end in ends):
            why = "PubTator relates concept ids, and an end is not the first mention of its id"
        elif relation.note:
            why = f"its note {relation.note!r} has no place in PubTator"
        elif re.search(r"[\t\n\r]", relation.type):
            why = "its type holds a tab or line break"
        if why:
            report.lost_relations.append(relation_loss(doc, relation, FMT, why))
            continue
        lines.append(
            f"{pmid}\t{relation.type}\t{ends[0].concepts[0].id}\t{ends[1].concepts[0].id}\n"
        )
        report.relations += 1
    return lines
