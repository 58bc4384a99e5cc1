"""Evidence rows (curator.core.relations.evidence) and ``curator evidence``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from curator.core import relations
from curator.core.concepts.linking import link_span
from curator.core.relations.evidence import evidence_rows, write_evidence
from curator.core.relations.types import TypeEdit, edit_relation_type
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.concepts import Concept
from curator.core.storage.db import Database
from tests.cli.helpers import assert_user_error, call
from tests.core.storage_helpers import add_documents

TEXT = "Dr Mei Tan: imatinib inhibits BCR-ABL1 and KIT, with MMR in 60%. Dasatinib too."


def tag(db: Database, doc: str, term: str, label: str, curator: str = "ana") -> str:
    start = TEXT.index(term)
    return annotate.add_span(db, doc, curator, NewSpan(start, start + len(term), label)).uid


@pytest.fixture
def chain(db: Database) -> dict[str, str]:
    (doc,) = add_documents(db, TEXT)
    ids = {
        "doc": doc,
        "imatinib": tag(db, doc, "imatinib", "therapy"),
        "bcr": tag(db, doc, "BCR-ABL1", "target"),
        "kit": tag(db, doc, "KIT", "target"),
        "mmr": tag(db, doc, "MMR in 60%", "outcome"),
        "tan": tag(db, doc, "Mei Tan", "expert"),
        "dasatinib": tag(db, doc, "Dasatinib", "therapy"),  # no relation: no row
    }
    link_span(db, ids["bcr"], [Concept("HGNC:1014", "BCR")])
    for kind, head, tail in (
        ("acts_on", "imatinib", "kit"), ("acts_on", "imatinib", "bcr"),
        ("has_outcome", "imatinib", "mmr"), ("reports", "tan", "mmr"),
    ):  # fmt: skip
        relations.add_relation(db, doc, "ana", kind, ids[head], ids[tail])
    return ids


def test_one_row_per_related_therapy_mention(db: Database, chain: dict[str, str]) -> None:
    (row,) = evidence_rows(db)
    data = row.to_json()
    assert data["therapy"] == "imatinib" and data["curator"] == "ana"
    assert data["targets"] == ["BCR-ABL1", "KIT"]  # text order
    assert data["target_concepts"] == [[{"id": "HGNC:1014", "name": "BCR"}], []]
    assert (data["outcomes"], data["experts"]) == (["MMR in 60%"], ["Mei Tan"])
    assert data["target_uids"] == [chain["bcr"], chain["kit"]]
    assert list(evidence_rows(db, curators=["bo"])) == []


def test_deleted_ends_leave_the_row_and_renamed_types_still_count(
    db: Database, chain: dict[str, str]
) -> None:
    edit_relation_type(db, "acts_on", TypeEdit(name="targets"))
    annotate.delete_span(db, chain["kit"])
    (row,) = evidence_rows(db)
    assert [s.text for s in row.targets] == ["BCR-ABL1"]
    annotate.delete_span(db, chain["imatinib"])
    assert list(evidence_rows(db)) == []


def test_csv_and_jsonl_files(db: Database, chain: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    assert write_evidence(evidence_rows(db), out, "csv") == 1
    (line,) = csv.DictReader(out.open(encoding="utf-8"))
    assert line["targets"] == "BCR-ABL1 | KIT"
    assert line["target_concepts"] == "HGNC:1014 BCR | -"
    assert line["expert_uids"] == chain["tan"]
    jsonl = tmp_path / "e.jsonl"
    assert write_evidence(evidence_rows(db), jsonl, "jsonl") == 1
    assert json.loads(jsonl.read_text(encoding="utf-8"))["outcome_uids"] == [chain["mmr"]]


def test_the_command(
    db: Database, db_path: Path, chain: dict[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "ev.jsonl"
    code, printed, err = call(
        capsys, "--db", str(db_path), "evidence", "-o", str(out), "--curator", "ana",
        "--document", chain["doc"][:8],
    )  # fmt: skip
    assert code == 0, err
    assert printed.strip() == str(out) and "1 evidence row written as jsonl" in err
    assert json.loads(out.read_text(encoding="utf-8"))["therapy"] == "imatinib"
    code, _, err = call(capsys, "--db", str(db_path), "evidence", "-o", str(tmp_path / "x.csv"),
                        "--document", "zz")  # fmt: skip
    assert_user_error(code, err, "zz")
    assert not (tmp_path / "x.csv").exists()
    code, _, err = call(capsys, "--db", str(db_path), "evidence", "-o", str(tmp_path / "no/x.csv"))
    assert_user_error(code, err, "no")
