"""The Relations tab of the review window: two curators' relation differences, decided.

Relations are compared two curators at a time (a relation difference is a
pair, see :mod:`curator.core.review.relation_differences`): the first two
ticked, unless the reviewer picks another pair of the ticked curators in
the *Compare* box (Alt+P); the counts line always names the pair shown.
Each row is one difference: one side only, the same ends with another type,
or ends that match only by overlap (agreements are listed too, to accept in
one key). Accepting brings the chosen curator's relation into the curated
layer together with its two ends; the core reuses the layer's spans with the
same offsets and label, so no span is doubled. Keys on the list: Alt+1 /
Alt+2 take that curator's relation, Enter or A takes the only or agreed one,
X or Delete rejects the difference (every relation in it).

Each decision is one step of the window's undo history, shared with the
span decisions (Ctrl+Z takes back whichever came last): undoing an accept
removes the curated relation and the ends it copied, undoing a reject
brings back what it took out, and the difference is listed as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.review import relation_differences as rel_review
from curator.core.review.adjudication import Step
from curator.core.review.relation_differences import RelationDifference, SourceRelation
from curator.core.storage.db import Database
from curator.gui import plain_text
from curator.gui.review.items_model import ReviewItemsModel
from curator.gui.review.steps import ReviewStep
from curator.gui.table_model import Index

KIND_TEXT = {
    "agreement": "agreement",
    "type": "same ends, different type",
    "overlap": "ends match only by overlap",
    "one_side": "one side only",
}
_STATUS_COLOR = {"pending": "#B35900", "rejected": "#666666"}
_ACCEPTED_COLOR = "#1B7F3B"
KEYS_HINT = (
    "Alt+1/Alt+2 accept that curator's relation with its ends · Enter/A the only or agreed "
    "one · X/Delete reject · Alt+P another pair · Ctrl+Z undo"
)
PAIR = "{} ↔ {}"


@dataclass(frozen=True, slots=True)
class RelationItem:
    """One difference and the reviewer's current decision on it."""

    difference: RelationDifference
    status: str  # "pending", "rejected" or "accepted: NAME"

    def sides(self) -> list[SourceRelation]:
        return [r for r in (self.difference.a, self.difference.b) if r is not None]


def status_of(diff: RelationDifference, decisions: dict[str, tuple[str, str | None]]) -> str:
    """Accepted when any side was accepted, rejected when every side was, else pending."""
    accepted = [r for r in (diff.a, diff.b) if r and decisions.get(r.uid, ("",))[0] == "accept"]
    if accepted:
        return "accepted: " + " + ".join(r.relation.curator for r in accepted)
    if all(decisions.get(uid, ("",))[0] == "reject" for uid in diff.uids):
        return "rejected"
    return "pending"


def quote(text: str, start: int, end: int, limit: int = 28) -> str:
    found = " ".join(text[start:end].split())
    return found if len(found) <= limit else found[: limit - 1] + "…"


def describe(text: str, side: SourceRelation, limit: int = 28) -> str:
    """``therapy “X” → target “Y”``: what a relation links, as plain text."""
    head, tail = side.head, side.tail
    return (
        f"{head.label} “{quote(text, head.start, head.end, limit)}” → "
        f"{tail.label} “{quote(text, tail.start, tail.end, limit)}”"
    )


class RelationTableModel(ReviewItemsModel[RelationItem]):
    COLUMNS = ("kind", "type", "head → tail", "curator", "decision")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        sides, col = item.sides(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, sides, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            return QColor(_STATUS_COLOR.get(item.status, _ACCEPTED_COLOR))
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 3):
            return plain_text.tooltip(
                "\n".join(
                    f"{s.relation.curator}: {s.relation.type}: {describe(self.text, s, 200)}"
                    for s in sides
                )
            )
        return None

    def _display(self, item: RelationItem, sides: list[SourceRelation], col: int) -> str:
        diff = item.difference
        if col == 0:
            return KIND_TEXT.get(diff.kind, diff.kind)
        if col == 1:
            types = {s.relation.type for s in sides}
            if len(types) == 1:
                return types.pop()
            return " / ".join(f"{s.relation.curator}: {s.relation.type}" for s in sides)
        if col == 2:
            return describe(self.text, sides[0])
        if col == 3:
            names = [s.relation.curator for s in sides]
            return names[0] + " only" if len(names) == 1 else " + ".join(names)
        return item.status


class RelationsPanel(QWidget):
    """The list of relation differences with its decisions; the window refreshes it."""

    decided = Signal(str)  # a decision was saved: the message for the status bar
    undone = Signal(str, str)  # a decision was undone or redone: its document, the message
    message = Signal(str)  # something to tell the reviewer, nothing saved
    focus = Signal(int, list)  # scroll the lanes to this offset, outline these span uids

    def __init__(
        self, db: Database, undo_stack: QUndoStack | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("relationsPanel")
        self.db = db
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.document: str | None = None
        self.text = ""
        self.curators: list[str] = []
        self.reviewer = ""
        self.pair: tuple[str, str] | None = None
        self._again: set[str] = set()  # source relations of an undone step: shown next
        self.model = RelationTableModel()
        self._build_table()
        self._build_actions()
        self._buttons_for(None)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("relationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self.show_current)
        keys: tuple[tuple[str, Callable[[], None]], ...] = (
            ("Return", self.accept_current),
            ("Enter", self.accept_current),
            ("A", self.accept_current),
            ("X", self.reject_current),
            ("Delete", self.reject_current),
        )
        for key, call in keys:
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(call)

    def _build_actions(self) -> None:
        self.pair_combo = QComboBox()
        self.pair_combo.setObjectName("relationPair")
        self.pair_combo.setToolTip("Relations are compared two curators at a time")
        self.pair_combo.currentIndexChanged.connect(self._pair_chosen)
        pair_label = QLabel("Com&pare:")
        pair_label.setBuddy(self.pair_combo)
        self.accept_buttons = [QPushButton(), QPushButton()]
        for i, button in enumerate(self.accept_buttons):
            button.setObjectName(f"acceptRelation{i}")
            button.clicked.connect(lambda _=False, i=i: self.accept_curator(i))
        self.reject_button = QPushButton("X  Reject")
        self.reject_button.setObjectName("rejectRelation")
        self.reject_button.setToolTip("Neither relation goes into the curated layer")
        self.reject_button.clicked.connect(self.reject_current)
        self.reason = QLineEdit()
        self.reason.setObjectName("relationReason")
        self.reason.setPlaceholderText("reason (optional), kept with the decision")
        self.counts = plain_text.label()
        self.counts.setObjectName("relationCounts")
        self.counts.setWordWrap(True)
        self.hint = plain_text.label(KEYS_HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        buttons = QHBoxLayout()  # a row of their own: the tab stays as narrow as the spans'
        for button in self.accept_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        decide = QHBoxLayout()
        decide.addWidget(self.reject_button)
        decide.addWidget(self.reason, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)  # as the Spans tab
        pair = QHBoxLayout()
        pair.addWidget(pair_label)
        pair.addWidget(self.pair_combo)
        pair.addStretch(1)
        col.addLayout(pair)
        col.addWidget(self.table, 1)
        col.addLayout(buttons)
        col.addLayout(decide)
        col.addWidget(self.counts)
        col.addWidget(self.hint)

    # -- state ----------------------------------------------------------------
    def current_item(self) -> RelationItem | None:
        row = self.table.currentIndex().row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def show_document(
        self, document: str | None, text: str, curators: Sequence[str], reviewer: str
    ) -> None:
        """Reload the differences of *document* between the chosen pair of *curators*."""
        keep = max(self.table.currentIndex().row(), 0) if document == self.document else 0
        self.document, self.text, self.reviewer = document, text, reviewer
        self.curators = list(curators)
        self._fill_pairs()
        items: list[RelationItem] = []
        if document is not None and self.pair is not None:
            diffs = rel_review.relation_differences(self.db, document, *self.pair)
            decisions = rel_review.relation_decisions(self.db, document, reviewer)
            items = [RelationItem(d, status_of(d, decisions)) for d in diffs]
        self.model.reset(text, items)
        self.counts.setText(self.summary())
        pending = [i for i, item in enumerate(items) if item.status == "pending"]
        again = [i for i, item in enumerate(items) if self._again & set(item.difference.uids)]
        self._again = set()
        row = (
            again or [i for i in pending if i >= keep] or pending or [min(keep, len(items) - 1)]
        )[0]
        if items:
            self.table.selectRow(row)
        self._buttons_for(self.current_item())

    def _fill_pairs(self) -> None:
        """Every pair of the ticked curators; the one shown stays chosen while it can."""
        pairs = list(combinations(self.curators, 2))
        keep = self.pair if self.pair in pairs else (pairs[0] if pairs else None)
        self.pair_combo.blockSignals(True)
        self.pair_combo.clear()
        for a, b in pairs:
            self.pair_combo.addItem(PAIR.format(a, b), (a, b))
        if keep is not None:
            self.pair_combo.setCurrentIndex(pairs.index(keep))
        self.pair_combo.setEnabled(len(pairs) > 1)
        self.pair_combo.blockSignals(False)
        self.pair = keep

    def _pair_chosen(self, index: int) -> None:
        pair = self.pair_combo.itemData(index)
        if pair is None or tuple(pair) == self.pair:
            return
        self.pair = (pair[0], pair[1])
        self.show_document(self.document, self.text, self.curators, self.reviewer)

    def pair_text(self) -> str:
        """Which pair is shown, and how many there are to choose from."""
        if self.pair is None:
            return ""
        count = self.pair_combo.count()
        which = (
            f" (pair {self.pair_combo.currentIndex() + 1} of {count}, Alt+P)" if count > 1 else ""
        )
        return f"{self.pair[0]} and {self.pair[1]}{which}"

    def summary(self) -> str:
        if self.pair is None:
            return "Tick two curators to compare their relations"
        items = self.model.items
        done = sum(i.status != "pending" for i in items)
        accepted = sum(i.status.startswith("accepted") for i in items)
        agreements = sum(i.difference.kind == "agreement" for i in items)
        return (
            f"{self.pair_text()}: "
            f"{len(items)} relation differences "
            f"({agreements} agreement{'' if agreements == 1 else 's'}), {done} decided, "
            f"{accepted} accepted"
        )

    def show_current(self, _index: QModelIndex | None = None, _previous: object = None) -> None:
        item = self.current_item()
        self._buttons_for(item)
        if item is not None:
            sides = item.sides()
            ends = [u for s in sides for u in (s.head.uid, s.tail.uid)]
            self.focus.emit(min(s.head.start for s in sides), ends)

    def _buttons_for(self, item: RelationItem | None) -> None:
        for i, button in enumerate(self.accept_buttons):
            side = self._side(item, i) if item is not None else None
            button.setVisible(side is not None)
            if side is not None:
                who = side.relation.curator
                text = f"Alt+{i + 1}  Accept {who}: {side.relation.type}"
                button.setText(text.replace("&", "&&"))
                button.setToolTip(
                    plain_text.tooltip(
                        f"{who}'s {side.relation.type} "
                        f"{describe(self.model.text, side, 200)}, with both ends"
                    )
                )
        self.reject_button.setEnabled(item is not None)

    def _side(self, item: RelationItem, position: int) -> SourceRelation | None:
        """The relation of the *position*-th curator of the pair in *item*, if any."""
        if self.pair is None or position >= len(self.pair):
            return None
        name = self.pair[position]
        return next((s for s in item.sides() if s.relation.curator == name), None)

    # -- decisions ------------------------------------------------------------
    def accept_curator(self, position: int) -> None:
        """Alt+N: accept the relation of the N-th ticked curator in this difference."""
        item, doc = self.current_item(), self.document
        if item is None or doc is None or self.pair is None:
            return
        if position >= len(self.pair):
            self.message.emit(
                f"Relations compare two curators at a time: Alt+1 for {self.pair[0]}, "
                f"Alt+2 for {self.pair[1]} (Alt+P picks the pair)"
            )
            return
        side = self._side(item, position)
        if side is None:
            self.message.emit(f"{self.pair[position]} has no relation here: accept the other, or X")
            return
        self._accept(doc, side)

    def accept_current(self) -> None:
        """Enter / A: the only relation of a one-sided difference, or the agreed one."""
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        sides = item.sides()
        if len(sides) == 1 or item.difference.kind == "agreement":
            self._accept(doc, sides[0])
        else:
            self.message.emit("The curators differ here: Alt+1 or Alt+2 picks whose relation")

    def _accept(self, doc: str, side: SourceRelation) -> None:
        what = (
            f"accept {side.relation.curator}: {side.relation.type} "
            f"{describe(self.model.text, side)}"
        )
        reason = self.reason.text()
        self._save(what, (side.uid,), lambda steps: rel_review.accept_relation(
            self.db, self.reviewer, doc, side.uid, reason=reason, steps=steps))  # fmt: skip

    def reject_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        reason = self.reason.text()
        side = item.sides()[0]
        what = f"reject {side.relation.type} {describe(self.model.text, side)}"

        def reject(steps: list[Step]) -> None:
            for uid in item.difference.uids:
                rel_review.reject_relation(
                    self.db, self.reviewer, doc, uid, reason=reason, steps=steps
                )

        self._save(what, item.difference.uids, reject)

    def _save(self, what: str, uids: Sequence[str], call: Callable[[list[Step]], object]) -> None:
        """Commit one decision and make it one step of the window's undo history."""
        steps: list[Step] = []
        try:
            call(steps)
        except CuratorError as exc:
            if steps:  # a reject of two relations that failed on the second: the first stands
                self._push(what, uids, steps)
            plain_text.warn(self, "Review", str(exc))
            return
        self.reason.clear()
        self._push(what, uids, steps)
        self.decided.emit(f"✓ Saved: {what}")

    def _push(self, what: str, uids: Sequence[str], steps: list[Step]) -> None:
        document = self.document or ""

        def again(message: str) -> None:
            self._again = set(uids)
            self.undone.emit(document, message)

        self.undo_stack.push(ReviewStep(self.db, steps, what, again))
