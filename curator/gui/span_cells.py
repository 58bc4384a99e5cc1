"""How the span table's cells are painted: from the model's cached cells, one call a cell.

Qt's delegate asks the model for seven roles of every cell it paints (font,
alignment, colour, check state, decoration, text, background), each a call
from C++ into Python; a page of the table (27 rows) asked ~1,000 of them, and
most answers were "nothing". This delegate fills the cell's style option
itself, in one call, from the same cells the model answers ``data()`` with
(``SpanTableModel.cells_of``), as Qt's ``QStyledItemDelegate.initStyleOption``
fills it from those roles: the label's colour as a square icon of the
decoration size, the offsets right-aligned in the view's locale, the text,
and no style animation. The model still answers every role (tooltips,
editing, accessibility, tests); only painting takes this path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

if TYPE_CHECKING:
    from curator.gui.span_table import SpanTableModel

_Feature = QStyleOptionViewItem.ViewItemFeature
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
UNKNOWN_COLOR = "#777777"  # a label the colours do not name (renamed, retired)


class SpanCellDelegate(QStyledItemDelegate):
    """Cells of a ``SpanTableModel``; *columns*: its label, start and end columns."""

    def __init__(
        self, model: SpanTableModel, columns: tuple[int, int, int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._label = columns[0]
        self._offsets = frozenset(columns[1:])  # right-aligned numbers
        self._icons: dict[tuple[str, int, int], QIcon] = {}
        # The option's features with the cell's added, per features given: the
        # view adds Alternate to every other row, and enum arithmetic on each
        # cell costs more than this lookup.
        self._features: dict[tuple[_Feature, bool], _Feature] = {}

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        model = self._model
        span = model.span_at(index.row())
        column = index.column()
        shown = model.cells_of(span)[column]
        option.index = index  # type: ignore[assignment]  # Qt passes a QModelIndex
        decorated = column == self._label
        given = option.features
        features = self._features.get((given, decorated))
        if features is None:
            features = given | _Feature.HasDisplay
            if decorated:
                features |= _Feature.HasDecoration
            self._features[(given, decorated)] = features
        option.features = features
        if decorated:
            option.icon = self._icon(model.colors.get(span.label, UNKNOWN_COLOR), option)
        if column in self._offsets:
            option.displayAlignment = _RIGHT
            option.text = option.locale.toString(cast(int, shown))
        else:
            option.text = str(shown).replace("\n", "\u2028")  # as Qt shows a line break
        # No style animation in an item view, as Qt's delegate.
        option.styleObject = None  # type: ignore[assignment]

    def _icon(self, color: str, option: QStyleOptionViewItem) -> QIcon:
        """A square of *color* the size of the decoration: what Qt makes of a QColor."""
        size = option.decorationSize
        key = (color, size.width(), size.height())
        icon = self._icons.get(key)
        if icon is None:
            pixmap = QPixmap(size)
            pixmap.fill(QColor(color))
            icon = self._icons[key] = QIcon(pixmap)
        return icon
