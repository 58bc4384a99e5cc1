"""One import command for articles and JSONL alike, all or nothing across files.

``curator import`` takes ``.txt`` articles and ``.jsonl`` files, or folders
holding either. Every article is read and checked first; then the articles
and every JSONL file go into the database in one transaction, so a bad line
in the last file leaves the database as it was before the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from curator.core import corpus
from curator.core.db import Database
from curator.core.interchange.jsonl_import import ImportReport, import_jsonl_in

SUFFIXES = (".txt", ".jsonl")

FileProgress = Callable[[int, int, Path], None]


@dataclass
class MixedImportReport:
    articles: corpus.ImportReport = field(default_factory=corpus.ImportReport)
    jsonl: list[ImportReport] = field(default_factory=list)


def import_paths(
    db: Database,
    paths: Iterable[Path],
    *,
    curator: str | None = None,
    add_labels: bool = False,
    progress: FileProgress | None = None,
) -> MixedImportReport:
    files = corpus.expand_paths(paths, SUFFIXES)
    texts = [p for p in files if p.suffix.lower() == ".txt"]
    lines = [p for p in files if p.suffix.lower() == ".jsonl"]
    articles = []
    for i, path in enumerate(texts, 1):
        articles.append(corpus.read_article(path))
        if progress:
            progress(i, len(files), path)
    report = MixedImportReport()
    with db.write() as session:
        report.articles = corpus.add_articles(session, articles)
        for i, path in enumerate(lines, len(texts) + 1):
            report.jsonl.append(
                import_jsonl_in(session, path, curator=curator, add_labels=add_labels)
            )
            if progress:
                progress(i, len(files), path)
    return report
