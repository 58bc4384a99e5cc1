"""The Relations tab of the review window: two curators' relation differences, decided.

Relations are compared between the first two ticked curators (a relation
difference is a pair, see :mod:`curator.core.review.relation_differences`).
Each row is one difference: one side only, the same ends with another type,
or ends that match only by overlap (agreements are listed too, to accept in
one key). Accepting brings the chosen curator's relation into the curated
layer together with its two ends; the core reuses the layer's spans with the
same offsets and label, so no span is doubled. Keys on the list: Alt+1 /
Alt+2 take that curator's relation, Enter or A takes the only or agreed one,
X or Delete rejects the difference (every relation in it).

Relation decisions are not steps of the window's undo history: the core
keeps no undo record for them. A decision is changed by deciding again:
rejecting a relation accepted earlier takes its curated relation back out.
Ctrl+Z on the list says so rather than undoing the last *span* decision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.review import relation_differences as rel_review
from curator.core.review.relation_differences import RelationDifference, SourceRelation
from curator.core.storage.db import Database
from curator.gui import plain_text

Index = QModelIndex | QPersistentModelIndex

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
    "one · X/Delete reject · no undo"
)


NO_UNDO = (
    "Relation decisions have no undo: decide again (X takes an accepted relation back out); "
    "Ctrl+Z in the Spans tab undoes span decisions"
)


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


class RelationTableModel(QAbstractTableModel):
    HEADERS = ("kind", "type", "head → tail", "curator", "decision")

    def __init__(self) -> None:
        super().__init__()
        self.items: list[RelationItem] = []
        self.text = ""

    def reset(self, text: str, items: list[RelationItem]) -> None:
        self.beginResetModel()
        self.text, self.items = text, items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

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
    message = Signal(str)  # something to tell the reviewer, nothing saved
    focus = Signal(int, list)  # scroll the lanes to this offset, outline these span uids

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationsPanel")
        self.db = db
        self.document: str | None = None
        self.reviewer = ""
        self.pair: tuple[str, str] | None = None
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
        self.table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z on the list would undo a *span* decision: say instead that relations have none."""
        kinds = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if watched is self.table and event.type() in kinds and isinstance(event, QKeyEvent):
            keys = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
            if any(event.matches(k) for k in keys):
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.message.emit(NO_UNDO)
                return True
        return super().eventFilter(watched, event)

    def _build_actions(self) -> None:
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
        """Reload the differences of *document* between the first two *curators*."""
        keep = max(self.table.currentIndex().row(), 0) if document == self.document else 0
        self.document, self.reviewer = document, reviewer
        self.pair = (curators[0], curators[1]) if len(curators) >= 2 else None
        items: list[RelationItem] = []
        if document is not None and self.pair is not None:
            diffs = rel_review.relation_differences(self.db, document, *self.pair)
            decisions = rel_review.relation_decisions(self.db, document, reviewer)
            items = [RelationItem(d, status_of(d, decisions)) for d in diffs]
        self.model.reset(text, items)
        self.counts.setText(self.summary())
        pending = [i for i, item in enumerate(items) if item.status == "pending"]
        row = ([i for i in pending if i >= keep] or pending or [min(keep, len(items) - 1)])[0]
        if items:
            self.table.selectRow(row)
        self._buttons_for(self.current_item())

    def summary(self) -> str:
        if self.pair is None:
            return "Tick two curators to compare their relations"
        items = self.model.items
        done = sum(i.status != "pending" for i in items)
        accepted = sum(i.status.startswith("accepted") for i in items)
        agreements = sum(i.difference.kind == "agreement" for i in items)
        return (
            f"{self.pair[0]} and {self.pair[1]} (the first two ticked): "
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
            self.message.emit("Relations compare the first two ticked curators: Alt+1 or Alt+2")
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
        self._save(what, lambda: rel_review.accept_relation(
            self.db, self.reviewer, doc, side.uid, reason=reason))  # fmt: skip

    def reject_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        reason = self.reason.text()
        side = item.sides()[0]
        what = f"reject {side.relation.type} {describe(self.model.text, side)}"

        def reject() -> None:
            for uid in item.difference.uids:
                rel_review.reject_relation(self.db, self.reviewer, doc, uid, reason=reason)

        self._save(what, reject)

    def _save(self, what: str, call: Callable[[], object]) -> None:
        try:
            call()
        except CuratorError as exc:
            plain_text.warn(self, "Review", str(exc))
            return
        self.reason.clear()
        self.decided.emit(f"✓ Saved: {what}")
