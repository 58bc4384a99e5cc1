"""``curator progress`` and the active time in ``curator list --json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core.activity.active_time import add_active_seconds
from curator.core.articles import documents
from curator.core.storage.db import open_database
from tests.cli.helpers import call


def test_list_and_progress_show_active_time_per_curator(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(f"sqlite:///{populated}")
    first, second = [d.uid for d in documents.list_documents(db)][:2]
    add_active_seconds(db, first, "ann", 725)
    add_active_seconds(db, second, "ann", 60)
    add_active_seconds(db, first, "bo", 5)
    documents.set_status(db, first, "ann", "done")
    db.dispose()
    code, out, err = call(capsys, "--db", str(populated), "list", "--json")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows[first]["active_seconds"] == {"ann": 725, "bo": 5}
    code, out, err = call(capsys, "--db", str(populated), "progress", "--json")
    assert code == 0, err
    ann = next(r for r in json.loads(out) if r["curator"] == "ann")
    assert ann == {
        "curator": "ann", "documents": 4, "done": 1, "in_progress": 0, "new": 3,
        "active_seconds": 785, "seconds_per_done_document": 725.0,
    }  # fmt: skip
    code, out, _ = call(capsys, "--db", str(populated), "progress")
    assert code == 0 and "13 min" in out and "12 min" in out
