"""Undoable decisions on suggestions; each calls the core through the workspace.

Like every undo step (:class:`~curator.gui.done_command.DoneCommand`), the
decision is committed before the command is pushed (a refused one never
enters the history) and the first redo() that push() triggers is skipped.
Undo of an accept tombstones the span and makes the suggestion pending
again, in one transaction; redo brings the same span back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from curator.core.storage.records import Span
from curator.core.suggest import stored as suggestions
from curator.core.suggest.stored import SuggestionInfo
from curator.gui.done_command import DoneCommand
from curator.gui.workspace import Workspace

Refresh = Callable[[], None]


def _quote(s: SuggestionInfo, limit: int = 40) -> str:
    quote = " ".join(s.text.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


class _Decision(DoneCommand):
    """A decision already stored when pushed; undo and redo refresh the suggestions shown."""

    def __init__(self, ws: Workspace, refresh: Refresh, text: str) -> None:
        super().__init__(text)
        self.ws, self.refresh = ws, refresh

    def apply(self) -> None:
        self.decide()
        self.refresh()

    def undo(self) -> None:
        self.revert()
        self.refresh()

    def decide(self) -> None:
        """Store the decision again."""
        raise NotImplementedError

    def revert(self) -> None:
        """Take the decision back."""
        raise NotImplementedError


class _Accept(_Decision):
    def __init__(
        self, ws: Workspace, refresh: Refresh, ids: list[int], label: str | None, text: str
    ) -> None:
        super().__init__(ws, refresh, text)
        self.ids, self.label = ids, label

    def write(self) -> list[Span]:
        if len(self.ids) == 1:
            return [suggestions.accept(self.ws.db, self.ids[0], self.label)]
        return suggestions.accept_many(self.ws.db, self.ids)

    def decide(self) -> None:
        self.ws.run(self.write, f"Redone: {self.text()}")

    def revert(self) -> None:
        def act() -> list[Span]:
            infos = [suggestions.get_suggestion(self.ws.db, i) for i in self.ids]
            revisions = {
                s.annotation_uid: rev
                for s in infos
                if s.annotation_uid and (rev := self.ws.revision(s.annotation_uid)) is not None
            }
            return suggestions.unaccept(self.ws.db, self.ids, revisions)

        self.ws.run(act, f"Undone: {self.text()}")


def accept(
    ws: Workspace, refresh: Refresh, items: Sequence[SuggestionInfo], label: str | None = None
) -> list[Span]:
    """Accept one suggestion (optionally as *label*) or several, as one undoable step."""
    if not items:
        return []
    if len(items) == 1:
        text = f"accept {label or items[0].label} “{_quote(items[0])}”"
    else:
        text = f"accept {len(items)} suggested {items[0].label} spans"
    command = _Accept(ws, refresh, [s.id for s in items], label, text)
    created: list[Span] = []

    def act() -> list[Span]:
        created.extend(command.write())
        return created

    if ws.run(act, f"Saved: {text}"):
        ws.undo_stack.push(command)
    refresh()
    return created


class _Reject(_Decision):
    def __init__(self, ws: Workspace, refresh: Refresh, sid: int, text: str) -> None:
        super().__init__(ws, refresh, text)
        self.sid = sid

    def decide(self) -> None:
        self.ws.run(lambda: _nothing(suggestions.reject(self.ws.db, self.sid)), self.text())

    def revert(self) -> None:
        self.ws.run(
            lambda: _nothing(suggestions.unreject(self.ws.db, self.sid)),
            f"Undone: {self.text()}",
        )


def _nothing(_: object) -> list[Span]:
    """A decision that changes no span: the workspace has nothing to publish."""
    return []


def reject(ws: Workspace, refresh: Refresh, item: SuggestionInfo) -> None:
    text = f"reject {item.label} “{_quote(item)}”"
    command = _Reject(ws, refresh, item.id, text)
    if ws.run(lambda: _nothing(suggestions.reject(ws.db, item.id)), f"Saved: {text}"):
        ws.undo_stack.push(command)
    refresh()
