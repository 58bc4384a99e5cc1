"""Property: for any database, export -> import into an empty one -> export gives the same bytes.

Spans and the relations between them alike: relations are drawn between
spans of one curator, of every type whose rules their labels fit, and some
are deleted, directly or by deleting their head span.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.articles import corpus, documents
from curator.core.articles.text import canonical_text
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.relations import add_relation as relate
from curator.core.relations import allowed_types, delete_relation, list_relation_types
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from tests import fresh_db
from tests.interchange.relation_support import relation_rows

LABELS = ("therapy", "target", "outcome", "expert")
# Letters, spaces, line breaks, a tab, κ, an NFD accent, 𝛼 and an emoji: the hard cases.
ALPHABET = st.sampled_from([*"abcXYZ 0\n\t.κ–", "e\u0301", "\U0001d6fc", "\U0001f600"])
TEXTS = st.lists(ALPHABET, min_size=1, max_size=60).map(lambda cs: "Doc " + "".join(cs))
NOTES = st.text(st.sampled_from([*'ab \n\t"\\κ', "\U0001d6fc"]), max_size=8)


Links = list[tuple[int, int, int]]
"""(head span, tail span, action) by index into a document's spans; action 0 keeps the
relation, 1 deletes it, 2 deletes its head span (which deletes the relation with it)."""
# The label pairs the seeded relation types allow (head, tail); _link finds the type.
FITS = {("therapy", "target"), ("therapy", "outcome"), ("expert", "therapy"),
        ("expert", "target"), ("expert", "outcome")}  # fmt: skip


def _final_label(label: str, action: int) -> str:
    return LABELS[(LABELS.index(label) + 1) % 4] if action in (2, 3) else label


@st.composite
def curated(draw: st.DrawFn) -> list[tuple[str, list[tuple[str, int, int, str, str, int]], Links]]:
    """Documents, each with (curator, start, end, label, note, action) spans and links."""
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
        fitting = [
            (h, t)
            for h, head in enumerate(spans)
            for t, tail in enumerate(spans)
            if h != t and head[0] == tail[0]
            and (_final_label(head[3], head[5]), _final_label(tail[3], tail[5])) in FITS
        ]  # fmt: skip
        pairs = draw(st.lists(st.sampled_from(fitting), max_size=4, unique=True)) if fitting else []
        links = [(h, t, draw(st.sampled_from([0, 0, 1, 2]))) for h, t in pairs]
        docs.append((text, spans, links))
    return docs


def _fill(db: Database, folder: Path, docs: list[tuple[str, list]]) -> None:  # type: ignore[type-arg]
    types = list_relation_types(db)
    for i, (text, spans, links) in enumerate(docs):
        path = folder / f"doc{i}.txt"
        path.write_text(text, encoding="utf-8", newline="")
        (article,) = corpus.store_articles(db, [corpus.read_article(path)]).added
        made = []
        for curator, start, end, label, note, action in spans:
            span = annotate.add_span(db, article.uid, curator, NewSpan(start, end, label, note))
            if action in (2, 3):
                span = annotate.relabel_span(db, span.uid, _final_label(label, action))
            made.append(span)
        _link(db, article.uid, made, links, types)
        for span, (*_, action) in zip(made, spans, strict=True):
            if action in (1, 3) and not annotate.get_span(db, span.uid).deleted:
                annotate.delete_span(db, span.uid)  # its relations go with it
        if spans and spans[0][5] == 0:
            documents.set_status(db, article.uid, spans[0][0], "done")


def _link(db: Database, doc: str, spans: list, links: Links, types: list) -> None:  # type: ignore[type-arg]
    """The drawn links, each with the first type the rules allow (FITS says one does)."""
    for h, t, action in links:
        head, tail = spans[h], spans[t]
        if head.deleted or tail.deleted:  # an earlier link deleted it (action 2)
            continue
        fitting = allowed_types(types, head.label, tail.label)
        assert fitting, (head.label, tail.label)
        relation = relate(db, doc, head.curator, fitting[0].name, head.uid, tail.uid, note="n")
        if action == 1:
            delete_relation(db, relation.uid)
        elif action == 2:
            spans[h] = annotate.delete_span(db, head.uid)


def _database(folder: Path, name: str) -> Database:
    return fresh_db.fresh_database(folder / name)


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
            if with_deleted:  # everything travelled: the stored relations are the same rows
                assert relation_rows(target) == relation_rows(source)
            # And once more: importing the same file again changes nothing.
            report = import_jsonl(target, first)
            assert (report.spans_added, report.spans_updated, report.documents_added) == (0, 0, 0)
            assert (report.relations_added, report.relations_updated) == (0, 0)
            export_jsonl(target, second, with_deleted=with_deleted)
            assert second.read_bytes() == first.read_bytes()
        finally:
            source.dispose()
            target.dispose()
