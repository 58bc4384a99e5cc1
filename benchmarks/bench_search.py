"""Corpus-wide search at 10,000 documents, against a raw FTS5 query.

Input from the generator: 10,000 articles of about 4,000 characters (40 MB of
text) with 100,000 spans, written into a migrated SQLite database (the FTS5
index is filled by the schema's triggers as the documents go in). Figures,
each the median of 3 runs timed in alternation with its floor:

- ``search[common]``: ``curator.core.search.search(db, WORD)`` for a word in
  most documents (200 hits listed, all counted), against ``fts5_floor[common]``:
  the same ``MATCH`` with ``snippet()``, ``ORDER BY rank LIMIT 200`` through
  the ``sqlite3`` module, rows fetched.
- ``search[phrase]``: a quoted phrase found in few documents, same floor.
- ``search_spans``: ``label:target`` with a word of the quote (200 spans
  listed with their context, all counted): reported.

    python -m benchmarks.bench_search [--smoke]
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from benchmarks._common import absolute, emit, floor, machine, paired_median_ms, parser, ratio_max
from benchmarks.generate import make_corpus, write_database
from curator.core.search import search
from curator.core.storage.db import open_database

REPEAT = 3
LIMIT = 200
TARGET = 2.0  # the app's search may take at most twice the raw query's time

RAW = (
    "SELECT d.uid, d.title, snippet(document_search, 1, char(2), char(3), '…', 16) "
    "FROM document_search JOIN document d ON d.id = document_search.rowid "
    "WHERE document_search MATCH ? ORDER BY rank LIMIT ?"
)


def main() -> None:
    args = parser(__doc__ or "").parse_args()
    docs, spans = (200, 2_000) if args.smoke else (10_000, 100_000)
    emit(machine())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "search.sqlite"
        articles = list(make_corpus(21, docs, spans))  # kept: the queries come from them
        write_database(path, articles)
        words = articles[len(articles) // 2].text.split()
        phrase = " ".join(w.strip(".,;:()") for w in words[40:43])
        db = open_database(f"sqlite:///{path}")
        raw = sqlite3.connect(path)
        try:
            for name, query, fts in (
                ("common", "patients", '"patients"'),
                ("phrase", f'"{phrase}"', f'"{phrase}"'),
            ):
                floor_ms, value_ms = paired_median_ms(
                    lambda fts=fts: raw.execute(RAW, (fts, LIMIT)).fetchall(),
                    lambda query=query: search(db, query, LIMIT),
                    REPEAT,
                )
                hits = search(db, query, LIMIT)
                floor(f"fts5_floor[{name}]", floor_ms, "ms", documents=docs)
                ratio_max(
                    f"search[{name}]", value_ms, floor_ms, "ms", TARGET,
                    documents=docs, hits=len(hits.hits), total=hits.total, query=query,
                )  # fmt: skip
            target = next(s for a in articles for s in a.spans if s.label == "target")
            word = articles[0].text[target.start : target.end].split()[0]
            spans_ms, _ = paired_median_ms(
                lambda: search(db, f"label:target {word}", LIMIT),
                lambda: None,
                REPEAT,
            )
            found = search(db, f"label:target {word}", LIMIT)
            absolute("search_spans", spans_ms, "ms", spans=spans, total=found.total)
        finally:
            raw.close()
            db.dispose()


if __name__ == "__main__":
    main()
