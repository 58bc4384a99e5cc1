"""One QUndoCommand per kind of relation edit, on the workspace's undo stack.

Same pattern as :mod:`curator.gui.commands`: the edit is made before the
command is pushed (a refused edit never enters the history), the first
redo() that push() triggers is skipped, and undo is an edit like any other
(committed at once, with the revision check, a tombstone instead of a
hard delete). Span and relation edits share one stack, so Ctrl+Z walks
back through both in the order they were made.
"""

from __future__ import annotations

from curator.core import relations as core
from curator.core.storage.records import RelationRecord
from curator.gui.done_command import DoneCommand
from curator.gui.relations.state import RelationState
from curator.gui.workspace import describe


def describe_relation(state: RelationState, rec: RelationRecord, limit: int = 30) -> str:
    """A relation as the status bar and the undo menu name it: head type tail."""
    spans = state.ws.spans
    head, tail = spans.get(rec.head), spans.get(rec.tail)
    head_text = describe(head, limit) if head is not None else "a deleted span"
    tail_text = describe(tail, limit) if tail is not None else "a deleted span"
    return f"{head_text} {rec.type} {tail_text}"


class _Command(DoneCommand):
    def __init__(self, state: RelationState, uid: str, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.uid = uid

    def _delete(self, message: str) -> None:
        db, uid, rev = self.state.ws.db, self.uid, self.state.revision(self.uid)
        self.state.run(lambda: core.delete_relation(db, uid, rev), message)

    def _restore(self, message: str) -> None:
        db, uid, rev = self.state.ws.db, self.uid, self.state.revision(self.uid)
        self.state.run(lambda: core.restore_relation(db, uid, rev), message)


def add_relation(
    state: RelationState, type_name: str, head_uid: str, tail_uid: str
) -> RelationRecord | None:
    """Link two spans of the open document as one undoable step; returns what was stored."""
    ws = state.ws
    doc = ws.document
    head, tail = ws.spans.get(head_uid), ws.spans.get(tail_uid)
    if doc is None or head is None or tail is None:
        return None
    text = f"relate {describe(head, 30)} {type_name} {describe(tail, 30)}"
    stored = state.run(
        lambda: core.add_relation(ws.db, doc.uid, ws.curator, type_name, head_uid, tail_uid),
        f"Saved: {text}",
    )
    if stored is not None:
        ws.undo_stack.push(_AddRelation(state, stored.uid, text))
    return stored


class _AddRelation(_Command):
    def undo(self) -> None:
        self._delete(f"Undone: {self.text()}")

    def apply(self) -> None:
        self._restore(f"Redone: {self.text()}")


def delete_relation(state: RelationState, rec: RelationRecord) -> bool:
    text = f"delete relation {describe_relation(state, rec)}"
    db, rev = state.ws.db, state.revision(rec.uid)
    stored = state.run(lambda: core.delete_relation(db, rec.uid, rev), f"Saved: {text}")
    if stored is not None:
        state.ws.undo_stack.push(_DeleteRelation(state, rec.uid, text))
    return stored is not None


class _DeleteRelation(_Command):
    def undo(self) -> None:
        self._restore(f"Undone: {self.text()}")

    def apply(self) -> None:
        self._delete(f"Redone: {self.text()}")


def edit_relation_note(state: RelationState, rec: RelationRecord, note: str) -> None:
    if note == rec.note:
        return
    verb = "edit note of" if note else "clear note of"
    text = f"{verb} relation {describe_relation(state, rec)}"
    command = _Note(state, rec.uid, text, rec.note, note)
    if command.write(note, f"Saved: {text}"):
        state.ws.undo_stack.push(command)


class _Note(_Command):
    def __init__(self, state: RelationState, uid: str, text: str, old: str, new: str) -> None:
        super().__init__(state, uid, text)
        self.old, self.new = old, new

    def write(self, note: str, message: str) -> bool:
        db, uid, rev = self.state.ws.db, self.uid, self.state.revision(self.uid)
        stored = self.state.run(lambda: core.set_relation_note(db, uid, note, rev), message)
        return stored is not None

    def undo(self) -> None:
        self.write(self.old, f"Undone: {self.text()}")

    def apply(self) -> None:
        self.write(self.new, f"Redone: {self.text()}")
