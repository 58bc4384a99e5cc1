"""The SQLite-built JSONL export writes exactly the bytes of the Python path.

Both paths run on the same database and must give the same file: on the
curated shared corpus and the sample articles with every export option, on
timestamps and meta written by other tools, and on generated texts and notes
full of what JSON escaping can get wrong.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.articles import corpus, documents
from curator.core.articles.text import canonical_text, text_uid
from curator.core.errors import NotFoundError
from curator.core.interchange.common import ExportReport, Selection
from curator.core.interchange.jsonl import export_jsonl, export_jsonl_python
from curator.core.interchange.jsonl_sql import export_jsonl_sqlite
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.suggest import stored as suggestions
from tests import fresh_db
from tests.interchange import odd_names
from tests.interchange.conftest import Curated

DATA = Path(__file__).resolve().parents[2] / "data"


def _both(db: Database, folder: Path, selection: Selection) -> tuple[bytes, ExportReport]:
    """Export through both paths; assert they agree and return the bytes."""
    python, sql = folder / "python.jsonl", folder / "sql.jsonl"
    expected = export_jsonl_python(db, python, selection)
    report = export_jsonl_sqlite(db, sql, selection)
    assert sql.read_bytes() == python.read_bytes()
    assert (report.documents, report.spans) == (expected.documents, expected.spans)
    return sql.read_bytes(), report


SELECTIONS = [
    Selection(),
    Selection(with_deleted=True),
    Selection(curators=["ana"]),
    Selection(curators=["bo"], with_deleted=True),
    Selection(curators=[]),
]


@pytest.mark.parametrize("selection", SELECTIONS, ids=repr)
def test_same_bytes_on_the_curated_corpus(
    curated: Curated, tmp_path: Path, selection: Selection
) -> None:
    data, report = _both(curated.db, tmp_path, selection)
    assert data.count(b"\n") == report.documents == 3


def test_same_bytes_for_chosen_documents_and_missing_ones(curated: Curated, tmp_path: Path) -> None:
    uids = [d.uid for d in documents.list_documents(curated.db)]
    data, report = _both(curated.db, tmp_path, Selection(documents=[uids[2], uids[0]]))
    assert report.documents == 2 and data.count(b"\n") == 2
    with pytest.raises(NotFoundError, match="no document with id nope"):
        export_jsonl_sqlite(curated.db, tmp_path / "x.jsonl", Selection(documents=["nope"]))
    with pytest.raises(NotFoundError, match="no curator named 'zed'"):
        export_jsonl_sqlite(curated.db, tmp_path / "x.jsonl", Selection(curators=["zed"]))
    assert not (tmp_path / "x.jsonl").exists()


def test_same_bytes_on_the_sample_articles_with_suggestions(db: Database, tmp_path: Path) -> None:
    added = corpus.import_articles(db, [DATA]).added
    assert len(added) >= 4
    for article in added:
        suggestions.compute(db, article.uid, "ana")
        text = documents.get_document(db, article.uid).text
        annotate.add_spans(db, article.uid, "bo", [NewSpan(0, text.index(" "), "therapy")])
    data, _ = _both(db, tmp_path, Selection(with_suggestions=True))
    assert b'"suggestions": [{' in data
    _both(db, tmp_path, Selection(curators=["bo"], with_suggestions=True))


def test_times_and_meta_written_by_other_tools(curated: Curated, tmp_path: Path) -> None:
    """Rows in another spelling than SQLAlchemy's take the Python-formatted path."""
    assert curated.db.path is not None
    with sqlite3.connect(curated.db.path) as con:
        con.execute(
            "UPDATE annotation SET created_at = '2026-01-01 00:00:00', "
            "updated_at = '2026-01-01T00:00:01.5' WHERE id = (SELECT min(id) FROM annotation)"
        )
        con.execute(
            "UPDATE annotation SET deleted_at = '2026-02-03 04:05:06' "
            "WHERE id = (SELECT max(id) FROM annotation)"
        )
        con.execute(
            """UPDATE document SET meta = '{"z": 1.5, "a": [1e100, {"y": null}], "é": "ü"}' """
            "WHERE id = (SELECT min(id) FROM document)"
        )
    data, _ = _both(curated.db, tmp_path, Selection(with_deleted=True))
    assert b'"created_at": "2026-01-01T00:00:00.000000Z"' in data
    assert b'"updated_at": "2026-01-01T00:00:01.500000Z"' in data
    assert b'"deleted_at": "2026-02-03T04:05:06.000000Z"' in data


def test_export_jsonl_takes_the_sql_path_on_sqlite(curated: Curated, tmp_path: Path) -> None:
    export_jsonl(curated.db, tmp_path / "a.jsonl", curators=["ana"])
    export_jsonl_python(curated.db, tmp_path / "b.jsonl", Selection(curators=["ana"]))
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


# Non-BMP letters, quotes, backslashes, control characters, line and paragraph
# separators, DEL and an NFD accent; notes also NUL (texts cannot hold it: the
# quote-length check counts characters with SQLite's length(), which stops there).
HARD = [*'aZ 0\n\t"\\/κ–', "\x01", "\x08", "\x0c", "\r", "\x1f", "\x7f", "\u2028"]
HARD += ["\u2029", "\ufeff", "e\u0301", "\U0001d6fc", "\U0001f600", "\U0010fffd"]
TEXTS = st.lists(st.sampled_from(HARD), min_size=1, max_size=50).map(lambda cs: "D " + "".join(cs))
NOTES = st.lists(st.sampled_from([*HARD, "\x00"]), max_size=8).map("".join)
NAMES = st.sampled_from(["ana", 'o"hara', "back\\slash", "Zoë", "\U0001f600 x"])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=3),
    spans=st.lists(st.tuples(NAMES, st.integers(0, 10**6), st.integers(1, 40), NOTES), max_size=8),
    title=NOTES,
    with_deleted=st.booleans(),
)
def test_same_bytes_on_generated_texts(
    texts: list[str],
    spans: list[tuple[str, int, int, str]],
    title: str,
    with_deleted: bool,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = fresh_db.fresh_database(folder / "a.sqlite")
        try:
            stored = []
            for i, text in enumerate(texts):
                canonical = canonical_text(text)
                article = corpus.Article(folder / f"d{i}.txt", text_uid(canonical), "T", canonical)
                stored += corpus.store_articles(db, [article]).added
            for j, (name, at, width, note) in enumerate(spans):
                doc = stored[j % len(stored)]
                length = len(documents.get_document(db, doc.uid).text)
                start = at % length
                end = min(length, start + width)
                label = ("therapy", "target", "outcome", "expert")[j % 4]
                span = annotate.add_span(db, doc.uid, name, NewSpan(start, end, label, note))
                if j % 3 == 2:
                    annotate.delete_span(db, span.uid)
            if stored and title:
                with sqlite3.connect(folder / "a.sqlite") as con:
                    con.execute("UPDATE document SET title = ?", (title,))
            _both(db, folder, Selection(with_deleted=with_deleted))
        finally:
            db.dispose()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    labels=odd_names.LABELS,
    curators=odd_names.CURATORS,
    spans=odd_names.SPANS,
    lookup_max=st.sampled_from([1, 32]),
    chosen=odd_names.CHOSEN,
)
def test_same_bytes_with_odd_label_and_curator_names(
    labels: list[str],
    curators: list[str],
    spans: list[tuple[int, int, int]],
    lookup_max: int,
    chosen: int | None,
) -> None:
    """Both spellings of the names (in the query, or joined past ``LOOKUP_MAX``) agree."""
    from curator.core.interchange import jsonl_sql

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonl_sql, "LOOKUP_MAX", lookup_max)
        folder = Path(tmp)
        db, picked = odd_names.odd_names_database(folder, labels, curators, spans, chosen)
        try:
            _both(db, folder, Selection(curators=picked, with_deleted=True))
        finally:
            db.dispose()
