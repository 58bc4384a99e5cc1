"""The main splitter: the article keeps room to read, the side panes give way.

A plain QSplitter hands every pixel of a shrinking window to the pane with
the stretch factor, so on a small screen the article became a column of
broken words while the document list and the span table kept their width.
Here the side panes shrink first, each by what it can spare, and either
may be dragged shut; the article keeps enough width for whole words on
every line. What the side panes gave is theirs again when the splitter
grows back (the guidelines panel closed, the window made larger), unless
the curator has dragged a handle since: then their widths are the
curator's choice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSplitter, QWidget

SIDE_FLOOR = 170  # a side pane narrower than this is no use: collapse it instead
_CENTER_SHARE = 0.55  # on a very small window the article asks for no more than this


class PaneSplitter(QSplitter):
    """Three panes, side / article / side; *reading_width* is what the article wants."""

    def __init__(self, reading_width: Callable[[], int], parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._reading_width = reading_width
        self._lent = [0, 0]  # what the left and right panes gave the article
        self.splitterMoved.connect(self._forget_lent)

    def add_panes(self, left: QWidget, center: QWidget, right: QWidget) -> None:
        for widget in (left, center, right):
            self.addWidget(widget)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 0)
        self.setCollapsible(0, True)
        self.setCollapsible(1, False)
        self.setCollapsible(2, True)
        for side in (left, right):
            side.setMinimumWidth(SIDE_FLOOR)
        center.setMinimumWidth(200)

    def center_wanted(self) -> int:
        total = sum(self.sizes())
        return min(self._reading_width(), int(total * _CENTER_SHARE))

    def give_room(self) -> None:
        """Take width from the side panes, in proportion to what each can spare."""
        sizes = self.sizes()
        if len(sizes) != 3 or sum(sizes) <= 0:
            return
        need = self.center_wanted() - sizes[1]
        if need <= 0:
            return
        # A collapsed pane (0) stays shut: it has nothing to spare.
        spare = [max(0, sizes[i] - SIDE_FLOOR) for i in (0, 2)]
        if sum(spare) == 0:
            return
        take = min(need, sum(spare))
        left = take * spare[0] // sum(spare)
        sizes = [sizes[0] - left, sizes[1] + take, sizes[2] - (take - left)]
        self._lent = [self._lent[0] + left, self._lent[1] + take - left]
        self.setSizes(sizes)

    def give_back(self, grown: int) -> None:
        """Return up to *grown* pixels the side panes lent, the article keeping its room."""
        sizes = self.sizes()
        if len(sizes) != 3 or grown <= 0:
            return
        owed = [lent if sizes[i] > 0 else 0 for i, lent in zip((0, 2), self._lent, strict=True)]
        room = min(grown, sizes[1] - self.center_wanted(), sum(owed))
        if room <= 0:
            return
        left = room * owed[0] // sum(owed)
        right = room - left
        self._lent = [self._lent[0] - left, self._lent[1] - right]
        self.setSizes([sizes[0] + left, sizes[1] - room, sizes[2] + right])

    def _forget_lent(self) -> None:
        self._lent = [0, 0]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() > 0:
            self.give_back(event.size().width() - event.oldSize().width())
        self.give_room()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.give_room()
