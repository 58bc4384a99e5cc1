"""A review list as a table model: one document's text and the items found in it.

The Spans and Relations tabs of the review window each list items of one
document (differences and the reviewer's decision on them); they share this
shape and differ only in their columns and in what a cell shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from curator.gui.table_model import ColumnsModel

Item = TypeVar("Item")


class ReviewItemsModel(ColumnsModel, Generic[Item]):
    """Subclasses name their COLUMNS and say what each cell of an item shows."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.text = ""  # the document's text: the cells quote it

    def reset(self, text: str, items: list[Item]) -> None:
        self.beginResetModel()
        self.text, self.items = text, items
        self.endResetModel()

    def row_items(self) -> Sequence[Item]:
        return self.items
