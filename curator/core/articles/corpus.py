"""Reading article files into documents.

An import is all or nothing: every file is read and checked before anything
is written, and everything is written in one transaction, so a bad file in a
folder of fifty leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core import environment
from curator.core.articles.text import decode_article, text_uid, title_from_text
from curator.core.errors import InputError
from curator.core.files import leftovers
from curator.core.files.inputs import read_input
from curator.core.storage.db import Database
from curator.core.storage.models import Document
from curator.core.storage.retry import retried

ARTICLE_SUFFIXES = (".txt",)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class Article:
    path: Path
    uid: str
    title: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    """What the file said beyond its text (a PDF's pages and paragraph boxes, a PMID)."""


@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    present: list[Article] = field(default_factory=list)


def max_article_bytes() -> int:
    """The size limit for one article, overridable with ``CURATOR_MAX_FILE_MB``."""
    return environment.megabytes("CURATOR_MAX_FILE_MB", DEFAULT_MAX_BYTES)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of *path*: a regular file of at most *limit* bytes, else refused by name."""
    return read_input(path, limit, "an article", "CURATOR_MAX_FILE_MB")


def read_article(path: Path, max_bytes: int | None = None) -> Article:
    """One article file: a regular file within the size limit, decoded to canonical text."""
    limit = max_article_bytes() if max_bytes is None else max_bytes
    data = read_limited(path, limit)
    text = decode_article(data, path)
    return Article(path=path, uid=text_uid(text), title=title_from_text(text, path.stem), text=text)


def _temporary(path: Path, root: Path) -> bool:
    """Whether *path* lies in an export's temporary tree (see :mod:`..files.leftovers`)."""
    return any(leftovers.is_temporary_name(part) for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[Path], suffixes: Sequence[str] = ARTICLE_SUFFIXES) -> list[Path]:
    """Files as given, and the matching files inside folders (recursively, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Not only regular files: a pipe or a dangling link named like an article is
            # refused when read, rather than silently left out.
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in suffixes and not p.is_dir() and not _temporary(p, path)
            )
            if not inside:
                kinds = " or ".join(filter(None, (", ".join(suffixes[:-1]), suffixes[-1])))
                raise InputError(path, f"holds no {kinds} files")
            found.extend(inside)
        elif path.exists():
            if path.suffix.lower() not in suffixes:
                raise InputError(
                    path, f"is not a supported file type (expected {', '.join(suffixes)})"
                )
            found.append(path)
        else:
            raise InputError(path, "does not exist")
    return found


def import_articles(
    db: Database, paths: Iterable[Path], progress: Progress | None = None
) -> ImportReport:
    files = expand_paths(paths)
    articles: list[Article] = []
    for i, path in enumerate(files, 1):
        articles.append(read_article(path))
        if progress:
            progress(i, len(files), path)
    return store_articles(db, articles)


@retried
def store_articles(db: Database, articles: Sequence[Article]) -> ImportReport:
    with db.write(bulk=True) as session:
        return add_articles(session, articles)


def add_articles(session: Session, articles: Sequence[Article]) -> ImportReport:
    """Add *articles* inside the caller's transaction (imports mixing several kinds of file)."""
    report = ImportReport()
    uids = [a.uid for a in articles]
    existing = set(session.scalars(select(Document.uid).where(Document.uid.in_(uids))))
    for article in articles:
        if article.uid in existing:
            report.present.append(article)
            continue
        existing.add(article.uid)
        session.add(
            Document(
                uid=article.uid,
                title=article.title,
                source=str(article.path),
                text=article.text,
                meta={"file_name": article.path.name, **article.meta},
            )
        )
        report.added.append(article)
    session.flush()
    return report
