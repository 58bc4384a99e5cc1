"""Migrations 0006 and 0007 on a database with work in it: identities, rules, search."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from curator.core.articles import corpus
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import label_uid, relation_type_uid
from tests.conftest import CURRENT_HEAD

TEXT = "Blinatumomab acts on CD19 and gave a complete remission.\n"


def _database_at(tmp_path: Path, revision: str) -> tuple[Database, Path]:
    path = tmp_path / "old.sqlite"
    old = open_database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return old, path


def _with_a_span(db: Database, path: Path, tmp_path: Path) -> None:
    article = tmp_path / "trial.txt"
    article.write_text(TEXT, encoding="utf-8")
    corpus.import_articles(db, [article])
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO curator(name) VALUES ('ana')")
        conn.execute(
            'INSERT INTO annotation(uid, document_id, curator_id, label_id, start, "end", text, '
            "note, origin, created_at, updated_at, revision, concepts) SELECT "
            "'00000000-0000-4000-8000-000000000001', d.id, c.id, l.id, 21, 25, 'CD19', '', "
            "'manual', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 1, '[]' "
            "FROM document d, curator c, label l WHERE l.name = 'target'"
        )
        conn.execute(
            "INSERT INTO document_status(document_id, curator_id, status, updated_at) "
            "SELECT d.id, c.id, 'in_progress', '2026-01-01 00:00:00' FROM document d, curator c"
        )
        conn.commit()


def test_upgrade_gives_labels_their_name_uids_and_seeds_relation_types(tmp_path: Path) -> None:
    old, path = _database_at(tmp_path, "0005_fragments")
    _with_a_span(old, path, tmp_path)
    migrate.upgrade(old)
    old.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        labels = dict(conn.execute("SELECT name, uid FROM label"))
        assert labels == {name: label_uid(name) for name in labels}
        assert set(labels) == {"therapy", "target", "outcome", "expert"}
        types = {
            name: (uid, json.loads(heads), json.loads(tails))
            for name, uid, heads, tails in conn.execute(
                "SELECT name, uid, head_labels, tail_labels FROM relation_type"
            )
        }
        assert types["acts_on"] == (
            relation_type_uid("acts_on"),
            [label_uid("therapy")],
            [label_uid("target")],
        )
        assert types["has_outcome"][2] == [label_uid("outcome")]
        assert types["reports"][1] == [label_uid("expert")]
        assert set(types["reports"][2]) == {label_uid(n) for n in ("therapy", "target", "outcome")}
        assert conn.execute("SELECT count(*) FROM annotation").fetchone() == (1,)
        assert conn.execute("SELECT active_seconds FROM document_status").fetchone() == (0,)


def test_documents_already_there_are_searchable_and_new_ones_too(tmp_path: Path) -> None:
    old, path = _database_at(tmp_path, "0005_fragments")
    _with_a_span(old, path, tmp_path)
    migrate.upgrade(old)
    second = tmp_path / "second.txt"
    second.write_text("Eltrombopag raised platelet counts.\n", encoding="utf-8")
    corpus.import_articles(old, [second])
    old.dispose()
    query = (
        "SELECT substr(d.text, 1, 11) FROM document_search "
        "JOIN document d ON d.id = document_search.rowid "
    )
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute(query + "WHERE document_search MATCH 'blinatumomab'").fetchall() == [
            ("Blinatumoma",)
        ]
        assert conn.execute(query + "WHERE document_search MATCH 'platelet'").fetchall() == [
            ("Eltrombopag",)
        ]
        conn.execute("DELETE FROM document WHERE text LIKE 'Eltrombopag%'")
        conn.commit()
        assert conn.execute(query + "WHERE document_search MATCH 'platelet'").fetchall() == []


def test_downgrade_refuses_to_drop_relations(tmp_path: Path) -> None:
    db, path = _database_at(tmp_path, CURRENT_HEAD)
    _with_a_span(db, path, tmp_path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(
            'INSERT INTO annotation(uid, document_id, curator_id, label_id, start, "end", text, '
            "note, origin, created_at, updated_at, revision, concepts) SELECT "
            "'00000000-0000-4000-8000-000000000002', d.id, c.id, l.id, 0, 12, 'Blinatumomab', '', "
            "'manual', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, '[]' "
            "FROM document d, curator c, label l WHERE l.name = 'therapy'"
        )
        conn.execute(
            "INSERT INTO relation(uid, document_id, curator_id, type_id, head_uid, tail_uid, "
            "origin, note, created_at, updated_at, revision) SELECT "
            "'00000000-0000-4000-8000-0000000000aa', d.id, c.id, t.id, "
            "'00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', "
            "'manual', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1 "
            "FROM document d, curator c, relation_type t WHERE t.name = 'acts_on'"
        )
        conn.commit()
    cfg = migrate.alembic_config(db)
    with pytest.raises(RuntimeError, match="holds relations"), migrate.schema_change(db) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_fragments")
    assert migrate.schema_state(db).at_head
    db.dispose()


def test_downgrade_of_an_empty_layer_goes_back_cleanly(tmp_path: Path) -> None:
    db, path = _database_at(tmp_path, CURRENT_HEAD)
    cfg = migrate.alembic_config(db)
    with migrate.schema_change(db) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_fragments")
    db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert not {"relation", "relation_type", "document_search"} & tables
