"""Agreement per label as grouped bars, painted with QPainter (no plotting library).

Two bars per label: F1 under exact match (solid, the label's colour) and under
overlap match (the same colour, lighter, outlined). A label with no spans on
either side has no F1: it shows "n/a" instead of a bar that would read as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from curator.gui import plain_text

_MARGIN_LEFT, _MARGIN_TOP, _MARGIN_BOTTOM = 34.0, 26.0, 34.0


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

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        ink = pal.color(QPalette.ColorRole.Text)
        fm = QFontMetricsF(self.font())
        p.setPen(ink)
        title = self.title or "Agreement per label (F1)"
        p.drawText(QRectF(6, 4, self.width() - 12, fm.height()), Qt.AlignmentFlag.AlignLeft, title)
        plot = QRectF(
            _MARGIN_LEFT,
            _MARGIN_TOP,
            self.width() - _MARGIN_LEFT - 10,
            self.height() - _MARGIN_TOP - _MARGIN_BOTTOM,
        )
        self._paint_grid(p, plot, ink, fm)
        if self.bars:
            self._paint_bars(p, plot, ink, fm)
            self._paint_legend(p, plot, fm)
        else:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "tick two curators to compare")
        p.end()

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
        slot = plot.width() / len(self.bars)
        bar_w = min(30.0, slot * 0.4)
        small = self.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        centre = Qt.AlignmentFlag.AlignCenter
        for i, bars in enumerate(self.bars):
            x0 = plot.left() + i * slot + slot / 2 - bar_w
            solid = QColor(bars.color)
            light = QColor(solid)
            light.setAlpha(90)
            p.setFont(small)
            for j, (value, fill) in enumerate(((bars.f1_exact, solid), (bars.f1_overlap, light))):
                x = x0 + j * bar_w
                p.setPen(ink)
                if value is None:
                    p.drawText(QRectF(x, plot.bottom() - fm.height(), bar_w, fm.height()),
                               centre, "n/a")  # fmt: skip
                    continue
                rect = QRectF(x + 1, plot.bottom() - value * plot.height(), bar_w - 2,
                              value * plot.height())  # fmt: skip
                p.drawText(QRectF(x, rect.top() - fm.height(), bar_w, fm.height()), centre,
                           f"{value:.2f}".lstrip("0") or "0")  # fmt: skip
                p.fillRect(rect, fill)
                p.setPen(QPen(solid.darker(120), 1))
                p.drawRect(rect)
            p.setFont(self.font())
            p.setPen(ink)
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
