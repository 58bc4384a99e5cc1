"""Relations between spans (curator.core.relations): rules, edits, and spans' tombstones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from curator.core import relations
from curator.core.errors import NotFoundError, StaleEditError
from curator.core.relations import NewRelation, RelationRuleError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.curators import curator_names
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import Relation
from curator.core.suggest import stored
from tests.core.storage_helpers import add_documents

TEXT = "Ruxolitinib inhibits JAK2; the ORR was 81.8% said Dr Ana Silva. Imatinib too."


def tag(db: Database, doc: str, term: str, label: str, curator: str = "ana") -> str:
    start = TEXT.index(term)
    return annotate.add_span(db, doc, curator, NewSpan(start, start + len(term), label)).uid


@pytest.fixture
def doc(db: Database) -> str:
    return add_documents(db, TEXT)[0]


@pytest.fixture
def chain(db: Database, doc: str) -> dict[str, str]:
    return {
        "therapy": tag(db, doc, "Ruxolitinib", "therapy"),
        "target": tag(db, doc, "JAK2", "target"),
        "outcome": tag(db, doc, "ORR was 81.8%", "outcome"),
        "expert": tag(db, doc, "Ana Silva", "expert"),
    }


def stored_row(db: Database, uid: str) -> Relation:
    with db.read() as session:
        row = session.scalar(select(Relation).where(Relation.uid == uid))
    assert row is not None
    return row


def test_seeded_types_and_their_rules(db: Database) -> None:
    types = relations.list_relation_types(db)
    assert [t.name for t in types] == ["acts_on", "has_outcome", "reports"]
    acts_on = types[0]
    assert (acts_on.head_labels, acts_on.tail_labels, acts_on.shortcut) == (
        ("therapy",),
        ("target",),
        "a",
    )
    assert [t.name for t in relations.allowed_types(types, "therapy", "target")] == ["acts_on"]
    assert [t.name for t in relations.allowed_types(types, "expert", "outcome")] == ["reports"]
    assert relations.allowed_types(types, "target", "therapy") == []


def test_add_and_read_a_chain(db: Database, doc: str, chain: dict[str, str]) -> None:
    a = relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])
    o = relations.add_relation(
        db, doc, "ana", "has_outcome", chain["therapy"], chain["outcome"], note="phase 2"
    )
    r = relations.add_relation(db, doc, "ana", "reports", chain["expert"], chain["outcome"])
    assert (a.type, a.head, a.tail, a.revision, a.origin) == (
        "acts_on",
        chain["therapy"],
        chain["target"],
        1,
        "manual",
    )
    assert relations.relations_for(db, doc) == [a, o, r]
    assert relations.relations_for(db, doc, "bo") == []
    assert relations.get_relation(db, o.uid).note == "phase 2"
    assert relations.relations_of_span(db, chain["outcome"]) == [o, r]
    assert relations.relation_counts(db, doc) == {"ana": 3}


def test_rules_refuse_with_a_message_naming_labels(
    db: Database, doc: str, chain: dict[str, str]
) -> None:
    with pytest.raises(RelationRuleError, match="acts_on relation goes from therapy to target; "
                       "this one would go from therapy to outcome"):  # fmt: skip
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["outcome"])
    with pytest.raises(RelationRuleError, match=r"unknown relation type 'cures' \(relation types: "
                       "acts_on, has_outcome, reports\\)"):  # fmt: skip
        relations.add_relation(db, doc, "ana", "cures", chain["therapy"], chain["target"])
    with pytest.raises(RelationRuleError, match="two different spans"):
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["therapy"])
    with pytest.raises(NotFoundError, match="no span with id nope"):
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], "nope")
    assert relations.relations_for(db, doc, include_deleted=True) == []


def test_ends_must_be_live_and_in_the_layer(db: Database, doc: str, chain: dict[str, str]) -> None:
    other = tag(db, doc, "Imatinib", "therapy", curator="bo")
    with pytest.raises(RelationRuleError, match="“Imatinib” belongs to another curator's layer"):
        relations.add_relation(db, doc, "ana", "acts_on", other, chain["target"])
    (doc2,) = add_documents(db, "JAK2 again.")
    with pytest.raises(RelationRuleError, match="in another document"):
        relations.add_relation(db, doc2, "ana", "acts_on", chain["therapy"], chain["target"])
    annotate.delete_span(db, chain["target"])
    with pytest.raises(RelationRuleError, match="the tail “JAK2” is deleted"):
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])


def test_each_end_is_checked_in_order_head_first(
    db: Database, doc: str, chain: dict[str, str]
) -> None:
    """The ends are read in one statement; the refusal still names the head first,
    then the tail, and a curator new to the database is refused as another layer
    without being left behind."""
    with pytest.raises(NotFoundError, match=r"no span with id gone \(the relation's head\)"):
        relations.add_relation(db, doc, "ana", "acts_on", "gone", "nope")
    with pytest.raises(NotFoundError, match=r"no span with id nope \(the relation's tail\)"):
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], "nope")
    annotate.delete_span(db, chain["therapy"])
    annotate.delete_span(db, chain["target"])
    with pytest.raises(RelationRuleError, match="the head “Ruxolitinib” is deleted"):
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])
    with pytest.raises(RelationRuleError, match="“Ruxolitinib” belongs to another curator's"):
        relations.add_relation(db, doc, "newcomer", "acts_on", chain["therapy"], chain["target"])
    assert "newcomer" not in curator_names(db)
    assert relations.relations_for(db, doc, include_deleted=True) == []


def test_the_same_live_relation_is_refused_once_deleted_it_may_come_again(
    db: Database, doc: str, chain: dict[str, str]
) -> None:
    first = relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])
    with pytest.raises(RelationRuleError, match="“Ruxolitinib” acts_on “JAK2” is already there"):
        relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])
    relations.delete_relation(db, first.uid)
    again = relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])
    with pytest.raises(RelationRuleError, match="already there"):
        relations.restore_relation(db, first.uid)
    assert [r.uid for r in relations.relations_for(db, doc)] == [again.uid]


def test_edits_bump_revision_and_refuse_stale_ones(
    db: Database, doc: str, chain: dict[str, str]
) -> None:
    rel = relations.add_relation(db, doc, "ana", "reports", chain["expert"], chain["target"])
    noted = relations.set_relation_note(db, rel.uid, "quoted", rel.revision)
    assert (noted.note, noted.revision) == ("quoted", 2)
    with pytest.raises(StaleEditError):
        relations.set_relation_note(db, rel.uid, "late", rel.revision)
    gone = relations.delete_relation(db, rel.uid, noted.revision)
    assert gone.deleted and relations.relations_for(db, doc) == []
    back = relations.restore_relation(db, rel.uid, gone.revision)
    assert not back.deleted and back.revision == 4
    assert relations.get_relation(db, rel.uid) == back


def test_retype_checks_the_new_rules(db: Database, doc: str, chain: dict[str, str]) -> None:
    rel = relations.add_relation(db, doc, "ana", "reports", chain["expert"], chain["outcome"])
    with pytest.raises(RelationRuleError, match="has_outcome relation goes from therapy"):
        relations.retype_relation(db, rel.uid, "has_outcome")
    swap = relations.add_relation(db, doc, "ana", "has_outcome", chain["therapy"], chain["outcome"])
    assert relations.get_relation(db, swap.uid).type == "has_outcome"
    with pytest.raises(RelationRuleError, match="acts_on relation goes from therapy to target"):
        relations.retype_relation(db, swap.uid, "acts_on")
    assert relations.get_relation(db, swap.uid).revision == 1


def test_deleting_a_span_tombstones_its_relations_at_the_same_time(
    db: Database, doc: str, chain: dict[str, str]
) -> None:
    acts = relations.add_relation(db, doc, "ana", "acts_on", chain["therapy"], chain["target"])
    outc = relations.add_relation(db, doc, "ana", "has_outcome", chain["therapy"], chain["outcome"])
    told = relations.add_relation(db, doc, "ana", "reports", chain["expert"], chain["outcome"])
    relations.delete_relation(db, outc.uid)  # deleted on its own, before the span
    earlier = stored_row(db, outc.uid).deleted_at
    span = annotate.delete_span(db, chain["therapy"])
    assert stored_row(db, acts.uid).deleted_at == span.deleted_at
    assert stored_row(db, acts.uid).revision == 2
    assert stored_row(db, outc.uid).deleted_at == earlier  # untouched
    assert [r.uid for r in relations.relations_for(db, doc)] == [told.uid]

    annotate.restore_span(db, chain["therapy"])
    assert stored_row(db, acts.uid).deleted_at is None
    assert stored_row(db, outc.uid).deleted_at == earlier  # not brought back by the undo
    assert {r.uid for r in relations.relations_for(db, doc)} == {acts.uid, told.uid}


def test_an_undone_accepted_suggestion_takes_its_relations(db: Database, doc: str) -> None:
    target = tag(db, doc, "JAK2", "target")
    start = TEXT.index("Imatinib")
    with db.write() as session:
        from curator.core.storage.models import Suggestion

        session.add(
            Suggestion(document_id=1, curator_id=1, label_id=1, start=start,
                       end=start + 8, text="Imatinib", source="test")
        )  # fmt: skip
    (pending,) = stored.pending_suggestions(db, doc, "ana")
    span = stored.accept(db, pending.id)
    rel = relations.add_relation(db, doc, "ana", "acts_on", span.uid, target)
    (gone,) = stored.unaccept(db, [pending.id])
    assert stored_row(db, rel.uid).deleted_at == annotate.get_span(db, gone.uid).deleted_at


def test_bulk_add_inside_a_transaction_is_all_or_nothing(
    db: Database, doc: str, chain: dict[str, str]
) -> None:
    items = [
        NewRelation("acts_on", chain["therapy"], chain["target"]),
        NewRelation("acts_on", chain["therapy"], chain["outcome"]),
    ]
    with pytest.raises(RelationRuleError), db.write() as session:
        relations.add_relations_in(session, doc, "ana", items, origin="imported")
    assert relations.relations_for(db, doc, include_deleted=True) == []
    with db.write() as session:
        made = relations.add_relations_in(session, doc, "ana", items[:1], origin="imported")
    assert relations.relations_for(db, doc) == made
    assert made[0].origin == "imported"


def test_relations_on_postgres(pg_url: str) -> None:
    db = open_database(pg_url)
    migrate.upgrade(db)
    try:
        (doc,) = add_documents(db, TEXT)
        therapy = tag(db, doc, "Ruxolitinib", "therapy")
        target = tag(db, doc, "JAK2", "target")
        rel = relations.add_relation(db, doc, "ana", "acts_on", therapy, target)
        with pytest.raises(StaleEditError):
            relations.set_relation_note(db, rel.uid, "x", rel.revision + 1)
        span = annotate.delete_span(db, therapy)
        assert relations.get_relation(db, rel.uid).deleted_at == span.deleted_at
        annotate.restore_span(db, therapy)
        assert relations.relations_for(db, doc) == [relations.get_relation(db, rel.uid)]
    finally:
        db.dispose()
