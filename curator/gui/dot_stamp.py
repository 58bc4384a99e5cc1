"""Small antialiased dots stamped from cached images instead of drawn one by one.

Why: the article marks every span that ends a relation with a dot, a few
dozen per page. An antialiased ellipse goes through Qt's path rasterizer
each time (about 4 µs, plus the render-hint switch around it); copying a
8x8 image costs a fraction of that. So the dot is drawn once per colour,
device pixel ratio and sub-pixel phase (in 64ths of a pixel, the grid Qt
lays text out on), into a transparent image, and stamped at a whole-pixel
position: the same coverage lands on the same pixels as drawing it there.
(Eighths of a pixel were tried: a few edge pixels then differ by a shade.)
Images, not pixmaps (copied as fast on the raster engine): this cache lives
in the module and may be freed after the application, which a QImage, unlike
a QPixmap, does not need.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

PHASES = 64  # sub-pixel positions per pixel: Qt lays text out in 1/64ths, so exact
_PAD = 1  # room around the dot in its image for the antialiased edge

_stamps: dict[tuple[int, float, float], dict[tuple[int, int], QImage]] = {}


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
        image = stamps.get(phase)
        if image is None:
            image = stamps[phase] = _draw(diameter, phase, color, ratio)
        painter.drawImage(x - _PAD, y - _PAD, image)


def _draw(diameter: float, phase: tuple[int, int], color: QColor, ratio: float) -> QImage:
    side = math.ceil(diameter) + 1 + 2 * _PAD  # + 1: a phase of up to one pixel
    size = math.ceil(side * ratio)
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    fx, fy = phase[0] / PHASES, phase[1] / PHASES
    painter.drawEllipse(QRectF(_PAD + fx, _PAD + fy, diameter, diameter))
    painter.end()
    return image
