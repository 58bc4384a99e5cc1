"""One import command for articles and every span format, all or nothing across files.

``curator import`` (and the app's File > Import) takes articles (``.txt``,
``.pdf``, PubMed Central ``.nxml`` or JATS ``.xml``, saved ``.html``/``.htm``
pages) and span files of every format the app reads, or folders holding them.
A file's format is decided by its content, not its name (:func:`kind_of`): a
PubTator file named ``.txt`` is PubTator, not an article, and an ``.xml`` whose
root is ``<article>`` is a JATS article, not BioC. Every article is read and
checked first; then the articles and every span file go into the database in
one transaction, so a bad line in the last file leaves the database as it was
before the first.

A brat ``.txt`` with its ``.ann`` beside it is one brat document, never an
article without its annotations.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from curator.core import articles as article_files
from curator.core import collector
from curator.core.articles import corpus
from curator.core.errors import InputError
from curator.core.files.inputs import read_input, span_file_limit
from curator.core.interchange import (
    bioc_json_import,
    conll,
    doccano,
    labelstudio_import,
    located_json,
    pubtator,
)
from curator.core.interchange.bioc_import import import_bioc_in
from curator.core.interchange.brat_import import import_brat_in
from curator.core.interchange.foreign import ImportOptions
from curator.core.interchange.jsonl_import import ImportReport, import_jsonl_in
from curator.core.interchange.jsonl_store import large_page_cache
from curator.core.interchange.labels_text import is_label_file, label_file
from curator.core.storage.db import Database
from curator.core.storage.retry import retried

SUFFIXES = (
    ".txt", ".pdf", ".nxml", ".html", ".htm",
    ".jsonl", ".json", ".xml", ".ann", ".pubtator", ".bioc",
    ".conll", ".conll2003", ".iob", ".iob2", ".tsv",
)  # fmt: skip
"""What a folder is searched for; a file given by name is read whatever its suffix."""

FileProgress = Callable[[int, int, Path], None]


@dataclass
class MixedImportReport:
    articles: corpus.ImportReport = field(default_factory=corpus.ImportReport)
    jsonl: list[ImportReport] = field(default_factory=list)
    """One report per span file, whatever its format."""

    @property
    def documents_added(self) -> int:
        return len(self.articles.added) + sum(r.documents_added for r in self.jsonl)

    @property
    def documents_present(self) -> int:
        return len(self.articles.present) + sum(r.documents_present for r in self.jsonl)

    @property
    def spans_added(self) -> int:
        return sum(r.spans_added for r in self.jsonl)

    @property
    def spans_updated(self) -> int:
        return sum(r.spans_updated for r in self.jsonl)

    @property
    def dropped(self) -> list[str]:
        return [item for r in self.jsonl for item in r.dropped]

    @property
    def skipped(self) -> list[str]:
        return [item for r in self.jsonl for item in r.skipped]

    def to_json(self) -> dict[str, object]:
        """The report as ``curator import --json`` prints it: totals, then each file."""
        articles = [
            {"status": status, "id": a.uid, "title": a.title, "path": str(a.path)}
            for status, found in (
                ("added", self.articles.added),
                ("present", self.articles.present),
            )
            for a in found
        ]
        span_files = [
            {
                "path": str(r.path),
                "format": r.format,
                r.unit: r.lines,
                "documents_added": r.documents_added,
                "documents_present": r.documents_present,
                "spans_added": r.spans_added,
                "spans_updated": r.spans_updated,
                "spans_unchanged": r.spans_unchanged,
                "suggestions_added": r.suggestions_added,
                "relations_added": r.relations_added,
                "relations_updated": r.relations_updated,
                "relations_unchanged": r.relations_unchanged,
                "labels_added": list(r.labels_added),
                "labels_merged": list(r.labels_merged),
                "dropped": list(r.dropped),
                "skipped": list(r.skipped),
            }
            for r in self.jsonl
        ]
        return {
            "documents_added": self.documents_added,
            "documents_present": self.documents_present,
            "spans_added": self.spans_added,
            "spans_updated": self.spans_updated,
            "relations_added": sum(r.relations_added for r in self.jsonl),
            "dropped": self.dropped,
            "skipped": self.skipped,
            "articles": articles,
            "span_files": span_files,
        }


def expand(paths: Iterable[Path]) -> list[Path]:
    """The files to read: folders searched, and each brat ``.txt`` replaced by its ``.ann``."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(corpus.expand_paths([path], SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(path, "does not exist")
    result: list[Path] = []
    for given in _without_label_files(found):
        ann = given.with_suffix(".ann")
        path = ann if given.suffix.lower() == ".txt" and ann.is_file() else given
        if path not in result:
            result.append(path)
    return result


def _without_label_files(found: list[Path]) -> list[Path]:
    """A JSONL export's label file is read with its JSONL, never as a file of its own."""
    wanted = set(found)
    kept = []
    for path in found:
        if not is_label_file(path):
            kept.append(path)
            continue
        partners = [p for p in wanted if not is_label_file(p) and label_file(p) == path]
        if not partners:
            raise InputError(
                path,
                "is the label set of a JSONL export; import the JSONL beside it, "
                "which reads this file",
            )
    return kept


def _read(path: Path) -> bytes:
    """The file's bytes, to tell its format; an article is then read again, to its own limit."""
    return read_input(path, span_file_limit(), "a file to import", "CURATOR_MAX_SPAN_FILE_MB")


def _text(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise InputError(path, "holds a NUL byte; this looks like a binary file, not text", line)
    return text


def _fast_jsonl(data: bytes) -> bool:
    """Our own JSONL or minimal span lines: the first line is an object with schema or spans.

    Told from the first line's bytes: the JSONL reader checks each line's
    encoding itself and names the line, so a large file is not decoded (or
    copied) here first.
    """
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    while True:
        end = data.find(b"\n", start)
        line = data[start:] if end < 0 else data[start:end]
        if line.strip() or end < 0:
            break
        start = end + 1
    try:
        obj = json.loads(line)
    except (RecursionError, ValueError):  # not JSON, or not UTF-8
        return False
    return isinstance(obj, dict) and ("schema" in obj or "spans" in obj)


def kind_of(path: Path, data: bytes) -> tuple[str, Any]:
    """The format of a file, from its content, and what was parsed to decide it."""
    if path.suffix.lower() == ".ann":
        return "brat", None
    if article_files.format_of(path, data) not in (None, "txt"):
        return "article", None  # PDF, JATS XML, web page
    start = data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
    suffix = path.suffix.lower()
    if start == b"<" or (not start and suffix == ".xml"):
        return "bioc-xml", None
    if suffix == ".txt" and not _is_utf8(data):
        return "article", None  # the article reader names the problem (binary, Latin-1...)
    if not start and suffix == ".jsonl":
        return "jsonl", None
    if start == b"{" and _fast_jsonl(data):
        return "jsonl", None
    text = _text(path, data)
    if start in (b"{", b"["):
        values = located_json.values(path, text)
        first = values[0] if values else None
        if len(values) == 1 and bioc_json_import.looks_like(first):
            return "bioc-json", first
        if len(values) == 1 and labelstudio_import.looks_like(first):
            return "labelstudio", first
        items = [v for value in values for v in (value if isinstance(value, list) else [value])]
        if items and all(doccano.looks_like(v) for v in items):
            return "doccano", text
        return "jsonl", None  # read line by line, and refused by line if it is not JSONL
    if pubtator.looks_like(text):
        return "pubtator", text
    if conll.looks_like(text):
        return "conll", text
    if suffix == ".txt":
        return "article", None
    raise InputError(
        path,
        "is not a supported file type: not a format the app reads (articles as .txt, .pdf, "
        "JATS .nxml/.xml or .html; JSONL, "
        "BioC XML or JSON, brat, PubTator, Label Studio, doccano, CoNLL/IOB)",
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def _import_file(
    session: Session, path: Path, kind: str, parsed: Any, options: ImportOptions
) -> ImportReport:
    if kind == "brat":
        report = import_brat_in(session, path, options)
    elif kind == "bioc-xml":
        report = import_bioc_in(session, path, options)
    elif kind == "bioc-json":
        report = bioc_json_import.import_bioc_json_in(session, path, parsed, options)
    elif kind == "labelstudio":
        report = labelstudio_import.import_labelstudio_in(session, path, parsed, options)
    elif kind == "doccano":
        report = doccano.import_doccano_in(session, path, parsed, options)
    elif kind == "pubtator":
        report = pubtator.import_pubtator_in(session, path, parsed, options)
    elif kind == "conll":
        report = conll.import_conll_in(session, path, parsed, options)
    else:
        report = import_jsonl_in(
            session, path, curator=options.curator, add_labels=options.add_labels
        )
    report.format = kind
    return report


def _refuse_the_database(db: Database, files: Iterable[Path]) -> None:
    """Never read the open database as an input: closing our descriptor of it would drop
    SQLite's locks on it (they are per process and file). Decided by stat alone."""
    if db.path is None:
        return
    for path in files:
        try:
            same = os.path.samefile(path, db.path)
        except OSError:
            continue
        if same:
            raise InputError(path, "is the database being imported into, not an input file")


@retried
def import_paths(
    db: Database,
    paths: Iterable[Path],
    *,
    curator: str | None = None,
    add_labels: bool = False,
    allow_loss: bool = False,
    skip_bad_documents: bool = False,
    progress: FileProgress | None = None,
) -> MixedImportReport:
    with collector.paused():
        return _import_paths(
            db, paths, ImportOptions(curator, add_labels, allow_loss, skip_bad_documents), progress
        )


def _import_paths(
    db: Database, paths: Iterable[Path], options: ImportOptions, progress: FileProgress | None
) -> MixedImportReport:
    """Read and check every file, then store them all in one transaction."""
    files = expand(paths)
    _refuse_the_database(db, files)
    articles: list[corpus.Article] = []
    spans: list[tuple[Path, str, Any]] = []
    for i, path in enumerate(files, 1):
        data = _read(path)
        kind, parsed = kind_of(path, data)
        if kind == "article":
            articles.append(article_files.read_article(path))
        else:
            spans.append((path, kind, parsed))
        if progress:
            progress(i, len(files), path)
    report = MixedImportReport()
    with db.write(bulk=True) as session, large_page_cache(session):
        report.articles = corpus.add_articles(session, articles)
        for path, kind, parsed in spans:
            report.jsonl.append(_import_file(session, path, kind, parsed, options))
    return report
