"""``curator search PHRASE --annotate LABEL``: the app's annotate all from the search,
with --dry-run; everything left out is named, bad input is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.boundaries import occurrences
from curator.core.storage.db import open_database
from tests.cli.helpers import assert_user_error, call


def _spans(db_path: Path, curator: str = "ann") -> dict[str, list[tuple[str, int, int]]]:
    db = open_database(f"sqlite:///{db_path}")
    try:
        return {
            d.title: [(s.label, s.start, s.end) for s in annotate.spans_for(db, d.uid, curator)]
            for d in documents.list_documents(db)
        }
    finally:
        db.dispose()


def _texts(db_path: Path) -> dict[str, str]:
    db = open_database(f"sqlite:///{db_path}")
    try:
        return {
            d.title: documents.get_document(db, d.uid).text for d in documents.list_documents(db)
        }
    finally:
        db.dispose()


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    return call(capsys, "--db", str(db), "--curator", "ann", "search", *args)


def test_dry_run_lists_and_writes_nothing_then_annotate_tags_every_document(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _spans(populated)
    code, out, err = _run(capsys, populated, "response", "--annotate", "outcome", "--dry-run")
    assert code == 0, err
    assert "Would tag 16 occurrences as outcome in 3 documents (dry run" in out
    assert _spans(populated) == before
    code, out, err = _run(capsys, populated, "response", "--annotate", "outcome")
    assert code == 0, err
    assert out.rstrip().endswith("Tagged 16 occurrences as outcome in 3 documents")
    texts = _texts(populated)
    for title, spans in _spans(populated).items():
        assert spans == [("outcome", s, e) for s, e in occurrences(texts[title], "response")]
    code, out, err = _run(capsys, populated, "response", "--annotate", "outcome", "--json")
    assert code == 0, err
    again = json.loads(out)
    assert (again["already_tagged"], again["tagged"]) == (16, 0)  # nothing doubles


def test_overlapping_occurrences_are_left_out_and_named_unless_included(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, populated, '"complete response"', "--annotate", "outcome")
    assert code == 0, err
    code, out, err = _run(capsys, populated, "response", "--annotate", "outcome")
    assert code == 0, err
    left = [line for line in out.splitlines() if line.strip().startswith("left out")]
    assert len(left) == 5 and all("overlaps outcome" in line for line in left)
    assert "5 overlapping left out" in out and "Tagged 11 occurrences" in out
    code, out, err = _run(
        capsys, populated, "response", "--annotate", "outcome", "--include-overlapping", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["tagged"] == 5


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("response", "--annotate", "nope"), "is not a label"),
        (("label:therapy", "--annotate", "target"), "searches spans"),
        (("respon*", "--annotate", "target"), "prefix"),
        (("response", "--dry-run"), "--dry-run goes with --annotate"),
    ],
)
def test_bad_annotate_all_is_one_clear_error_and_writes_nothing(
    populated: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    before = _spans(populated)
    code, _, err = _run(capsys, populated, *args)
    assert_user_error(code, err, needle)
    assert _spans(populated) == before
