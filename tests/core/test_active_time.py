"""Active time: gaps capped, stored per curator and document, carried by merge and JSONL."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.core.activity.active_time import (
    GAP_CAP_SECONDS,
    ActiveClock,
    active_seconds,
    add_active_seconds,
    minutes,
)
from curator.core.activity.progress import progress_report
from curator.core.articles import corpus, documents
from curator.core.interchange.common import Selection
from curator.core.interchange.jsonl import export_jsonl, export_jsonl_python, import_jsonl
from curator.core.interchange.jsonl_sql import export_jsonl_sqlite
from curator.core.merge.engine import merge_databases
from curator.core.storage.db import Database
from tests.core.merge_support import copy_db, new_db, put_document, put_status

DATA = Path(__file__).resolve().parents[2] / "data"


def test_gaps_count_up_to_the_cap_and_a_pause_starts_afresh() -> None:
    clock = ActiveClock()
    for t in (0.0, 30.0, 500.0, 500.5):
        clock.touch(t)
    assert clock.take() == 30 + 120  # and the half second waits for the next take
    clock.pause()
    clock.touch(10_000.0)
    clock.touch(10_000.6)
    assert clock.take() == 1


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=40))
def test_counted_time_is_the_capped_gaps_and_never_more_than_elapsed(times: list[float]) -> None:
    times.sort()
    clock = ActiveClock()
    for t in times:
        clock.touch(t)
    total = clock.pending
    gaps = [min(b - a, GAP_CAP_SECONDS) for a, b in pairwise(times)]
    assert total == pytest.approx(sum(gaps))
    assert total <= (times[-1] - times[0] if times else 0) + 1e-6


def test_minutes_reads_as_the_list_shows_it() -> None:
    assert [minutes(s) for s in (0, 59, 60, 725, 3600 + 5 * 60)] == [
        "none", "under a minute", "1 min", "12 min", "1 h 05 min"
    ]  # fmt: skip


def _sample(db: Database) -> str:
    corpus.import_articles(db, [DATA])
    return documents.list_documents(db)[0].uid


def test_time_adds_up_per_curator_and_shows_in_list_and_progress(db: Database) -> None:
    uid = _sample(db)
    add_active_seconds(db, uid, "ann", 100)
    add_active_seconds(db, uid, "ann", 20)
    add_active_seconds(db, uid, "bo", 7)
    documents.set_status(db, uid, "ann", "done")
    assert active_seconds(db)[uid] == {"ann": 120, "bo": 7}
    row = next(r for r in documents.list_documents(db) if r.uid == uid)
    assert row.active_seconds == {"ann": 120, "bo": 7}
    ann = next(r for r in progress_report(db) if r.curator == "ann")
    assert (ann.done, ann.active_seconds, ann.seconds_per_done) == (1, 120, 120.0)


def test_jsonl_carries_the_time_both_paths_alike_and_back_again(
    db: Database, tmp_path: Path, db_path: Path
) -> None:
    uid = _sample(db)
    add_active_seconds(db, uid, "ann", 725)
    python, sql = tmp_path / "p.jsonl", tmp_path / "s.jsonl"
    export_jsonl_python(db, python, Selection())
    export_jsonl_sqlite(db, sql, Selection())
    assert python.read_bytes() == sql.read_bytes()
    line = next(json.loads(x) for x in python.read_text().splitlines() if uid in x)
    assert line["active_seconds"] == {"ann": 725}
    other = [json.loads(x) for x in python.read_text().splitlines() if uid not in x]
    assert all("active_seconds" not in x for x in other)  # untimed lines as before
    again = new_db(tmp_path / "again.sqlite")
    import_jsonl(again, python)
    assert active_seconds(again) == {uid: {"ann": 725}}
    export_jsonl(again, tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == python.read_bytes()


@pytest.mark.parametrize("method", ["attach", "portable"])
def test_merge_keeps_the_larger_time_in_either_order(tmp_path: Path, method: str) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    text = "Ruxolitinib reduced spleen volume."
    uid = put_document(a, text)
    put_document(b, text)
    put_status(a, text, "ann", "in_progress", 1)
    put_status(b, text, "ann", "in_progress", 1)
    add_active_seconds(a, uid, "ann", 300)
    add_active_seconds(b, uid, "ann", 200)
    add_active_seconds(b, uid, "bo", 50)
    ab, ba = copy_db(a, tmp_path / "ab.sqlite"), copy_db(b, tmp_path / "ba.sqlite")
    r1 = merge_databases(ab, [b], method=method)
    r2 = merge_databases(ba, [a], method=method)
    assert active_seconds(ab) == active_seconds(ba) == {uid: {"ann": 300, "bo": 50}}
    assert (r1.times_updated, r2.times_updated) == (1, 1)
    assert merge_databases(ab, [b], method=method).changed is False
