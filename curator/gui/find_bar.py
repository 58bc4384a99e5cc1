"""Ctrl+F: find text in the article, then tag the match with a label key.

Escape closes the bar and gives focus back to the text with the match still
selected, so finding and tagging is: Ctrl+F, type, Enter, Escape, 2.

Every match is highlighted while the phrase is typed, with their count, and
the first Enter after typing goes to the first match from the top of the
article ("1 of 3"): counting from the caret made the first Enter say
"2 of 2" for a phrase seen twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from curator.core.spans.boundaries import occurrences
from curator.gui import plain_text
from curator.gui.text_view import SpanTextView


class _FindEdit(QLineEdit):
    escape_pressed = Signal()
    previous_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.previous_requested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, view: SpanTextView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.edit = _FindEdit(
            placeholderText="Find in article (Enter: next, Shift+Enter: previous)"
        )
        self.edit.setClearButtonEnabled(True)
        self.case = QCheckBox("Match case")
        self.case.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status = plain_text.label()
        self.status.setMinimumWidth(90)
        prev_button, next_button, close_button = QToolButton(), QToolButton(), QToolButton()
        for button, text, tip in (
            (prev_button, "▲", "Previous match (Shift+Enter)"),
            (next_button, "▼", "Next match (Enter)"),
            (close_button, "✕", "Close (Escape)"),
        ):
            button.setText(text)
            button.setToolTip(plain_text.tooltip(tip))
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(prev_button)
        layout.addWidget(next_button)
        layout.addWidget(self.case)
        layout.addWidget(self.status)
        layout.addWidget(close_button)
        self.edit.returnPressed.connect(lambda: self.find_match(forward=True))
        self.edit.previous_requested.connect(lambda: self.find_match(forward=False))
        self.edit.escape_pressed.connect(self.close_bar)
        self.matches: list[tuple[int, int]] = []
        self._from_top = True  # the next Enter starts from the top (phrase just typed)
        self.edit.textChanged.connect(lambda _t: self.refresh())
        self.case.toggled.connect(lambda _c: self.refresh())
        prev_button.clicked.connect(lambda: self.find_match(forward=False))
        next_button.clicked.connect(lambda: self.find_match(forward=True))
        close_button.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        start, end = self.view.selection_range()
        selected = self.view.text()[start:end]
        if selected and "\n" not in selected and len(selected) < 100:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self.refresh()

    def close_bar(self) -> None:
        # Focus first: hiding a focused widget hands focus to the next one in
        # the chain (the span table), which must not steal the match.
        self.view.setFocus()
        self.hide()
        self.view.setExtraSelections([])

    def refresh(self) -> None:
        """Highlight every match of the phrase as typed and count them."""
        needle = self.edit.text()
        self.matches = (
            occurrences(
                self.view.text(), needle, case_sensitive=self.case.isChecked(), whole_word=False
            )
            if needle
            else []
        )
        highlight_matches(self.view, self.matches)
        self._from_top = True
        if not needle:
            self.status.clear()
        elif self.matches:
            n = len(self.matches)
            self.status.setStyleSheet("")
            self.status.setText(f"{n} match{'es' if n != 1 else ''}")
        else:
            self._no_match()

    def _show(self, index: int) -> None:
        self.view.select_range(*self.matches[index])
        self.status.setStyleSheet("")
        self.status.setText(f"{index + 1} of {len(self.matches)}")

    def _no_match(self) -> None:
        self.status.setText("no match")
        self.status.setStyleSheet("color: #b00020;")

    def find_match(self, *, forward: bool = True) -> bool:
        """Select the next (or previous) match after the current selection, wrapping."""
        if not self.edit.text():
            return False
        if not self.isVisible():  # F3 with the bar closed: on from the caret, no highlights
            self.matches = occurrences(
                self.view.text(),
                self.edit.text(),
                case_sensitive=self.case.isChecked(),
                whole_word=False,
            )
            self._from_top = False
        matches = self.matches
        if not matches:
            self._no_match()
            return False
        start, end = self.view.selection_range()
        if self._from_top:
            self._from_top = False
            index = 0 if forward else len(matches) - 1
        elif forward:
            after = [i for i, (s, _e) in enumerate(matches) if s >= end and (s, _e) != (start, end)]
            index = after[0] if after else 0
        else:
            before = [i for i, (s, _e) in enumerate(matches) if s < start]
            index = before[-1] if before else len(matches) - 1
        self._show(index)
        return True


_MATCH_COLOR = QColor(255, 200, 0, 110)  # amber: apart from the four label colours
_MAX_SHOWN = 5000  # more highlights than anyone reads, and each costs a repaint


def highlight_matches(view: SpanTextView, matches: list[tuple[int, int]]) -> None:
    """Tint every match (the first few thousand) behind the text."""
    fmt = QTextCharFormat()
    fmt.setBackground(_MATCH_COLOR)
    to_u16 = view.utf16().to_utf16
    selections = []
    for start, end in matches[:_MAX_SHOWN]:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(view.document())
        cursor.setPosition(to_u16(start))
        cursor.setPosition(to_u16(end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        selections.append(selection)
    view.setExtraSelections(selections)
