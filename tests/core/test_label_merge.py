"""Label sets merge as a register by uid: renames, colours, keys, retirements travel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core.labels.editing import (
    add_label,
    label_set,
    recolour_label,
    rename_label,
    retire_label,
    set_label_key,
)
from curator.core.merge.engine import merge_databases
from tests.core.merge_support import copy_db, dump, new_db, put_span

TEXT = "Ruxolitinib reduced spleen volume in CD19 patients."
U1, U2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"


@pytest.fixture(params=["attach", "portable"])
def method(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _labels(db) -> list[tuple[str, str, str | None, bool]]:  # type: ignore[no-untyped-def]
    return [(e.name, e.color, e.shortcut, e.retired) for e in label_set(db)]


def test_a_rename_travels_and_the_spans_of_both_sides_follow_it(
    tmp_path: Path, method: str
) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    put_span(a, U1, TEXT, "alice", "therapy", 0, 11)
    put_span(b, U2, TEXT, "bob", "therapy", 37, 41)
    rename_label(b, "therapy", "treatment")
    recolour_label(b, "treatment", "#123456")
    report = merge_databases(a, [b], method=method)
    assert (report.labels_added, report.labels_updated) == (0, 1)
    assert ("treatment", "#123456", "1", False) in _labels(a)
    assert "therapy" not in [name for name, *_ in _labels(a)]
    spans = {row[0]: row for row in json.loads(dump(a))["spans"]}
    assert spans[U1][3] == spans[U2][3] == "treatment"  # a's own span followed the rename


def test_a_retirement_travels_and_keeps_the_spans(tmp_path: Path, method: str) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    put_span(a, U1, TEXT, "alice", "expert", 0, 11)
    retire_label(b, "expert")
    merge_databases(a, [b], method=method)
    assert ("expert", "#CC79A7", None, True) in _labels(a)
    assert json.loads(dump(a))["spans"][0][3] == "expert"


def test_clashing_keys_and_names_go_to_the_later_edit_in_either_order(
    tmp_path: Path, method: str
) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    add_label(a, "dose", "#111111", "5")
    rename_label(a, "outcome", "route")  # a's outcome renamed: its uid is outcome's
    add_label(b, "site", "#222222", "5")  # later: keeps key 5
    add_label(b, "route", "#333333")  # later: keeps the name "route"
    ab, ba = copy_db(a, tmp_path / "ab.sqlite"), copy_db(b, tmp_path / "ba.sqlite")
    r1 = merge_databases(ab, [b], method=method)
    r2 = merge_databases(ba, [a], method=method)
    assert _labels(ab) == _labels(ba)
    names = {name: (color, key) for name, color, key, _ in _labels(ab)}
    assert names["site"] == ("#222222", "5") and names["dose"] == ("#111111", None)
    assert names["route"] == ("#333333", None)
    renamed = [n for n in names if n.startswith("route-")]
    assert len(renamed) == 1 and names[renamed[0]][0] == "#009E73"  # the old outcome
    for report in (r1, r2):
        assert report.shortcuts_dropped == ["dose"]
        assert report.labels_renamed == [f"route -> {renamed[0]}"]
        assert any("held by a label edited later" in line for line in report.lines())


def test_a_key_freed_on_one_side_and_taken_on_the_other_moves_without_a_clash(
    tmp_path: Path, method: str
) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    set_label_key(b, "therapy", None)
    set_label_key(b, "target", "1")  # therapy's old key, now target's
    set_label_key(b, "therapy", "2")  # and the swap completed
    report = merge_databases(a, [b], method=method)
    keys = {name: key for name, _c, key, _r in _labels(a)}
    assert (keys["therapy"], keys["target"]) == ("2", "1")
    assert report.shortcuts_dropped == [] and report.labels_updated == 2


def test_the_same_default_labels_made_at_different_times_are_not_an_update(
    tmp_path: Path, method: str
) -> None:
    from curator.core.storage import migrate
    from curator.core.storage.db import open_database

    a = new_db(tmp_path / "a.sqlite")
    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    migrate.upgrade(fresh, backup=False)
    report = merge_databases(a, [fresh], method=method)
    assert (report.labels_added, report.labels_updated) == (0, 0)


def test_of_two_never_edited_copies_the_earlier_made_keeps_its_colour(
    tmp_path: Path, method: str
) -> None:
    a, b = new_db(tmp_path / "a.sqlite"), new_db(tmp_path / "b.sqlite")
    add_label(a, "dose", "#111111", "5")
    add_label(b, "dose", "#999999")  # later, as a JSONL file's label is made when merged
    ab, ba = copy_db(a, tmp_path / "ab.sqlite"), copy_db(b, tmp_path / "ba.sqlite")
    merge_databases(ab, [b], method=method)
    merge_databases(ba, [a], method=method)
    assert ("dose", "#111111", "5", False) in _labels(ab)
    assert _labels(ab) == _labels(ba)
