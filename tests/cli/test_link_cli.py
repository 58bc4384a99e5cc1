"""``curator link``: unambiguous exact matches linked, counts per label, the rest left alone."""

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


def _concepts(path: Path) -> dict[str, tuple[list[str], int]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT text, concepts, revision FROM annotation").fetchall()
    return {text: ([c["id"] for c in json.loads(stored)], rev) for text, stored, rev in rows}


@pytest.fixture
def spans(populated: Path) -> tuple[Path, str]:
    db = open_database(f"sqlite:///{populated}")
    try:
        doc = next(d for d in documents.list_documents(db) if "BCMA" in d.title)
        text = documents.get_document(db, doc.uid).text
        items = []
        for word, label in (("BCMA", "target"), ("teclistamab", "therapy"),
                            ("myeloma", "target"), ("JAK", "target")):  # fmt: skip
            if word in text:
                start = text.index(word)
                items.append(NewSpan(start, start + len(word), label))
        assert len(items) >= 3
        annotate.add_spans(db, doc.uid, "ann", items)
        # another curator's span is not ann's to link
        annotate.add_spans(db, doc.uid, "bo", [items[0]])
        return populated, doc.uid
    finally:
        db.dispose()


def test_link_links_exact_matches_and_counts_per_label(
    capsys: pytest.CaptureFixture[str], spans: tuple[Path, str]
) -> None:
    path, _ = spans
    code, out, err = call(capsys, "--db", str(path), "--curator", "ann", "link")
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()}
    therapy = lines["therapy"].split()
    assert therapy[therapy.index("linked") + 1] == "1"
    linked = _concepts(path)
    assert linked["teclistamab"] == (["DRUGBANK:DB16655"], 2)
    assert linked["myeloma"] == ([], 1)  # no gene is called "myeloma"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        bcma = conn.execute(
            "SELECT c.name, a.concepts FROM annotation a JOIN curator c ON c.id = a.curator_id "
            "WHERE a.text = 'BCMA' ORDER BY c.name"
        ).fetchall()
    assert [(n, json.loads(s)) for n, s in bcma] == [
        ("ann", [{"id": "HGNC:11913", "name": "TNFRSF17"}]),
        ("bo", []),
    ]
    target = lines["target"].split()
    assert target[target.index("linked") + 1] == "1"
    assert target[target.index("candidate") + 1] == "1"  # myeloma
    # Again: nothing left that can be linked; linked spans are not touched.
    code, out, _ = call(capsys, "--db", str(path), "--curator", "ann", "link")
    assert code == 0
    assert all(line.split()[2] == "0" for line in out.splitlines())
    assert _concepts(path)["teclistamab"][1] == 2


def test_link_by_label_and_document(
    capsys: pytest.CaptureFixture[str], spans: tuple[Path, str]
) -> None:
    path, uid = spans
    code, out, err = call(
        capsys, "--db", str(path), "--curator", "ann", "link", "--label", "therapy",
        "--document", uid[:12],
    )  # fmt: skip
    assert code == 0, err
    assert out.split()[0] == "therapy" and "target" not in out
    assert _concepts(path)["teclistamab"][0] == ["DRUGBANK:DB16655"]


def test_link_unknown_label_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], spans: tuple[Path, str]
) -> None:
    path, _ = spans
    code, _, err = call(capsys, "--db", str(path), "--curator", "ann", "link", "--label", "drug")
    assert_user_error(code, err, "unknown label 'drug'")
    assert _concepts(path)["teclistamab"] == ([], 1)
