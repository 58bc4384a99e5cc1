"""``curator merge``: two curators' files, merged in both orders, again, and after a deletion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from curator import cli
from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from tests.core.merge_support import dump

DATA = Path(__file__).resolve().parents[2] / "data"


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def curator_file(capsys: pytest.CaptureFixture[str], path: Path, name: str) -> None:
    """A curator imports the samples with the CLI and tags the first article."""
    assert call(capsys, "--db", str(path), "--curator", name, "import", str(DATA))[0] == 0
    db = open_database(f"sqlite:///{path}")
    uid = documents.list_documents(db)[0].uid
    label = "therapy" if name == "alice" else "target"
    annotate.add_spans(db, uid, name, [NewSpan(0, 8, label), NewSpan(20, 30, "outcome")])
    db.dispose()


def contents(path: Path) -> str:
    db = open_database(f"sqlite:///{path}")
    try:
        return dump(db)
    finally:
        db.dispose()


def test_two_curators_merge_in_either_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    alice, bob = tmp_path / "alice.sqlite", tmp_path / "bob.sqlite"
    curator_file(capsys, alice, "alice")
    curator_file(capsys, bob, "bob")
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    shutil.copy(alice, one)
    shutil.copy(bob, two)
    code, out, err = call(capsys, "--db", str(one), "merge", str(bob))
    assert code == 0, err
    assert "spans: 2 added, 0 updated, 0 deleted" in out
    assert "documents: 0 added" in out
    assert call(capsys, "--db", str(two), "merge", str(alice))[0] == 0
    assert contents(one) == contents(two)

    code, out, _ = call(capsys, "--db", str(one), "merge", str(bob), str(alice))
    assert code == 0
    assert "nothing new" in out
    assert contents(one) == contents(two)

    code, out, _ = call(capsys, "--db", str(one), "list", "--json")
    first = json.loads(out)
    assert any(doc["spans"] == {"alice": 2, "bob": 2} for doc in first)


def test_a_deletion_after_an_earlier_merge_survives(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    alice, bob = tmp_path / "alice.sqlite", tmp_path / "bob.sqlite"
    curator_file(capsys, alice, "alice")
    curator_file(capsys, bob, "bob")
    assert call(capsys, "--db", str(alice), "merge", str(bob))[0] == 0
    db = open_database(f"sqlite:///{bob}")
    uid = documents.list_documents(db)[0].uid
    victim = annotate.spans_for(db, uid, "bob")[0]
    annotate.delete_span(db, victim.uid)
    db.dispose()
    code, out, _ = call(capsys, "--db", str(alice), "merge", str(bob))
    assert code == 0
    assert "0 updated, 1 deleted" in out
    db = open_database(f"sqlite:///{alice}")
    assert annotate.get_span(db, victim.uid).deleted
    db.dispose()
    # Merging the reviewer's older copy back into bob does not resurrect it.
    assert call(capsys, "--db", str(bob), "merge", str(alice))[0] == 0
    assert contents(alice) == contents(bob)


def test_bad_sources_are_user_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "t.sqlite"
    notes = tmp_path / "notes.sqlite"
    notes.write_text("hello\n" * 100)
    code, _, err = call(capsys, "--db", str(target), "merge", str(notes))
    assert code == 1 and err.startswith("error: ") and str(notes) in err
    code, _, err = call(capsys, "--db", str(target), "merge", str(tmp_path / "missing.sqlite"))
    assert code == 1 and "no such file" in err
    assert notes.read_text() == "hello\n" * 100


def test_merged_in_either_order_the_exports_are_identical(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    alice, bob = tmp_path / "alice.sqlite", tmp_path / "bob.sqlite"
    curator_file(capsys, alice, "alice")
    curator_file(capsys, bob, "bob")
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    shutil.copy(alice, one)
    shutil.copy(bob, two)
    assert call(capsys, "--db", str(one), "merge", str(bob))[0] == 0
    assert call(capsys, "--db", str(two), "merge", str(alice))[0] == 0
    for db, out in ((one, "one.jsonl"), (two, "two.jsonl")):
        code, _, err = call(capsys, "--db", str(db), "export", "-o", str(tmp_path / out))
        assert code == 0, err
    exported = (tmp_path / "one.jsonl").read_bytes()
    assert exported == (tmp_path / "two.jsonl").read_bytes()
    curators = {s["curator"] for line in exported.splitlines() for s in json.loads(line)["spans"]}
    assert curators == {"alice", "bob"}


def test_a_jsonl_export_merges_like_a_database_with_its_deletions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    alice, bob = tmp_path / "alice.sqlite", tmp_path / "bob.sqlite"
    curator_file(capsys, alice, "alice")
    curator_file(capsys, bob, "bob")
    assert call(capsys, "--db", str(alice), "merge", str(bob))[0] == 0
    # bob deletes one of his spans later and sends his work as JSONL.
    db = open_database(f"sqlite:///{bob}")
    uid = documents.list_documents(db)[0].uid
    gone = annotate.spans_for(db, uid, "bob")[0]
    annotate.delete_span(db, gone.uid)
    db.dispose()
    sent = tmp_path / "bob.jsonl"
    code, _, err = call(capsys, "--db", str(bob), "export", "-o", str(sent), "--with-deleted")
    assert code == 0, err
    code, out, err = call(capsys, "--db", str(alice), "merge", str(sent))
    assert code == 0, err
    assert "1 deleted" in out
    db = open_database(f"sqlite:///{alice}")
    live = {s.uid for s in annotate.spans_for(db, uid, "bob")}
    db.dispose()
    assert gone.uid not in live and len(live) == 1
