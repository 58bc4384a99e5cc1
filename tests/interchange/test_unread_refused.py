"""Span-like content the importer does not read is refused by file and line, never skipped."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from curator.core.db import Database
from tests.conftest import REPO
from tests.reliability.helpers import assert_user_error, run_curator

INTEROP = REPO.parent / "shared" / "interop"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(db: Database, path: Path, *needles: str) -> None:
    assert db.path is not None
    db.dispose()
    before = _digest(db.path)
    result = run_curator("--db", str(db.path), "--curator", "ana", "import", str(path))
    assert_user_error(result, *needles)
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert _digest(db.path) == before


def test_a_span_key_the_reader_does_not_take_is_refused_at_its_line(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text(
        '{"text": "Ruxolitinib works.", "label": []}\n'
        '{"text": "CD19 CAR-T", "tags": [], "predictions": [[0, 4, "target"]]}\n',
        encoding="utf-8",
    )
    _refused(db, path, f"{path}:2:", "'predictions'")


def test_brat_folder_is_not_imported_without_its_annotations(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    shutil.copytree(INTEROP / "brat" / "ncbi-disease", folder)
    _refused(db, folder, "PMID-10429004.ann:1:")


def test_doccano_labels_key_is_refused(db: Database) -> None:
    _refused(db, INTEROP / "doccano" / "doccano_labels_v1.jsonl", ":1:", "'labels'")


def test_a_pubtator_file_named_txt_is_not_one_article(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "cdr.txt"
    shutil.copy(INTEROP / "pubtator" / "CDR_sample_3docs.pubtator", path)
    _refused(db, path, f"{path}:1:", "PubTator")
