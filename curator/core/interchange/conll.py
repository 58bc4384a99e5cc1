"""CoNLL / IOB: a token per line with its tag, as BERT-style token classifiers train on.

Out: each document starts with ``-DOCSTART-``; a blank line ends every
sentence (at a line break, or after ``.``, ``!`` or ``?`` outside any span).
Tokens are words and single punctuation marks, cut again wherever a span
starts or ends, so every span covers whole tokens. After the token comes one
tag column per curator (``B-label``, ``I-label``, ``O``), in the order of a
``# curators:`` first line when there are several, or the one curator of
``--curator``. IOB cannot hold a span that overlaps or nests in another of
the same curator (the outer one is kept), nor a note: each is named in the
report with the span it clashes with, and the export fails unless
``--allow-loss``.

In: the text is rebuilt from the tokens, joined by single spaces, with a
line break between sentences (the original spacing is not in the file);
tags may be IOB1, IOB2 or IOBES, in the last column (or in the columns a
``# curators:`` line names). ``-DOCSTART-`` lines start a new document.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session

from curator.core.errors import InputError
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
    no_relations,
)
from curator.core.interchange.foreign import ImportOptions, Losses, Record, store_records
from curator.core.interchange.jsonl_store import ImportReport
from curator.core.storage.concepts import ids as concept_ids
from curator.core.storage.db import Database
from curator.core.storage.records import Span

TAG = re.compile(r"^(O|[BIES]-\S+)$")
HEADER = "# curators:"
_TOKEN = re.compile(r"\w+|[^\w\s]")


def looks_like(text: str) -> bool:
    """Every one of the first lines is a blank line, ``-DOCSTART-`` or a token and a tag."""
    rows = [line for line in text.split("\n")[:40] if line.strip()]
    rows = [r for r in rows if not r.startswith((HEADER, "-DOCSTART-"))]
    return bool(rows) and all(len(r.split()) >= 2 and TAG.match(r.split()[-1]) for r in rows)


# -- export ---------------------------------------------------------------------------------


def _tokens(text: str, cuts: set[int]) -> list[tuple[int, int]]:
    tokens = []
    for match in _TOKEN.finditer(text):
        start = match.start()
        for cut in sorted(c for c in cuts if match.start() < c < match.end()):
            tokens.append((start, cut))
            start = cut
        tokens.append((start, match.end()))
    return tokens


def _conflict(span: Span, other: Span) -> str:
    where = f"{other.label} span {other.start}-{other.end} {other.text!r}"
    if other.start <= span.start and span.end <= other.end:
        return f"is nested in {where}"
    return f"overlaps {where}"


def _column(
    doc: ExportDocument, spans: list[Span], tokens: list[tuple[int, int]], report: ExportReport
) -> list[str]:
    """One curator's tags. Of spans that nest or overlap, IOB holds the first and
    widest (as flat NER corpora keep the outer mention); each other one is named."""
    tags = ["O"] * len(tokens)
    taken: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.uid)):
        problem = in_pieces(doc, span, "IOB")
        if problem:
            report.problems.append(problem)
            continue
        where = f"{doc.uid[:12]} {span.curator}: {span.label} span {span.start}-{span.end}"
        other = next((t for t in taken if t.start < span.end and span.start < t.end), None)
        if other is not None:
            report.problems.append(
                f"{where} {span.text!r} {_conflict(span, other)}; IOB holds one span a token"
            )
            continue
        inside = [i for i, (a, b) in enumerate(tokens) if span.start <= a and b <= span.end]
        if not inside:
            report.problems.append(f"{where} {span.text!r} covers no token")
            continue
        taken.append(span)
        label = re.sub(r"\s", "_", span.label)
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
        report.spans += 1
        if span.note:
            report.problems.append(f"{where} {span.text!r}: its note has no place in IOB")
        if span.concepts:
            report.problems.append(
                f"{where} {span.text!r}: its concepts ({concept_ids(span.concepts)}) have no "
                "place in IOB"
            )
    return tags


def _sentence_ends(doc: ExportDocument, tokens: list[tuple[int, int]]) -> set[int]:
    """Indexes of tokens after which a sentence ends (never inside a span)."""
    ends = set()
    for i, (a, b) in enumerate(tokens[:-1]):
        nxt = tokens[i + 1][0]
        breaks = "\n" in doc.text[b:nxt] or doc.text[a:b] in (".", "!", "?")
        if breaks and not any(s.start < b and nxt < s.end for s in doc.spans):
            ends.add(i)
    return ends


def export_conll(
    db: Database, out_path: Path | str, selection: Selection, progress: Progress | None = None
) -> ExportReport:
    path = Path(out_path)
    report = ExportReport(format="conll", path=path, files=[path])
    with document_stream(db, selection, progress) as docs, atomic_writer(path) as sink:
        curators = curators_of(docs, selection) or ["O"]
        if len(curators) > 1:
            sink.write((HEADER + "\t" + "\t".join(curators) + "\n").encode("utf-8"))
        for doc in docs:
            sink.write(_document(doc, curators, report).encode("utf-8"))
            no_relations([doc], report)
            report.documents += 1
        check_loss(report, selection)
    return report


def _document(doc: ExportDocument, curators: list[str], report: ExportReport) -> str:
    """One document's block: its tokens, a tag column per curator, sentences apart."""
    out: list[str] = []
    cuts = {p for s in doc.spans for p in (s.start, s.end)}
    tokens = _tokens(doc.text, cuts)
    columns = [
        _column(doc, [s for s in doc.spans if s.curator == name], tokens, report)
        for name in curators
    ]
    out.append("\t".join(["-DOCSTART-", *("O" for _ in curators)]) + "\n\n")
    ends = _sentence_ends(doc, tokens)
    for i, (a, b) in enumerate(tokens):
        out.append("\t".join([doc.text[a:b], *(c[i] for c in columns)]) + "\n")
        if i in ends or i == len(tokens) - 1:
            out.append("\n")
    return "".join(out)


# -- import ---------------------------------------------------------------------------------


class _Doc:
    def __init__(self, line: int, columns: int) -> None:
        self.line = line
        self.sentences: list[list[tuple[str, int, list[str]]]] = [[]]
        self.columns = columns


def _spans(path: Path, doc: _Doc, names: list[str | None]) -> Record:
    text_parts: list[str] = []
    record = Record(doc.line, {"text": "", "spans": []})
    offset = 0
    open_spans: list[tuple[int, int, str, int] | None] = [None] * len(names)

    def close(c: int, end: int) -> None:
        current = open_spans[c]
        if current is not None:
            start, _, label, line = current
            record.add_span({"start": start, "end": end, "label": label}, line, names[c])
            open_spans[c] = None

    for sentence in (s for s in doc.sentences if s):
        if text_parts:
            text_parts.append("\n")
            offset += 1
        last_end = offset
        for n, (token, line, tags) in enumerate(sentence):
            if n:
                text_parts.append(" ")
                offset += 1
            start, end = offset, offset + len(token)
            for c, tag in enumerate(tags):
                kind, _, label = tag.partition("-")
                current = open_spans[c]
                continues = current is not None and current[2] == label and kind in ("I", "E")
                if kind == "O" or not continues:
                    close(c, last_end)
                if kind != "O" and not continues:
                    open_spans[c] = (start, end, label, line)
                if kind in ("E", "S"):
                    close(c, end)
            text_parts.append(token)
            offset = last_end = end
        for c in range(len(names)):
            close(c, last_end)
    record.obj["text"] = "".join(text_parts)
    return record


def read_conll(path: Path, text: str) -> list[Record]:
    names: list[str | None] = [None]
    docs: list[_Doc] = []
    current: _Doc | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if number == 1 and line.startswith(HEADER):
            names = [n for n in line[len(HEADER) :].strip().split("\t") if n] or [None]
            continue
        if not line.strip():
            if current is not None and current.sentences[-1]:
                current.sentences.append([])
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        if fields[0] == "-DOCSTART-":
            current = None
            continue
        tags = fields[-len(names) :] if len(names) > 1 else fields[-1:]
        if len(fields) < len(tags) + 1 or not all(TAG.match(t) for t in tags):
            raise InputError(
                path, f"expected a token and {len(names)} IOB tag(s), found {line[:60]!r}", number
            )
        if current is None:
            current = _Doc(number, len(names))
            docs.append(current)
        current.sentences[-1].append((fields[0], number, tags))
    return [_spans(path, doc, names) for doc in docs]


def import_conll_in(
    session: Session, path: Path, text: str, options: ImportOptions
) -> ImportReport:
    losses = Losses(path, options.allow_loss)
    return store_records(session, path, read_conll(path, text), options, losses, "documents")
