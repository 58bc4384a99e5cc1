"""Team mode: the same migrations and commands on a real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from curator.cli import main
from curator.core.articles import corpus, documents
from curator.core.errors import StaleEditError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.core.storage.models import Base, described_by_orm

DATA = Path(__file__).resolve().parents[2] / "data"


def test_migrations_on_postgres_match_the_models(pg_url: str) -> None:
    db = open_database(pg_url)
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": described_by_orm}), Base.metadata
        )
    db.dispose()
    assert diff == []


def test_cli_import_list_check_on_postgres(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", pg_url, "import", str(DATA)]) == 0
    assert main(["--db", pg_url, "import", str(DATA)]) == 0
    capsys.readouterr()
    assert main(["--db", pg_url, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(list(DATA.glob("*.txt")))
    assert main(["--db", pg_url, "db", "check"]) == 0


def test_spans_and_revisions_on_postgres(pg_url: str) -> None:
    db = open_database(pg_url)
    migrate.upgrade(db)
    report = corpus.import_articles(db, [DATA / "03_myeloma_bcma.txt"])
    uid = report.added[0].uid
    text = documents.get_document(db, uid).text
    start = text.index("TNF-𝛼")
    span = annotate.add_span(db, uid, "ana", NewSpan(start, start + 5, "target"))
    assert span.text == "TNF-𝛼"
    relabelled = annotate.relabel_span(db, span.uid, "therapy", span.revision)
    with pytest.raises(StaleEditError):
        annotate.set_note(db, span.uid, "stale", span.revision)
    assert annotate.get_span(db, span.uid).label == "therapy"
    assert relabelled.created_at.tzinfo is not None
    assert documents.list_documents(db)[0].status == {"ana": "in_progress"}
    db.dispose()


def test_suggestions_accept_undo_reject_on_postgres(pg_url: str) -> None:
    from curator.core.suggest import stored as suggestions

    db = open_database(pg_url)
    migrate.upgrade(db)
    report = corpus.import_articles(db, [DATA / "03_myeloma_bcma.txt"])
    uid = report.added[0].uid
    added = suggestions.compute(db, uid, "ana")
    assert set(added) == {"therapy", "target", "outcome", "expert"}
    first, second = suggestions.pending_suggestions(db, uid, "ana")[:2]
    span = suggestions.accept(db, first.id)
    assert (span.origin, span.text) == ("suggested", first.text)
    (gone,) = suggestions.unaccept(db, [first.id], {span.uid: span.revision})
    assert gone.deleted
    suggestions.reject(db, second.id)
    assert suggestions.compute(db, uid, "ana") == {}
    remaining = [s.id for s in suggestions.pending_suggestions(db, uid, "ana")]
    assert first.id in remaining and second.id not in remaining
    db.dispose()
