"""Opening a database as the app does: the samples go only into the default one."""

from __future__ import annotations

from pathlib import Path

from curator.core.articles import documents
from curator.core.opening import prepare_database
from curator.core.storage.paths import sample_data_dir


def test_the_default_database_starts_with_the_sample_articles(tmp_path: Path) -> None:
    samples = sample_data_dir()
    assert samples is not None
    db = prepare_database(f"sqlite:///{tmp_path / 'default.sqlite'}", seed_samples=True)
    try:
        titles = {d.title for d in documents.list_documents(db)}
    finally:
        db.dispose()
    assert len(titles) == len(list(samples.glob("*.txt"))) > 0


def test_a_named_database_starts_empty(tmp_path: Path) -> None:
    db = prepare_database(f"sqlite:///{tmp_path / 'project.sqlite'}")
    try:
        assert documents.list_documents(db) == []
    finally:
        db.dispose()


def test_seeding_never_adds_to_a_database_that_holds_documents(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'default.sqlite'}"
    first = prepare_database(url, seed_samples=True)
    n = len(documents.list_documents(first))
    first.dispose()
    again = prepare_database(url, seed_samples=True)
    try:
        assert len(documents.list_documents(again)) == n
    finally:
        again.dispose()
