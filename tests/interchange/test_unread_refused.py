"""Span-like content the importer does not read is refused by file and line, never skipped."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from curator.core.storage.db import Database
from tests.interchange.interop import INTEROP
from tests.reliability.helpers import assert_user_error, curator_in_process, run_curator


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(
    db: Database,
    path: Path,
    *needles: str,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> None:
    """The import is refused; in this process when given *monkeypatch*, else as a real one."""
    assert db.path is not None
    db.dispose()
    before = _digest(db.path)
    args = ("--db", str(db.path), "--curator", "ana", "import", "--add-labels", str(path))
    result = run_curator(*args) if monkeypatch is None else curator_in_process(monkeypatch, *args)
    assert_user_error(result, *needles)
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert _digest(db.path) == before


def test_a_span_key_the_reader_does_not_take_is_refused_at_its_line(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text(
        '{"text": "Ruxolitinib works.", "spans": []}\n'
        '{"text": "CD19 CAR-T", "spans": [], "predictions": [[0, 4, "target"]]}\n',
        encoding="utf-8",
    )
    _refused(db, path, f"{path}:2:", "'predictions'")


def test_brat_attributes_are_refused_at_their_line(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "brat"
    shutil.copytree(INTEROP / "brat" / "ncbi-disease", folder)
    _refused(
        db, folder, "PMID-10429004.ann:2:", "an attribute (A1)", "--allow-loss",
        monkeypatch=monkeypatch,
    )  # fmt: skip


def test_pubtator_relations_of_a_type_not_held_are_refused_even_in_a_file_named_txt(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cdr.txt"
    shutil.copy(INTEROP / "pubtator" / "CDR_sample_3docs.pubtator", path)
    _refused(
        db, path, f"{path}:14:", "a 'CID' relation from Chemical to Disease",
        "unknown relation type 'CID'", "--allow-loss", monkeypatch=monkeypatch,
    )  # fmt: skip


def test_doccano_relations_of_a_type_not_held_are_refused_at_their_line(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = INTEROP / "doccano" / "doccano_relation_example.jsonl"
    _refused(
        db, path, f"{path}:31:", "a 'foundedAt' relation from ORG to DATE",
        "unknown relation type 'foundedAt'", monkeypatch=monkeypatch,
    )  # fmt: skip


def test_label_studio_regions_whose_offsets_miss_their_text_are_refused(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = INTEROP / "labelstudio" / "ls0x_completion_0.json"
    _refused(db, path, f"{path}:5:", "is 'February 2', not 'February 22'", monkeypatch=monkeypatch)
