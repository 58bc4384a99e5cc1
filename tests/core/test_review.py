"""Differences, decisions, the curated layer and its provenance; migration 0001 -> 0002."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from alembic import command

from curator.core.articles.documents import list_documents
from curator.core.review.adjudication import (
    Step,
    accept,
    accept_all_agreements,
    curated_spans,
    edit,
    progress,
    provenance,
    redo,
    reject,
    review_items,
    undo,
)
from curator.core.review.differences import differences
from curator.core.spans.annotate import NewSpan, add_spans, delete_span, spans_for
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Document, ReviewDecision
from tests.conftest import CURRENT_HEAD
from tests.core.test_storage import add_documents

TEXT = "CD7 CAR-T cell therapy improved overall survival in T-ALL, said Jing Pan."


def spans(*items: tuple[str, int, int, str]) -> list[object]:
    from dataclasses import make_dataclass

    row = make_dataclass("Row", ["uid", "start", "end", "label"], frozen=True)
    return [row(*i) for i in items]


def test_differences_are_classified() -> None:
    found = differences(
        {
            "alice": spans(
                ("a1", 0, 22, "therapy"),
                ("a2", 0, 3, "target"),
                ("a3", 23, 31, "outcome"),
                ("a4", 64, 72, "expert"),
            ),
            "bob": spans(
                ("b1", 0, 22, "therapy"), ("b2", 0, 3, "therapy"), ("b3", 23, 48, "outcome")
            ),
        }
    )
    kinds = [(d.kind, d.start, d.end, d.missing) for d in found]
    # bob's therapy "CD7" has alice's target range: one label question joining the three
    assert kinds == [("label", 0, 22, ()), ("boundary", 23, 48, ()), ("missing", 64, 72, ("bob",))]
    nested = differences(
        {
            "alice": spans(("a1", 0, 22, "therapy"), ("a2", 0, 3, "target")),
            "bob": spans(("b1", 0, 22, "therapy")),
        }
    )
    # a target nested in a therapy is not a counterpart of the therapy
    assert [(d.kind, d.start, d.end, d.missing) for d in nested] == [
        ("missing", 0, 3, ("bob",)),
        ("agreement", 0, 22, ()),
    ]
    relabel = differences(
        {"alice": spans(("a", 0, 3, "target")), "bob": spans(("b", 0, 3, "therapy"))}
    )
    assert [d.kind for d in relabel] == ["label"]
    same = differences({"alice": spans(("a", 0, 3, "target")), "bob": spans(("b", 0, 3, "target"))})
    assert [(d.kind, d.uids) for d in same] == [("agreement", ("a", "b"))]


def two_curators(db: Database) -> str:
    (uid,) = add_documents(db, TEXT)
    add_spans(
        db,
        uid,
        "alice",
        [NewSpan(0, 22, "therapy"), NewSpan(23, 48, "outcome"), NewSpan(64, 72, "expert")],
    )
    add_spans(
        db,
        uid,
        "bob",
        [NewSpan(0, 22, "therapy"), NewSpan(23, 31, "outcome"), NewSpan(0, 3, "target")],
    )
    return uid


def test_a_concept_difference_is_its_own_kind_and_accepting_keeps_the_concept(
    db: Database,
) -> None:
    from curator.core.concepts.linking import link_span
    from curator.core.storage.concepts import Concept

    uid = add_documents(db, TEXT)[0]
    (a,) = add_spans(db, uid, "alice", [NewSpan(0, 3, "target")])
    (b,) = add_spans(db, uid, "bob", [NewSpan(0, 3, "target")])
    cd7 = Concept("HGNC:1695", "CD7")
    link_span(db, a.uid, [cd7])
    (item,) = review_items(db, uid, ["alice", "bob"], "rita")
    assert item.difference.kind == "concept"
    link_span(db, b.uid, [cd7])
    (same,) = review_items(db, uid, ["alice", "bob"], "rita")
    assert same.difference.kind == "agreement"
    link_span(db, b.uid, [Concept("HGNC:1685", "CD5")])
    (item,) = review_items(db, uid, ["alice", "bob"], "rita")
    chosen = [c.curators for c in item.difference.candidates].index(("alice",))
    accept(db, "rita", uid, item.difference, chosen)
    (curated,) = spans_for(db, uid, "rita")
    assert curated.concepts == (cd7,) and curated.origin == "adjudicated"


def test_review_builds_a_curated_layer_with_provenance(db: Database) -> None:
    uid = two_curators(db)
    curators = ["alice", "bob"]
    assert progress(db, uid, curators, "rita") == (0, 4)
    assert accept_all_agreements(db, "rita", uid, curators) == 1
    items = {
        i.difference.kind + str(i.difference.start): i
        for i in review_items(db, uid, curators, "rita")
    }
    assert items["agreement0"].status == "accepted"
    boundary = items["boundary23"].difference
    alice_index = [c.curators for c in boundary.candidates].index(("alice",))
    curated = accept(db, "rita", uid, boundary, alice_index, reason="endpoint with its value")
    reject(db, "rita", uid, items["missing0"].difference, reason="cell marker, not a target here")
    edit(db, "rita", uid, items["missing64"].difference, (64, 72, "expert"), reason="name only")
    assert progress(db, uid, curators, "rita") == (4, 4)

    layer = spans_for(db, uid, "rita")
    assert [(s.start, s.end, s.label, s.origin) for s in layer] == [
        (0, 22, "therapy", "adjudicated"),
        (23, 48, "outcome", "adjudicated"),
        (64, 72, "expert", "adjudicated"),
    ]
    bob_short = next(s.uid for s in spans_for(db, uid, "bob") if s.start == 23)
    alice_long = next(s.uid for s in spans_for(db, uid, "alice") if s.start == 23)
    assert {(p.source_uid, p.decision, p.reason) for p in provenance(db, curated)} == {
        (alice_long, "accept", "endpoint with its value"),
    }
    agreed = next(s.uid for s in layer if s.start == 0)
    assert len(provenance(db, agreed)) == 2  # both curators' spans back it
    assert bob_short not in {p.source_uid for p in provenance(db, curated)}
    counts = {d.uid: d.spans for d in list_documents(db)}
    assert counts[uid]["rita"] == 3


def test_deciding_again_replaces_the_curated_span(db: Database) -> None:
    uid = two_curators(db)
    item = next(
        i.difference
        for i in review_items(db, uid, ["alice", "bob"], "rita")
        if i.difference.kind == "boundary" and i.difference.start == 23
    )
    first = accept(db, "rita", uid, item, 0)
    second = accept(db, "rita", uid, item, 1)
    assert first != second
    assert [s.uid for s in spans_for(db, uid, "rita")] == [second]
    reject(db, "rita", uid, item)
    assert spans_for(db, uid, "rita") == []
    # Deleting a curated span by hand puts its difference back to pending.
    third = accept(db, "rita", uid, item, 0)
    delete_span(db, third)
    statuses = {
        i.difference.start: i.status for i in review_items(db, uid, ["alice", "bob"], "rita")
    }
    assert statuses[23] == "pending"


def test_upgrade_from_0001_with_data_keeps_it_and_adds_decisions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = open_database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO document(uid, title, source, text, meta, created_at) "
            "VALUES (?, 'old', '', 'an old article', '{}', '2026-01-01 00:00:00.000000')",
            ("a" * 64,),
        )
        conn.commit()
    assert migrate.schema_state(old).current == "0001"
    backup = migrate.upgrade(old)
    assert backup is not None and backup.exists()
    assert migrate.schema_state(old).current == CURRENT_HEAD
    assert [d.title for d in list_documents(old)] == ["old"]
    add_spans(old, "a" * 64, "alice", [NewSpan(0, 2, "target")])
    add_spans(old, "a" * 64, "bob", [NewSpan(0, 2, "therapy")])
    (item,) = review_items(old, "a" * 64, ["alice", "bob"], "rita")
    assert item.difference.kind == "label"
    accept(old, "rita", "a" * 64, item.difference, 0)
    old.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute(
            "SELECT decision FROM review_decision ORDER BY decision"
        ).fetchall() == [
            ("accept",),
            ("reject",),
        ]


def test_the_curated_layer_exports_like_any_other_layer(db: Database, tmp_path: Path) -> None:
    from curator.core.articles.text import text_uid
    from curator.core.interchange.jsonl import export_jsonl

    text = "ruxolitinib treats aplastic anemia"
    uid = text_uid(text)
    with db.write() as session:
        session.add(Document(uid=uid, title="t", source="", text=text, meta={}))
    add_spans(db, uid, "alice", [NewSpan(0, 11, "therapy")])
    add_spans(db, uid, "bob", [NewSpan(0, 11, "target")])
    (item,) = review_items(db, uid, ["alice", "bob"], "rita")
    index = next(i for i, c in enumerate(item.difference.candidates) if c.label == "therapy")
    accept(db, "rita", uid, item.difference, index)
    out = tmp_path / "curated.jsonl"
    export_jsonl(db, out, curators=["rita"])
    (line,) = out.read_text(encoding="utf-8").splitlines()
    (span,) = json.loads(line)["spans"]
    assert (span["curator"], span["origin"], span["label"], span["text"]) == (
        "rita",
        "adjudicated",
        "therapy",
        "ruxolitinib",
    )


def layer(db: Database, uid: str, name: str) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.origin) for s in spans_for(db, uid, name)]


def test_a_span_already_in_the_layer_is_never_made_twice(db: Database) -> None:
    uid = two_curators(db)
    # rita annotated too: the same therapy as alice's, and a target bob lacks
    add_spans(db, uid, "rita", [NewSpan(0, 22, "therapy"), NewSpan(64, 72, "expert")])
    items = review_items(db, uid, ["alice", "bob"], "rita")
    agreement = next(i.difference for i in items if i.difference.kind == "agreement")
    own = next(s.uid for s in spans_for(db, uid, "rita") if s.start == 0)
    assert accept(db, "rita", uid, agreement, 0) == own  # kept, not copied
    missing = next(i.difference for i in items if i.difference.start == 64)
    assert edit(db, "rita", uid, missing, (64, 72, "expert")) != ""
    assert layer(db, uid, "rita") == [(0, 22, "therapy", "manual"), (64, 72, "expert", "manual")]
    assert next(s.uid for s in curated_spans(db, uid, "rita")) == own
    # Deciding otherwise never deletes the reviewer's own work.
    reject(db, "rita", uid, agreement)
    assert layer(db, uid, "rita")[0] == (0, 22, "therapy", "manual")
    assert {i.status for i in review_items(db, uid, ["alice", "bob"], "rita")} >= {"rejected"}
    # An adjudicated span made twice is reused as before.
    boundary = next(i.difference for i in items if i.difference.kind == "boundary")
    first = accept(db, "rita", uid, boundary, 0)
    assert accept(db, "rita", uid, boundary, 0) == first
    assert len([s for s in spans_for(db, uid, "rita") if s.start == 23]) == 1


def test_a_reviewer_compared_with_a_colleague_keeps_lanes_apart(db: Database) -> None:
    uid = two_curators(db)
    add_spans(db, uid, "rita", [NewSpan(0, 22, "therapy"), NewSpan(23, 31, "outcome")])
    items = review_items(db, uid, ["alice", "rita"], "rita-curated")
    assert [i.difference.kind for i in items] == ["agreement", "boundary", "missing"]
    assert accept_all_agreements(db, "rita-curated", uid, ["alice", "rita"]) == 1
    assert layer(db, uid, "rita-curated") == [(0, 22, "therapy", "adjudicated")]
    assert len(layer(db, uid, "rita")) == 2  # the reviewer's own layer is untouched
    assert progress(db, uid, ["alice", "rita"], "rita-curated") == (1, 3)


def test_undo_and_redo_invert_decisions(db: Database) -> None:
    uid = two_curators(db)
    curators = ["alice", "bob"]
    steps: list[Step] = []
    assert accept_all_agreements(db, "rita", uid, curators, steps=steps) == 1
    boundary = next(
        i.difference
        for i in review_items(db, uid, curators, "rita")
        if i.difference.kind == "boundary"
    )
    first = accept(db, "rita", uid, boundary, 0, steps=steps)
    second_steps: list[Step] = []
    accept(db, "rita", uid, boundary, 1, steps=second_steps)
    assert first not in {s.uid for s in spans_for(db, uid, "rita")}
    undo(db, second_steps)  # the first reading comes back, live
    assert first in {s.uid for s in spans_for(db, uid, "rita")}
    assert progress(db, uid, curators, "rita") == (2, 4)
    undo(db, steps)
    assert progress(db, uid, curators, "rita") == (0, 4)
    assert spans_for(db, uid, "rita") == []
    with db.read() as session:
        assert session.query(ReviewDecision).count() == 0  # as if never decided
    undo(db, [])
    redo(db, steps)
    assert progress(db, uid, curators, "rita") == (2, 4)
    assert {s.uid for s in spans_for(db, uid, "rita")} >= {first}
