"""``curator labels``: the label set edited from the command line, spans following."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from tests.cli.helpers import assert_user_error, call


def _labels(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, err = call(capsys, "--db", str(db), "labels", "list", "--json")
    assert code == 0, err
    return list(json.loads(out))


def _state(path: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return "\n".join(str(r) for r in conn.execute("SELECT * FROM label ORDER BY id")).encode()


def test_add_rename_key_move_retire_and_the_spans_follow(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(f"sqlite:///{populated}")
    doc = documents.list_documents(db)[0]
    annotate.add_span(db, doc.uid, "ann", NewSpan(0, 4, "therapy"))
    db.dispose()
    base = ("--db", str(populated), "labels")
    assert call(capsys, *base, "add", "dose", "#56b4e9", "--key", "5")[0] == 0
    code, out, _ = call(capsys, *base, "rename", "therapy", "treatment")
    assert code == 0 and "treatment" in out
    assert call(capsys, *base, "key", "dose")[0] == 0  # no key
    assert call(capsys, *base, "move", "dose", "1")[0] == 0
    assert call(capsys, *base, "retire", "expert")[0] == 0
    labels = {str(e["name"]): e for e in _labels(capsys, populated)}
    assert [e["name"] for e in _labels(capsys, populated)][:2] == ["dose", "treatment"]
    assert labels["dose"]["key"] is None and labels["dose"]["color"] == "#56B4E9"
    # renamed, then moved down one place by the move of dose: two edits
    assert labels["treatment"]["spans"] == 1 and labels["treatment"]["revision"] == 3
    assert labels["expert"]["retired"] is True and labels["expert"]["key"] is None
    out = populated.parent / "out.jsonl"
    assert call(capsys, "--db", str(populated), "export", "-o", str(out))[0] == 0
    assert '"label": "treatment"' in out.read_text(encoding="utf-8")  # the new name


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("rename", "nope", "x"), "no label 'nope'"),
        (("rename", "therapy", "target"), "already a label 'target'"),
        (("rename", "therapy", "two words"), "no spaces"),
        (("key", "target", "1"), "key 1 is the key of 'therapy'"),
        (("key", "target", "N"), "taken by the app"),
        (("recolour", "target", "orange"), "#rrggbb"),
        (("add", "therapy", "#000000"), "already a label 'therapy'"),
    ],
)
def test_bad_edits_are_one_clear_error_and_change_nothing(
    populated: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    before = _state(populated)
    code, _, err = call(capsys, "--db", str(populated), "labels", *args)
    assert_user_error(code, err, needle)
    assert _state(populated) == before
