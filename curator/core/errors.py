"""Errors a user can act on.

Everything the CLI prints as ``error: ...`` and the GUI shows in a dialog is a
:class:`CuratorError`; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class CuratorError(Exception):
    """A problem with the user's input or environment, with a message for them."""


class InputError(CuratorError):
    """A file the user gave us is unreadable or malformed.

    The message always names the file, and the line when there is one, so the
    user can find and fix it.
    """

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class DatabaseError(CuratorError):
    """The database cannot be opened, upgraded or written as asked."""


class StaleEditError(CuratorError):
    """An edit was based on a revision of a span that someone else changed since."""


class NotFoundError(CuratorError):
    """A document, span, label or curator named by the user does not exist."""


class CancelledError(CuratorError):
    """The user stopped a long operation; raised from its progress callback.

    Operations raise it before their transaction commits, so a cancelled
    import or merge leaves the database exactly as it was.
    """
