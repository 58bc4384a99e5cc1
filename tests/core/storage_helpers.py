"""What the storage tests share: documents added in code, raw looks at a SQLite file."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from curator.core.articles.corpus import Article, store_articles
from curator.core.articles.text import text_uid
from curator.core.storage.db import Database


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def add_documents(db: Database, *texts: str) -> list[str]:
    articles = [
        Article(path=Path(f"/src/doc{i}.txt"), uid=text_uid(t), title=f"doc {i}", text=t)
        for i, t in enumerate(texts)
    ]
    store_articles(db, articles)
    return [a.uid for a in articles]


def document_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM document").fetchone()[0]


def alembic_revision(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]


def raw_sql(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
