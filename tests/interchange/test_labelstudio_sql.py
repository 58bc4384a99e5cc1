"""The SQLite-built Label Studio export writes exactly the bytes of the portable path.

Both paths run on the same database and must give the same tasks file: on
the curated shared corpus with every selection, on curators with a status and
no spans, on empty documents, on generated texts, titles, notes and concept
names full of what JSON escaping can get wrong, and on odd label and curator
names. What SQLite does not build (spans in pieces, relations, times spelled
by another tool) is left to the portable path, which the export then takes.
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
from curator.core.concepts.linking import link_span
from curator.core.errors import NotFoundError
from curator.core.interchange import labelstudio
from curator.core.interchange.common import Selection
from curator.core.interchange.labelstudio_sql import write_tasks
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.concepts import Concept
from curator.core.storage.db import Database
from tests import fresh_db
from tests.interchange import odd_names
from tests.interchange.conftest import Curated
from tests.interchange.relation_support import relate


def _sql(db: Database, path: Path, selection: Selection) -> bool:
    """write_tasks on the database's own connection: whether it wrote the file."""
    with db.read() as session:
        driver = session.connection().connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        written = write_tasks(
            driver, path, curators=selection.curators, documents=selection.documents
        )
    return written is not None


def _both(db: Database, folder: Path, selection: Selection, *, by_sql: bool = True) -> bytes:
    """Export through both paths and through the export itself; assert they agree."""
    folder = Path(tempfile.mkdtemp(dir=folder))
    portable, sql, chosen = folder / "portable.json", folder / "sql.json", folder / "export.json"
    expected = labelstudio.export_labelstudio_python(db, portable, selection)
    assert _sql(db, sql, selection) is by_sql
    if by_sql:
        assert sql.read_bytes() == portable.read_bytes()
    else:
        assert not sql.exists()
    report = labelstudio.export_labelstudio(db, chosen, selection)
    assert chosen.read_bytes() == portable.read_bytes()
    config = labelstudio.config_path
    assert config(chosen).read_bytes() == config(portable).read_bytes()
    assert report.files == [chosen, config(chosen)]
    summary = (report.documents, report.spans, report.relations, report.losses())
    assert summary == (expected.documents, expected.spans, expected.relations, expected.losses())
    return portable.read_bytes()


SELECTIONS = [
    Selection(),
    Selection(curators=["ana"]),
    Selection(curators=["bo"]),
    Selection(curators=["bo", "ana", "bo"]),
    Selection(curators=[]),
]


@pytest.mark.parametrize("selection", SELECTIONS, ids=repr)
def test_same_bytes_on_the_curated_corpus(
    curated: Curated, tmp_path: Path, selection: Selection
) -> None:
    data = _both(curated.db, tmp_path, selection)
    assert data.count(b"\n") == 5  # "[", three tasks, "]"


def test_chosen_documents_and_unknown_ones(curated: Curated, tmp_path: Path) -> None:
    uids = [d.uid for d in documents.list_documents(curated.db)]
    data = _both(curated.db, tmp_path, Selection(documents=[uids[2], uids[0], uids[2]]))
    assert data.count(b"\n") == 4
    for selection, message in (
        (Selection(documents=["nope"]), "no document with id nope"),
        (Selection(curators=["zed"]), "no curator named 'zed'"),
    ):
        with pytest.raises(NotFoundError, match=message):
            labelstudio.export_labelstudio(curated.db, tmp_path / "x.json", selection)
        with pytest.raises(NotFoundError, match=message):
            _sql(curated.db, tmp_path / "x.json", selection)
    assert not (tmp_path / "x.json").exists()


def test_status_without_spans_and_empty_documents(curated: Curated, tmp_path: Path) -> None:
    """A curator with a status and no spans: an empty annotation, no times, only when chosen."""
    db = curated.db
    uids = [d.uid for d in documents.list_documents(db)]
    documents.set_status(db, uids[1], "cy", "done")
    documents.set_status(db, uids[0], "ana", "in_progress")
    text = canonical_text("An article nobody tagged.\n")
    article = corpus.Article(tmp_path / "e.txt", text_uid(text), "Empty", text)
    corpus.store_articles(db, [article])
    _both(db, tmp_path, Selection())
    data = _both(db, tmp_path, Selection(curators=["cy", "ana"]))
    assert b'{"curator": "cy", "result": [], "ground_truth": false, "was_cancelled": false}' in data
    assert b'"annotations": []}' in data  # the empty article


def test_spans_in_pieces_relations_and_foreign_times_take_the_portable_path(
    curated: Curated, tmp_path: Path
) -> None:
    db = curated.db
    assert db.path is not None
    doc = curated.live[0].document_uid
    piece = annotate.add_span(db, doc, "ana", NewSpan(0, 1, "therapy", fragments=((0, 3), (5, 9))))
    _both(db, tmp_path, Selection(allow_loss=True), by_sql=False)
    _both(db, tmp_path, Selection(curators=["bo"]))  # the piece is ana's
    annotate.delete_span(db, piece.uid)
    with sqlite3.connect(db.path) as con:
        con.execute(
            "UPDATE annotation SET updated_at = '2026-01-01T00:00:01.5' "
            "WHERE id = (SELECT min(id) FROM annotation WHERE deleted_at IS NULL)"
        )
    _both(db, tmp_path, Selection(), by_sql=False)
    with sqlite3.connect(db.path) as con:
        con.execute("UPDATE annotation SET updated_at = created_at")
    _both(db, tmp_path, Selection())
    relate(curated)
    _both(db, tmp_path, Selection(allow_loss=True), by_sql=False)
    _both(db, tmp_path, Selection(curators=["bo"]))  # the relations are ana's


CHARS = [*'aZ 0\n\t\r\b\f"\\/κ–%', "\x01", "\x1f", "\x7f", "\u2028", "\U0001f600", "'"]
TEXTS = st.lists(st.sampled_from(CHARS), min_size=1, max_size=60).map("".join)
NOTES = st.lists(st.sampled_from(CHARS), max_size=8).map("".join)
NAMES = st.sampled_from(["ana", 'o"hara', "back\\slash", "Zoë", "\U0001f600 x", "o'brien"])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=3),
    spans=st.lists(
        st.tuples(NAMES, st.integers(0, 10**6), st.integers(1, 40), NOTES, NOTES), max_size=8
    ),
    title=NOTES,
    status=st.lists(st.tuples(NAMES, st.sampled_from(["new", "done"])), max_size=2),
    chosen=st.sampled_from([None, ["ana", "Zoë"], ["o'brien"]]),
)
def test_same_bytes_on_generated_texts(
    texts: list[str],
    spans: list[tuple[str, int, int, str, str]],
    title: str,
    status: list[tuple[str, str]],
    chosen: list[str] | None,
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
            for name in ("ana", "Zoë", "o'brien"):  # every chosen curator is known
                documents.set_status(db, stored[0].uid, name, "new")
            for j, (name, at, width, note, concept) in enumerate(spans):
                doc = stored[j % len(stored)]
                length = len(documents.get_document(db, doc.uid).text)
                start = at % length
                end = min(length, start + width)
                label = ("therapy", "target", "outcome", "expert")[j % 4]
                span = annotate.add_span(db, doc.uid, name, NewSpan(start, end, label, note))
                if concept:
                    link_span(db, span.uid, [Concept("HGNC:1", concept), Concept("X:2", "ü")])
                if j % 3 == 2:
                    annotate.delete_span(db, span.uid)
            for name, value in status:
                documents.set_status(db, stored[-1].uid, name, value)
            if title:
                with sqlite3.connect(folder / "a.sqlite") as con:
                    con.execute("UPDATE document SET title = ?", (title,))
            _both(db, folder, Selection(curators=chosen))
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
            _both(db, folder, Selection(curators=picked))
        finally:
            db.dispose()
