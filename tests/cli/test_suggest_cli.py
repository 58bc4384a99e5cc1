"""``curator suggest``: suggestions from the command line, counted per label."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from curator.core.storage.db import open_database
from curator.core.suggest import stored as suggestions
from tests.cli.helpers import assert_user_error, call, listing


def stored(path: Path) -> list[tuple[str, str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT curator.name, label.name, suggestion.state FROM suggestion "
            "JOIN curator ON curator.id = suggestion.curator_id "
            "JOIN label ON label.id = suggestion.label_id"
        ).fetchall()


def test_suggest_all_documents_prints_counts_per_label(
    capsys: pytest.CaptureFixture[str],
    populated: Path,
) -> None:
    code, out, err = call(capsys, "--db", str(populated), "--curator", "ann", "suggest")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 4
    rows = stored(populated)
    assert {name for name, _l, _s in rows} == {"ann"}
    assert {state for _n, _l, state in rows} == {"pending"}
    per_label = {lab: sum(1 for _n, la, _s in rows if la == lab) for _n, lab, _s in rows}
    assert set(per_label) == {"therapy", "target", "outcome", "expert"}
    summary = ", ".join(
        f"{lab} {per_label[lab]}" for lab in ("therapy", "target", "outcome", "expert")
    )
    assert f"added for ann: {summary}" in err
    # Suggestions are not spans: the listing still counts none.
    assert all(doc["spans"] == {} for doc in listing(capsys, populated))
    # Again: nothing new.
    code, out, err = call(capsys, "--db", str(populated), "--curator", "ann", "suggest")
    assert code == 0, err
    assert "(0 new suggestions in 4 documents)" in err


def test_suggest_one_document_by_prefix_for_the_current_curator(
    capsys: pytest.CaptureFixture[str],
    populated: Path,
) -> None:
    docs = listing(capsys, populated)
    bcma = next(d for d in docs if d["title"].startswith("BCMA"))
    code, out, err = call(
        capsys, "--db", str(populated), "--curator", "bob", "suggest", "--document", bcma["id"][:10]
    )
    assert code == 0, err
    assert out.startswith(bcma["id"][:12])
    db = open_database(f"sqlite:///{populated}")
    try:
        pending = suggestions.pending_suggestions(db, bcma["id"], "bob")
    finally:
        db.dispose()
    assert len(pending) == len(stored(populated)) > 0
    assert "therapy" in out and "BCMA-Directed" in out


def test_suggest_unknown_document_is_a_clear_error_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    populated: Path,
) -> None:
    docs = listing(capsys, populated)
    code, _out, err = call(
        capsys,
        "--db",
        str(populated),
        "suggest",
        "--document",
        docs[0]["id"],
        "--document",
        "ffffffffff",
    )
    assert_user_error(code, err, "no document with id ffffffffff")
    assert stored(populated) == []


def test_suggest_with_the_drug_library_adds_its_drugs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db_path: Path
) -> None:
    article = tmp_path / "statins.txt"
    article.write_text("Statins\n\nPatients took atorvastatin with ruxolitinib.\n", "utf-8")
    code, _out, err = call(capsys, "--db", str(db_path), "import", str(article))
    assert code == 0, err
    code, out, err = call(capsys, "--db", str(db_path), "--curator", "ann", "suggest")
    assert code == 0, err
    assert "therapy 1," in out
    code, out, err = call(
        capsys, "--db", str(db_path), "--curator", "bob", "suggest", "--drug-library"
    )
    assert code == 0, err
    assert "therapy 2," in out
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        sources = conn.execute(
            "SELECT suggestion.text, source FROM suggestion JOIN curator "
            "ON curator.id = suggestion.curator_id WHERE curator.name = 'bob' ORDER BY start"
        ).fetchall()
    assert sources == [("atorvastatin", "library:drug-ner"), ("ruxolitinib", "lexicon:drugs")]
