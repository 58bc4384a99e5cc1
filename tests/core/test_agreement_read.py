"""Reading the spans agreement compares: the packed reads give the plain read's columns.

On SQLite the span columns come packed by SQLite in one integer a row when
the ids leave room for the offsets, else in two; any span the packing cannot
hold sends the read to the next way, down to one value at a time.
"""

from __future__ import annotations

import contextlib
import sqlite3

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.agreement.data import (
    _TWO_PER_ROW,
    _one_per_row,
    _packed,
    _read_ints,
    _selected,
    _unpack_one,
    _unpack_two,
    agreement_report,
    default_curators,
)
from curator.core.spans.annotate import NewSpan, add_spans
from curator.core.storage.db import Database
from tests.core.storage_helpers import add_documents

TEXT = "Ruxolitinib (a JAK1/2 inhibitor) lowered CD19 in most patients."


def _both(db: Database) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    with db.read() as session:
        curators = [1, 2]
        return _selected(session, curators), _packed(session, curators)


def _set(db: Database, sql: str) -> None:
    assert db.path is not None
    with contextlib.closing(sqlite3.connect(db.path)) as conn, conn:
        conn.execute(sql)


def test_packed_columns_are_the_selected_columns(db: Database) -> None:
    d1, d2 = add_documents(db, TEXT, TEXT + " Again.")
    add_spans(db, d1, "alice", [NewSpan(0, 11, "therapy"), NewSpan(15, 21, "target")])
    add_spans(db, d1, "bob", [NewSpan(0, 11, "therapy")])
    add_spans(db, d2, "bob", [NewSpan(42, 46, "outcome"), NewSpan(0, 11, "expert")])
    _set(db, "UPDATE annotation SET deleted_at = '2026-01-01 00:00:00' WHERE id = 2")
    _set(db, """UPDATE annotation SET concepts = '["C1"]' WHERE id = 3""")
    _set(db, "UPDATE annotation SET origin = 'adjudicated' WHERE id = 5")
    # One integer a row holds offsets below 2**26 with ids this small, two below 2**31.
    for start in (2**26 - 9, 2**26, 2**31):
        _set(db, f'UPDATE annotation SET start = {start}, "end" = {start + 4} WHERE id = 4')
        selected, packed = _both(db)
        curator, document, starts, ends, _, live, own, linked = (c.tolist() for c in selected)
        last = sorted(zip(curator, document, starts, ends, strict=True))[-1]
        assert last == (2, 2, start, start + 4)
        assert len(curator) == 5 and sum(live) == 4 and sum(own) == 4 and sum(linked) == 1
        if start >= 2**31:
            assert packed is None
        else:
            assert packed is not None
            assert [c.tolist() for c in packed] == [c.tolist() for c in selected]


ROWS = st.lists(
    st.tuples(
        st.integers(1, 2**20) | st.integers(1, 9),  # document
        st.integers(1, 2**12) | st.integers(1, 3),  # curator
        st.integers(1, 2**12) | st.integers(1, 5),  # label
        st.integers(0, 2**31 - 2) | st.integers(0, 2**20),  # start
        st.integers(1, 2**20),  # length
        st.booleans(),  # deleted
        st.booleans(),  # adjudicated
        st.booleans(),  # linked
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(ROWS)
def test_both_packings_give_back_every_value(rows: list[tuple[int, ...]]) -> None:
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.execute(
            'CREATE TABLE annotation (document_id, curator_id, label_id, start, "end", '
            "deleted_at, origin, concepts)"
        )
        conn.executemany(
            "INSERT INTO annotation VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (d, c, lab, s, s + n, "x" if deleted else None, "adjudicated" if adj else "manual",
                 '["C"]' if linked else "[]")
                for d, c, lab, s, n, deleted, adj, linked in rows
            ],
        )  # fmt: skip
        curators = sorted({r[1] for r in rows})
        listed = ", ".join(map(str, curators))
        bits = (
            max(curators).bit_length(),
            max(r[2] for r in rows).bit_length(),
            max(r[0] for r in rows).bit_length(),
        )
        expected = [
            [c, d, s, s + n, lab, int(not deleted), int(not adj), int(linked)]
            for d, c, lab, s, n, deleted, adj, linked in rows
        ]
        two = _read_ints(conn, _TWO_PER_ROW.format(listed))
        fits_two = all(s + n < 2**31 for _, _, _, s, n, *_ in rows)
        assert (two is not None) == fits_two
        if two is not None:
            assert np.array(_unpack_two(two)).T.tolist() == expected
        query = _one_per_row(*bits)
        one = None if query is None else _read_ints(conn, query.format(listed))
        if one is not None:
            assert np.array(_unpack_one(one, *bits)).T.tolist() == expected
        offset_bits = (63 - sum(bits) - 3) // 2
        if query is not None and all(s + n < 2**offset_bits for _, _, _, s, n, *_ in rows):
            assert one is not None


def test_curators_compared_by_default_have_live_spans_of_their_own(db: Database) -> None:
    (d1,) = add_documents(db, TEXT)
    for name in ("carol", "bob", "dave", "alice"):
        add_spans(db, d1, name, [NewSpan(0, 11, "therapy")])
    _set(db, "UPDATE annotation SET origin = 'adjudicated' WHERE id = 1")  # carol's
    _set(db, "UPDATE annotation SET deleted_at = '2026-01-01 00:00:00' WHERE id = 3")  # dave's
    pairs = agreement_report(db)["pairs"]
    assert [(p["a"], p["b"]) for p in pairs] == [("alice", "bob")]  # type: ignore[attr-defined]
    assert default_curators(db) == ["alice", "bob"]
    chosen = agreement_report(db, curators=["dave", "carol"])["pairs"]
    assert [(p["a"], p["b"]) for p in chosen] == [("dave", "carol")]  # type: ignore[attr-defined]
