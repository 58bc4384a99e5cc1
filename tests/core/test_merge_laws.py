"""Merge laws over generated databases: idempotent, commutative, associative, lossless.

Each generated database holds a few spans drawn from a small pool of uids,
so the same span often exists in several databases in different versions:
edits, deletions and restorations at random (and often equal) timestamps.
Relations are drawn the same way, between a span of that pool and a fixed
partner in its layer, so a relation's end is often deleted on one side only;
the seeded relation types get edits too.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from curator.core.merge.engine import merge_databases
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation
from tests.core.merge_support import (
    copy_db,
    dump,
    new_db,
    put_person,
    put_relation,
    put_span,
    put_status,
    put_type_edit,
    uids,
)

TEXTS = ("Ruxolitinib reduced spleen volume in CD19 patients.", "Blinatumomab and CAR-T 𝛼 cells.")
CURATORS = ("alice", "bob", "carol")
LABELS = ("therapy", "target", "outcome", "expert")
UIDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(6)]
PEOPLE = [f"00000000-0000-4000-9000-00000000000{i}" for i in range(3)]
CONCEPTS = ("[]", '[{"id": "HGNC:1633", "name": "CD19"}]', '[{"id": "NCIT:C15431", "name": "x"}]')

span_version = st.fixed_dictionaries(
    {
        "uid": st.sampled_from(UIDS),
        "label": st.sampled_from(LABELS),
        "start": st.integers(0, 10),
        "length": st.integers(1, 12),
        "updated": st.integers(0, 3),
        "revision": st.integers(1, 3),
        "deleted": st.none() | st.integers(0, 3),
        "note": st.sampled_from(["", "check"]),
        "concepts": st.sampled_from(CONCEPTS),
    }
)
person_version = st.fixed_dictionaries(
    {
        "uid": st.sampled_from(PEOPLE),
        "name": st.sampled_from(["Rong Fu", "Prof. Rong Fu"]),
        "variants": st.sampled_from(["[]", '["Fu R"]']),
        "updated": st.integers(0, 3),
        "revision": st.integers(1, 3),
        "deleted": st.none() | st.integers(0, 3),
    }
)
RELATIONS = [f"00000000-0000-4000-a000-00000000000{i}" for i in range(3)]
PARTNERS = [f"00000000-0000-4000-b000-00000000000{i}" for i in range(3)]
relation_version = st.fixed_dictionaries(
    {
        "index": st.integers(0, 2),
        "type": st.sampled_from(["acts_on", "has_outcome", "reports"]),
        "updated": st.integers(0, 3),
        "revision": st.integers(1, 3),
        "deleted": st.none() | st.integers(0, 3),
        "note": st.sampled_from(["", "dose"]),
    }
)
type_edit = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["acts_on", "reports"]),
        "color": st.sampled_from(["#000000", "#D55E00"]),
        "updated": st.integers(0, 2),
        "revision": st.integers(1, 3),
    }
)
status = st.tuples(
    st.integers(0, 1), st.sampled_from(CURATORS), st.sampled_from(["new", "in_progress", "done"]),
    st.integers(0, 3),
)  # fmt: skip
database = st.tuples(
    st.lists(span_version, max_size=6),
    st.lists(status, max_size=3),
    st.lists(person_version, max_size=2),
    st.lists(relation_version, max_size=3),
    st.lists(type_edit, max_size=1),
)


def build(folder: Path, name: str, content: tuple[list, ...]) -> Database:  # type: ignore[type-arg]
    db = new_db(folder / f"{name}.sqlite")
    spans, statuses, people, links, type_edits = content
    for v in spans:
        i = UIDS.index(v["uid"])
        text = TEXTS[i % 2]  # a uid always belongs to the same document and curator
        put_span(
            db, v["uid"], text, CURATORS[i % 3], v["label"], v["start"], v["start"] + v["length"],
            updated=v["updated"], revision=v["revision"], deleted=v["deleted"], note=v["note"],
            concepts=v["concepts"],
        )  # fmt: skip
    for p in people:
        put_person(db, **p)
    for doc, curator, value, updated in statuses:
        put_status(db, TEXTS[doc], curator, value, updated)
    for r in links:
        _put_link(db, r)
    for t in type_edits:
        put_type_edit(db, **t)
    return db


def _put_link(db: Database, r: dict) -> None:  # type: ignore[type-arg]
    """Relation RELATIONS[i] links span UIDS[i] to PARTNERS[i], in UIDS[i]'s layer.

    An end missing here is made in a fixed first version, as the curator who
    made the relation would have had it; other databases may hold it edited
    or deleted.
    """
    i = r["index"]
    text, curator = TEXTS[i % 2], CURATORS[i % 3]
    with db.read() as s:
        present = set(s.scalars(select(Annotation.uid).where(
            Annotation.uid.in_([UIDS[i], PARTNERS[i]]))))  # fmt: skip
    for uid, label, start in ((UIDS[i], "therapy", 0), (PARTNERS[i], "target", 12)):
        if uid not in present:
            put_span(db, uid, text, curator, label, start, start + 5)
    put_relation(
        db, RELATIONS[i], text, curator, r["type"], UIDS[i], PARTNERS[i], updated=r["updated"],
        revision=r["revision"], deleted=r["deleted"], note=r["note"],
    )  # fmt: skip


@contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def merged(folder: Path, name: str, base: Database, *others: Database, method: str) -> Database:
    out = copy_db(base, folder / f"{name}.sqlite")
    merge_databases(out, list(others), method=method)
    return out


LAWS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
METHODS = st.sampled_from(["attach", "portable"])


# Laws over the same inputs share one test, so each example builds its
# databases once (a build is most of an example's time): two laws of two
# databases, then two of three.


@LAWS
@given(a=database, b=database, method=METHODS)
def test_merge_is_idempotent_commutative_and_loses_nothing(a, b, method: str) -> None:  # type: ignore[no-untyped-def]
    with workspace() as folder:
        db_a, db_b = build(folder, "a", a), build(folder, "b", b)
        # Idempotent: merging a copy of itself, or the same source twice, changes nothing.
        a_copy = copy_db(db_a, folder / "a_copy.sqlite")
        assert dump(merged(folder, "aa", db_a, a_copy, method=method)) == dump(db_a)
        ab = merged(folder, "ab", db_a, db_b, method=method)
        assert dump(merged(folder, "abb", ab, db_b, method=method)) == dump(ab)
        # Commutative, and nothing lost.
        ba = merged(folder, "ba", db_b, db_a, method=method)
        assert dump(ab) == dump(ba)
        assert uids(ab) == uids(db_a) | uids(db_b)


@LAWS
@given(a=database, b=database, c=database, method=METHODS)
def test_merge_is_associative_and_both_paths_agree(a, b, c, method: str) -> None:  # type: ignore[no-untyped-def]
    with workspace() as folder:
        db_a, db_b, db_c = build(folder, "a", a), build(folder, "b", b), build(folder, "c", c)
        # Associative, and nothing lost.
        left = merged(folder, "ab_c", merged(folder, "ab", db_a, db_b, method=method), db_c,
                      method=method)  # fmt: skip
        right = merged(folder, "a_bc", db_a, merged(folder, "bc", db_b, db_c, method=method),
                       method=method)  # fmt: skip
        assert dump(left) == dump(right)
        assert uids(left) == uids(db_a) | uids(db_b) | uids(db_c)
        # The attach and portable paths give the same database and the same report.
        one = copy_db(db_a, folder / "one.sqlite")
        two = copy_db(db_a, folder / "two.sqlite")
        report_one = merge_databases(one, [db_b, db_c], method="attach")
        report_two = merge_databases(two, [db_b, db_c], method="portable")
        assert dump(one) == dump(two)
        assert report_one.lines()[1:] == report_two.lines()[1:]
