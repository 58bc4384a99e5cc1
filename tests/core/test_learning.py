"""The recognizer trained on the team's decisions: training, proposing, versions, rejections.

One small model is trained per module on a real SQLite file of the sample
and corpus articles (gold spans tagged by a curator, one article left
untagged); each test works on a copy of that file and its models folder.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from curator.core.articles import documents
from curator.core.errors import CuratorError
from curator.core.learning import model_store, recognizer, retraining, training
from curator.core.learning.decisions import (
    Decisions,
    DocumentDecisions,
    most_recent,
    read_decisions,
)
from curator.core.learning.recognizer import ScoredProposal, beside_rules
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Annotation, Document, Suggestion
from curator.core.suggest import stored as suggestions
from curator.core.suggest.finding import Proposal
from tests.core.learning_helpers import HELD_OUT, gold_files, gold_of, team_database

EPOCHS = 12
"""Enough for a few confident proposals on the unseen article, in seconds."""


@pytest.fixture(scope="module")
def trained_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("trained")
    db = open_database(f"sqlite:///{folder / 'team.sqlite'}")
    migrate.upgrade(db)
    team_database(db)
    training.train_database(db, epochs=EPOCHS)
    db.dispose()
    yield folder


@pytest.fixture
def team(trained_folder: Path, tmp_path: Path) -> Iterator[tuple[Database, dict[str, str]]]:
    copy = tmp_path / "copy"
    shutil.copytree(trained_folder, copy)
    db = open_database(f"sqlite:///{copy / 'team.sqlite'}")
    with db.read() as session:
        rows = session.execute(select(Document.uid, Document.source))
        uids = {Path(source).stem: uid for uid, source in rows}
    yield db, uids
    db.dispose()


def model_rows(db: Database) -> list[tuple[int, int, str, str]]:
    with db.read() as session:
        return [
            (start, end, text, source)
            for start, end, text, source in session.execute(
                select(Suggestion.start, Suggestion.end, Suggestion.text, Suggestion.source).where(
                    Suggestion.source.like("model:%")
                )
            )
        ]


def test_the_model_lives_beside_the_database_and_records_what_it_learned(
    team: tuple[Database, dict[str, str]],
) -> None:
    db, _uids = team
    assert db.path is not None
    found = model_store.current_model(db)
    assert found is not None and found.usable and found.manifest is not None
    assert found.folder == db.path.with_name("team.sqlite.models") / "model-v1"
    manifest = found.manifest
    decisions = read_decisions(db)
    assert manifest.fingerprint == decisions.fingerprint
    assert (
        manifest.positives
        == decisions.positives
        == sum(len(d.positives) for d in decisions.documents)
    )
    assert manifest.schema == migrate.schema_state(db).current
    assert len(manifest.documents) == len(gold_files()) - 1  # all but the held-out one
    assert set(manifest.labels) == {"therapy", "target", "outcome", "expert"}
    assert retraining.training_due(db) is None


def test_a_trained_model_proposes_spans_in_an_unseen_article_with_a_score(
    team: tuple[Database, dict[str, str]],
) -> None:
    db, uids = team
    text = documents.get_document(db, uids[HELD_OUT]).text
    proposals = recognizer.load(db).propose(text)
    assert proposals, "the model proposes nothing on an unseen article"
    assert all(p.source == "model:v1" and 0.0 <= p.score <= 1.0 for p in proposals)
    found = {(p.start, p.end, p.label) for p in proposals}
    overlapping = {
        g for g in gold_of(HELD_OUT) for f in found if f[2] == g[2] and f[0] < g[1] and g[0] < f[1]
    }
    assert overlapping, f"none of {found} touches a gold span of the unseen article"
    # Stored for a curator: the suggestion's source names the model.
    added = suggestions.compute(db, uids[HELD_OUT], "bob", extra=[recognizer.model_matcher(db)])
    assert sum(added.values()) > 0
    rows = model_rows(db)
    assert rows and {source for *_r, source in rows} == {"model:v1"}
    assert all(text[start:end] == quote for start, end, quote, _s in rows)


def test_a_rejected_model_suggestion_is_not_proposed_again_anywhere(
    team: tuple[Database, dict[str, str]],
) -> None:
    db, uids = team
    uid = uids[HELD_OUT]
    suggestions.compute(db, uid, "bob", extra=[recognizer.model_matcher(db)])
    pending = [s for s in suggestions.pending_suggestions(db, uid, "bob") if s.source == "model:v1"]
    assert pending
    rejected = pending[0]
    suggestions.reject(db, rejected.id)
    # The same curator in the same document: never again, even after retraining.
    assert suggestions.compute(db, uid, "bob", extra=[recognizer.model_matcher(db)]) == {}
    # Anyone, any text: the model keeps that quote with that label to itself.
    again = f"{rejected.text} was given. " + documents.get_document(db, uid).text
    quotes = {(again[p.start : p.end], p.label) for p in recognizer.model_matcher(db)(again)}
    assert (rejected.text, rejected.label) not in quotes
    # The rejection is a negative of the next model.
    assert read_decisions(db).negatives == 0  # the held-out article holds no span yet
    annotate.add_span(db, uid, "bob", NewSpan(*sorted(gold_of(HELD_OUT))[0]))
    assert read_decisions(db).negatives == 1


def test_a_model_of_another_schema_is_ignored_then_replaced(
    team: tuple[Database, dict[str, str]],
) -> None:
    db, _uids = team
    found = model_store.current_model(db)
    assert found is not None
    manifest = json.loads((found.folder / "manifest.json").read_text())
    manifest["schema"] = "0001"
    (found.folder / "manifest.json").write_text(json.dumps(manifest))
    stale = model_store.current_model(db)
    assert stale is not None and not stale.usable
    assert "schema 0001" in (stale.problem or "")
    with pytest.raises(CuratorError, match="schema 0001"):
        recognizer.load(db)
    assert retraining.training_due(db) == stale.problem
    trained = training.train_database(db, epochs=1)
    assert trained.manifest.version == 2
    fresh = model_store.current_model(db)
    assert fresh is not None and fresh.usable and fresh.folder.name == "model-v2"
    assert not found.folder.exists()


@pytest.mark.parametrize(
    "damage",
    ["{not json", json.dumps({"format": 99}), json.dumps({"format": 1, "version": 1})],
)
def test_an_unreadable_model_is_ignored_never_a_crash(
    team: tuple[Database, dict[str, str]], damage: str
) -> None:
    db, uids = team
    found = model_store.current_model(db)
    assert found is not None
    (found.folder / "manifest.json").write_text(damage)
    broken = model_store.current_model(db)
    assert broken is not None and not broken.usable and "unreadable model" in (broken.problem or "")
    with pytest.raises(CuratorError, match="train a new one"):
        recognizer.model_matcher(db)
    # The lexicons carry on.
    assert suggestions.compute(db, uids[HELD_OUT], "bob")


def test_a_damaged_pipeline_is_ignored_never_a_crash(
    team: tuple[Database, dict[str, str]],
) -> None:
    db, _uids = team
    found = model_store.current_model(db)
    assert found is not None
    shutil.rmtree(found.folder / "pipeline" / "spancat")
    with pytest.raises(CuratorError, match="could not be read"):
        recognizer.load(db)


def test_a_model_beside_another_database_is_foreign(
    team: tuple[Database, dict[str, str]], tmp_path: Path
) -> None:
    db, _uids = team
    assert db.path is not None
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    migrate.upgrade(other)
    try:
        shutil.copytree(db.path.with_name("team.sqlite.models"), tmp_path / "other.sqlite.models")
        found = model_store.current_model(other)
        assert found is not None and not found.usable
        assert "another database" in (found.problem or "")
        # Too few spans there to train: nothing is due, the lexicons serve alone.
        assert retraining.training_due(other) is None
    finally:
        other.dispose()


def test_a_database_without_a_model_still_suggests(db: Database) -> None:
    uids = team_database(db, held_out="")
    assert model_store.current_model(db) is None
    assert retraining.training_due(db) == "no usable model yet"
    with pytest.raises(CuratorError, match="no suggestion model has been trained"):
        recognizer.load(db)
    assert suggestions.compute(db, uids[HELD_OUT], "bob")


def test_retraining_is_due_after_enough_new_decisions(
    team: tuple[Database, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, uids = team
    monkeypatch.setenv("CURATOR_RETRAIN_AFTER", "3")
    spans = sorted(gold_of(HELD_OUT))
    for place in spans[:2]:
        annotate.add_span(db, uids[HELD_OUT], "bob", NewSpan(*place))
    assert retraining.training_due(db) is None
    annotate.add_span(db, uids[HELD_OUT], "bob", NewSpan(*spans[2]))
    assert retraining.training_due(db) == "3 new decisions since model:v1"


def test_too_few_spans_train_nothing(db: Database) -> None:
    team_database(db, held_out="")
    with db.write() as session:
        session.query(Annotation).delete()
    assert retraining.training_due(db) is None
    with pytest.raises(CuratorError, match="training needs at least 10"):
        training.train_database(db, epochs=1)
    assert model_store.current_model(db) is None


def test_a_server_database_keeps_its_model_in_the_user_data_folder(tmp_path: Path) -> None:
    first = open_database("postgresql+psycopg://ann:secret@db.example/team")
    again = open_database("postgresql+psycopg://ann:changed@db.example/team")
    other = open_database("postgresql+psycopg://ann:secret@db.example/other")
    try:
        folder = model_store.models_folder(first)
        assert folder is not None
        assert folder.parent == tmp_path / "xdg-data" / "heme-curator" / "models"
        assert "secret" not in str(folder)
        assert model_store.models_folder(again) == folder  # the password is no part of the key
        assert model_store.models_folder(other) != folder
    finally:
        for db in (first, again, other):
            db.dispose()
    memory = open_database("sqlite://")
    assert model_store.models_folder(memory) is None
    assert retraining.training_due(memory) is None
    memory.dispose()


def test_training_takes_the_newest_documents_up_to_its_budget() -> None:
    def doc(uid: str, size: int, day: int) -> DocumentDecisions:
        when = dt.datetime(2026, 1, day, tzinfo=dt.UTC)
        return DocumentDecisions(uid, "x" * size, frozenset({(0, 1, "target")}), frozenset(), when)

    everything = Decisions(
        (doc("a", 600, 1), doc("b", 500, 3), doc("c", 400, 2), doc("d", 2000, 4)),
        None,
        "all",
    )
    chosen = most_recent(everything, 1000)
    # d alone is over the budget but newest: the one document always taken.
    assert [d.uid for d in chosen.documents] == ["d"]
    chosen = most_recent(everything, 3000)
    assert [d.uid for d in chosen.documents] == ["b", "c", "d"]
    assert chosen.fingerprint != "all"
    assert most_recent(everything, 10_000) is everything


def test_the_model_adds_nothing_over_a_listed_term_of_its_label() -> None:
    rules = [Proposal(10, 20, "therapy", "lexicon:drugs"), Proposal(40, 45, "target", "p")]
    model = [
        ScoredProposal(5, 12, "therapy", "model:v1", 0.9),  # crosses the listed therapy
        ScoredProposal(0, 30, "therapy", "model:v1", 0.8),  # holds it
        ScoredProposal(12, 15, "therapy", "model:v1", 0.7),  # inside it
        ScoredProposal(20, 25, "therapy", "model:v1", 0.6),  # right after it: kept
        ScoredProposal(10, 20, "target", "model:v1", 0.6),  # another label: kept
        ScoredProposal(44, 50, "target", "model:v1", 0.6),  # crosses the target
        ScoredProposal(60, 70, "expert", "model:v1", 0.6),  # no rule of its label: kept
    ]
    kept = beside_rules(model, rules)
    assert [(p.start, p.end, p.label) for p in kept] == [
        (20, 25, "therapy"),
        (10, 20, "target"),
        (60, 70, "expert"),
    ]
