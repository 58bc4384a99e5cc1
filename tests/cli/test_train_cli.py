"""``curator train`` and ``curator suggest --model``: a model from the team's spans, or why not."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from curator.core.storage import migrate
from curator.core.storage.db import open_database
from tests.cli.helpers import REPO, assert_user_error, call
from tests.core.learning_helpers import HELD_OUT, team_database

# spaCy as on a light install: importing it fails (the package may be on disk).
WITHOUT_SPACY = (
    "import sys; sys.modules['spacy'] = None; "
    "from curator.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.fixture
def team_db(db_path: Path) -> tuple[Path, dict[str, str]]:
    db = open_database(f"sqlite:///{db_path}")
    migrate.upgrade(db)
    uids = team_database(db)
    db.dispose()
    return db_path, uids


def model_suggestions(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as con:
        return con.execute(
            "SELECT text, source FROM suggestion WHERE source LIKE 'model:%'"
        ).fetchall()


def without_spacy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_SPACY, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_train_then_suggest_with_the_model(
    capsys: pytest.CaptureFixture[str],
    team_db: tuple[Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, uids = team_db
    monkeypatch.setenv("CURATOR_TRAIN_PASSES", "72")  # 12 epochs of the 6 tagged articles
    code, out, err = call(capsys, "--db", str(path), "-q", "train", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["trained"] is True and report["source"] == "model:v1"
    assert report["documents"] == 6 and report["positives"] > 150
    assert (path.with_name(path.name + ".models") / "model-v1" / "manifest.json").is_file()
    # Nothing new since: up to date, unless forced.
    code, out, err = call(capsys, "--db", str(path), "train")
    assert code == 0, err
    assert "model:v1 is up to date" in out
    code, out, err = call(
        capsys, "--db", str(path), "--curator", "bob", "suggest", "--model", "--json",
        "--document", uids[HELD_OUT],
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["model"] == "model:v1"
    found = model_suggestions(path)
    assert found and {source for _t, source in found} == {"model:v1"}
    # An export with the pending suggestions says which came from the model.
    out_file = path.with_name("with-suggestions.jsonl")
    code, _out, err = call(
        capsys, "--db", str(path), "export", "-o", str(out_file), "--curator", "bob",
        "--with-suggestions",
    )  # fmt: skip
    assert code == 0, err
    exported = [json.loads(line) for line in out_file.read_text().splitlines()]
    sources = {s["source"] for doc in exported for s in doc.get("suggestions", [])}
    assert "model:v1" in sources


def test_train_with_too_few_spans_says_so_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], populated: Path
) -> None:
    code, _out, err = call(capsys, "--db", str(populated), "train")
    assert_user_error(code, err, "has tagged 0 span(s)", "training needs at least 10")
    assert not populated.with_name(populated.name + ".models").exists()
    code, _out, err = call(capsys, "--db", str(populated), "suggest", "--model")
    assert_user_error(code, err, "no suggestion model has been trained", "curator train")


def test_without_spacy_the_model_options_say_what_is_missing_and_lexicons_still_work(
    populated: Path,
) -> None:
    before = populated.read_bytes()
    for command in (["suggest", "--model"], ["train"]):
        result = without_spacy("--db", str(populated), "-q", *command)
        assert_user_error(
            result.returncode,
            result.stderr,
            "needs the spacy package, not installed here",
            "install it with: ",
            "spacy>=3.7,<4",
        )
    assert populated.read_bytes() == before
    result = without_spacy("--db", str(populated), "-q", "suggest", "--json")
    assert result.returncode == 0, result.stderr
    assert sum(json.loads(result.stdout)["added"].values()) > 0
    assert json.loads(result.stdout)["model"] is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CURATOR_RETRAIN_AFTER", "0"), ("CURATOR_TRAIN_PASSES", "many"),
     ("CURATOR_MODEL_SUGGESTIONS", "maybe")],
)  # fmt: skip
def test_a_bad_training_variable_is_named(
    capsys: pytest.CaptureFixture[str],
    populated: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv(variable, value)
    code, _out, err = call(capsys, "--db", str(populated), "list")
    assert_user_error(code, err, f"{variable}={value!r}")
