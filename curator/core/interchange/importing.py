"""One import command for articles, JSONL and BioC XML alike, all or nothing across files.

``curator import`` (and the app's File > Import) takes ``.txt`` articles,
``.jsonl`` files and BioC ``.xml`` files, or folders holding them. Every
article is read and checked first; then the articles and every span file go
into the database in one transaction, so a bad line in the last file leaves
the database as it was before the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from curator.core import corpus
from curator.core.db import Database
from curator.core.errors import InputError
from curator.core.interchange.bioc_import import import_bioc_in
from curator.core.interchange.jsonl_import import ImportReport, import_jsonl_in

SUFFIXES = (".txt", ".jsonl", ".xml")

FileProgress = Callable[[int, int, Path], None]


@dataclass
class MixedImportReport:
    articles: corpus.ImportReport = field(default_factory=corpus.ImportReport)
    jsonl: list[ImportReport] = field(default_factory=list)
    """One report per span file, JSONL or BioC XML."""

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


def import_paths(
    db: Database,
    paths: Iterable[Path],
    *,
    curator: str | None = None,
    add_labels: bool = False,
    progress: FileProgress | None = None,
) -> MixedImportReport:
    paths = list(paths)
    _refuse_unread(paths)
    files = corpus.expand_paths(paths, SUFFIXES)
    texts = [p for p in files if p.suffix.lower() == ".txt"]
    spans = [p for p in files if p.suffix.lower() != ".txt"]
    articles = []
    for i, path in enumerate(texts, 1):
        article = corpus.read_article(path)
        _refuse_pubtator(article)
        articles.append(article)
        if progress:
            progress(i, len(files), path)
    report = MixedImportReport()
    with db.write() as session:
        report.articles = corpus.add_articles(session, articles)
        for i, path in enumerate(spans, len(texts) + 1):
            read = import_bioc_in if path.suffix.lower() == ".xml" else import_jsonl_in
            report.jsonl.append(read(session, path, curator=curator, add_labels=add_labels))
            if progress:
                progress(i, len(files), path)
    return report


_PUBTATOR_TITLE = re.compile(r"^[^|\t\n]+\|[ta]\|")


def _refuse_unread(paths: list[Path]) -> None:
    """Span files this import does not read are refused, never skipped beside their articles."""
    for path in paths:
        found = sorted(path.rglob("*.ann")) if path.is_dir() else []
        if path.suffix.lower() == ".txt" and path.with_suffix(".ann").is_file():
            found = [path.with_suffix(".ann")]
        if path.suffix.lower() == ".ann":
            found = [path]
        for ann in found:
            if ann.stat().st_size:
                raise InputError(ann, "is brat annotations, which this import does not read", 1)


def _refuse_pubtator(article: corpus.Article) -> None:
    if _PUBTATOR_TITLE.match(article.text):
        raise InputError(
            article.path,
            "is a PubTator file (title line 'PMID|t|...'), not an article; "
            "it is not read as one article made of its raw lines",
            1,
        )
