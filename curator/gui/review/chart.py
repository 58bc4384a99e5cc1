"""Agreement per label as grouped bars, painted with QPainter (no plotting library).

Two bars per label: F1 under exact match (solid, the label's colour) and under
overlap match (the same colour, lighter, outlined). A label with no spans on
either side has no F1: it shows "n/a" instead of a bar that would read as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from curator.gui import plain_text

_MARGIN_LEFT, _MARGIN_RIGHT, _GAP, _BAR_GAP = 34.0, 10.0, 4.0, 6.0


@dataclass(frozen=True, slots=True)
class LabelBars:
    label: str
    color: str
    f1_exact: float | None
    f1_overlap: float | None
    n_a: int
    n_b: int


class AgreementChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[LabelBars] = []
        self.title = ""
        self.setMinimumSize(260, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(320, 220)

    def set_data(self, title: str, bars: list[LabelBars]) -> None:
        self.title, self.bars = title, bars
        self.setToolTip(
            plain_text.tooltip(
                "\n".join(
                    f"{b.label}: F1 exact {_fmt(b.f1_exact)}, overlap {_fmt(b.f1_overlap)} "
                    f"({b.n_a} / {b.n_b} spans)"
                    for b in bars
                )
            )
        )
        self.update()

    def title_rect(self) -> QRectF:
        """Where the title is drawn: a line of its own above the plot."""
        return QRectF(6, _GAP, self.width() - 12, QFontMetricsF(self.font()).height())

    def plot_rect(self) -> QRectF:
        """The bars' area: below the title and a bar's value label, above the labels and legend.

        A full bar's value ("1.00") is drawn above the bar: with the plot
        starting right under the title, it was drawn over the title.
        """
        line = QFontMetricsF(self.font()).height()
        top = self.title_rect().bottom() + _GAP + QFontMetricsF(self._small_font()).height()
        bottom = 2 * line + 2 * _GAP + 2  # the label names, then the legend
        return QRectF(
            _MARGIN_LEFT,
            top,
            self.width() - _MARGIN_LEFT - _MARGIN_RIGHT,
            self.height() - top - bottom,
        )

    def value_rects(self) -> list[QRectF]:
        """Where each bar's value (or "n/a") is drawn, bar by bar, as painted."""
        return [rect for _bars, _value, _fill, _bar, rect in self._bar_layout(self.plot_rect())]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        ink = pal.color(QPalette.ColorRole.Text)
        fm = QFontMetricsF(self.font())
        p.setPen(ink)
        title = self.title or "Agreement per label (F1)"
        shown = fm.elidedText(title, Qt.TextElideMode.ElideRight, self.title_rect().width())
        p.drawText(self.title_rect(), Qt.AlignmentFlag.AlignLeft, shown)
        plot = self.plot_rect()
        self._paint_grid(p, plot, ink, fm)
        if self.bars:
            self._paint_bars(p, plot, ink, fm)
            self._paint_legend(p, plot, fm)
        else:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "tick two curators to compare")
        p.end()

    def _small_font(self) -> QFont:
        small = self.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        return small

    def _bar_layout(
        self, plot: QRectF
    ) -> list[tuple[LabelBars, float | None, QColor, QRectF, QRectF]]:
        """Each bar: its label's bars, its value, its fill, its rectangle and its value's."""
        if not self.bars:
            return []
        slot = plot.width() / len(self.bars)
        bar_w = min(30.0, slot * 0.4)
        high = QFontMetricsF(self._small_font()).height()
        laid = []
        for i, bars in enumerate(self.bars):
            x0 = plot.left() + i * slot + slot / 2 - bar_w
            solid = QColor(bars.color)
            light = QColor(solid)
            light.setAlpha(90)
            for j, (value, fill) in enumerate(((bars.f1_exact, solid), (bars.f1_overlap, light))):
                x = x0 + j * (bar_w + _BAR_GAP) - _BAR_GAP / 2  # two "1.00" do not touch
                if value is None:
                    bar = QRectF(x + 1, plot.bottom(), bar_w - 2, 0)
                    text = QRectF(x, plot.bottom() - high, bar_w, high)
                else:
                    bar = QRectF(x + 1, plot.bottom() - value * plot.height(), bar_w - 2,
                                 value * plot.height())  # fmt: skip
                    text = QRectF(x, bar.top() - high, bar_w, high)
                laid.append((bars, value, fill, bar, text))
        return laid

    def _paint_grid(self, p: QPainter, plot: QRectF, ink: QColor, fm: QFontMetricsF) -> None:
        grid = QColor(ink)
        grid.setAlpha(40)
        for tick in (0.0, 0.5, 1.0):
            y = plot.bottom() - tick * plot.height()
            p.setPen(QPen(grid, 1))
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(ink)
            box = QRectF(0, y - fm.height() / 2, _MARGIN_LEFT - 4, fm.height())
            p.drawText(box, Qt.AlignmentFlag.AlignRight, f"{tick:.1f}")

    def _paint_bars(self, p: QPainter, plot: QRectF, ink: QColor, fm: QFontMetricsF) -> None:
        centre = Qt.AlignmentFlag.AlignCenter
        p.setFont(self._small_font())
        for bars, value, fill, bar, text in self._bar_layout(plot):
            p.setPen(ink)
            if value is None:
                p.drawText(text, centre, "n/a")
                continue
            p.drawText(text, centre, f"{value:.2f}".lstrip("0") or "0")
            p.fillRect(bar, fill)
            p.setPen(QPen(QColor(bars.color).darker(120), 1))
            p.drawRect(bar)
        p.setFont(self.font())
        p.setPen(ink)
        slot = plot.width() / len(self.bars)
        for i, bars in enumerate(self.bars):
            p.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, fm.height()),
                       centre, bars.label)  # fmt: skip

    def _paint_legend(self, p: QPainter, plot: QRectF, fm: QFontMetricsF) -> None:
        y = plot.bottom() + fm.height() + 4
        solid = QColor("#666666")
        faded = QColor(solid)
        faded.setAlpha(90)
        for x, color, text in ((plot.left(), solid, "exact"), (plot.left() + 70, faded, "overlap")):
            p.fillRect(QRectF(x, y + 3, 10, 10), color)
            p.drawText(QRectF(x + 14, y, 80, fm.height()), text)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
