"""``curator relation-types``: list, add, edit, retire and restore from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import assert_user_error, call


def types(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> list[dict[str, object]]:
    code, out, err = call(capsys, "--db", str(db), "relation-types", "list", "--json", *extra)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_list_is_the_default_action(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "--db", str(db_path), "relation-types")
    assert code == 0
    assert out.splitlines()[1].split()[:4] == ["acts_on", "a", "#0072B2", "therapy"]
    assert "expert -> therapy | target | outcome" in out


def test_add_edit_retire_restore(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(db_path)
    code, out, err = call(
        capsys, "--db", db, "relation-types", "add", "binds", "--head", "therapy",
        "--tail", "target", "--key", "b", "--color", "#d55e00", "--description", "Binds it",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("binds")
    code, _, err = call(
        capsys, "--db", db, "relation-types", "edit", "binds", "--name", "binds_to",
        "--tail", "target", "outcome", "--no-key",
    )  # fmt: skip
    assert code == 0, err
    (row,) = [t for t in types(capsys, db_path) if t["name"] == "binds_to"]
    assert row["tail_labels"] == ["target", "outcome"]
    assert (row["key"], row["color"], row["description"]) == (None, "#D55E00", "Binds it")
    assert call(capsys, "--db", db, "relation-types", "retire", "binds_to")[0] == 0
    assert "binds_to" not in [t["name"] for t in types(capsys, db_path)]
    (retired,) = [t for t in types(capsys, db_path, "--all") if t["name"] == "binds_to"]
    assert retired["retired"] is True
    assert call(capsys, "--db", db, "relation-types", "restore", "binds_to")[0] == 0
    assert "binds_to" in [t["name"] for t in types(capsys, db_path)]


def test_bad_input_is_one_error_line_and_changes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(db_path)
    before = types(capsys, db_path, "--all")
    code, _, err = call(
        capsys, "--db", db, "relation-types", "add", "x", "--head", "drug", "--tail", "target"
    )
    assert_user_error(code, err, "unknown head label 'drug'")
    code, _, err = call(capsys, "--db", db, "relation-types", "edit", "acts_on", "--key", "o")
    assert_user_error(code, err, "the key 'o' is taken by the relation type 'has_outcome'")
    code, _, err = call(capsys, "--db", db, "relation-types", "retire", "cures")
    assert_user_error(code, err, "unknown relation type 'cures'")
    assert types(capsys, db_path, "--all") == before
