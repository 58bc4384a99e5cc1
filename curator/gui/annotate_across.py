"""Annotate all from the search panel: the searched phrase in every document found.

The preview lists each document with its occurrences in context, each with
a checkbox (a document's box ticks or unticks all of its own). Occurrences
the curator already tagged with the label are shown, greyed, never tagged
twice; those crossing a span of theirs are shown unticked. The label is
chosen with its key (1–4) as in the in-document dialog; it starts as the
phrase's own label when the curator tagged it with one label elsewhere,
else none: never silently the last one used. Enter tags, Escape cancels.

Undo: the session keeps one history, as for every edit (an undo reaching a
document that is not open opens it). Each document's batch is one entry of
it, named with the document's title; the open document's batch is pushed
last, so the first Ctrl+Z undoes exactly that document's batch, and each
further Ctrl+Z undoes one other document's batch, opening that document.
A per-document history would make Ctrl+Z mean different things in
different articles, and hide edits of one document behind another's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CancelledError, CuratorError
from curator.core.search.annotate_all import (
    NEW,
    TAGGED,
    Applied,
    DocumentOccurrences,
    Options,
    Plan,
    apply_document,
    find_occurrences,
    outcome,
)
from curator.core.storage.records import LabelInfo, Span
from curator.core.wording import counted
from curator.gui import commands, plain_text
from curator.gui.phrase_options import PhraseOptions
from curator.gui.progress_dialog import progress_dialog
from curator.gui.workspace import Workspace, shorten

KEY = Qt.ItemDataRole.UserRole  # a document item: its uid; an occurrence: (start, end)
Key = tuple[str, int, int]  # document uid, start, end
Finder = Callable[[Options], Plan]


class AnnotateAcrossDialog(QDialog):
    """The preview: documents and occurrences to tick, the label, the counts."""

    def __init__(
        self, find: Finder, labels: list[LabelInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotateAcrossDialog")
        self.setWindowTitle("Annotate all in the documents found")
        self._find = find
        self.plan = find(Options())
        self._ticks: dict[Key, Qt.CheckState] = {}  # what the curator ticked, kept across redraws
        self._building = False
        self.row = PhraseOptions(labels, self.plan.default_label())
        self.row.label_box.setObjectName("annotateAcrossLabel")
        self.label_box, self.whole_words, self.case = (
            self.row.label_box,
            self.row.whole_words,
            self.row.case,
        )
        self.summary = plain_text.label()
        self.summary.setObjectName("annotateAcrossSummary")
        self.summary.setWordWrap(True)
        self.tree = _occurrence_tree()
        keys = plain_text.label(
            "Space ticks or unticks · 1–4 choose the label · Enter tags · Escape cancels"
        )
        keys.setEnabled(False)  # a hint, drawn quieter than the counts
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Annotate")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(keys)
        layout.addWidget(buttons)
        self.label_box.currentIndexChanged.connect(self.redraw)
        self.whole_words.toggled.connect(self.search_again)
        self.case.toggled.connect(self.search_again)
        self.tree.itemChanged.connect(self._ticked)
        self._fit(parent)
        self.redraw()
        self.tree.setFocus()

    def _fit(self, parent: QWidget | None) -> None:
        room = (parent.window() if parent is not None else self).screen().availableGeometry()
        self.resize(min(900, room.width() - 40), min(620, room.height() - 60))

    @property
    def label(self) -> str:
        """The chosen label's name ("" while none is chosen)."""
        return self.row.label

    def options(self) -> Options:
        return Options(self.case.isChecked(), self.whole_words.isChecked())

    def search_again(self) -> None:
        """Whole words or case changed: the occurrences are found afresh."""
        self._remember()
        try:
            self.plan = self._find(self.options())
        except CuratorError as exc:
            self.summary.setText(str(exc))
            return
        self.redraw()

    # -- the tree ------------------------------------------------------------
    def _remember(self) -> None:
        for _doc, item in self._occurrence_items():
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                self._ticks[self._key(item)] = item.checkState(0)

    def _key(self, item: QTreeWidgetItem) -> Key:
        parent = item.parent()
        assert parent is not None
        start, end = item.data(0, KEY)
        return str(parent.data(0, KEY)), start, end

    def _documents(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _occurrence_items(self) -> list[tuple[QTreeWidgetItem, QTreeWidgetItem]]:
        found: list[tuple[QTreeWidgetItem, QTreeWidgetItem]] = []
        for doc in self._documents():
            children = (doc.child(j) for j in range(doc.childCount()))
            found.extend((doc, child) for child in children if child is not None)
        return found

    def redraw(self) -> None:
        """The documents and occurrences as they stand for the chosen label."""
        self._remember()
        self._building = True
        self.tree.clear()
        label = self.label
        self.row.set_phrase(shorten(self.plan.phrase, 40))
        for document in self.plan.documents:
            self.tree.addTopLevelItem(self._document_item(document, label))
        self.tree.expandAll()
        self._building = False
        first = self._documents()[:1]
        if first:
            self.tree.setCurrentItem(first[0])
        self._count()

    def _document_item(self, document: DocumentOccurrences, label: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, KEY, document.document_uid)
        tagged = sum(o.status(label) == TAGGED for o in document.occurrences)
        counts = counted(len(document.occurrences), "occurrence")
        if tagged:
            counts += f", {tagged} already tagged"
        item.setText(0, f"{document.title}  ({counts})")
        item.setToolTip(0, plain_text.tooltip(f"{document.title}\n{counts}"))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        offered = tagged < len(document.occurrences)
        if offered:
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(0, Qt.CheckState.Checked)  # set from its children below
        else:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        for occurrence in document.occurrences:
            child = QTreeWidgetItem(item)
            child.setData(0, KEY, occurrence.key)
            status, reason = occurrence.status(label), occurrence.reason(label)
            shown = occurrence.context()
            child.setText(0, f"{reason}: {shown}" if reason else shown)
            child.setToolTip(0, plain_text.tooltip(f"{reason}\n{shown}" if reason else shown))
            if status == TAGGED:
                # shown, in italics and without a box: never tagged twice (greyed
                # out by disabling, it was too faint to read)
                child.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = child.font(0)
                font.setItalic(True)
                child.setFont(0, font)
                continue
            child.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            first = Qt.CheckState.Checked if status == NEW else Qt.CheckState.Unchecked
            key = (document.document_uid, *occurrence.key)
            child.setCheckState(0, self._ticks.get(key, first))
        if offered:
            item.setCheckState(0, _summed(item))
        return item

    def _ticked(self, item: QTreeWidgetItem, _column: int) -> None:
        """A document's box sets its occurrences' boxes; theirs set its own (the ones
        already tagged have none: Qt's automatic tristate would tick them along)."""
        if self._building:
            return
        self._building = True
        parent = item.parent()
        if parent is None:
            state = item.checkState(0)
            for j in range(item.childCount()):
                child = item.child(j)
                if child is not None and child.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    child.setCheckState(0, state)
        elif parent.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            parent.setCheckState(0, _summed(parent))
        self._building = False
        self._count()

    def _count(self) -> None:
        label = self.label
        chosen = self.chosen()
        n = sum(len(keys) for keys in chosen.values())
        counts = self.plan.counts(label)
        text = counts.summary(label)
        text += f". To tag: {counted(n, 'occurrence')} in {counted(len(chosen), 'document')}"
        if not label:
            text += ": choose a label (keys 1–4)"
        quiet = self.plan.searched - len(self.plan.documents)
        if quiet:
            text += (
                f". {counted(quiet, 'other document')} found by the search "
                f"{'holds' if quiet == 1 else 'hold'} no occurrence in the text"
                + (" as a whole word" if self.plan.options.whole_word else "")
            )
        self.summary.setText(text)
        self.ok_button.setEnabled(n > 0 and bool(label))

    def chosen(self) -> dict[str, list[tuple[int, int]]]:
        """The occurrences left ticked, per document, in text order."""
        result: dict[str, list[tuple[int, int]]] = {}
        for _doc, item in self._occurrence_items():
            if (
                item.flags() & Qt.ItemFlag.ItemIsUserCheckable
                and item.checkState(0) == Qt.CheckState.Checked
            ):
                uid, start, end = self._key(item)
                result.setdefault(uid, []).append((start, end))
        return result


def _summed(document: QTreeWidgetItem) -> Qt.CheckState:
    """A document's box as its offered occurrences' boxes say: all, none, or some."""
    children = (document.child(j) for j in range(document.childCount()))
    states = {
        c.checkState(0)
        for c in children
        if c is not None and c.flags() & Qt.ItemFlag.ItemIsUserCheckable
    }
    if len(states) == 1:
        return states.pop()
    return Qt.CheckState.PartiallyChecked if states else Qt.CheckState.Unchecked


def _occurrence_tree() -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName("occurrenceTree")
    tree.setHeaderHidden(True)
    tree.setColumnCount(1)
    # Each line fits the dialog (ending in "…"), no sideways scrolling.
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)
    tree.setUniformRowHeights(True)
    tree.header().setStretchLastSection(True)
    return tree


def preview_and_apply(ws: Workspace, query: str, parent: QWidget) -> str:
    """Find the searched phrase everywhere, show the preview, tag what was chosen.

    Returns what happened for the status bar ("" when cancelled); a query
    that names no one phrase raises :class:`CuratorError` with the reason.
    """
    db, curator = ws.db, ws.curator
    dialog = AnnotateAcrossDialog(
        lambda options: find_occurrences(db, curator, query, options), ws.labels, parent
    )
    if not dialog.plan.documents:
        raise CuratorError(f"“{dialog.plan.phrase}” occurs in no document's text")
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.label:
        return ""
    return apply(ws, dialog.plan, dialog.label, dialog.chosen(), parent)


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
