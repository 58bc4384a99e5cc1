"""Team mode under concurrency: eight real processes on one PostgreSQL database at once.

Each child is a real ``curator`` command that loads, says it is ready and
waits; all are released together (a barrier), so their transactions overlap
on the same rows: the same documents, the same new label, the same curators
and statuses. Every process must exit 0 and the final counts must be exact:
nothing failed, nothing was lost, nothing was written twice.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from curator.core import migrate
from curator.core.db import open_database
from curator.core.interchange.jsonl_import import import_jsonl
from tests.pg_server import fresh_database
from tests.reliability.helpers import REPO

DOCUMENTS = 200
CURATORS = ("ana", "bo", "chen", "dee")
TIMEOUT = 150


def _text(i: int) -> str:
    return f"Shared article {i}\n\nRuxolitinib targets JAK2 in myelofibrosis, case {i}.\n"


def _span_file(path: Path, slot: int, shared: str = "Ruxolitinib") -> Path:
    """The same DOCUMENTS articles; per article one span shared by the curator's two
    files (the word *shared*, under the new label: imported once) and one span of
    this file alone.
    """
    lines = []
    for i in range(DOCUMENTS):
        text = _text(i)
        at, word = text.index("Ruxolitinib"), text.index(shared)
        spans = [
            {"start": word, "end": word + len(shared), "label": "biomarker"},
            {"start": at + slot, "end": at + slot + 3, "label": "therapy"},
        ]
        lines.append(json.dumps({"text": text, "spans": spans}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run_together(folder: Path, commands: list[list[str]]) -> list[str]:
    """Run every command in its own process, all released at once; return their stderr."""
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.team_child", str(folder), json.dumps(commands)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    errors = [(folder / f"{i}.err").read_text(encoding="utf-8") for i in range(len(commands))]
    codes = json.loads(done.stdout)
    failed = [
        (code, [line[:300] for line in err.splitlines() if "rror" in line][-3:])
        for code, err in zip(codes, errors, strict=True)
        if code
    ]
    assert failed == [], failed
    return errors


def _counts(url: str) -> dict[str, object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            one = lambda sql: conn.execute(sa.text(sql)).scalar_one()  # noqa: E731
            per_curator = conn.execute(
                sa.text(
                    "SELECT c.name, count(*) FROM annotation a JOIN curator c "
                    "ON c.id = a.curator_id GROUP BY c.name ORDER BY c.name"
                )
            ).all()
            return {
                "documents": one("SELECT count(*) FROM document"),
                "labels": one("SELECT count(*) FROM label"),
                "new labels": one("SELECT count(*) FROM label WHERE name = 'biomarker'"),
                "curators": one("SELECT count(*) FROM curator"),
                "statuses": one("SELECT count(*) FROM document_status"),
                "spans": dict(per_curator),
            }
    finally:
        engine.dispose()


def _upgraded(url: str) -> None:
    db = open_database(url)
    try:
        migrate.upgrade(db)
    finally:
        db.dispose()


def test_eight_imports_of_the_same_documents_and_label_at_once(pg_url: str, tmp_path: Path) -> None:
    _upgraded(pg_url)
    commands = []
    for slot in range(8):
        path = _span_file(tmp_path / f"spans-{slot}.jsonl", slot + 12)
        curator = CURATORS[slot % 4]
        commands.append(["--db", pg_url, "--curator", curator, "import", "--add-labels", str(path)])
    errors = _run_together(tmp_path / "run", commands)

    added = [
        int(found.group(1))
        for err in errors
        if (found := re.search(r"^(\d+) added, \d+ already present", err, re.MULTILINE))
    ]
    assert _counts(pg_url) == {
        "documents": DOCUMENTS,
        "labels": 5,
        "new labels": 1,
        "curators": 4,
        "statuses": 4 * DOCUMENTS,
        # Per article: the shared span once, and one span of each of the curator's two files.
        "spans": {name: 3 * DOCUMENTS for name in CURATORS},
    }
    assert sum(added) == DOCUMENTS  # each document reported added by exactly one import


def _merge_source(folder: Path, name: str, slot: int) -> Path:
    """A curator's own SQLite file: the same articles, spans of *name* and the new label."""
    folder.mkdir()
    path = folder / f"{name}.sqlite"
    db = open_database(f"sqlite:///{path}")
    try:
        migrate.upgrade(db, backup=False)
        # Not where the imports put theirs: an import does not add a span the
        # curator already has, so the count would depend on who came first.
        spans = _span_file(folder / f"{name}.jsonl", slot, shared="JAK2")
        import_jsonl(db, spans, curator=name, add_labels=True)
    finally:
        db.dispose()
    return path


def test_four_imports_and_four_merges_at_once(pg_url: str, tmp_path: Path) -> None:
    _upgraded(pg_url)
    commands = []
    for slot, curator in enumerate(CURATORS):
        path = _span_file(tmp_path / f"spans-{slot}.jsonl", slot + 12)
        commands.append(["--db", pg_url, "--curator", curator, "import", "--add-labels", str(path)])
        source = _merge_source(tmp_path / f"source-{slot}", curator, slot + 20)
        commands.append(["--db", pg_url, "merge", str(source)])
    _run_together(tmp_path / "run", commands)

    assert _counts(pg_url) == {
        "documents": DOCUMENTS,
        "labels": 5,
        "new labels": 1,
        "curators": 4,
        "statuses": 4 * DOCUMENTS,
        # Two spans per article from the curator's import, two from their file.
        "spans": {name: 4 * DOCUMENTS for name in CURATORS},
    }


def test_eight_first_starts_on_an_empty_database(pg_server: str, tmp_path: Path) -> None:
    url = fresh_database(pg_server)
    _run_together(tmp_path / "run", [["--db", url, "list", "--json"] for _ in range(8)])

    db = open_database(url)
    try:
        state = migrate.schema_state(db)
        assert state.at_head, state
    finally:
        db.dispose()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        engine.dispose()
