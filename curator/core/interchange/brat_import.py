"""brat standoff in: a ``.ann`` file and the ``.txt`` beside it, as brat's server reads them.

Entity (``T``) lines become spans; ``#`` AnnotatorNotes on an entity become
its note, and normalisations on an entity (``N1<TAB>Reference T1
HGNC:11913<TAB>TNFRSF17``) its concepts. A ``T`` line in several fragments is
one span when only line breaks and tabs lie between its fragments (how brat,
and our export, write a span across a line break); a mention in separate pieces elsewhere is a
discontinuous mention, which the data model does not hold.

Relation (``R``) lines become relations, ``Arg1`` the head and ``Arg2`` the
tail, with their ``#`` AnnotatorNotes as notes; a relation whose type the
database lacks, whose ends' labels the type does not allow, or whose end is
not an entity kept, is refused by its file line (with ``--allow-loss`` left
out and listed), naming its type and labels. Events (``E``), attributes
(``A``/``M``), equivalences (``*``) and notes or normalisations on anything
but an entity or a relation are not held: each is refused by file and line,
or with ``--allow-loss`` left out and listed.

Entity types must be declared in the ``annotation.conf`` of the file's
folder or the nearest folder above it, when there is one. A folder written
by our brat export names its curator in that file (``# curator: NAME``) and
the labels behind the entity types in ``visual.conf``, so it comes back to
the same curator, labels and notes; spans of other brat files belong to the
importing curator.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from curator.core.articles.corpus import max_article_bytes
from curator.core.errors import InputError
from curator.core.files.inputs import read_input, span_file_limit
from curator.core.interchange.foreign import ImportOptions, Losses, Record, store_records
from curator.core.interchange.jsonl_store import ImportReport
from curator.core.storage.concepts import from_foreign_ids

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (\S+)\t?(.*)$")
_REFERENCE = re.compile(r"^N\d+\t\S+ (\S+) (\S+?)(?:\t(.*))?$")
_RELATION = re.compile(r"^(R\d+)\t(\S+) (\S+?):(\S+) (\S+?):(\S+)\s*$")
_KINDS = {
    "R": "a relation",
    "E": "an event",
    "A": "an attribute",
    "M": "an attribute",
    "*": "an equivalence",
}
_CURATOR = re.compile(r"^#\s*curator:\s*(.+?)\s*$", re.MULTILINE)


def text_path(ann: Path) -> Path:
    return ann.with_suffix(".txt")


def _read(path: Path) -> str:
    if path.suffix.lower() == ".txt":
        data = read_input(path, max_article_bytes(), "an article", "CURATOR_MAX_FILE_MB")
    else:
        data = read_input(path, span_file_limit(), "a span file", "CURATOR_MAX_SPAN_FILE_MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None


def _conf(ann: Path) -> Path | None:
    for folder in ann.resolve().parents:
        if (folder / "annotation.conf").is_file():
            return folder / "annotation.conf"
    return None


def declared_entities(conf: str) -> set[str]:
    """Types a ``T`` line may have: entities and event triggers of an ``annotation.conf``.

    Entities may be indented for hierarchy and marked ``!`` as abstract;
    an event line names its type first, then its arguments.
    """
    names: set[str] = set()
    section = ""
    for raw in conf.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif section in ("entities", "events"):
            names.add(line.lstrip("!").split()[0])
    return names


def visual_labels(visual: str) -> dict[str, str]:
    """``TYPE | label`` lines of a ``visual.conf`` [labels] section: the label behind a type."""
    found: dict[str, str] = {}
    section = ""
    for raw in visual.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif section == "labels" and " | " in line:
            kind, name = line.split(" | ", 1)
            found[kind.strip()] = name.split(" | ")[0].strip()
    return found


def read_brat(ann: Path, losses: Losses) -> Record:
    txt = text_path(ann)
    if not txt.is_file():
        raise InputError(ann, f"has no text beside it ({txt.name} is missing)")
    text = _read(txt)
    conf_path, declared, curator, names = _configuration(ann)
    record = Record(1, {"text": text, "spans": [], "meta": {"brat_file": txt.name}}, name=ann.stem)
    entities: dict[str, int] = {}
    relations: dict[str, int] = {}
    notes: list[tuple[int, str, str]] = []
    references: list[tuple[int, str, str, str]] = []
    for number, raw in enumerate(_read(ann).split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        entity = _T_LINE.match(line)
        if entity:
            ident, kind, where, quote = entity.groups()
            if declared is not None and kind not in declared:
                raise InputError(
                    ann, f"entity type {kind!r} is not declared in {conf_path}", number
                )
            span = _span(text, where, quote, ann, number, losses)
            if span is not None:
                span["label"] = names.get(kind, kind)
                span["id"] = ident
                entities[ident] = len(record.span_lines)
                record.add_span(span, number, curator)
            continue
        relation = _RELATION.match(line)
        if relation:
            ident, kind, head, tail = _relation_ends(relation)
            relations[ident] = len(record.relation_lines)
            record.add_relation(head, tail, names.get(kind, kind), number)
            continue
        note = _NOTE.match(line)
        if note:
            notes.append((number, note.group(1), note.group(2)))
            continue
        reference = _REFERENCE.match(line)
        if reference:
            references.append((number, *reference.groups(default="")))  # type: ignore[arg-type]
            continue
        kind_name = _KINDS.get(line[:1])
        if kind_name is None:
            raise InputError(ann, f"is not a brat standoff line: {line[:60]!r}", number)
        losses.drop(number, f"{kind_name} ({line.split(chr(9))[0]})")
    relation_notes = [n for n in notes if n[1] in relations]
    for _, target, note_text in relation_notes:
        held = record.obj["relations"][relations[target]]
        held["note"] = (held.get("note", "") + "\n" + note_text).strip("\n")
    notes = [n for n in notes if n[1] not in relations]
    _attach(record.obj["spans"], entities, notes, references, losses)
    return record


def _configuration(ann: Path) -> tuple[Path | None, set[str] | None, str | None, dict[str, str]]:
    """The ``annotation.conf`` that rules *ann*, its entity types, and (for a folder of our
    export) its curator and the names behind its types."""
    conf_path = _conf(ann)
    if conf_path is None:
        return None, None, None, {}
    conf = _read(conf_path)
    found = _CURATOR.search(conf)
    if not found:
        return conf_path, declared_entities(conf), None, {}
    visual = conf_path.with_name("visual.conf")
    names = visual_labels(_read(visual)) if visual.is_file() else {}
    return conf_path, declared_entities(conf), found.group(1), names


def _relation_ends(found: re.Match[str]) -> tuple[str, str, str, str]:
    """(id, type, head, tail) of an ``R`` line: ``Arg1`` is the head and ``Arg2`` the tail;
    with other role names, the first argument written is the head, as brat orders them."""
    ident, kind, role_a, end_a, role_b, end_b = found.groups()
    if (role_a, role_b) == ("Arg2", "Arg1"):
        return ident, kind, end_b, end_a
    return ident, kind, end_a, end_b


def _attach(
    spans: list[dict[str, Any]],
    entities: dict[str, int],
    notes: list[tuple[int, str, str]],
    references: list[tuple[int, str, str, str]],
    losses: Losses,
) -> None:
    """Notes and normalisations on entities go to their spans, in file order."""
    for number, target, note_text in notes:
        if target not in entities:
            losses.drop(number, f"a note on {target}, which is not an entity kept as a span")
            continue
        span = spans[entities[target]]
        span["note"] = (span.get("note", "") + "\n" + note_text).strip("\n")
    for number, target, cid, name in references:
        if target not in entities:
            losses.drop(number, f"a normalisation of {target}, not an entity kept as a span")
            continue
        spans[entities[target]].setdefault("concepts", []).extend(
            {"id": c.id, "name": name} for c in from_foreign_ids(cid)
        )


def _span(  # noqa: PLR0917 - the line's parts and where it is
    text: str, where: str, quote: str, ann: Path, number: int, losses: Losses
) -> dict[str, object] | None:
    pieces = [tuple(int(x) for x in part.split()) for part in where.split(";")]
    for a, b in pieces:
        if not 0 <= a < b <= len(text):
            raise InputError(
                ann, f"offsets {a}-{b} are not inside the text (0-{len(text)})", number
            )
    joined = " ".join(text[a:b] for a, b in pieces)
    if joined != quote:
        raise InputError(ann, f"the text at {where} is {joined!r}, not {quote!r}", number)
    # brat cuts a span at line breaks (ours does at tabs too): fragments apart
    # only by those are one piece; the others are the pieces of the mention.
    joined_pieces = [list(pieces[0])]
    for (_, end), (start, stop) in itertools.pairwise(pieces):
        if start < end:
            raise InputError(ann, f"fragments {where} overlap or are out of order", number)
        gap = text[end:start]
        if not gap.strip(" \n\t\r") and ("\n" in gap or "\t" in gap):
            joined_pieces[-1][1] = stop
        else:
            joined_pieces.append([start, stop])
    start, end = joined_pieces[0][0], joined_pieces[-1][1]
    span: dict[str, object] = {"start": start, "end": end, "label": ""}
    if len(joined_pieces) > 1:
        span["fragments"] = joined_pieces
        span["text"] = " ".join(text[a:b] for a, b in joined_pieces)
    else:
        span["text"] = text[start:end]
    return span


def import_brat_in(session: Session, ann: Path, options: ImportOptions) -> ImportReport:
    losses = Losses(ann, options.allow_loss)
    record = read_brat(ann, losses)
    return store_records(session, ann, [record], options, losses)
