"""The shape every undo step of the app shares: the edit is committed before the push.

A refused edit (a stale revision, a rule of the core) then never enters
the history, and the redo() that QUndoStack.push() calls at once is skipped
so the edit is not made twice; later redos make it again through
:meth:`DoneCommand.apply`. Undo and redo are edits like any other: each
subclass commits them at once through the core.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class DoneCommand(QUndoCommand):
    """An undo step for an edit already committed when it is pushed."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._done = True  # the edit happened before push()

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.apply()

    def apply(self) -> None:
        """Make the edit again (a redo after an undo)."""
        raise NotImplementedError
