"""Merging: the rules on hand-made cases, refused sources, PostgreSQL targets."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from curator.core.errors import DatabaseError
from curator.core.labels.editing import add_label, set_label_key
from curator.core.merge.engine import merge_databases
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.core.storage.models import Label
from tests.core.merge_support import copy_db, dump, new_db, put_span, put_status, uids

TEXT = "Ruxolitinib reduced spleen volume in CD19 patients."
U1, U2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"


@pytest.fixture(params=["attach", "portable"])
def method(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_later_edit_wins_and_deletion_travels(tmp_path: Path, method: str) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    put_span(a, U1, TEXT, "alice", "therapy", 0, 11, updated=1)
    put_span(b, U1, TEXT, "alice", "target", 0, 11, updated=2, revision=2)  # later relabel
    put_span(b, U2, TEXT, "bob", "target", 37, 41, updated=1)
    put_span(a, U2, TEXT, "bob", "target", 37, 41, updated=3, revision=2, deleted=3)
    report = merge_databases(a, [b], method=method)
    assert (report.spans_added, report.spans_updated, report.spans_deleted) == (0, 1, 0)
    assert report.conflicts[("time", "src")] == 1 and report.conflicts[("time", "tgt")] == 1
    spans = {row[0]: row for row in json.loads(dump(a))["spans"]}
    assert spans[U1][3] == "target"  # the later relabel won
    assert spans[U2][11].startswith("2026-01-01 00:03:00")  # the later deletion stayed
    assert any("later updated_at wins: 1 taken from the source, 1 kept" in line
               for line in report.lines())  # fmt: skip


def test_tie_on_time_is_broken_the_same_way_in_both_orders(tmp_path: Path, method: str) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    put_span(a, U1, TEXT, "alice", "therapy", 0, 11, updated=1, note="one")
    put_span(b, U1, TEXT, "alice", "therapy", 0, 11, updated=1, note="two")
    ab, ba = copy_db(a, tmp_path / "ab.sqlite"), copy_db(b, tmp_path / "ba.sqlite")
    r1 = merge_databases(ab, [b], method=method)
    r2 = merge_databases(ba, [a], method=method)
    assert dump(ab) == dump(ba)
    assert sum(r1.conflicts.values()) == sum(r2.conflicts.values()) == 1
    assert {k[0] for k in r1.conflicts} == {"digest"}


def test_missing_documents_curators_and_statuses_are_added(tmp_path: Path, method: str) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    put_span(b, U1, TEXT, "bob", "therapy", 0, 11, updated=1)
    put_status(b, TEXT, "bob", "done", 2)
    put_status(a, TEXT, "bob", "in_progress", 1)  # the document too, earlier status
    report = merge_databases(a, [b], method=method)
    assert (report.documents_added, report.curators_added, report.spans_added) == (0, 0, 1)
    assert report.statuses_updated == 1
    assert '"done"' in dump(a)
    c = new_db(tmp_path / "c.sqlite")
    report = merge_databases(c, [a], method=method)
    assert (report.documents_added, report.curators_added) == (1, 1)
    assert dump(c) == dump(a)


def test_a_new_label_keeps_its_colour_and_an_edited_key_travels(
    tmp_path: Path, method: str
) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    set_label_key(b, "therapy", "9")  # an edit: later than a's untouched therapy
    add_label(b, "dose", "#000000", "1", "d")
    report = merge_databases(a, [b], method=method)
    assert (report.labels_added, report.labels_updated, report.shortcuts_dropped) == (1, 1, [])
    with a.read() as s:
        dose = s.scalar(select(Label).where(Label.name == "dose"))
        assert dose is not None and (dose.color, dose.shortcut) == ("#000000", "1")
        therapy = s.scalar(select(Label).where(Label.name == "therapy"))
        assert therapy is not None and therapy.shortcut == "9"


def file_state(path: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def test_a_bad_source_leaves_the_target_byte_identical(tmp_path: Path, method: str) -> None:
    target = new_db(tmp_path / "t.sqlite")
    put_span(target, U1, TEXT, "alice", "therapy", 0, 11)
    good = new_db(tmp_path / "good.sqlite")
    put_span(good, U2, TEXT, "bob", "target", 37, 41)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database\n" * 200)
    newer = copy_db(good, tmp_path / "newer.sqlite")
    newer.dispose()
    with contextlib.closing(sqlite3.connect(tmp_path / "newer.sqlite")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zzzz'")
        conn.commit()
    target.dispose()
    before = file_state(tmp_path / "t.sqlite")
    junk_before, newer_before = junk.read_bytes(), (tmp_path / "newer.sqlite").read_bytes()
    target = open_database(f"sqlite:///{tmp_path / 't.sqlite'}")
    for bad, message in ((junk, "not a Heme Curator database"), (tmp_path / "newer.sqlite",
                                                                 "newer version")):  # fmt: skip
        source = open_database(f"sqlite:///{bad}")
        with pytest.raises(DatabaseError, match=message) as info:
            merge_databases(target, [good, source], method=method)
        assert str(bad) in str(info.value) and "nothing was merged" in str(info.value)
        source.dispose()
    target.dispose()
    assert file_state(tmp_path / "t.sqlite") == before
    assert junk.read_bytes() == junk_before
    assert (tmp_path / "newer.sqlite").read_bytes() == newer_before


def test_a_failure_half_way_rolls_everything_back(tmp_path: Path, method: str) -> None:
    target = new_db(tmp_path / "t.sqlite")
    good = new_db(tmp_path / "good.sqlite")
    put_span(good, U2, TEXT, "bob", "target", 37, 41)
    broken = copy_db(good, tmp_path / "broken.sqlite")
    put_span(broken, U1, TEXT, "carol", "therapy", 0, 11)
    broken.dispose()
    with contextlib.closing(sqlite3.connect(tmp_path / "broken.sqlite")) as conn:
        # A row the target's constraints refuse: the quote no longer matches its range.
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE annotation SET text = 'x' WHERE uid = ?", (U1,))
        conn.commit()
    target.dispose()
    before = file_state(tmp_path / "t.sqlite")
    target = open_database(f"sqlite:///{tmp_path / 't.sqlite'}")
    broken = open_database(f"sqlite:///{tmp_path / 'broken.sqlite'}")
    with pytest.raises(Exception, match=r"(?i)constraint"):
        merge_databases(target, [good, broken], method=method)
    target.dispose()
    assert file_state(tmp_path / "t.sqlite") == before


def test_an_older_source_is_refused_with_the_upgrade_command(tmp_path: Path) -> None:
    from alembic import command

    old = open_database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    old.dispose()
    before = (tmp_path / "old.sqlite").read_bytes()
    target = new_db(tmp_path / "t.sqlite")
    old = open_database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with pytest.raises(DatabaseError, match=r"schema 0001.*curator --db .*old.sqlite db upgrade"):
        merge_databases(target, [old])
    old.dispose()
    assert (tmp_path / "old.sqlite").read_bytes() == before


def test_merging_a_file_into_itself_is_refused(tmp_path: Path) -> None:
    a = new_db(tmp_path / "a.sqlite")
    put_span(a, U1, TEXT, "alice", "therapy", 0, 11)
    (tmp_path / "link.sqlite").symlink_to(tmp_path / "a.sqlite")
    same = open_database(f"sqlite:///{tmp_path / 'link.sqlite'}")
    before = dump(a)
    with pytest.raises(DatabaseError, match=r"cannot be merged into itself\. Nothing was merged"):
        merge_databases(a, [same])
    same.dispose()
    assert dump(a) == before


def test_merge_into_postgres_target(tmp_path: Path, pg_url: str) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    put_span(a, U1, TEXT, "alice", "therapy", 0, 11, updated=1)
    put_span(b, U1, TEXT, "alice", "target", 0, 11, updated=2, revision=2)
    put_span(b, U2, TEXT, "bob", "target", 37, 41, updated=1, deleted=2)
    put_status(b, TEXT, "bob", "done", 2)
    pg = open_database(pg_url)
    migrate.upgrade(pg)
    try:
        merge_databases(pg, [a])
        report = merge_databases(pg, [b])
        assert (report.spans_updated, report.tombstones_added) == (1, 1)
        assert not merge_databases(pg, [a, b]).changed
        reference = copy_db(a, tmp_path / "ref.sqlite")
        merge_databases(reference, [b])
        assert dump(pg) == dump(reference)
        assert uids(pg) == {U1, U2}
    finally:
        pg.dispose()


def test_a_source_is_only_read(tmp_path: Path, method: str) -> None:
    target, source = new_db(tmp_path / "t.sqlite"), new_db(tmp_path / "s.sqlite")
    put_span(source, U1, TEXT, "bob", "therapy", 0, 11)
    source.dispose()
    before = file_state(tmp_path / "s.sqlite")
    source = open_database(f"sqlite:///{tmp_path / 's.sqlite'}")
    assert merge_databases(target, [source], method=method).spans_added == 1
    source.dispose()
    assert (tmp_path / "s.sqlite").read_bytes() == before
