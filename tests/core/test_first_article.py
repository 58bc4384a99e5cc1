"""The raw reader of the first frame agrees with the core, and stays away from SQLAlchemy."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from curator.core.articles import corpus, documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.spans.live_spans import live_spans
from curator.core.storage.db import Database
from curator.core.storage.first_article import RETIRED_COLOR, read_first_article, sqlite_file
from curator.core.storage.records import SpanSource

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


@pytest.fixture
def samples(db: Database) -> Database:
    corpus.import_articles(db, [DATA])
    return db


def _first_listed(db: Database) -> str:
    return documents.document_rows(db, "ana")[0][0]  # the list's order: by title


def test_a_curator_new_to_the_database_gets_the_first_document_of_the_list(
    samples: Database, db_path: Path
) -> None:
    article = read_first_article(db_path, "ana")
    assert article is not None
    doc = documents.get_document(samples, _first_listed(samples))
    assert (article.uid, article.title, article.text) == (doc.uid, doc.title, doc.text)
    assert article.spans == []
    assert [label.name for label in article.labels] == [
        label.name for label in annotate.list_labels(samples)
    ]


def test_the_last_opened_document_and_its_spans_as_the_core_reads_them(
    samples: Database, db_path: Path
) -> None:
    rows = documents.document_rows(samples, "ana")
    uid = rows[-1][0]
    doc = documents.get_document(samples, uid)
    start = doc.text.index(" ") + 1
    for offset, label in ((0, "therapy"), (start, "target"), (0, "outcome")):
        end = doc.text.index(" ", offset + 1)
        annotate.add_span(samples, uid, "ana", NewSpan(offset, end, label))
    pieces = ((0, 2), (start, start + 2))  # a mention in two pieces
    annotate.add_span(samples, uid, "ana", NewSpan(0, start + 2, "expert", fragments=pieces))
    annotate.add_span(samples, uid, "bob", NewSpan(0, 4, "expert"))  # another's: not shown
    documents.mark_opened(samples, rows[0][0], "ana")
    documents.mark_opened(samples, uid, "ana")  # the later one wins
    article = read_first_article(db_path, "ana")
    assert article is not None and article.uid == uid
    core = live_spans(samples, SpanSource(uid, "ana", doc.text))
    assert len(core) == 4 and any(s.fragments for s in core)
    assert [(s.uid, s.start, s.end, s.label, s.fragments) for s in article.spans] == [
        (s.uid, s.start, s.end, s.label, s.fragments) for s in core
    ]
    assert read_first_article(db_path, "bob") is not None  # bob never opened one: the first
    assert read_first_article(db_path, "bob").uid == _first_listed(samples)  # type: ignore[union-attr]


def test_retired_labels_are_grey_as_the_window_draws_them(samples: Database, db_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE label SET deleted_at = '2026-01-01 00:00:00' WHERE name = 'expert'")
    article = read_first_article(db_path, "ana")
    assert article is not None
    colors = {label.name: (label.color, label.retired) for label in article.labels}
    assert colors["expert"] == (RETIRED_COLOR, True)
    assert colors["therapy"][1] is False


def test_anything_but_a_database_at_head_with_documents_is_left_to_the_usual_start(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    assert read_first_article(db_path, "ana") is None  # no documents
    assert read_first_article(tmp_path / "missing.sqlite", "ana") is None
    assert not (tmp_path / "missing.sqlite").exists()  # nothing created
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_text("just text\n" * 100, encoding="utf-8")
    assert read_first_article(not_a_db, "ana") is None
    corpus.import_articles(db, [DATA])
    assert read_first_article(db_path, "ana") is not None
    with contextlib.closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0007_older'")
    assert read_first_article(db_path, "ana") is None  # an upgrade is due: the usual start


def test_only_local_sqlite_urls_have_a_file() -> None:
    assert sqlite_file("sqlite:////data/c.sqlite") == Path("/data/c.sqlite")
    assert sqlite_file("postgresql+psycopg://ana@db.example/curation") is None
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("sqlite:///:memory:") is None


def test_the_first_frame_path_imports_no_sqlalchemy(samples: Database, db_path: Path) -> None:
    """In a fresh interpreter: the reader, the launcher and the first window's module."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import curator.launch, curator.gui.first_frame\n"
        "from curator.core.storage.first_article import read_first_article\n"
        f"assert read_first_article(Path({str(db_path)!r}), 'ana') is not None\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'alembic', 'curator') and not m.startswith(('curator.gui', "
        "'curator.core.storage.first_article')))\n"
        "print(' '.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    loaded = done.stdout.split()
    assert not [m for m in loaded if m.split(".")[0] in ("sqlalchemy", "alembic")]
    assert "curator.cli" not in loaded
