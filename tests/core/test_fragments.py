"""Mentions in several pieces: one annotation, stored, edited, exported and merged as one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from curator.core.articles import corpus
from curator.core.concepts.linking import link_span
from curator.core.errors import CuratorError, InputError
from curator.core.interchange.common import Selection
from curator.core.interchange.jsonl import export_jsonl, export_jsonl_python
from curator.core.interchange.jsonl_import import import_jsonl
from curator.core.merge.engine import merge_databases
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.concepts import Concept
from curator.core.storage.db import Database, open_database
from curator.core.storage.fragments import FragmentError, normalise
from tests import fresh_db

TEXT = "Trial\nCD19- and CD22-directed CAR-T cells were given.\n"


def at(quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(quote, start + 1)
    return start, start + len(quote)


CD19_CART = (at("CD19"), at("CAR-T cells"))
CD22_CART = (at("CD22-directed"), at("CAR-T cells"))


def _article(db: Database, tmp_path: Path) -> str:
    path = tmp_path / "trial.txt"
    path.write_text(TEXT, encoding="utf-8")
    (added,) = corpus.import_articles(db, [path]).added
    return added.uid


def _new_db(tmp_path: Path, name: str) -> Database:
    return fresh_db.fresh_database(tmp_path / name)


def test_pieces_are_ordered_apart_and_touching_ones_are_one() -> None:
    assert normalise([(30, 41), (6, 10)], 60) == ((6, 10), (30, 41))
    assert normalise([(6, 10), (10, 14)], 60) is None  # one piece: a contiguous span
    with pytest.raises(FragmentError, match="overlap"):
        normalise([(6, 12), (10, 14)], 60)
    with pytest.raises(FragmentError, match="outside the text"):
        normalise([(6, 10), (50, 70)], 60)


def test_a_span_in_pieces_is_one_annotation_with_its_extent_and_joined_quote(
    db: Database, tmp_path: Path
) -> None:
    uid = _article(db, tmp_path)
    span = annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    assert (span.start, span.end) == (CD19_CART[0][0], CD19_CART[1][1])
    assert span.text == "CD19 CAR-T cells" and span.fragments == CD19_CART
    (stored,) = annotate.spans_for(db, uid)
    assert stored == span

    relabelled = annotate.relabel_span(db, span.uid, "target", span.revision)
    assert relabelled.fragments == CD19_CART and relabelled.revision == 2
    with pytest.raises(CuratorError, match="in 2 pieces"):
        annotate.resize_span(db, span.uid, 6, 10, relabelled.revision)
    annotate.delete_span(db, span.uid, relabelled.revision)
    assert annotate.spans_for(db, uid) == []
    (gone,) = annotate.spans_for(db, uid, include_deleted=True)
    assert gone.deleted and gone.fragments == CD19_CART


def test_jsonl_carries_fragments_only_for_spans_in_pieces_and_round_trips(
    db: Database, tmp_path: Path
) -> None:
    uid = _article(db, tmp_path)
    annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD22_CART))
    annotate.add_span(db, uid, "ana", NewSpan(*at("CD19"), "target"))
    fast, portable = tmp_path / "fast.jsonl", tmp_path / "portable.jsonl"
    export_jsonl(db, fast)
    export_jsonl_python(db, portable, Selection())
    assert fast.read_bytes() == portable.read_bytes()  # SQLite's lines and Python's agree
    (line,) = [json.loads(x) for x in fast.read_text(encoding="utf-8").splitlines()]
    pieces = {s["text"]: s.get("fragments") for s in line["spans"]}
    assert pieces == {
        "CD19 CAR-T cells": [list(p) for p in CD19_CART],
        "CD22-directed CAR-T cells": [list(p) for p in CD22_CART],
        "CD19": None,
    }

    other = _new_db(tmp_path, "other.sqlite")
    try:
        import_jsonl(other, fast)
        again = tmp_path / "again.jsonl"
        export_jsonl(other, again)
        assert again.read_bytes() == fast.read_bytes()
        report = import_jsonl(other, fast)  # idempotent
        assert (report.spans_added, report.spans_updated) == (0, 0)
    finally:
        other.dispose()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(fragments=[s["fragments"][0]]), "two or more"),
        (lambda s: s.update(fragments=s["fragments"][::-1]), "apart and in text order"),
        (lambda s: s.update(start=s["start"] + 1), "first and last fragment"),
        (lambda s: s.update(text="CD19 CAR-T"), "not 'CD19 CAR-T'"),
    ],
)
def test_jsonl_import_refuses_fragments_that_disagree_by_line(
    db: Database, tmp_path: Path, change: Callable[[dict[str, object]], None], message: str
) -> None:
    uid = _article(db, tmp_path)
    annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    out = tmp_path / "x.jsonl"
    export_jsonl(db, out)
    line = json.loads(out.read_text(encoding="utf-8"))
    change(line["spans"][0])
    out.write_text(json.dumps(line) + "\n", encoding="utf-8")
    other = _new_db(tmp_path, "other.sqlite")
    try:
        with pytest.raises(InputError, match=rf"x.jsonl:1: span 1: .*{message}"):
            import_jsonl(other, out)
    finally:
        other.dispose()


@pytest.mark.parametrize("method", ["attach", "portable"])
def test_merge_takes_fragments_as_content(db: Database, tmp_path: Path, method: str) -> None:
    uid = _article(db, tmp_path)
    span = annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    copy = tmp_path / "copy.jsonl"
    export_jsonl(db, copy)
    target = _new_db(tmp_path, "target.sqlite")
    try:
        first = merge_databases(target, [db], method=method)
        assert first.spans_added == 1
        assert annotate.get_span(target, span.uid).fragments == CD19_CART
        assert not merge_databases(target, [db], method=method).changed
        annotate.set_note(db, span.uid, "two therapies", span.revision)
        assert merge_databases(target, [db], method=method).spans_updated == 1
        merged = annotate.get_span(target, span.uid)
        assert merged.fragments == CD19_CART and merged.note == "two therapies"
    finally:
        target.dispose()


def test_accepting_a_mention_in_pieces_keeps_its_pieces_in_the_curated_layer(
    db: Database, tmp_path: Path
) -> None:
    from curator.core.review import adjudication as review

    uid = _article(db, tmp_path)
    annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    annotate.add_span(db, uid, "bo", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    (item,) = review.review_items(db, uid, ["ana", "bo"], "rev")
    made = review.accept(db, "rev", uid, item.difference, 0)
    curated = annotate.get_span(db, made)
    assert curated.fragments == CD19_CART and curated.text == "CD19 CAR-T cells"
    assert curated.origin == "adjudicated"


def test_review_refuses_to_pick_pieces_for_spans_that_differ_in_them(
    db: Database, tmp_path: Path
) -> None:
    from curator.core.review import adjudication as review

    uid = _article(db, tmp_path)
    annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    other = (CD19_CART[0], (30, 35))  # "CD19" + "CAR-T"
    annotate.add_span(db, uid, "bo", NewSpan(0, 1, "therapy", fragments=(*other, (36, 41))))
    (item,) = review.review_items(db, uid, ["ana", "bo"], "rev")
    with pytest.raises(CuratorError, match="different pieces"):
        review.accept(db, "rev", uid, item.difference, 0)
    assert sorted(s.curator for s in annotate.spans_for(db, uid)) == ["ana", "bo"]  # no more


def test_upgrade_from_0003_keeps_spans_contiguous_and_downgrade_refuses_pieces(
    tmp_path: Path,
) -> None:
    import contextlib
    import sqlite3

    from alembic import command

    path = tmp_path / "old.sqlite"
    old = open_database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    corpus_path = tmp_path / "trial.txt"
    corpus_path.write_text(TEXT, encoding="utf-8")
    (added,) = corpus.import_articles(old, [corpus_path]).added
    with contextlib.closing(sqlite3.connect(path)) as conn:  # a span as 0003 wrote it
        conn.execute("INSERT INTO curator(name) VALUES ('ana')")
        conn.execute(
            'INSERT INTO annotation(uid, document_id, curator_id, label_id, start, "end", text, '
            "note, origin, created_at, updated_at, revision) SELECT "
            "'00000000-0000-4000-8000-000000000001', d.id, c.id, l.id, 6, 10, 'CD19', '', "
            "'manual', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 1 "
            "FROM document d, curator c, label l WHERE l.name = 'target'"
        )
        conn.commit()
    migrate.upgrade(old)
    (kept,) = annotate.spans_for(old, added.uid)
    assert (kept.text, kept.fragments) == ("CD19", None)
    annotate.add_span(old, added.uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    with (
        pytest.raises(RuntimeError, match="spans in several pieces"),
        migrate.schema_change(old) as conn,
    ):
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert migrate.schema_state(old).at_head
    old.dispose()


def _linked_in_pieces(db: Database, tmp_path: Path) -> tuple[str, str]:
    """An article with a linked mention in pieces, a deleted one and a linked plain span."""
    uid = _article(db, tmp_path)
    both = annotate.add_span(db, uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    link_span(db, both.uid, [Concept("NCIT:C1", "CD19 CAR-T"), Concept("HGNC:1633", "")])
    gone = annotate.add_span(db, uid, "bo", NewSpan(0, 1, "therapy", fragments=CD22_CART))
    link_span(db, gone.uid, [Concept("HGNC:1643", "CD22")])
    annotate.delete_span(db, gone.uid)
    plain = annotate.add_span(db, uid, "bo", NewSpan(*at("CD22"), "target"))
    link_span(db, plain.uid, [Concept("HGNC:1643", "CD22")])
    return uid, both.uid


def test_jsonl_with_concepts_and_fragments_is_lossless(db: Database, tmp_path: Path) -> None:
    uid, both = _linked_in_pieces(db, tmp_path)
    fast, portable = tmp_path / "fast.jsonl", tmp_path / "portable.jsonl"
    export_jsonl(db, fast, with_deleted=True)
    export_jsonl_python(db, portable, Selection(with_deleted=True))
    assert fast.read_bytes() == portable.read_bytes()
    (line,) = [json.loads(x) for x in fast.read_text(encoding="utf-8").splitlines()]
    (span,) = [s for s in line["spans"] if s["id"] == both]
    assert span["fragments"] == [list(p) for p in CD19_CART]
    assert [c["id"] for c in span["concepts"]] == ["NCIT:C1", "HGNC:1633"]

    other = _new_db(tmp_path, "other.sqlite")
    try:
        import_jsonl(other, fast)
        again = tmp_path / "again.jsonl"
        export_jsonl(other, again, with_deleted=True)
        assert again.read_bytes() == fast.read_bytes()
        assert annotate.spans_for(other, uid, include_deleted=True) == annotate.spans_for(
            db, uid, include_deleted=True
        )
    finally:
        other.dispose()


@pytest.mark.parametrize("method", ["attach", "portable"])
def test_merge_carries_concepts_and_fragments_together(
    db: Database, tmp_path: Path, method: str
) -> None:
    uid, both = _linked_in_pieces(db, tmp_path)
    target = _new_db(tmp_path, "target.sqlite")
    try:
        assert merge_databases(target, [db], method=method).spans_added == 2  # + a tombstone
        assert annotate.spans_for(target, uid, include_deleted=True) == annotate.spans_for(
            db, uid, include_deleted=True
        )
        assert not merge_databases(target, [db], method=method).changed
        before = annotate.get_span(db, both)
        relinked = link_span(db, both, [Concept("NCIT:C2", "")], before.revision)
        assert merge_databases(target, [db], method=method).spans_updated == 1
        merged = annotate.get_span(target, both)
        assert merged == relinked
        assert merged.fragments == CD19_CART and merged.concepts[0].id == "NCIT:C2"
    finally:
        target.dispose()


def test_digest_of_a_plain_span_is_unchanged_by_the_new_columns() -> None:
    from curator.core.merge.report import span_digest

    base = ("d", "ana", "therapy", 0, 4, "CD19", "", "manual", "t", "t", None, 1)
    assert span_digest(*base, "[]", None) == span_digest(*base)
    assert span_digest(*base, '[{"id": "X:1"}]', None) == span_digest(*base, '[{"id": "X:1"}]')
    assert span_digest(*base, "[]", "[[0, 1], [2, 4]]") != span_digest(*base)
