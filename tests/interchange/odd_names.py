"""One article whose labels and curators carry names SQL and JSON quoting must survive.

Exports that SQLite builds spell label and curator names into their query as
SQL literals of their JSON quoting, and rank them for the span order; these
names (apostrophes, quotes, backslashes, control characters, case, non-ASCII
letters whose byte order differs from the order the rows were made in) are
written the way another tool would, with raw UPDATEs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import strategies as st

from curator.core.articles import corpus
from curator.core.articles.text import canonical_text, text_uid
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from tests import fresh_db

ODD_NAMES = ["o'brien", 'qu"ote', "Zoë", "a\\b", "'", "x\ny", "\U0001f600", "B", "a", "é''"]
BASE_LABELS = ("therapy", "target", "outcome", "expert")

LABELS = st.lists(st.sampled_from(ODD_NAMES), min_size=4, max_size=4, unique=True)
CURATORS = st.lists(st.sampled_from(ODD_NAMES), min_size=1, max_size=3, unique=True)
SPANS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 30)), max_size=12)
CHOSEN = st.sampled_from([None, 0, 2])


def odd_names_database(
    folder: Path,
    labels: list[str],
    curators: list[str],
    spans: list[tuple[int, int, int]],
    chosen: int | None,
) -> tuple[Database, list[str] | None]:
    """``folder/a.sqlite`` holding *spans* (label, curator, start) renamed; the curators picked.

    The caller disposes of the database. The pick is the first ``chosen + 1``
    curators stored (None: every curator).
    """
    db = fresh_db.fresh_database(folder / "a.sqlite")
    text = canonical_text("Ruxolitinib and CD19 CAR-T cells in aplastic anaemia.")
    article = corpus.Article(folder / "d.txt", text_uid(text), "T", text)
    (doc,) = corpus.store_articles(db, [article]).added
    for label, who, at in spans:
        name = f"c{who % len(curators)}"
        annotate.add_span(db, doc.uid, name, NewSpan(at, at + 5, BASE_LABELS[label]))
    with sqlite3.connect(folder / "a.sqlite") as con:
        for old, new in zip(BASE_LABELS, labels, strict=True):
            con.execute("UPDATE label SET name = ? WHERE name = ?", (new, old))
        for i, new in enumerate(curators):
            con.execute("UPDATE curator SET name = ? WHERE name = ?", (new, f"c{i}"))
        known = [name for (name,) in con.execute("SELECT name FROM curator")]
    picked = None if chosen is None or not known else known[: chosen + 1]
    return db, picked
