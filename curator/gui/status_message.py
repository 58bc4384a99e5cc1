"""The status bar's message area: never cut off without a way to read it all.

QStatusBar draws a temporary message clipped at the first permanent
widget, so on a small window a hint lost its last keys ("Enter or A ac")
and a save lost its outcome. Here the message is a label that takes the
room left by the permanent widgets, elides the middle (the start says what
happened, the end how it ended) and carries the whole text as its tooltip.
Callers keep using ``showMessage`` and ``currentMessage``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from curator.gui import plain_text


class ElidedLabel(QLabel):
    """Plain text shortened in the middle to the label's width; full text in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)

    def sizeHint(self) -> QSize:
        """As wide as the whole text: a capped label takes no more room than it needs."""
        hint = super().sizeHint()
        margins = self.contentsMargins()
        room = margins.left() + margins.right() + 2 * self.margin() + 6  # as _elide leaves
        width = self.fontMetrics().horizontalAdvance(self._full) + room
        return QSize(width, hint.height())

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.updateGeometry()
        self._elide()

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return self.text() != self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        # The room inside the margins: elided to the label's whole width, a
        # hint in the status bar lost its last letters ("Esc: cance") to them.
        room = self.contentsRect().width() - 2 * self.margin() - 4
        shown = self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideMiddle, max(room, 0)
        )
        self.setText(shown)
        whole = self._full if shown != self._full else ""
        self.setToolTip(plain_text.tooltip(whole))


class _MessageRoom(QWidget):
    """The room the message takes in the bar, its label fitted to it by hand.

    A QLabel given new text asks its parent's layout to run again, whatever
    the text. Placed in the bar itself, every saved edit's message relaid the
    bar and the window and repainted the whole bar (its labels, grip and
    frames): a third of a millisecond of each key press, for a label whose
    width the bar never takes from its text. Here that request ends at this
    widget, and goes on only when the label's height changed (a new font).
    """

    def __init__(self, label: QLabel) -> None:
        super().__init__()
        self.label = label
        label.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        self._height = label.sizeHint().height()

    def sizeHint(self) -> QSize:
        return QSize(0, self.label.sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.label.minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # posted by the label
            height = self.label.sizeHint().height()
            if height != self._height:
                self._height = height
                self.updateGeometry()
            return True
        return super().event(event)


class MessageBar(QStatusBar):
    """A status bar whose messages are elided with the full text at hand, not clipped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = ElidedLabel()
        self.message.setObjectName("statusMessage")
        self.message.setContentsMargins(4, 0, 4, 0)
        self.addWidget(_MessageRoom(self.message), 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int | None = 0) -> None:
        self.message.set_full_text(text)
        self.messageChanged.emit(text)
        if timeout:
            self._timer.start(timeout)
        else:
            self._timer.stop()

    def clearMessage(self) -> None:
        self._timer.stop()
        self.message.set_full_text("")
        self.messageChanged.emit("")

    def currentMessage(self) -> str:
        return self.message.full_text()
