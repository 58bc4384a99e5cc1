"""Ctrl+F: find text in the article, then tag the match with a label key.

Escape closes the bar and gives focus back to the text with the match still
selected, so finding and tagging is: Ctrl+F, type, Enter, Escape, 2.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from curator.core.boundaries import occurrences
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
        self.edit.textChanged.connect(lambda _t: self.status.clear())
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

    def close_bar(self) -> None:
        # Focus first: hiding a focused widget hands focus to the next one in
        # the chain (the span table), which must not steal the match.
        self.view.setFocus()
        self.hide()

    def find_match(self, *, forward: bool = True) -> bool:
        """Select the next (or previous) match after the current selection, wrapping."""
        needle = self.edit.text()
        if not needle:
            return False
        matches = occurrences(
            self.view.text(), needle, case_sensitive=self.case.isChecked(), whole_word=False
        )
        if not matches:
            self.status.setText("no match")
            self.status.setStyleSheet("color: #b00020;")
            return False
        start, end = self.view.selection_range()
        if forward:
            after = [i for i, (s, _e) in enumerate(matches) if s >= end and (s, _e) != (start, end)]
            index = after[0] if after else 0
        else:
            before = [i for i, (s, _e) in enumerate(matches) if s < start]
            index = before[-1] if before else len(matches) - 1
        self.view.select_range(*matches[index])
        self.status.setStyleSheet("")
        self.status.setText(f"{index + 1} of {len(matches)}")
        return True
