"""The concept picker: type ahead, see ranked candidates with why, pick with Enter.

Opened with ``L`` on a selected span. The query starts as the span's text,
so the best candidates are there as it opens; typing narrows them. Up and
Down move through the list from the query box, Enter links the span to the
highlighted concept, Ctrl+Enter links every span of the document with the
same text and label (one undo step), Escape leaves. Nothing needs the
mouse. For ``expert`` spans the last row offers a new person of the
registry under the typed name. Every cell is plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from curator.core.concepts.ranking import Candidate, Ranker
from curator.gui import plain_text

_OWN_KEYS = frozenset(
    (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up, Qt.Key.Key_Down,
     Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Escape)
)  # fmt: skip
NEW_PERSON = "new-person"
UNLINK = "unlink"


@dataclass(frozen=True)
class Choice:
    """What the curator picked: a candidate, a new person, or no concept."""

    kind: str  # "concept", NEW_PERSON or UNLINK
    candidate: Candidate | None = None
    name: str = ""
    every: bool = False  # every span with this text in the document


class ConceptPicker(QDialog):
    COLUMNS = ("Id", "Name", "Source", "Why")

    def __init__(
        self,
        ranker: Ranker,
        text: str,
        label: str,
        *,
        linked: str = "",
        same_text: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conceptPicker")
        self.setWindowTitle(f"Link {label} “{' '.join(text.split())[:60]}”")
        self.ranker = ranker
        self.label = label
        self.linked = linked
        self.choice: Choice | None = None
        self._rows: list[Choice] = []
        self.query = QLineEdit(" ".join(text.split()))
        self.query.setObjectName("conceptQuery")
        self.query.setPlaceholderText("Type a name, symbol or id")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("conceptCandidates")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the query box
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hint = "↑/↓ choose · Enter link this span · Ctrl+Enter link all "
        hint += f"{same_text} with this text here · Esc leave"
        self.hint = plain_text.label(hint)
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.resize(820, 420)
        self._timer = QTimer(self)  # type-ahead: rank once typing pauses (or at once)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        query = self.query.text()
        rows = [Choice("concept", c) for c in self.ranker.candidates(query, limit=15)]
        if self.label == "expert" and query.strip():
            rows.append(Choice(NEW_PERSON, name=query.strip()))
        if self.linked:
            rows.append(Choice(UNLINK))
        self._rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(self._cells(row)):
                item = QTableWidgetItem(value)  # plain text, never markup
                self.table.setItem(r, c, item)
        if rows:
            self.table.selectRow(0)

    def _cells(self, row: Choice) -> tuple[str, str, str, str]:
        if row.kind == NEW_PERSON:
            return ("(new)", row.name, "people of this database", "add a new person")
        if row.kind == UNLINK:
            return ("(none)", "no concept", "", f"remove the link to {self.linked}")
        c = row.candidate
        assert c is not None
        name = c.concept_name if c.matched == c.concept_name else f"{c.concept_name} ({c.matched})"
        return (c.concept_id, name, c.source, c.why)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _move(self, step: int) -> None:
        if not self._rows:
            return
        row = max(0, min(len(self._rows) - 1, self.current_row() + step))
        self.table.selectRow(row)
        self.table.scrollTo(self.table.model().index(row, 0))

    def _pick(self, every: bool) -> None:
        if self._timer.isActive():  # a key typed just before Enter counts
            self._timer.stop()
            self.refresh()
        row = self.current_row()
        if row < 0:
            return
        chosen = self._rows[row]
        self.choice = Choice(chosen.kind, chosen.candidate, chosen.name, every)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.ShortcutOverride:
            # The picker's keys are its own, even where the window behind has the
            # same key as a shortcut (Enter accepts a suggestion there).
            assert isinstance(event, QKeyEvent)
            if event.key() in _OWN_KEYS:
                event.accept()
                return True
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(5 if key == Qt.Key.Key_PageDown else -5)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick(every=bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))
                return True
        return super().eventFilter(watched, event)
