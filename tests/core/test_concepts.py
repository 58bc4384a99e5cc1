"""Concepts on spans: a link is an edit, it survives an upgrade, and the registry of people."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from curator.core.concepts import people
from curator.core.concepts.linking import link_span, link_spans
from curator.core.errors import CuratorError, StaleEditError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import concepts, migrate
from curator.core.storage.concepts import Concept
from curator.core.storage.db import Database, open_database
from tests.conftest import CURRENT_HEAD
from tests.core.storage_helpers import add_documents, alembic_revision, sqlite_url

TEXT = "Teclistamab targets BCMA on myeloma cells, said Prof. Rong Fu."
BCMA = Concept("HGNC:11913", "TNFRSF17")


@pytest.fixture
def doc(db: Database) -> str:
    return add_documents(db, TEXT)[0]


def _add(db: Database, doc: str, word: str, label: str = "target") -> annotate.Span:
    start = TEXT.index(word)
    return annotate.add_span(db, doc, "ana", NewSpan(start, start + len(word), label))


def test_linking_is_an_edit_with_a_new_revision(db: Database, doc: str) -> None:
    span = _add(db, doc, "BCMA")
    assert span.concepts == ()
    linked = link_span(db, span.uid, [BCMA, BCMA], span.revision)
    assert linked.concepts == (BCMA,)
    assert (linked.revision, linked.updated_at > span.updated_at) == (2, True)
    assert annotate.get_span(db, span.uid) == linked
    with pytest.raises(StaleEditError):
        link_span(db, span.uid, [], span.revision)  # based on the old revision
    unlinked = link_span(db, span.uid, [], linked.revision)
    assert (unlinked.concepts, unlinked.revision) == ((), 3)


def test_link_spans_is_all_or_nothing(db: Database, doc: str) -> None:
    a, b = _add(db, doc, "BCMA"), _add(db, doc, "myeloma", "outcome")
    with pytest.raises(StaleEditError):
        link_spans(db, [(a.uid, a.revision, [BCMA]), (b.uid, b.revision + 5, [BCMA])])
    assert annotate.get_span(db, a.uid).concepts == ()
    done = link_spans(db, [(a.uid, a.revision, [BCMA]), (b.uid, b.revision, [BCMA])])
    assert [s.concepts for s in done] == [(BCMA,), (BCMA,)]


def test_stored_spelling_is_the_export_spelling() -> None:
    linked = (Concept("HGNC:1633", "CD19"), Concept("PERSON:x", "Rong Fū"))
    text = concepts.encode(linked)
    assert text == '[{"id": "HGNC:1633", "name": "CD19"}, {"id": "PERSON:x", "name": "Rong Fū"}]'
    assert concepts.decode(text) == linked
    assert concepts.encode([]) == "[]" and concepts.decode("[]") == ()
    assert concepts.parse(["HGNC:1633", {"id": "MESH:D1", "name": "m"}], "here") == (
        Concept("HGNC:1633", ""),
        Concept("MESH:D1", "m"),
    )
    with pytest.raises(ValueError, match="here: concept id 'CD 19'"):
        concepts.parse(["CD 19"], "here")
    assert concepts.from_ids("HGNC:1; HGNC:2", "x") == (
        Concept("HGNC:1", ""),
        Concept("HGNC:2", ""),
    )


def test_upgrade_from_0003_backs_up_and_keeps_spans_unlinked(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = open_database(sqlite_url(path))
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    old.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO curator(name) VALUES ('ana')")
        conn.execute(
            "INSERT INTO document(uid, title, source, text, meta, created_at) "
            "VALUES (?, 't', '', 'CD19 text', '{}', '2026-01-01 00:00:00.000000')",
            ("a" * 64,),
        )
        conn.execute(
            'INSERT INTO annotation(uid, document_id, curator_id, label_id, start, "end", text, '
            "note, origin, created_at, updated_at, deleted_at, revision) VALUES "
            "('00000000-0000-4000-8000-000000000001', 1, 1, 2, 0, 4, 'CD19', '', 'manual', "
            "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', NULL, 1)"
        )
    assert alembic_revision(path) == ["0003"]

    database = open_database(sqlite_url(path))
    try:
        backup = migrate.upgrade(database)
        assert backup is not None and alembic_revision(backup) == ["0003"]
        # 0004 adds the concepts, 0005 rebuilds the table for the fragments:
        # both columns survive the other's rebuild.
        assert alembic_revision(path) == [CURRENT_HEAD]
        (span,) = annotate.spans_for(database, "a" * 64)
        assert (span.text, span.concepts, span.revision) == ("CD19", (), 1)
        assert span.fragments is None
        linked = link_span(database, span.uid, [Concept("HGNC:1633", "CD19")])
        assert linked.concepts[0].id == "HGNC:1633"
        assert people.list_people(database) == []
        pieces = annotate.add_span(
            database, "a" * 64, "ana", NewSpan(0, 9, "target", fragments=((0, 2), (5, 9)))
        )
        both = link_span(database, pieces.uid, [Concept("HGNC:1633", "CD19")])
        assert (both.text, both.fragments, both.concepts[0].id) == (
            "CD text",
            ((0, 2), (5, 9)),
            "HGNC:1633",
        )
        assert annotate.get_span(database, pieces.uid) == both
    finally:
        database.dispose()


def test_people_registry(db: Database) -> None:
    fu = people.add_person(db, "Prof. Rong Fu", affiliation="Tianjin")
    assert (fu.name, fu.variants) == ("Rong Fu", ("Prof. Rong Fu",))
    assert fu.concept_id == "PERSON:" + fu.uid.replace("-", "")
    assert people.uid_of(fu.concept_id) == fu.uid
    forms = {n.text for n in people.person_names(db)}
    assert {"Rong Fu", "Fu R", "R. Fu", "Prof. Rong Fu"} <= forms
    again = people.add_variant(db, fu.uid, "Fu R")
    assert (again.variants, again.revision) == (("Prof. Rong Fu", "Fu R"), 2)
    assert people.add_variant(db, fu.uid, "Rong Fu").revision == 2  # nothing new
    assert people.list_people(db) == [again]
    with pytest.raises(CuratorError, match="ORCID"):
        people.add_person(db, "Jing Pan", orcid="12345")
