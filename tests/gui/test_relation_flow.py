"""The relation flow from the keyboard: R, Tab, Enter (or a type key), Escape.

Spans are laid down through the core; every relation is made with real key
events on the window and checked in the database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from curator.core import relations
from curator.core.relations.evidence import evidence_rows
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.records import RelationRecord, Span
from curator.gui.main_window import MainWindow
from tests.gui.helpers import click_span, open_by_title, press, select_with_keys

Key = Qt.Key


class Keys:
    """Presses keys on the window as a curator does, and counts them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.count = 0

    def __call__(self, *keys: Key, shift: bool = False) -> None:
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        for key in keys:
            press(self.window, key, modifier)
            self.count += 1


def tag(window: MainWindow, *items: tuple[str, str, int]) -> dict[str, Span]:
    """Store spans (phrase, label, which occurrence) in the open document; by phrase."""
    doc = window.ws.document
    assert doc is not None
    new = []
    for phrase, label, nth in items:
        start = -1
        for _ in range(nth + 1):
            start = doc.text.index(phrase, start + 1)
        new.append(NewSpan(start, start + len(phrase), label))
    made = annotate.add_spans(window.ws.db, doc.uid, window.ws.curator, new)
    window.ws.reload()
    return {doc.text[s.start : s.end]: s for s in made}


def select(window: MainWindow, span: Span) -> None:
    """Click the span; C (the next span here) while a suggestion inside it took the click."""
    click_span(window, span)
    for _ in range(4):
        if window.view.selected_span() == span.uid:
            return
        press(window, Key.Key_C)
    raise AssertionError(f"clicks never selected {span.text!r}")


def stored_relations(window: MainWindow, *, include_deleted: bool = False) -> list[RelationRecord]:
    doc = window.ws.document
    assert doc is not None
    return relations.relations_for(
        window.ws.db, doc.uid, window.ws.curator, include_deleted=include_deleted
    )


def car_t(window: MainWindow) -> dict[str, Span]:
    open_by_title(window, "CAR-T")
    return tag(
        window,
        ("CAR-T cell therapy", "therapy", 0),
        ("CD7", "target", 0),
        ("complete remission", "outcome", 0),
    )


def test_r_tab_enter_links_the_nearest_allowed_target_in_three_keys(window: MainWindow) -> None:
    spans = car_t(window)
    therapy, cd7 = spans["CAR-T cell therapy"], spans["CD7"]
    select(window, therapy)
    keys = Keys(window)
    keys(Key.Key_R)
    assert window.statusBar().currentMessage() == (
        "Relation from “CAR-T cell therapy”: Tab to choose the target, Enter to link, Esc to cancel"
    )
    keys(Key.Key_Tab)
    assert window.statusBar().currentMessage() == (
        "Link to target “CD7” (1 of 2)? Enter: acts_on · Tab: next · Esc: cancel"
    )
    keys(Key.Key_Return)
    assert keys.count == 3
    (rec,) = stored_relations(window)
    assert (rec.type, rec.head, rec.tail, rec.curator) == (
        "acts_on",
        therapy.uid,
        cd7.uid,
        "tester",
    )
    assert "Saved: relate therapy “CAR-T cell therapy” acts_on target “CD7”" in (
        window.statusBar().currentMessage()
    )
    assert not window.relations.flow.active
    assert window.relations.model.rowCount() == 1


def test_a_type_key_picks_the_type_and_a_wrong_one_is_refused(window: MainWindow) -> None:
    spans = car_t(window)
    therapy, outcome = spans["CAR-T cell therapy"], spans["complete remission"]
    select(window, therapy)
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Tab)  # past CD7 to the outcome
    keys(Key.Key_A)  # acts_on does not end at an outcome: nothing stored, still choosing
    assert stored_relations(window) == []
    assert "acts_on does not link therapy to outcome" in window.statusBar().currentMessage()
    assert window.relations.flow.active
    keys(Key.Key_O)
    (rec,) = stored_relations(window)
    assert (rec.type, rec.head, rec.tail) == ("has_outcome", therapy.uid, outcome.uid)


def test_tab_offers_only_spans_the_rules_allow(window: MainWindow) -> None:
    open_by_title(window, "CAR-T")
    spans = tag(
        window,
        ("Jing Pan", "expert", 0),  # right before the head: nearest, but not a target
        ("donor-derived CD7 CAR-T cells", "therapy", 0),
        ("base-edited CAR7 T cells", "therapy", 0),  # a therapy never ends a relation
        ("complete remission", "outcome", 0),
        ("cytokine release syndrome", "outcome", 0),
    )
    head = spans["donor-derived CD7 CAR-T cells"]
    select(window, head)
    keys = Keys(window)
    keys(Key.Key_R)
    flow = window.relations.flow
    assert [c.span.label for c in flow.candidates] == ["outcome", "outcome"]
    keys(Key.Key_Tab)
    assert window.relations.overlay.ends()[:2] == (head.uid, spans["complete remission"].uid)
    keys(Key.Key_Tab)
    assert window.relations.overlay.ends()[:2] == (head.uid, spans["cytokine release syndrome"].uid)
    keys(Key.Key_Tab)  # round again: the expert and the other therapy never come up
    assert window.relations.overlay.ends()[:2] == (head.uid, spans["complete remission"].uid)
    keys(Key.Key_Tab, shift=True)
    keys(Key.Key_Return)
    (rec,) = stored_relations(window)
    assert (rec.type, rec.tail) == ("has_outcome", spans["cytokine release syndrome"].uid)


def test_a_linked_pair_is_not_offered_again(window: MainWindow) -> None:
    spans = car_t(window)
    select(window, spans["CAR-T cell therapy"])
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    keys(Key.Key_R)
    assert [c.span.uid for c in window.relations.flow.candidates] == [
        spans["complete remission"].uid
    ]
    keys(Key.Key_Escape)


def test_escape_cancels_and_nothing_is_stored(window: MainWindow) -> None:
    spans = car_t(window)
    select(window, spans["CAR-T cell therapy"])
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Escape)
    assert stored_relations(window, include_deleted=True) == []
    assert not window.relations.flow.active
    assert window.relations.overlay.ends() is None
    assert window.statusBar().currentMessage() == "Relation cancelled: nothing saved"


def test_no_allowed_target_is_said_and_no_flow_starts(window: MainWindow) -> None:
    spans = car_t(window)
    select(window, spans["CD7"])  # no relation type starts at a target
    Keys(window)(Key.Key_R)
    assert not window.relations.flow.active
    message = window.statusBar().currentMessage()
    assert message.startswith("No span here can be the target of a relation from target “CD7”")
    assert "no relation type starts at a target span" in message


def test_r_without_a_selected_span_says_what_to_do(window: MainWindow) -> None:
    car_t(window)
    window.view.setFocus()
    Keys(window)(Key.Key_R)
    assert not window.relations.flow.active
    assert "before pressing R" in window.statusBar().currentMessage()


def test_delete_in_the_table_then_undo_and_redo(window: MainWindow) -> None:
    spans = car_t(window)
    select(window, spans["CAR-T cell therapy"])
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    (rec,) = stored_relations(window)
    ui = window.relations
    ui.show_table()
    ui.table.selectRow(0)
    keys(Key.Key_Delete)
    (gone,) = stored_relations(window, include_deleted=True)
    assert gone.deleted
    assert len(annotate.spans_for(window.ws.db, rec.document_uid, "tester")) == 3  # spans kept
    assert ui.model.rowCount() == 0
    press(window, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (back,) = stored_relations(window)
    assert back.uid == rec.uid and ui.model.rowCount() == 1
    press(window, Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored_relations(window) == []


def test_deleting_a_span_takes_its_relation_and_undo_brings_both(window: MainWindow) -> None:
    spans = car_t(window)
    therapy, cd7 = spans["CAR-T cell therapy"], spans["CD7"]
    select(window, therapy)
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    (rec,) = stored_relations(window)
    select(window, cd7)
    keys(Key.Key_Delete)
    doc = rec.document_uid
    assert cd7.uid not in {s.uid for s in annotate.spans_for(window.ws.db, doc, "tester")}
    assert stored_relations(window) == []
    assert window.relations.model.rowCount() == 0
    press(window, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cd7.uid in {s.uid for s in annotate.spans_for(window.ws.db, doc, "tester")}
    (back,) = stored_relations(window)
    assert (back.uid, back.head, back.tail) == (rec.uid, therapy.uid, cd7.uid)
    assert window.relations.model.rowCount() == 1


def test_table_selection_shows_both_spans_and_follows_the_article(window: MainWindow) -> None:
    spans = car_t(window)
    therapy = spans["CAR-T cell therapy"]
    select(window, therapy)
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)  # CD7 is taken: the outcome is next
    ui = window.relations
    assert [r.type for r in ui.model.rows] == ["acts_on", "has_outcome"]
    ui.show_table()
    ui.table.selectRow(1)
    outcome = spans["complete remission"]
    assert ui.overlay.ends()[:2] == (therapy.uid, outcome.uid)
    assert window.view.selected_span() == therapy.uid
    # Clicking a span in the article shows its relation in the table.
    select(window, spans["CD7"])
    assert ui.table.current_uid() == ui.model.rows[0].uid
    assert ui.overlay.ends()[:2] == (therapy.uid, spans["CD7"].uid)


def test_the_keyboard_map_lists_r_and_each_types_key(window: MainWindow) -> None:
    from curator.gui.help import KeyboardMapDialog

    dialog = KeyboardMapDialog(window.all_actions, window, window.relations.key_rows())
    rows = dict(dialog.sections["Relating spans"])
    assert rows["R"] == "Relate selected span…"
    assert rows["O after R and Tab"] == "Link as has_outcome (therapy → outcome)"
    assert rows["Escape after R"] == "Cancel: nothing is saved"
    dialog.deleteLater()


def test_a_relation_note_is_edited_in_the_table_and_undone(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    from curator.gui.relations.table import NOTE

    spans = car_t(window)
    select(window, spans["CAR-T cell therapy"])
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    ui = window.relations
    ui.show_table()
    ui.table.setCurrentIndex(ui.model.index(0, NOTE))
    QTest.keyClick(ui.table, Key.Key_F2)
    editor = window.focusWidget()
    assert editor is not ui.table
    QTest.keyClicks(editor, "CD7 knocked out first")
    QTest.keyClick(editor, Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: stored_relations(window)[0].note == "CD7 knocked out first")
    assert ui.model.data(ui.model.index(0, NOTE)) == "CD7 knocked out first"
    press(window, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (rec,) = stored_relations(window)
    assert rec.note == ""


def test_a_chain_from_keys_alone_reaches_the_evidence_table(window: MainWindow) -> None:
    """Tag a target, an outcome and a therapy, then link therapy -> both, keys only."""
    open_by_title(window, "CAR-T")
    doc = window.ws.document
    assert doc is not None
    for phrase, key in (
        ("CD7", Key.Key_2),
        ("complete remission", Key.Key_3),
        ("CAR-T cell therapy", Key.Key_1),
    ):
        start = doc.text.index(phrase)
        select_with_keys(window, start, start + len(phrase))
        press(window, key)
    therapy = next(s for s in annotate.spans_for(window.ws.db, doc.uid) if s.label == "therapy")
    assert window.view.selected_span() == therapy.uid  # the span just tagged
    keys = Keys(window)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)
    keys(Key.Key_R, Key.Key_Tab, Key.Key_Return)  # the linked pair is not offered again
    assert keys.count == 6
    assert sorted(r.type for r in stored_relations(window)) == ["acts_on", "has_outcome"]
    (row,) = evidence_rows(window.ws.db, documents=[doc.uid])
    assert row.therapy.text == "CAR-T cell therapy"
    assert [s.text for s in row.targets] == ["CD7"]
    assert [s.text for s in row.outcomes] == ["complete remission"]
    assert row.curator == "tester"
