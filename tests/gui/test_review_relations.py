"""The review window's Relations tab, driven with real keys; the curated layer checked in the DB."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from curator.core.articles import documents
from curator.core.relations import add_relation, relations_for
from curator.core.spans.annotate import NewSpan, add_span, spans_for
from curator.core.storage.db import Database
from curator.core.storage.models import ReviewDecision
from curator.gui.review import ReviewWindow
from curator.gui.review.relations import RelationsPanel

ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier
End = tuple[int, int, str]  # a span as start, end, label


def prepare(db: Database) -> tuple[str, dict[str, End]]:
    """alice and bob on the CD7 article: an agreement, an overlap and a one-sided relation."""
    doc = next(d for d in documents.list_documents(db) if "CD7" in d.title)
    text = documents.get_document(db, doc.uid).text
    car = text.index("CAR-T cell therapy")
    cd7 = text.index("CD7", car)
    second = text.index("CD7", cd7 + 1)
    remission = text.index("complete remission")
    ends = {
        "therapy": (car, car + 18, "therapy"),
        "car": (car, car + 5, "therapy"),
        "cd7": (cd7, cd7 + 3, "target"),
        "second": (second, second + 3, "target"),
        "remission": (remission, remission + 18, "outcome"),
    }

    def span(curator: str, name: str) -> str:
        start, end, label = ends[name]
        return add_span(db, doc.uid, curator, NewSpan(start, end, label)).uid

    a = {name: span("alice", name) for name in ("therapy", "cd7", "remission")}
    b = {name: span("bob", name) for name in ("therapy", "car", "cd7", "second", "remission")}
    add_relation(db, doc.uid, "alice", "acts_on", a["therapy"], a["cd7"])
    add_relation(db, doc.uid, "alice", "has_outcome", a["therapy"], a["remission"])
    add_relation(db, doc.uid, "bob", "acts_on", b["therapy"], b["cd7"])  # agreement
    add_relation(db, doc.uid, "bob", "has_outcome", b["car"], b["remission"])  # overlap
    add_relation(db, doc.uid, "bob", "acts_on", b["car"], b["second"])  # bob only
    return doc.uid, ends


def curated(db: Database, uid: str) -> tuple[list[End], set[tuple[str, End, End]]]:
    """The curated layer of rita: its spans, and its relations by what they link."""
    spans = {s.uid: (s.start, s.end, s.label) for s in spans_for(db, uid, "rita")}
    links = {(r.type, spans[r.head], spans[r.tail]) for r in relations_for(db, uid, "rita")}
    return sorted(spans.values()), links


def open_relations(qtbot, db: Database) -> tuple[ReviewWindow, RelationsPanel]:  # type: ignore[no-untyped-def]
    review = ReviewWindow(db, "rita")
    qtbot.addWidget(review)
    with qtbot.waitActive(review):
        review.show()
        review.activateWindow()
    review.table.setFocus()
    QTest.keyClick(review.table, Qt.Key.Key_L, ALT)  # the tab's mnemonic
    QApplication.processEvents()
    panel = review.relations
    assert review.tabs.currentWidget() is panel
    assert panel.table.hasFocus()
    return review, panel


def choose(panel: RelationsPanel, kind: str) -> int:
    row = next(i for i, item in enumerate(panel.model.items) if item.difference.kind == kind)
    rect = panel.table.visualRect(panel.model.index(row, 2))
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.table.currentIndex().row() == row
    return row


def key(panel: RelationsPanel, which: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
    QTest.keyClick(panel.table, which, mods)
    QApplication.processEvents()


def test_relation_differences_are_listed_and_decided_by_key(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, ends = prepare(samples_db)
    review, panel = open_relations(qtbot, samples_db)
    model = panel.model
    assert sorted(i.difference.kind for i in model.items) == ["agreement", "one_side", "overlap"]
    shown = {
        model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(1, 5)]
        for r in range(model.rowCount())
    }
    assert shown["one side only"] == [
        "acts_on", "therapy “CAR-T” → target “CD7”", "bob only", "pending"
    ]  # fmt: skip
    assert shown["ends match only by overlap"][0] == "has_outcome"
    assert shown["ends match only by overlap"][2] == "alice + bob"
    assert review.tabs.tabText(1) == "Re&lations (0/3)"
    assert curated(samples_db, uid) == ([], set())

    # Enter takes the agreed relation with both its ends.
    row = choose(panel, "agreement")
    key(panel, Qt.Key.Key_Return)
    acts_on = ("acts_on", ends["therapy"], ends["cd7"])
    assert curated(samples_db, uid) == (sorted([ends["therapy"], ends["cd7"]]), {acts_on})
    assert model.items[row].status == "accepted: alice"
    message = review.statusBar().currentMessage()
    assert message.startswith("✓ Saved: accept alice: acts_on therapy “CAR-T cell therapy”")
    # The totals are said once, in the tab's counts line, not again in the status bar.
    totals = "alice and bob: 3 relation differences (1 agreement), 1 decided, 1 accepted"
    assert panel.counts.text() == totals
    assert "relation differences" not in message

    # The curators differ: Enter only explains; Alt+2 takes bob's, Alt+1 then alice's too,
    # reusing the curated spans already there (no span twice).
    row = choose(panel, "overlap")
    key(panel, Qt.Key.Key_Return)
    assert "Alt+1 or Alt+2" in review.statusBar().currentMessage()
    assert len(curated(samples_db, uid)[1]) == 1
    key(panel, Qt.Key.Key_2, ALT)
    bobs = ("has_outcome", ends["car"], ends["remission"])
    spans = sorted([ends["therapy"], ends["car"], ends["cd7"], ends["remission"]])
    assert curated(samples_db, uid) == (spans, {acts_on, bobs})
    choose(panel, "overlap")
    key(panel, Qt.Key.Key_1, ALT)
    alices = ("has_outcome", ends["therapy"], ends["remission"])
    assert curated(samples_db, uid) == (spans, {acts_on, bobs, alices})
    assert model.items[row].status == "accepted: alice + bob"
    assert all(r.origin == "adjudicated" for r in relations_for(samples_db, uid, "rita"))

    # X rejects bob's one-sided relation: nothing is added.
    row = choose(panel, "one_side")
    key(panel, Qt.Key.Key_X)
    assert curated(samples_db, uid) == (spans, {acts_on, bobs, alices})
    assert model.items[row].status == "rejected"
    assert review.tabs.tabText(1) == "Re&lations (3/3)"
    assert len(relations_for(samples_db, uid, "bob")) == 3  # the curators' own layers untouched
    key(panel, Qt.Key.Key_N, ALT)  # back to the spans
    assert review.tabs.currentWidget() is review.lower_panel
    assert review.table.hasFocus()


def test_a_rejection_takes_an_accepted_relation_back_out(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, ends = prepare(samples_db)
    review, panel = open_relations(qtbot, samples_db)
    model = panel.model
    row = choose(panel, "one_side")
    key(panel, Qt.Key.Key_A)
    assert curated(samples_db, uid)[1] == {("acts_on", ends["car"], ends["second"])}
    assert model.items[row].status == "accepted: bob"
    assert panel.table.currentIndex().row() != row  # on to the next pending difference
    choose(panel, "one_side")
    key(panel, Qt.Key.Key_Delete)
    assert model.items[row].status == "rejected"
    spans, links = curated(samples_db, uid)
    assert links == set()
    assert spans == sorted([ends["car"], ends["second"]])  # its ends stay, like any span
    choose(panel, "one_side")
    key(panel, Qt.Key.Key_1, ALT)  # alice made no relation here
    assert review.statusBar().currentMessage().startswith("alice has no relation here")
    assert curated(samples_db, uid)[1] == set()


def test_the_model_and_fewer_than_two_curators(qtbot, samples_db: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    uid, _ = prepare(samples_db)
    panel = RelationsPanel(samples_db)
    qtbot.addWidget(panel)
    text = documents.get_document(samples_db, uid).text
    panel.show_document(uid, text, ["alice", "bob"], "rita")
    qtmodeltester.check(panel.model)
    assert len(panel.model.items) == 3
    panel.show_document(uid, text, ["alice"], "rita")
    assert panel.model.items == []
    assert panel.counts.text() == "Tick two curators to compare their relations"


CTRL = Qt.KeyboardModifier.ControlModifier


def decisions(db: Database) -> int:
    with db.read() as session:
        return len(session.scalars(select(ReviewDecision.uid)).all())


def test_ctrl_z_takes_a_relation_decision_back(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, ends = prepare(samples_db)
    review, panel = open_relations(qtbot, samples_db)
    model = panel.model
    row = choose(panel, "one_side")
    key(panel, Qt.Key.Key_A)  # bob's relation, with both its ends copied into the layer
    bobs = ("acts_on", ends["car"], ends["second"])
    assert curated(samples_db, uid) == (sorted([ends["car"], ends["second"]]), {bobs})
    assert panel.table.currentIndex().row() != row  # on to the next pending difference
    key(panel, Qt.Key.Key_Z, CTRL)
    assert curated(samples_db, uid) == ([], set())  # no relation, no copied end
    assert decisions(samples_db) == 0  # nor the decision's row
    assert model.items[row].status == "pending"  # listed again, and selected
    assert panel.table.currentIndex().row() == row
    assert review.tabs.tabText(1) == "Re&lations (0/3)"
    assert review.statusBar().currentMessage().startswith("Undone: accept bob: acts_on")
    key(panel, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert curated(samples_db, uid) == (sorted([ends["car"], ends["second"]]), {bobs})
    assert model.items[row].status == "accepted: bob"

    # A reject is one step too, even of both sides of a difference; undone from the
    # Spans tab, it brings the Relations tab back with the difference pending.
    row = choose(panel, "overlap")
    key(panel, Qt.Key.Key_X)
    assert model.items[row].status == "rejected"
    assert decisions(samples_db) == 3  # bob's accept, the two rejects
    key(panel, Qt.Key.Key_N, ALT)
    assert review.tabs.currentWidget() is review.lower_panel
    QTest.keyClick(review.table, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    assert review.tabs.currentWidget() is panel
    assert model.items[row].status == "pending"
    assert panel.table.currentIndex().row() == row
    assert decisions(samples_db) == 1
    assert curated(samples_db, uid) == (sorted([ends["car"], ends["second"]]), {bobs})


def test_a_span_decision_and_a_relation_decision_share_one_history(
    qtbot, samples_db: Database
) -> None:  # type: ignore[no-untyped-def]
    uid, _ = prepare(samples_db)
    review, panel = open_relations(qtbot, samples_db)
    choose(panel, "agreement")
    key(panel, Qt.Key.Key_Return)
    key(panel, Qt.Key.Key_N, ALT)
    before = curated(samples_db, uid)
    QTest.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)  # a span difference
    QApplication.processEvents()
    assert review.undo_stack.count() == 2
    QTest.keyClick(review.table, Qt.Key.Key_Z, CTRL)  # the span decision, the later one
    QApplication.processEvents()
    assert curated(samples_db, uid) == before
    assert review.undo_stack.index() == 1
    QTest.keyClick(review.table, Qt.Key.Key_Z, CTRL)  # then the relation's
    QApplication.processEvents()
    assert curated(samples_db, uid) == ([], set())
    assert decisions(samples_db) == 0


def test_three_curators_compare_relations_a_chosen_pair(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, ends = prepare(samples_db)
    cara = {
        name: add_span(samples_db, uid, "cara", NewSpan(*ends[name])).uid
        for name in ("therapy", "remission")
    }
    add_relation(samples_db, uid, "cara", "has_outcome", cara["therapy"], cara["remission"])
    review, panel = open_relations(qtbot, samples_db)
    assert review.curators() == ["alice", "bob", "cara"]
    combo = panel.pair_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "alice ↔ bob", "alice ↔ cara", "bob ↔ cara"
    ]  # fmt: skip
    assert panel.pair == ("alice", "bob")
    assert panel.counts.text().startswith("alice and bob (pair 1 of 3, Alt+P): 3 relation")
    QTest.keyClick(panel.table, Qt.Key.Key_P, ALT)
    QApplication.processEvents()
    assert combo.hasFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QApplication.processEvents()
    assert panel.pair == ("alice", "cara")  # they agree on has_outcome; acts_on is alice's
    assert review.tabs.tabText(1) == "Re&lations (0/2)"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QApplication.processEvents()
    assert panel.pair == ("bob", "cara")
    assert panel.counts.text().startswith("bob and cara (pair 3 of 3, Alt+P): ")
    assert review.tabs.tabText(1) == "Re&lations (0/3)"
    assert "relation differences" not in review.statusBar().currentMessage()  # said once
    by_kind = sorted((i.difference.kind, i.sides()[0].relation.curator) for i in panel.model.items)
    # cara agrees with bob on nothing exactly: her has_outcome overlaps bob's (CAR-T).
    assert by_kind == [("one_side", "bob"), ("one_side", "bob"), ("overlap", "bob")]
    panel.table.setFocus()
    row = choose(panel, "overlap")
    key(panel, Qt.Key.Key_2, ALT)  # the pair's second: cara
    assert curated(samples_db, uid)[1] == {
        ("has_outcome", ends["therapy"], ends["remission"])
    }  # fmt: skip
    assert panel.model.items[row].status == "accepted: cara"
    assert review.tabs.tabText(1) == "Re&lations (1/3)"
    key(panel, Qt.Key.Key_3, ALT)  # no third curator in a pair: said, nothing saved
    assert "two curators at a time: Alt+1 for bob, Alt+2 for cara" in (
        review.statusBar().currentMessage()
    )
    # Unticking cara goes back to the only pair left, and says so.
    item = review.curator_list.item(2)
    item.setCheckState(Qt.CheckState.Unchecked)
    QApplication.processEvents()
    assert panel.pair == ("alice", "bob")
    assert combo.count() == 1 and not combo.isEnabled()
    assert panel.counts.text().startswith("alice and bob: 3 relation")


def test_the_relation_totals_are_shown_once(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    """In the tab's counts line; the status bar does not say them again."""
    prepare(samples_db)
    review, panel = open_relations(qtbot, samples_db)
    totals = "alice and bob: 3 relation differences (1 agreement), 0 decided, 0 accepted"
    assert panel.counts.text() == totals and panel.counts.isVisible()
    assert totals not in review.statusBar().currentMessage()
    key(panel, Qt.Key.Key_X)  # a rejection: the message says what was saved, the line the rest
    assert panel.counts.text().endswith("1 decided, 0 accepted")
    assert review.statusBar().currentMessage().startswith("✓ Saved: reject")
    assert "relation differences" not in review.statusBar().currentMessage()
