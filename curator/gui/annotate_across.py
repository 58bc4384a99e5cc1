"""Annotate all from the search panel: the searched phrase in every document found.

The preview lists each document with its occurrences in context, each with
a checkbox (a document's box ticks or unticks all of its own). Occurrences
the curator already tagged with the label are shown, greyed, never tagged
twice; those crossing a span of theirs are shown unticked. The label is
chosen with its key (1–4) as in the in-document dialog; it starts as the
phrase's own label when the curator tagged it with one label elsewhere,
else none: never silently the last one used. Enter tags, Escape cancels.
A long preview is listed a chunk of rows at a time, so the window answers
(and Escape cancels) while thousands of occurrences are put in.
Tagging, one undo step a document: :mod:`curator.gui.annotate_across_apply`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.search.annotate_all import (
    NEW,
    TAGGED,
    DocumentOccurrences,
    Occurrence,
    Options,
    Plan,
    find_occurrences,
)
from curator.core.storage.records import LabelInfo
from curator.core.wording import counted
from curator.gui import plain_text
from curator.gui.annotate_across_apply import apply
from curator.gui.phrase_options import PhraseOptions
from curator.gui.workspace import Workspace, shorten

KEY = Qt.ItemDataRole.UserRole  # a document item: its uid; an occurrence: (start, end)
Key = tuple[str, int, int]  # document uid, start, end
Finder = Callable[[Options], Plan]
CHUNK_OCCURRENCES = 400
"""Rows made between two turns of the event loop: some 30 ms on a laptop."""


class AnnotateAcrossDialog(QDialog):
    """The preview: documents and occurrences to tick, the label, the counts."""

    def __init__(
        self,
        find: Finder,
        labels: list[LabelInfo],
        parent: QWidget | None = None,
        *,
        chunk: int = CHUNK_OCCURRENCES,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotateAcrossDialog")
        self.setWindowTitle("Annotate all in the documents found")
        self._find = find
        self.plan = find(Options())
        self._ticks: dict[Key, Qt.CheckState] = {}  # what the curator ticked, kept across redraws
        self._building = False
        self._chunk = max(chunk, 1)
        self._waiting: list[DocumentOccurrences] = []  # documents not yet in the tree
        self._label_shown = ""
        self._filler = QTimer(self)
        self._filler.setSingleShot(True)
        self._filler.timeout.connect(self._fill_chunk)
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
        try:
            self.plan = self._find(self.options())
        except CuratorError as exc:
            self.summary.setText(str(exc))
            return
        self.redraw()

    # -- the tree ------------------------------------------------------------
    def _state(self, uid: str, occurrence: Occurrence, label: str) -> Qt.CheckState | None:
        """An occurrence's box: as the curator ticked it, else ticked when new (None: no box).

        Kept apart from the tree, so the counts and :meth:`chosen` never walk
        thousands of rows, and hold for the documents not yet listed.
        """
        status = occurrence.status(label)
        if status == TAGGED:
            return None
        first = Qt.CheckState.Checked if status == NEW else Qt.CheckState.Unchecked
        return self._ticks.get((uid, *occurrence.key), first)

    def _key(self, item: QTreeWidgetItem) -> Key:
        parent = item.parent()
        assert parent is not None
        start, end = item.data(0, KEY)
        return str(parent.data(0, KEY)), start, end

    def redraw(self) -> None:
        """The documents and occurrences as they stand for the chosen label.

        The tree is filled a chunk of about :data:`CHUNK_OCCURRENCES` at a
        time, the first one at once: thousands of rows made in one go held
        the window frozen for a second or more. Meanwhile the counts line
        says how far the listing is, Annotate waits, and Escape cancels.
        """
        self._filler.stop()
        self.tree.clear()
        self._label_shown = self.label
        self._waiting = list(self.plan.documents)
        self._waiting.reverse()  # popped from the end: text order
        self.row.set_phrase(shorten(self.plan.phrase, 40))
        self._fill_chunk()

    @property
    def filling(self) -> bool:
        """The tree is still being filled."""
        return bool(self._waiting)

    def _fill_chunk(self) -> None:
        self._building = True
        rows = 0
        while self._waiting and rows < self._chunk:
            document = self._waiting.pop()
            item = self._document_item(document, self._label_shown)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            rows += len(document.occurrences) + 1
        self._building = False
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        if self._waiting:
            self._filler.start()
        self._count()

    def done(self, result: int) -> None:
        """Closed (Escape or a button): a listing under way stops with it."""
        self._filler.stop()
        self._waiting = []
        super().done(result)

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
            state = self._state(document.document_uid, occurrence, label)
            child.setCheckState(0, state or Qt.CheckState.Unchecked)
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
                    self._ticks[self._key(child)] = state
        else:
            self._ticks[self._key(item)] = item.checkState(0)
            if parent.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                parent.setCheckState(0, _summed(parent))
        self._building = False
        self._count()

    def _count(self) -> None:
        if self.filling:
            listed, total = self.tree.topLevelItemCount(), len(self.plan.documents)
            self.summary.setText(
                f"Finding occurrences… {listed} of {counted(total, 'document')} listed "
                "· Escape cancels"
            )
            self.ok_button.setEnabled(False)
            return
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
        label, checked = self.label, Qt.CheckState.Checked
        result: dict[str, list[tuple[int, int]]] = {}
        for document in self.plan.documents:
            uid = document.document_uid
            keys = [o.key for o in document.occurrences if self._state(uid, o, label) == checked]
            if keys:
                result[uid] = keys
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
