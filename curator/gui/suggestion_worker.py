"""A document's first suggestions, computed in a thread while the curator works.

Matching the lexicons and patterns over a 1 MB article takes a second or
two of CPU. Done on the GUI thread it held the window back (before it was
shown, or frozen after); here it runs in a thread and the panel is told on
the GUI thread when the rows are stored. Typing goes on meanwhile: the core
matches outside any transaction (an edit never waits for the write lock
behind it), and while the thread runs, Python switches threads every
millisecond instead of every five, so a key press waits at most about that
long for the interpreter.
"""

from __future__ import annotations

import contextlib
import sys
import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from curator.core.errors import CuratorError
from curator.core.storage.db import Database
from curator.core.suggest import stored as suggestions
from curator.gui.after_paint import after_first_paint

SWITCH_INTERVAL_S = 0.001


class _Switching:
    """Shorter thread switches while any computation runs; the usual interval after."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._usual = sys.getswitchinterval()

    def enter(self) -> None:
        with self._lock:
            if self._running == 0:
                self._usual = sys.getswitchinterval()
                sys.setswitchinterval(min(self._usual, SWITCH_INTERVAL_S))
            self._running += 1

    def leave(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                sys.setswitchinterval(self._usual)


_switching = _Switching()


class FirstSuggestions(QObject):
    """Runs :func:`~curator.core.suggest.stored.compute` off the GUI thread.

    The caller has decided that this is a first opening
    (:func:`~curator.core.suggest.stored.is_first_open`) when it opened the document.
    """

    # document uid, curator, whether anything was computed; error message or "".
    # Emitted from the thread: Qt queues it to the GUI thread, where the panel lives.
    done = Signal(str, str, bool, str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._threads: dict[tuple[str, str], threading.Thread] = {}
        self._scheduled: set[tuple[str, str]] = set()  # waiting for a paint to start

    def start_after_paint(self, widget: QWidget, document_uid: str, curator: str) -> None:
        """Start once *widget* was painted next (at once when it is not shown)."""
        if not widget.isVisible():
            self.start(document_uid, curator)
            return
        key = (document_uid, curator)
        self._scheduled.add(key)

        def go() -> None:
            self._scheduled.discard(key)
            self.start(document_uid, curator)

        after_first_paint(widget, go)

    def start(self, document_uid: str, curator: str) -> None:
        """Compute in the background, unless that document and curator are already under way."""
        key = (document_uid, curator)
        if key in self._threads:
            return
        thread = threading.Thread(target=self._run, args=key, name="first-suggestions", daemon=True)
        self._threads[key] = thread
        thread.start()

    def busy(self) -> bool:
        """A computation is due, running, or its result has not reached the panel yet."""
        return bool(self._threads or self._scheduled)

    def wait(self, timeout_s: float | None = None) -> None:
        """Let running computations finish (before the database is closed)."""
        for thread in list(self._threads.values()):
            thread.join(timeout_s)

    def _run(self, document_uid: str, curator: str) -> None:
        _switching.enter()
        try:
            suggestions.compute(self.db, document_uid, curator)
            computed, message = True, ""
        except CuratorError as exc:
            computed, message = False, str(exc)
        except Exception as exc:
            computed, message = False, f"{type(exc).__name__}: {exc}"
        finally:
            _switching.leave()
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self.done.emit(document_uid, curator, computed, message)

    def finished(self, document_uid: str, curator: str) -> None:
        """Forget a finished computation (called by the receiver, on the GUI thread)."""
        self._threads.pop((document_uid, curator), None)
