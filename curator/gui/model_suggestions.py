"""The model's suggestions in the window: trained and computed in another process.

Training holds a core for seconds and importing spaCy takes one or two, so
neither happens in the window's process: when the open document has not yet
had the current model's proposals, or enough new decisions arrived
(:func:`curator.core.learning.retraining.training_due`), the app starts
``curator suggest --model [--train] --document UID`` as a child process
(one at a time) and, when it ends, re-reads the suggestions from the
database. The window stays responsive throughout; a document opened
meanwhile is done next. The child runs the same ``suggest`` as the command
line, so strings the team tagged elsewhere since the document was first
opened arrive with the model's proposals, as with *Suggest again*.

Without spaCy (a light install) nothing is started and suggestions come
from the lexicons only; the suggestion count's tooltip says so, nothing
more. A child that fails says why in the status bar; the rule suggestions
are there regardless.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment

from curator.cli_child import PARENT_VARIABLE
from curator.core.errors import CuratorError
from curator.core.learning import model_store, retraining, tuning
from curator.core.optional import SPACY, installed
from curator.gui.workspace import Workspace

LIGHT_INSTALL = (
    "Suggestions come from the lexicons only: the model trained on the team's "
    "spans needs spaCy (the 'formats' extra)."
)


def can_run() -> bool:
    """A child ``curator`` can be started and has spaCy (not in the desktop build)."""
    return installed(SPACY) and not getattr(sys, "frozen", False)


class ModelSuggestions(QObject):
    """Starts the background runs and tells the panel when new suggestions are stored."""

    def __init__(
        self,
        ws: Workspace,
        refresh: Callable[[], None],
        say: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.ws, self._refresh, self._say = ws, refresh, say
        self._failures = 0
        self.enabled = can_run() and model_store.models_folder(ws.db) is not None
        try:
            self.enabled = self.enabled and tuning.in_background()
        except CuratorError:
            self.enabled = False  # the command line names the bad value; the app keeps going
        self.process: QProcess | None = None
        self._running_for: str | None = None
        self._waiting = False  # another run was asked for while one was running
        self._done: set[tuple[str, str, str]] = set()  # (document, curator, model source)
        self._edits = 0

    def wire(self) -> None:
        self.ws.document_opened.connect(lambda _doc: self.check())
        self.ws.curator_changed.connect(lambda _name: self.check())
        self.ws.span_changed.connect(lambda _span, _old: self._count_edit())

    def stop(self) -> None:
        """End a run still going (the window closes): the next start redoes it."""
        process, self.process = self.process, None
        if process is not None:
            process.finished.disconnect()
            process.kill()
            process.waitForFinished(5000)

    def _count_edit(self) -> None:
        self._edits += 1
        if self._edits >= tuning.retrain_after():
            self._edits = 0
            self.check()

    def check(self) -> None:
        """Start a run when the open document lacks the model's proposals, or training is due."""
        if not self.enabled or self.ws.document is None:
            return
        if self.process is not None:
            self._waiting = True
            return
        try:
            due = retraining.training_due(self.ws.db)
            found = model_store.current_model(self.ws.db)
        except CuratorError:
            return  # the database is busy or gone: the next edit or open asks again
        source = found.manifest.source if found and found.manifest and found.usable else None
        key = (self.ws.document.uid, self.ws.curator, source or "")
        if due is None and (source is None or key in self._done):
            return
        self._start(self.ws.document.uid, train=due is not None)

    def _start(self, document_uid: str, *, train: bool) -> None:
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("CURATOR_DB", self.ws.db.url)  # not in argv: a server URL may hold a password
        env.insert("CURATOR_NAME", self.ws.curator)
        env.insert(PARENT_VARIABLE, str(os.getpid()))  # ends with this window's process
        process.setProcessEnvironment(env)
        args = ["-m", "curator", "-q", "suggest", "--model", "--document", document_uid, "--json"]
        if train:
            args.insert(5, "--train")
        process.setProgram(sys.executable)
        process.setArguments(args)
        process.finished.connect(lambda code, _status: self._finished(process, code))
        self.process, self._running_for = process, document_uid
        if train:
            self._say("Training the suggestion model in the background…")
        process.start()

    def _finished(self, process: QProcess, code: int) -> None:
        out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        document_uid, curator = self._running_for, self.ws.curator
        self.process, self._running_for = None, None
        process.deleteLater()
        if code == 0:
            self._failures = 0
            try:
                report = json.loads(out)
            except ValueError:
                report = {}
            source = str(report.get("model") or "")
            if document_uid is not None:
                self._done.add((document_uid, curator, source))
            added = sum(report.get("added", {}).values()) if isinstance(report, dict) else 0
            if self.ws.document is not None and self.ws.document.uid == document_uid:
                self._refresh()
            if added:
                self._say(f"{added} new suggestion(s) from {source}")
        else:
            lines = [line for line in err.splitlines() if line.strip()]
            reason = lines[-1].removeprefix("error: ") if lines else f"exit status {code}"
            self._say(f"No suggestions from the model: {reason}")
            self._failures += 1
            if self._failures >= 2:  # a lasting problem: stop starting processes that fail
                self.enabled = False
        if self._waiting:
            self._waiting = False
            self.check()
