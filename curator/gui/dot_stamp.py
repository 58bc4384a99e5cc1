"""Small antialiased dots stamped from cached pixmaps instead of drawn one by one.

Why: the article marks every span that ends a relation with a dot, a few
dozen per page. An antialiased ellipse goes through Qt's path rasterizer
each time (about 4 µs, plus the render-hint switch around it); copying a
7x7 pixmap costs a fraction of that. So the dot is drawn once per colour,
device pixel ratio and sub-pixel phase (in 64ths of a pixel, the grid Qt
lays text out on), into a transparent pixmap, and stamped at a whole-pixel
position: the same coverage lands on the same pixels as drawing it there.
(Eighths of a pixel were tried: a few edge pixels then differ by a shade.)
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap

PHASES = 64  # sub-pixel positions per pixel: Qt lays text out in 1/64ths, so exact
_PAD = 1  # room around the dot in its pixmap for the antialiased edge

_stamps: dict[tuple[int, float, float], dict[tuple[int, int], QPixmap]] = {}


def stamp_dots(
    painter: QPainter, corners: list[tuple[float, float]], diameter: float, color: QColor
) -> None:
    """Paint a filled antialiased circle of *diameter* at each top left corner in *corners*."""
    ratio = painter.device().devicePixelRatioF()
    key = (color.rgba(), diameter, ratio)
    stamps = _stamps.get(key)
    if stamps is None:
        stamps = _stamps[key] = {}
    floor = math.floor
    for left, top in corners:
        x, y = floor(left), floor(top)
        phase = (round((left - x) * PHASES), round((top - y) * PHASES))
        pixmap = stamps.get(phase)
        if pixmap is None:
            pixmap = stamps[phase] = _draw(diameter, phase, color, ratio)
        painter.drawPixmap(x - _PAD, y - _PAD, pixmap)


def _draw(diameter: float, phase: tuple[int, int], color: QColor, ratio: float) -> QPixmap:
    side = math.ceil(diameter) + 1 + 2 * _PAD  # + 1: a phase of up to one pixel
    pixmap = QPixmap(math.ceil(side * ratio), math.ceil(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    fx, fy = phase[0] / PHASES, phase[1] / PHASES
    painter.drawEllipse(QRectF(_PAD + fx, _PAD + fy, diameter, diameter))
    painter.end()
    return pixmap
