"""The Spans tab of the review window: one document's span differences, decided.

Each row of the list is one difference, classified; below it the decisions:
accept a curator's span (one button a candidate, its caption quoting the
span), reject, edit from the reviewer's own selection in any lane, or accept
every agreement of the document at once, each with an optional reason.
Every decision is committed by the core before the list shows it, and is one
step of the window's undo history; the window then reloads the document and
the list moves to the next pending difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.review import adjudication as review
from curator.core.storage.db import Database
from curator.gui import plain_text
from curator.gui.elided_button import ElidedButton
from curator.gui.review.differences_model import DifferenceTableModel
from curator.gui.review.lanes import LaneViews
from curator.gui.review.steps import ReviewStep

KEYS_HINT = (
    "Alt+1, Alt+2 …: accept that curator's span · Alt+R reject · Alt+E edit · "
    "Alt+G accept all agreements · Ctrl+Z undo · Ctrl+Shift+Z redo · Esc close"
)


class SpansPanel(QWidget):
    """The list of span differences with its decisions; the window refreshes it."""

    changed = Signal(str)  # a decision was saved, undone or redone: the message
    message = Signal(str, int)  # something to tell the reviewer, for so many ms

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        lanes: LaneViews,
        labels: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.undo_stack, self.lanes = db, undo_stack, lanes
        self.document: str | None = None
        self.text = ""
        self.curators: list[str] = []
        self.reviewer = ""
        self.model = DifferenceTableModel()
        self.table = QTableView()
        self.table.setObjectName("differenceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        lower = QVBoxLayout(self)
        lower.setContentsMargins(6, 6, 6, 6)  # inside a tab: its frame is the margin
        lower.addWidget(self.table, 1)
        lower.addLayout(self._build_actions(labels))
        self.table.selectionModel().currentRowChanged.connect(self.show_current)

    def _build_actions(self, labels: Sequence[str]) -> QVBoxLayout:
        self.accept_row = QHBoxLayout()
        self.accept_buttons: list[ElidedButton] = []
        self.reject_button = QPushButton("&Reject all")
        self.reject_button.clicked.connect(self.reject_current)
        self.label_combo = QComboBox()
        self.label_combo.addItems(list(labels))
        self.edit_button = QPushButton("&Edit: use my selection as")
        self.edit_button.setToolTip("Select text in any lane first; the label is on the right")
        self.edit_button.clicked.connect(self.edit_current)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("reason (optional), kept with the decision")
        self.all_button = QPushButton("Accept all a&greements")
        self.all_button.clicked.connect(self.accept_agreements)
        self.progress = plain_text.label()
        self.progress.setTextFormat(Qt.TextFormat.RichText)  # figures only, in bold
        self.keys_hint = plain_text.label(KEYS_HINT)
        self.keys_hint.setObjectName("reviewKeys")
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setStyleSheet("color: palette(placeholder-text);")
        row2 = QHBoxLayout()
        row2.addWidget(self.reject_button)
        row2.addWidget(self.edit_button)
        row2.addWidget(self.label_combo)
        row2.addWidget(self.reason, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.all_button)
        row3.addStretch(1)
        row3.addWidget(self.progress)
        box = QVBoxLayout()
        box.addLayout(self.accept_row)
        box.addLayout(row2)
        box.addLayout(row3)
        box.addWidget(self.keys_hint)
        return box

    # -- state ----------------------------------------------------------------
    def current_item(self) -> review.ReviewItem | None:
        row = self.table.currentIndex().row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def clear(self) -> None:
        """No document to review: an empty list."""
        self.document = None
        self.model.reset("", [])

    def show_document(
        self,
        document: str,
        text: str,
        items: list[review.ReviewItem],
        curators: Sequence[str],
        reviewer: str,
        *,
        keep_row: int = 0,
    ) -> None:
        """List *items* and select the first pending one from *keep_row* on."""
        self.document, self.text, self.reviewer = document, text, reviewer
        self.curators = list(curators)
        self.model.reset(text, items)
        done = sum(i.status != "pending" for i in items)
        self.progress.setText(f"<b>{done} of {len(items)}</b> differences decided")
        pending = [i for i, item in enumerate(items) if item.status == "pending"]
        after = [i for i in pending if i >= keep_row]
        row = (after or pending or [min(keep_row, len(items) - 1)])[0]
        if items:
            self.table.selectRow(row)
            self.show_current(self.model.index(row, 0))

    def show_current(self, _index: QModelIndex | None = None, _previous: object = None) -> None:
        """Outline the current difference in the lanes; one accept button a candidate."""
        for button in self.accept_buttons:
            self.accept_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.accept_buttons = []
        item = self.current_item()
        if item is None:
            return
        diff = item.difference
        result = (item.result_uid,) if item.result_uid else ()
        self.lanes.show_spans(diff.start, diff.uids + result)
        names = self.curators
        for i, cand in enumerate(diff.candidates):
            who = " + ".join(cand.curators)
            keys = "/".join(f"Alt+{names.index(c) + 1}" for c in cand.curators if c in names)
            quote = self._quote(cand.start, cand.end)
            caption = f"{keys}  Accept {who}: {cand.label} {cand.start}–{cand.end} “{quote}”"
            button = ElidedButton(caption)
            button.setObjectName(f"accept{i}")
            button.setToolTip(
                plain_text.tooltip(f"{caption}\n{keys}: take {who}'s span into the curated layer")
            )
            button.clicked.connect(lambda _=False, i=i: self.accept_current(i))
            self.accept_row.addWidget(button)
            self.accept_buttons.append(button)
        self.label_combo.setCurrentText(diff.candidates[0].label)

    def _quote(self, start: int, end: int, limit: int = 30) -> str:
        quote = " ".join(self.text[start:end].split())
        return quote if len(quote) <= limit else quote[: limit - 1] + "…"

    # -- decisions ------------------------------------------------------------
    def _run(self, what: str, call: Callable[[list[review.Step]], object]) -> object:
        """Commit one decision, make it an undo step, and show the next difference."""
        steps: list[review.Step] = []
        try:
            result = call(steps)
        except CuratorError as exc:
            plain_text.warn(self, "Review", str(exc))
            return None
        self.reason.clear()
        if steps:
            self.undo_stack.push(ReviewStep(self.db, steps, what, self.changed.emit))
            self.changed.emit(f"✓ Saved: {what}")
        return result

    def accept_curator(self, position: int) -> None:
        """Alt+N: accept the span of the N-th compared curator, wherever its button is."""
        item, names = self.current_item(), self.curators
        if item is None or position >= len(names):
            return
        name = names[position]
        for index, cand in enumerate(item.difference.candidates):
            if name in cand.curators:
                self.accept_current(index)
                return
        self.message.emit(f"{name} has no span here: reject, or edit", 6000)

    def accept_current(self, index: int) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None or index >= len(item.difference.candidates):
            return
        reason = self.reason.text()
        cand = item.difference.candidates[index]
        quote = self._quote(cand.start, cand.end)
        what = f"accept {' + '.join(cand.curators)}: {cand.label} “{quote}”"
        self._run(what, lambda steps: review.accept(self.db, self.reviewer, doc, item.difference,
                                                    index, reason=reason, steps=steps))  # fmt: skip

    def reject_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        reason = self.reason.text()
        diff = item.difference
        self._run(
            f"reject “{self._quote(diff.start, diff.end)}”",
            lambda steps: review.reject(self.db, self.reviewer, doc, diff, reason, steps=steps),
        )

    def edit_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        chosen = self.lanes.selection()
        if chosen is None:
            self.message.emit("Select the text to keep in any lane first", 6000)
            return
        span = (chosen[0], chosen[1], self.label_combo.currentText())
        reason = self.reason.text()
        what = f"edit: {span[2]} “{self._quote(span[0], span[1])}”"
        self._run(what, lambda steps: review.edit(self.db, self.reviewer, doc, item.difference,
                                                  span, reason=reason, steps=steps))  # fmt: skip

    def accept_agreements(self) -> None:
        doc = self.document
        if doc is None:
            return
        reason = self.reason.text()
        names = self.curators
        pending = sum(
            i.status == "pending" and i.difference.kind == "agreement" for i in self.model.items
        )
        what = f"accept {pending} agreement" + ("" if pending == 1 else "s")
        done = self._run(
            what,
            lambda steps: review.accept_all_agreements(
                self.db, self.reviewer, doc, names, reason, steps=steps
            ),
        )
        if done == 0:
            self.message.emit("No pending agreement in this document", 6000)
        elif isinstance(done, int):
            self.message.emit(f"✓ Accepted all agreements: {done} saved", 8000)
