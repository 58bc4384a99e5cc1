"""``curator merge`` run again changes nothing; a source that is the target itself is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curator.core.articles import documents
from curator.core.storage.db import open_database
from tests.cli.test_merge_cli import call, contents, curator_file
from tests.reliability.helpers import count, fingerprint, settle


def _with_statuses(capsys: pytest.CaptureFixture[str], path: Path, name: str) -> None:
    curator_file(capsys, path, name)
    db = open_database(f"sqlite:///{path}")
    try:
        for doc, status in zip(documents.list_documents(db), ("done", "in_progress"), strict=False):
            documents.set_status(db, doc.uid, name, status)
    finally:
        db.dispose()


def test_the_same_jsonl_merged_twice_changes_nothing_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    alice, target = tmp_path / "alice.sqlite", tmp_path / "review.sqlite"
    _with_statuses(capsys, alice, "alice")
    export = tmp_path / "alice.jsonl"
    assert call(capsys, "--db", str(alice), "export", "-o", str(export))[0] == 0
    assert call(capsys, "--db", str(target), "db", "upgrade")[0] == 0

    code, first, err = call(capsys, "--db", str(target), "merge", str(export))
    assert code == 0, err
    assert "document status: 2 updated" in first
    after_first = contents(target)
    code, again, err = call(capsys, "--db", str(target), "merge", str(export))
    assert code == 0, err
    assert contents(target) == after_first  # statuses and their times included
    assert "document status: 0 updated" in again
    assert "nothing new: the target already held everything" in again
    for out in (first, again):  # the user's file, never the temporary copy
        assert out.splitlines()[0] == f"merged 1 source: {export}"
        assert "curator-merge-" not in out


def test_a_status_changed_since_the_export_is_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The export's statuses date from when it was written: a later change in the target wins."""
    alice, target = tmp_path / "alice.sqlite", tmp_path / "review.sqlite"
    _with_statuses(capsys, alice, "alice")
    export = tmp_path / "alice.jsonl"
    assert call(capsys, "--db", str(alice), "export", "-o", str(export))[0] == 0
    os.utime(export, (1_700_000_000, 1_700_000_000))  # written in 2023
    assert call(capsys, "--db", str(target), "merge", str(export))[0] == 0
    db = open_database(f"sqlite:///{target}")
    try:
        first = documents.list_documents(db)[0].uid
        documents.set_status(db, first, "alice", "in_progress")  # changed back, today
    finally:
        db.dispose()
    code, out, _ = call(capsys, "--db", str(target), "merge", str(export))
    assert code == 0
    assert "document status: 0 updated" in out
    assert (
        count(
            target,
            "SELECT count(*) FROM document_status s JOIN document d ON d.id = s.document_id"
            " WHERE d.uid = ? AND s.status = 'in_progress'",
            first,
        )
        == 1
    )


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link", "other spelling"])
def test_the_target_itself_is_refused_as_a_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, how: str
) -> None:
    target, bob = tmp_path / "review.sqlite", tmp_path / "bob.sqlite"
    curator_file(capsys, target, "alice")
    curator_file(capsys, bob, "bob")
    (tmp_path / "sub").mkdir()
    source = {
        "same path": target,
        "symlink": tmp_path / "sub" / "link.sqlite",
        "hard link": tmp_path / "sub" / "hard.sqlite",
        "other spelling": tmp_path / "sub" / ".." / "review.sqlite",
    }[how]
    if how == "symlink":
        source.symlink_to(target)
    elif how == "hard link":
        os.link(target, source)
    settle(target)
    before = fingerprint(target)

    code, out, err = call(capsys, "--db", str(target), "merge", str(bob), str(source))
    assert code == 1
    assert out == ""
    assert err == (
        f"error: {source}: this is the database being merged into ({target}); "
        "a database cannot be merged into itself. Nothing was merged\n"
    )
    settle(target)
    assert fingerprint(target) == before  # not even bob's file went in
