"""Annotate all from the search panel, once the preview was accepted: the tagging.

Undo: the session keeps one history, as for every edit (an undo reaching a
document that is not open opens it). Each document's batch is one entry of
it, named with the document's title; the open document's batch is pushed
last, so the first Ctrl+Z undoes exactly that document's batch, and each
further Ctrl+Z undoes one other document's batch, opening that document.
A per-document history would make Ctrl+Z mean different things in
different articles, and hide edits of one document behind another's.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from curator.core.errors import CancelledError, CuratorError
from curator.core.search.annotate_all import (
    Applied,
    DocumentOccurrences,
    Plan,
    apply_document,
    outcome,
)
from curator.core.storage.records import Span
from curator.core.wording import counted
from curator.gui import commands, plain_text
from curator.gui.progress_dialog import progress_dialog
from curator.gui.workspace import Workspace, shorten


def apply(
    ws: Workspace,
    plan: Plan,
    label: str,
    chosen: dict[str, list[tuple[int, int]]],
    parent: QWidget,
) -> str:
    """One transaction and one undo entry per document; what was skipped is named.

    Each document commits on its own (a few milliseconds each), so a long run
    shows its progress after a moment; Cancel stops before the next
    document, and the documents already tagged keep their batch and undo step.
    """
    open_uid = ws.document.uid if ws.document is not None else None
    todo = [d for d in plan.documents if chosen.get(d.document_uid)]
    todo.sort(key=lambda d: d.document_uid == open_uid)  # the open one's batch on top
    results: list[Applied] = []
    stopped = ""
    with progress_dialog(parent, "Tagging…", "documents") as progress:
        for done, document in enumerate(todo):
            try:
                progress(done, len(todo))
            except CancelledError:
                stopped = f"; cancelled: {counted(len(todo) - done, 'document')} not tagged"
                break
            uid = document.document_uid
            results.append(
                _apply_one(ws, plan, label, document, chosen[uid], is_open=uid == open_uid)
            )
    message = outcome(label, results) + stopped
    ws.saved.emit(message)
    problems = [_problem(r) for r in results if r.error or r.skipped]
    if problems:
        plain_text.warn(parent, "Annotate all", message, "\n".join(problems))
    return message


def _problem(result: Applied) -> str:
    """A document's failure, or its skipped occurrences with their reasons, on one line."""
    why = result.error or "; ".join(f"{s.start}-{s.end} {s.reason}" for s in result.skipped)
    return f"“{shorten(result.title, 50)}”: {why}"


def _apply_one(
    ws: Workspace,
    plan: Plan,
    label: str,
    document: DocumentOccurrences,
    keys: list[tuple[int, int]],
    *,
    is_open: bool,
) -> Applied:
    uid = document.document_uid
    where = f"“{shorten(plan.phrase, 30)}” in “{shorten(document.title, 40)}”"
    done: list[Applied] = []

    def write() -> list[Span]:
        done.append(apply_document(ws.db, ws.curator, label, document, chosen=keys, plan=plan))
        return done[0].spans

    if is_open:  # through the workspace: the article redraws its new spans
        if not ws.run(write, f"Saved: add {label} {where}"):
            return Applied(uid, document.title, error="not saved (the reason was shown)")
    else:
        try:
            write()
        except CuratorError as exc:
            return Applied(uid, document.title, error=str(exc))
        ws.written_elsewhere(done[0].spans)
    result = done[0]
    if result.spans:
        text = f"add {len(result.spans)} {label} {where}"
        commands.record_added(ws, [s.uid for s in result.spans], text)
    return result
