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
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from curator.cli import main
from curator.core.articles import corpus, documents
from curator.core.interchange.importing import import_paths
from curator.core.interchange.jsonl import export_jsonl
from curator.core.interchange.jsonl_import import import_jsonl
from curator.core.merge.sources import merge_sources
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import db as db_module
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.core.storage.models import Annotation, utcnow
from tests.pg_server import fresh_database
from tests.reliability.helpers import DATA, REPO

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
        if (found := re.search(r"^(\d+) documents? added, \d+ already present", err, re.MULTILINE))
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


@pytest.mark.parametrize("bring", ["merge", "import"])
def test_an_edit_made_while_a_merge_or_import_decides_is_not_overwritten(
    pg_url: str, tmp_path: Path, bring: str
) -> None:
    """The app's edit lands between the read and the write of a merge (or an import of
    the curator's export) bringing an older version of the span: the newer edit stays.
    """
    source_path = tmp_path / "ana.sqlite"
    source = open_database(f"sqlite:///{source_path}")
    target = open_database(pg_url)
    try:
        migrate.upgrade(source, backup=False)
        migrate.upgrade(target)
        text = _text(0)
        (tmp_path / "article.txt").write_text(text, encoding="utf-8")
        corpus.import_articles(source, [tmp_path / "article.txt"])
        uid = documents.list_documents(source)[0].uid
        at = text.index("Ruxolitinib")
        span = annotate.add_span(source, uid, "ana", NewSpan(at, at + 11, "therapy"))
        merge_sources(target, [source_path])
        annotate.relabel_span(source, span.uid, "target", span.revision)  # newer in the file
        export = tmp_path / "ana.jsonl"
        export_jsonl(source, export)

        engine = sa.create_engine(pg_url)
        errors: list[BaseException] = []
        try:
            with engine.connect() as app:
                # The app's edit_in: lock the span, then update it.
                app.execute(
                    sa.select(Annotation.id).where(Annotation.uid == span.uid).with_for_update()
                )

                def merge() -> None:
                    try:
                        if bring == "merge":
                            merge_sources(target, [source_path])
                        else:
                            import_paths(target, [export])
                    except BaseException as exc:
                        errors.append(exc)

                merging = threading.Thread(target=merge)
                merging.start()
                _wait_for_a_lock_wait(app)
                app.execute(
                    sa.update(Annotation)
                    .where(Annotation.uid == span.uid)
                    .values(note="edited meanwhile", revision=2, updated_at=utcnow())
                )
                app.commit()
                merging.join(timeout=TIMEOUT)
                assert not merging.is_alive()
        finally:
            engine.dispose()
        assert errors == []
        stored = annotate.get_span(target, span.uid)
        assert (stored.label, stored.note, stored.revision) == ("therapy", "edited meanwhile", 2)
    finally:
        source.dispose()
        target.dispose()


def _wait_for_a_lock_wait(conn: sa.Connection) -> None:
    """Until another session waits for a row lock (the writer reached the span)."""
    probe = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + TIMEOUT
    with conn.engine.connect() as watcher:
        while watcher.execute(probe).scalar_one() == 0:
            assert time.monotonic() < deadline, "the writer never waited for the span"
            watcher.rollback()
            time.sleep(0.02)


def test_an_import_queued_too_long_stops_with_a_message_having_written_nothing(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _upgraded(pg_url)
    monkeypatch.setattr(db_module, "SERVER_QUEUE_TIMEOUT_MS", 300)
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as other:  # another import or merge, still running
            other.execute(sa.select(sa.func.pg_advisory_lock(db_module.BULK_WRITE_LOCK)))
            assert main(["--db", pg_url, "import", str(DATA)]) == 1
    finally:
        engine.dispose()
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert "another import, merge or upgrade kept the database busy" in err, err
    assert "nothing was written" in err
    assert _counts(pg_url)["documents"] == 0
