"""Ctrl+Shift+F: search every document's text, or the spans, and go to a hit.

A panel under the article: type words, "a phrase", ``word*``, or filters
(``label:therapy curator:ann concept:HGNC:11913 note:dose``) and press
Enter; the hits are listed with the text around them, the matched words
marked. Enter (or a double click) on a hit opens its document with the
match selected, so a label key tags it at once. The search runs in the
core (:mod:`curator.core.search`); this is its window.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from curator.core.errors import CuratorError
from curator.core.search import Hit, SearchResult, search
from curator.core.search.documents import locate_hit
from curator.core.search.query import parse
from curator.core.wording import counted
from curator.gui import plain_text
from curator.gui.text_view import SpanTextView
from curator.gui.workspace import Workspace

HIT = Qt.ItemDataRole.UserRole + 1
ANNOTATE_KEY = "Ctrl+Shift+A"  # the window's annotate-all key, here for the documents found
PLACEHOLDER = (
    'Search all documents: words, "a phrase", word*, label:…, curator:…, concept:…, note:…'
)


class _QueryEdit(QLineEdit):
    down_pressed = Signal()
    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class HitDelegate(QStyledItemDelegate):
    """Two lines a hit: the title (and label, curator) in bold, then the context with
    the matched words on a tinted background; every text drawn as plain characters."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        height = QFontMetrics(option.font).lineSpacing()
        return QSize(200, 2 * height + 8)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        hit = index.data(HIT)
        if not isinstance(hit, Hit):
            super().paint(painter, option, index)
            return
        painter.save()
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ink = palette.color(role)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        line = metrics.lineSpacing()
        x, y = rect.left() + 6, rect.top() + 4
        width = rect.width() - 12
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ink)
        head = hit.title if hit.label is None else f"{hit.title} · {hit.label} · {hit.curator}"
        head = QFontMetrics(bold).elidedText(head, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(x, y, width, line), Qt.AlignmentFlag.AlignVCenter, head)
        painter.setFont(font)
        _paint_marked(painter, hit, QRect(x, y + line, width, line), ink, selected)
        painter.restore()


def _paint_marked(painter: QPainter, hit: Hit, box: QRect, ink: QColor, selected: bool) -> None:
    """The context, its marked parts on a tint, cut where the box ends."""
    metrics = QFontMetrics(painter.font())
    tint = QColor("#f5c542")
    tint.setAlpha(110 if not selected else 160)
    text, x, right = hit.context, box.left(), box.right()
    cuts = sorted({0, len(text), *(p for m in hit.marks for p in m if 0 <= p <= len(text))})
    marked = set(hit.marks)
    for a, b in pairwise(cuts):
        piece = text[a:b]
        width = metrics.horizontalAdvance(piece)
        if x + width > right:
            piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, right - x)
            width = metrics.horizontalAdvance(piece)
        part = QRect(x, box.top(), width, box.height())
        if any(ma <= a and b <= mb for ma, mb in marked):
            painter.fillRect(part, tint)
        painter.setPen(ink)
        painter.drawText(part, Qt.AlignmentFlag.AlignVCenter, piece)
        x += width
        if x >= right:
            break


class SearchPanel(QDockWidget):
    opened_hit = Signal(str)  # document uid of the hit just opened

    def __init__(self, ws: Workspace, view: SpanTextView, parent: QWidget | None = None) -> None:
        super().__init__("Search all documents", parent)
        self.setObjectName("searchPanel")
        self.ws = ws
        self.view = view
        self.edit = _QueryEdit()
        self.edit.setObjectName("searchEdit")
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setClearButtonEnabled(True)
        self.summary = plain_text.label()
        self.summary.setObjectName("searchSummary")
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.annotate_button = QPushButton("Annotate all…")
        self.annotate_button.setObjectName("annotateAllButton")
        self.annotate_button.setToolTip(
            plain_text.tooltip(
                "Tag the searched words or phrase in every document found, after a preview "
                f"({ANNOTATE_KEY} in this panel)"
            )
        )
        self.annotate_button.setEnabled(False)
        self.annotate_button.clicked.connect(self.annotate_all)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.edit)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.annotate_button)
        layout.addLayout(row)
        layout.addWidget(self.results, 1)
        self.setWidget(body)
        self.edit.returnPressed.connect(self.run)
        self.edit.down_pressed.connect(self._to_results)
        self.edit.escape_pressed.connect(self._leave)
        self.results.itemActivated.connect(self._open_item)
        self.query = ""
        self.result: SearchResult | None = None

    def open_panel(self) -> None:
        window = self.parentWidget()
        if not self.isVisible() and isinstance(window, QMainWindow):  # a quarter of the window
            window.resizeDocks([self], [max(160, window.height() // 4)], Qt.Orientation.Vertical)
        self.show()
        self.raise_()
        self.edit.setFocus()
        self.edit.selectAll()

    def run(self) -> None:
        """Search for what the box holds; the first hit is made current."""
        text = self.edit.text()
        self.results.clear()
        self.annotate_button.setEnabled(False)
        try:
            result = search(self.ws.db, text)
        except CuratorError as exc:
            self.summary.setText(str(exc))
            self.result = None
            return
        self.annotate_button.setEnabled(result.kind == "text" and bool(result.hits))
        self.query, self.result = text, result
        for hit in result.hits:
            item = QListWidgetItem()
            item.setData(HIT, hit)
            where = f"{hit.label}, {hit.curator}: " if hit.label else ""
            item.setToolTip(plain_text.tooltip(f"{hit.title}\n{where}{hit.context}"))
            self.results.addItem(item)
        what = "document" if result.kind == "text" else "span"
        found = counted(result.total, what)
        shown = f", the first {len(result.hits)} listed" if result.total > len(result.hits) else ""
        tail = " · Enter opens the selected one at the match" if result.hits else ""
        self.summary.setText(f"{found}{shown}{tail}")
        if result.hits:
            self.results.setCurrentRow(0)

    def has_focus(self) -> bool:
        """Whether the keyboard is in the panel (the window's keys then act on the search)."""
        focused = QApplication.focusWidget()
        return focused is not None and self.isAncestorOf(focused)

    def annotate_all(self) -> None:
        """Preview the searched phrase in every document found; tag what is left ticked."""
        from curator.gui.annotate_across import preview_and_apply  # loaded on first use

        if self.result is None or self.result.kind != "text" or not self.result.hits:
            self.summary.setText(
                "Annotate all needs a search of the text that found documents: "
                "type words or a “phrase” and press Enter"
            )
            return
        try:
            message = preview_and_apply(self.ws, self.query, self.window())
        except CuratorError as exc:
            self.summary.setText(str(exc))
            return
        if message:
            self.summary.setText(message)
        self.results.setFocus()

    def _to_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)

    def _leave(self) -> None:
        self.view.setFocus()

    def _open_item(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT)
        if isinstance(hit, Hit):
            self.open_hit(hit)

    def open_hit(self, hit: Hit) -> None:
        """Open the hit's document and select the match, the article focused."""
        try:
            where = locate_hit(self.ws.db, hit, parse(self.query))
        except CuratorError:
            where = None
        self.ws.open_document(hit.document_uid)
        if where is not None:
            self.view.select_range(*where)
        self.view.setFocus()
        self.opened_hit.emit(hit.document_uid)
