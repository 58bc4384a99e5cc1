"""One article view per curator, side by side, and the curated layer beside them.

Each lane is a full :class:`SpanTextView`, so nested and overlapping spans
draw exactly as in the workspace; the lanes scroll together so the same
passage stays in view across them.

The curators' lanes share the room left of the curated lane, each at least
:data:`LANE_CHARS` characters wide; when there are more of them than fit
(eight curators on a 1024 px screen) they scroll sideways, while the curated
layer stays in view on the right. Squeezed to fit instead, a lane showed
one character a line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from curator.gui.status_message import ElidedLabel
from curator.gui.text_view import SpanTextView, ViewSpan

CURATED = "\x00curated"  # not a name a curator can type
LANE_CHARS = 16  # the narrowest lane, in the article's average characters: whole words


class Lane(QWidget):
    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        # A long curator name is shortened in the middle (whole in the tooltip): a
        # lane as wide as its title pushed the curated lane off a small screen.
        self.title = ElidedLabel()
        self.title.set_full_text(title)
        self.title.setStyleSheet("font-weight: bold; padding: 4px;")
        self.view = SpanTextView()
        self.view.setObjectName(f"lane-{name}")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.title)
        column.addWidget(self.view, 1)
        bar = self.view.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(self.view.fontMetrics().averageCharWidth() * LANE_CHARS + bar)


class LaneViews(QSplitter):
    """Lanes keyed by curator name, plus :data:`CURATED` for the reviewer's layer.

    Two parts: the curators' lanes in a sideways-scrolling area, then the
    curated lane; the area takes a lane's share of the width per curator.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.compared = QSplitter(Qt.Orientation.Horizontal)
        self.compared.setChildrenCollapsible(False)
        self.area = QScrollArea()
        self.area.setObjectName("comparedLanes")
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidgetResizable(True)  # as wide as the room, or the lanes' least width
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setWidget(self.compared)
        self.addWidget(self.area)
        self.setChildrenCollapsible(False)
        self.lanes: dict[str, Lane] = {}
        self._shares = [1, 1]
        self._syncing = False
        self._showing = False
        self._uids: dict[str, set[str]] = {}
        self._last: Lane | None = None  # the lane the reviewer last selected text in

    def set_lanes(self, curators: Sequence[str], reviewer: str) -> None:
        for lane in self.lanes.values():
            lane.setParent(None)
            lane.deleteLater()
        self.lanes = {}
        titles = [(name, f"Alt+{i + 1}  {name}") for i, name in enumerate(curators)]
        titles.append((CURATED, f"curated layer ({reviewer})"))
        for name, title in titles:
            lane = Lane(name, title)
            (self if name == CURATED else self.compared).addWidget(lane)
            self.lanes[name] = lane
            lane.view.verticalScrollBar().valueChanged.connect(
                lambda value, src=lane.view: self._sync(src, value)
            )
            lane.view.selectionChanged.connect(lambda lane=lane: self._selected_in(lane))
        self._last = None
        self._shares = [max(len(curators), 1), 1]  # a lane's width each, the curated too
        for index, share in enumerate(self._shares):
            self.setStretchFactor(index, share)
        if self.isVisible():
            self._share_width()

    def showEvent(self, event: QShowEvent) -> None:
        """Shared out once the width is known: before, the least widths bent the shares."""
        super().showEvent(event)
        self._share_width()

    def _share_width(self) -> None:
        total = sum(self._shares)
        self.setSizes([self.width() * share // total for share in self._shares])

    def set_article(self, text: str, spans: Mapping[str, Sequence[ViewSpan]]) -> None:
        for name, lane in self.lanes.items():
            lane.view.set_article(text, list(spans.get(name, [])))

    def set_spans(self, spans: Mapping[str, Sequence[ViewSpan]]) -> None:
        self._uids = {name: {s.uid for s in spans.get(name, [])} for name in self.lanes}
        for name, lane in self.lanes.items():
            lane.view.set_spans(list(spans.get(name, [])))

    def show_spans(self, start: int, uids: Sequence[str]) -> None:
        """Scroll every lane to *start* and outline, in each, its own span among *uids*.

        Outlining rather than selecting the range keeps each curator's extent
        visible: a boundary difference shows two different boxes.
        """
        self._showing = True
        try:
            for name, lane in self.lanes.items():
                lane.view.select_range(start, start)
                mine = [u for u in uids if u in self._uids.get(name, set())]
                lane.view.set_selected_span(mine[0] if mine else None)
        finally:
            self._showing = False
        self._last = None

    def selection(self) -> tuple[int, int] | None:
        """The reviewer's own text selection, in the lane they last selected in."""
        if self._last is None:
            return None
        start, end = self._last.view.selection_range()
        return (start, end) if end > start else None

    def _selected_in(self, lane: Lane) -> None:
        if not self._showing:
            self._last = lane

    def _sync(self, source: SpanTextView, value: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            bar = source.verticalScrollBar()
            fraction = value / bar.maximum() if bar.maximum() else 0.0
            for lane in self.lanes.values():
                if lane.view is not source:
                    other = lane.view.verticalScrollBar()
                    other.setValue(round(fraction * other.maximum()))
        finally:
            self._syncing = False
