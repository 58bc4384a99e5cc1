"""What the annotation keys do to the text view's selection and the selected span.

Kept apart from the main window so the rules (snap to words, relabel when a
span is selected, move an edge by a word) live in one small place.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from curator.core.spans.annotate import NewSpan
from curator.core.spans.boundaries import snap, step
from curator.core.storage.concepts import Concept
from curator.core.storage.concepts import describe as describe_concepts
from curator.core.storage.records import LiveSpan
from curator.gui import commands
from curator.gui.annotate_all import AnnotateAllDialog
from curator.gui.note_editor import NoteDialog
from curator.gui.text_view import SpanTextView
from curator.gui.workspace import Workspace, describe


class SpanEditor(QObject):
    hint = Signal(str)  # why a key did nothing, for the status bar

    def __init__(self, ws: Workspace, view: SpanTextView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.view = view
        self.snap_words = True
        view.edge_dragged.connect(self.drag_edge)

    def selected(self) -> LiveSpan | None:
        uid = self.view.selected_span()
        return self.ws.spans.get(uid) if uid else None

    def select_span(self, uid: str | None) -> None:
        span = self.ws.spans.get(uid) if uid else None
        self.view.set_selected_span(span.uid if span else None)

    def apply_label(self, label: str) -> None:
        """A label key: tag the text selection, or else relabel the selected span."""
        if self.ws.document is None:
            return
        start, end = self.view.selection_range()
        if start < end:
            s, e = snap(self.view.text(), start, end, words=self.snap_words)
            if s >= e:
                self.hint.emit("Nothing to tag: the selection holds only spaces or punctuation")
                return
            created = commands.add_spans(self.ws, [NewSpan(s, e, label)])
            self.view.select_range(e, e)
            if created:  # selected, so another label key corrects it at once
                self.view.set_selected_span(created[0].uid)
            return
        span = self.selected()
        if span is None:
            self.hint.emit(f"Select some text (or click a span) before pressing the {label} key")
        elif span.label != label:
            commands.relabel_span(self.ws, span, label)

    def delete_selected(self) -> None:
        span = self.selected()
        if span is None:
            self.hint.emit("Click a span first to delete it")
            return
        commands.delete_span(self.ws, span)
        self.view.set_selected_span(None)

    def move_edge(self, edge: str, direction: int) -> None:
        """Grow or shrink the selected span by a word (or a character without snapping)."""
        span = self.selected()
        if span is None:
            self.hint.emit("Click a span first to adjust its edges")
            return
        text = self.view.text()
        start, end = span.start, span.end
        if edge == "start":
            start = step(text, start, direction, words=self.snap_words)
        else:
            end = step(text, end, direction, words=self.snap_words)
        if self.snap_words:
            start, end = snap(text, start, end, words=False)
        if start >= end:
            self.hint.emit("A span cannot be shrunk to nothing; press Delete to remove it")
            return
        commands.resize_span(self.ws, span, start, end)

    def drag_edge(self, uid: str, start: int, end: int) -> None:
        """An edge dragged with the mouse: one resize, snapped like a selection."""
        span = self.ws.spans.get(uid)
        if span is None:
            return
        start, end = snap(self.view.text(), start, end, words=self.snap_words)
        if start >= end:
            self.hint.emit("A span cannot be shrunk to nothing; press Delete to remove it")
        elif (start, end) != (span.start, span.end):
            commands.resize_span(self.ws, span, start, end)
        self.view.set_selected_span(uid)

    def edit_note(self) -> None:
        span = self.selected()
        if span is None:
            self.hint.emit("Click a span first to write a note on it")
            return
        dialog = NoteDialog(describe(span), span.note, self.view.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        current = self.ws.spans.get(span.uid)  # as stored now
        if current is not None and dialog.note() != current.note:
            commands.edit_note(self.ws, current, dialog.note())
        self.view.setFocus()

    def link_concept(self, parent: QWidget) -> None:
        """``L``: pick the selected span's concept in the picker; link it (or all like it)."""
        # The vocabularies and the picker load on the first L, not at every start.
        from curator.core.concepts import people
        from curator.core.concepts.linking import has_vocabulary, ranker_for
        from curator.gui.concept_picker import NEW_PERSON, ConceptPicker

        span = self.selected()
        if span is None:
            self.hint.emit("Click a span (or tag one) before pressing L to link it to a concept")
            return
        if not has_vocabulary(span.label):
            self.hint.emit(f"No vocabulary for {span.label} spans: nothing to link them to")
            return
        ranker = ranker_for(self.ws.db, span.label)
        linked = "; ".join(c.id for c in span.concepts)
        same = [s for s in self.ws.spans.values() if s.label == span.label and s.text == span.text]
        picker = ConceptPicker(
            ranker, span.text, span.label, linked=linked, same_text=len(same), parent=parent
        )
        if picker.exec() != QDialog.DialogCode.Accepted or picker.choice is None:
            return
        choice = picker.choice
        concepts: tuple[Concept, ...] = ()
        if choice.kind == NEW_PERSON:
            person = people.add_person(self.ws.db, choice.name)
            concepts = (Concept(person.concept_id, person.name),)
        elif choice.candidate is not None:
            c = choice.candidate
            concepts = (Concept(c.concept_id, c.concept_name),)
            if c.concept_id.startswith(people.PREFIX) and span.text.strip() not in c.matched:
                people.add_variant(self.ws.db, people.uid_of(c.concept_id), span.text)
        targets = same if choice.every else [span]
        what = describe_concepts(concepts) or "no concept"
        if choice.every and len(targets) > 1:
            text = f"link {len(targets)} {span.label} “{span.text}” to {what}"
        else:
            text = f"link {describe(span)} to {what}"
        commands.link_spans(self.ws, [(s, concepts) for s in targets], text)

    def annotate_all(self, parent: QWidget) -> None:
        doc = self.ws.document
        if doc is None:
            return
        start, end = self.view.selection_range()
        span = self.selected()
        if start < end:
            start, end = snap(doc.text, start, end, words=self.snap_words)
            # The selection's own span, if it has one: not the span tagged last.
            span = next(
                (s for s in self.ws.spans.values() if (s.start, s.end) == (start, end)), None
            )
        elif span is not None:
            start, end = span.start, span.end
        phrase = doc.text[start:end]
        if not phrase.strip():
            self.hint.emit("Select a phrase (or click a span) to annotate all its occurrences")
            return
        dialog = AnnotateAllDialog(
            doc.text,
            phrase,
            self.ws.labels,
            self.ws.spans.values(),
            default_label=span.label if span else None,
            parent=parent,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        label = dialog.label
        chosen = [NewSpan(s, e, label) for s, e in dialog.chosen()]
        commands.add_spans(self.ws, chosen)
