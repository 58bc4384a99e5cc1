"""Property: for any database, export -> import into an empty one -> export gives the same bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.articles import corpus, documents
from curator.core.articles.text import canonical_text
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database

LABELS = ("therapy", "target", "outcome", "expert")
# Letters, spaces, line breaks, a tab, κ, an NFD accent, 𝛼 and an emoji: the hard cases.
ALPHABET = st.sampled_from([*"abcXYZ 0\n\t.κ–", "e\u0301", "\U0001d6fc", "\U0001f600"])
TEXTS = st.lists(ALPHABET, min_size=1, max_size=60).map(lambda cs: "Doc " + "".join(cs))
NOTES = st.text(st.sampled_from([*'ab \n\t"\\κ', "\U0001d6fc"]), max_size=8)


@st.composite
def curated(draw: st.DrawFn) -> list[tuple[str, list[tuple[str, int, int, str, str, int]]]]:
    """Documents, each with (curator, start, end, label, note, action) spans."""
    docs = []
    for text in draw(st.lists(TEXTS, min_size=1, max_size=3, unique_by=canonical_text)):
        n = len(canonical_text(text))
        spans = []
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, n))
            spans.append(
                (
                    draw(st.sampled_from(["ana", "bo", "Zoë Ä"])),
                    start,
                    end,
                    draw(st.sampled_from(LABELS)),
                    draw(NOTES),
                    draw(st.sampled_from([0, 0, 1, 2, 3])),  # keep, delete, relabel, both
                )
            )
        docs.append((text, spans))
    return docs


def _fill(db: Database, folder: Path, docs: list[tuple[str, list]]) -> None:  # type: ignore[type-arg]
    for i, (text, spans) in enumerate(docs):
        path = folder / f"doc{i}.txt"
        path.write_text(text, encoding="utf-8", newline="")
        (article,) = corpus.store_articles(db, [corpus.read_article(path)]).added
        for curator, start, end, label, note, action in spans:
            span = annotate.add_span(db, article.uid, curator, NewSpan(start, end, label, note))
            if action in (2, 3):
                annotate.relabel_span(db, span.uid, LABELS[(LABELS.index(label) + 1) % 4])
            if action in (1, 3):
                annotate.delete_span(db, span.uid)
        if spans and spans[0][5] == 0:
            documents.set_status(db, article.uid, spans[0][0], "done")


def _database(folder: Path, name: str) -> Database:
    database = open_database(f"sqlite:///{folder / name}")
    migrate.upgrade(database)
    return database


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(docs=curated(), with_deleted=st.booleans())
def test_export_import_export_is_identical(docs: list, with_deleted: bool) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, target = _database(folder, "a.sqlite"), _database(folder, "b.sqlite")
        try:
            _fill(source, folder, docs)
            first, second = folder / "a.jsonl", folder / "b.jsonl"
            export_jsonl(source, first, with_deleted=with_deleted)
            import_jsonl(target, first)
            export_jsonl(target, second, with_deleted=with_deleted)
            assert second.read_bytes() == first.read_bytes()
            # And once more: importing the same file again changes nothing.
            report = import_jsonl(target, first)
            assert (report.spans_added, report.spans_updated, report.documents_added) == (0, 0, 0)
            export_jsonl(target, second, with_deleted=with_deleted)
            assert second.read_bytes() == first.read_bytes()
        finally:
            source.dispose()
            target.dispose()
