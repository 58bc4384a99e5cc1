"""Review decisions as undo steps, on the same QUndoStack pattern as the workspace.

As in :mod:`curator.gui.commands`, the decision is committed before the
command is pushed (a refused decision never enters the history) and the
first redo() that push() triggers is skipped; undo and redo are committed
at once through :func:`curator.core.review.adjudication.undo` and ``redo``.
"""

from __future__ import annotations

from collections.abc import Callable

from curator.core.review import adjudication as review
from curator.core.storage.db import Database
from curator.gui.done_command import DoneCommand


class ReviewStep(DoneCommand):
    def __init__(
        self,
        db: Database,
        steps: list[review.Step],
        text: str,
        changed: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self.db, self.steps, self.changed = db, steps, changed

    def undo(self) -> None:
        review.undo(self.db, self.steps)
        self.changed(f"Undone: {self.text()}")

    def apply(self) -> None:
        review.redo(self.db, self.steps)
        self.changed(f"Redone: {self.text()}")
