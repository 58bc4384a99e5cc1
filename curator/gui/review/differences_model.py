"""The list of differences of one document, as a Qt table model over review items."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from curator.core.review.adjudication import ReviewItem
from curator.core.storage.concepts import Concept
from curator.gui import plain_text
from curator.gui.review.items_model import ReviewItemsModel
from curator.gui.table_model import Index

_KIND_TEXT = {
    "agreement": "agreement",
    "boundary": "boundary",
    "label": "label",
    "missing": "missing on one side",
    "concept": "concept",
}


def _linked(concepts: tuple[Concept, ...]) -> str:
    return f" → {', '.join(c.id for c in concepts)}" if concepts else ""


_STATUS_COLOR = {"pending": "#B35900", "accepted": "#1B7F3B", "edited": "#1B7F3B"}


class DifferenceTableModel(ReviewItemsModel[ReviewItem]):
    COLUMNS = ("kind", "text", "curators say", "decision")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        diff = item.difference
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return _KIND_TEXT[diff.kind]
            if col == 1:
                quote = " ".join(self.text[diff.start : diff.end].split())
                return quote if len(quote) <= 48 else quote[:47] + "…"
            if col == 2:
                parts = [
                    f"{'+'.join(c.curators)}: {c.label} {c.start}–{c.end}{_linked(c.concepts)}"
                    for c in diff.candidates
                ]
                parts += [f"{name}: nothing" for name in diff.missing]
                return "; ".join(parts)
            return item.status
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return QColor(_STATUS_COLOR.get(item.status, "#666666"))
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return plain_text.tooltip(
                "\n".join(
                    f"{'+'.join(c.curators)}: {c.label} “{self.text[c.start : c.end]}”"
                    + _linked(c.concepts)
                    for c in diff.candidates
                )
            )
        return None
