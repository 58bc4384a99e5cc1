"""One QUndoCommand per kind of edit; each calls the core through the workspace.

The edit is made before the command is pushed (so a refused edit never
enters the history) and the first redo() that push() triggers is skipped
(:class:`~curator.gui.done_command.DoneCommand`).
Undo and redo are edits like any other: committed at once, with the revision
check, and tombstones instead of hard deletes.
"""

from __future__ import annotations

from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.concepts import Concept
from curator.core.storage.records import AnySpan, Span
from curator.gui.done_command import DoneCommand
from curator.gui.workspace import Workspace, describe


class _Command(DoneCommand):
    def __init__(self, ws: Workspace, text: str) -> None:
        super().__init__(text)
        self.ws = ws

    def _rev(self, uid: str) -> int | None:
        return self.ws.revision(uid)


def add_spans(ws: Workspace, items: list[NewSpan], origin: str = "manual") -> list[Span]:
    """Add one or several spans as one undoable step; returns them as stored."""
    doc = ws.document
    if doc is None or not items:
        return []
    created: list[Span] = []

    def act() -> list[Span]:  # the open article's text: the quotes are cut, not read
        added = annotate.add_spans(ws.db, doc.uid, ws.curator, items, origin=origin, text=doc.text)
        created.extend(added)
        return created

    if len(items) == 1:
        label = f"add {items[0].label} “{doc.text[items[0].start : items[0].end]}”"
    else:
        label = f"add {len(items)} {items[0].label} spans"
    if not ws.run(act, f"Saved: {label}"):
        return []
    ws.undo_stack.push(_AddSpans(ws, [s.uid for s in created], label))
    return created


def record_added(ws: Workspace, uids: list[str], text: str) -> None:
    """Spans already written (in any document) as one undoable step named *text*."""
    ws.undo_stack.push(_AddSpans(ws, uids, text))


class _AddSpans(_Command):
    def __init__(self, ws: Workspace, uids: list[str], text: str) -> None:
        super().__init__(ws, text)
        self.uids = uids

    def undo(self) -> None:
        self.ws.run(
            lambda: [annotate.delete_span(self.ws.db, u, self._rev(u)) for u in self.uids],
            f"Undone: {self.text()}",
        )

    def apply(self) -> None:
        self.ws.run(
            lambda: [annotate.restore_span(self.ws.db, u, self._rev(u)) for u in self.uids],
            f"Redone: {self.text()}",
        )


def delete_span(ws: Workspace, span: AnySpan) -> None:
    text = f"delete {describe(span)}"
    rev = ws.revision(span.uid)
    if ws.run(lambda: annotate.delete_span(ws.db, span.uid, rev), f"Saved: {text}"):
        ws.undo_stack.push(_DeleteSpan(ws, span.uid, text))


class _DeleteSpan(_Command):
    def __init__(self, ws: Workspace, uid: str, text: str) -> None:
        super().__init__(ws, text)
        self.uid = uid

    def undo(self) -> None:
        self.ws.run(
            lambda: annotate.restore_span(self.ws.db, self.uid, self._rev(self.uid)),
            f"Undone: {self.text()}",
        )

    def apply(self) -> None:
        self.ws.run(
            lambda: annotate.delete_span(self.ws.db, self.uid, self._rev(self.uid)),
            f"Redone: {self.text()}",
        )


class _Change(_Command):
    """An edit between two values of one span: label, extent or note."""

    def __init__(self, ws: Workspace, uid: str, old: object, new: object, text: str) -> None:
        super().__init__(ws, text)
        self.uid, self.old, self.new = uid, old, new

    def write(self, value: object) -> Span:
        raise NotImplementedError

    def undo(self) -> None:
        self.ws.run(lambda: self.write(self.old), f"Undone: {self.text()}")

    def apply(self) -> None:
        self.ws.run(lambda: self.write(self.new), f"Redone: {self.text()}")

    @classmethod
    def make(cls, ws: Workspace, span: AnySpan, old: object, new: object, text: str) -> None:
        if old == new:
            return
        command = cls(ws, span.uid, old, new, text)
        if ws.run(lambda: command.write(new), f"Saved: {text}"):
            ws.undo_stack.push(command)


class _Relabel(_Change):
    def write(self, value: object) -> Span:
        assert isinstance(value, str)
        return annotate.relabel_span(self.ws.db, self.uid, value, self._rev(self.uid))


class _Resize(_Change):
    def write(self, value: object) -> Span:
        assert isinstance(value, tuple)
        start, end = value
        return annotate.resize_span(self.ws.db, self.uid, start, end, self._rev(self.uid))


class _Note(_Change):
    def write(self, value: object) -> Span:
        assert isinstance(value, str)
        return annotate.set_note(self.ws.db, self.uid, value, self._rev(self.uid))


def relabel_span(ws: Workspace, span: AnySpan, label: str) -> None:
    _Relabel.make(ws, span, span.label, label, f"relabel {describe(span)} as {label}")


def resize_span(ws: Workspace, span: AnySpan, start: int, end: int) -> None:
    doc = ws.document
    assert doc is not None
    quote = doc.text[start:end]
    _Resize.make(
        ws, span, (span.start, span.end), (start, end), f"resize {span.label} to “{quote}”"
    )


def edit_note(ws: Workspace, span: AnySpan, note: str) -> None:
    verb = "edit note of" if note else "clear note of"
    _Note.make(ws, span, span.note, note, f"{verb} {describe(span)}")


def link_spans(
    ws: Workspace, changes: list[tuple[AnySpan, tuple[Concept, ...]]], text: str
) -> bool:
    """Set the concepts of one or several spans as one undoable step (one transaction)."""
    changes = [(span, new) for span, new in changes if tuple(span.concepts) != new]
    if not changes:
        return False
    command = _Link(ws, [(s.uid, tuple(s.concepts), new) for s, new in changes], text)
    if not ws.run(command.write_new, f"Saved: {text}"):
        return False
    ws.undo_stack.push(command)
    return True


class _Link(_Command):
    def __init__(
        self,
        ws: Workspace,
        changes: list[tuple[str, tuple[Concept, ...], tuple[Concept, ...]]],
        text: str,
    ) -> None:
        super().__init__(ws, text)
        self.changes = changes

    def _write(self, new: bool) -> list[Span]:
        edits = [(uid, self._rev(uid), after if new else before)
                 for uid, before, after in self.changes]  # fmt: skip
        from curator.core.concepts import linking  # loaded by the first link, not at start

        return linking.link_spans(self.ws.db, edits)

    def write_new(self) -> list[Span]:
        return self._write(new=True)

    def undo(self) -> None:
        self.ws.run(lambda: self._write(new=False), f"Undone: {self.text()}")

    def apply(self) -> None:
        self.ws.run(self.write_new, f"Redone: {self.text()}")
