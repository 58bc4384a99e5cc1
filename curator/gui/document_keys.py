"""Ctrl+L: the keyboard's way to the document list, and back to the article.

Tab in the article moves between suggestions, so no key reached the list:
a curator without a mouse could only step through the documents in order.
Ctrl+L shows the list (when it was dragged shut) and puts the caret in its
filter box, the text selected to type over. Down goes into the rows (the
arrows there open documents, as a click does); Enter gives the keys back to
the article with that document open, so a label key tags at once. Escape
leaves: in the box it first clears a filter, then goes back to the article.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QSplitter, QWidget

from curator.gui.document_list import DocumentList
from curator.gui.pane_splitter import SIDE_FLOOR

_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SHOWN_SHARE = 0.22  # a list dragged shut opens this share of the window, as at first run


class DocumentListKeys(QObject):
    """Takes Down, Enter and Escape in the filter box and the rows; :meth:`go` is the action."""

    def __init__(self, doc_list: DocumentList, splitter: QSplitter, article: QWidget) -> None:
        super().__init__(doc_list)
        self.doc_list = doc_list
        self.splitter = splitter
        self.article = article
        doc_list.filter_box.installEventFilter(self)
        doc_list.table.installEventFilter(self)

    def go(self) -> None:
        """Show the list if shut, and focus the filter box with its text selected."""
        self._show_pane()
        box = self.doc_list.filter_box
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()

    def _show_pane(self) -> None:
        self.doc_list.setVisible(True)
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or sizes[0] > 0:
            return
        article = self.splitter.widget(1)
        room = sizes[1] - (article.minimumWidth() if article is not None else 0)
        width = min(max(SIDE_FLOOR, int(sum(sizes) * _SHOWN_SHARE)), max(room, SIDE_FLOOR))
        self.splitter.setSizes([width, max(0, sizes[1] - width), sizes[2]])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() not in _PLAIN:
            return False
        key = event.key()
        if watched is self.doc_list.filter_box:
            if key == Qt.Key.Key_Down:
                self._into_rows()
                return True
            if key == Qt.Key.Key_Escape:
                self._leave_box()
                return True
        elif watched is self.doc_list.table:
            if key in _ENTER:
                self._open_current()
                return True
            if key == Qt.Key.Key_Escape:
                self._back_to_article()
                return True
        return False

    def _into_rows(self) -> None:
        """Focus the rows as filtered: on the open document's row, else the first."""
        self.doc_list.settle_filter()  # typed just now: the rows of that text, not the last
        table, proxy = self.doc_list.table, self.doc_list.proxy
        if proxy.rowCount() == 0:
            return
        if not table.currentIndex().isValid():
            table.setCurrentIndex(proxy.index(0, 0))  # opens that document, as a click does
        table.scrollTo(table.currentIndex())
        table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _leave_box(self) -> None:
        box = self.doc_list.filter_box
        if box.text():
            box.clear()
            self.doc_list.settle_filter()
        else:
            self._back_to_article()

    def _open_current(self) -> None:
        index = self.doc_list.table.currentIndex()
        if index.isValid():
            row = self.doc_list.proxy.mapToSource(index).row()
            self.doc_list.document_selected.emit(self.doc_list.model.uid_at(row))
        self._back_to_article()

    def _back_to_article(self) -> None:
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)
