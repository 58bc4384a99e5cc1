"""Span colours readable on the page: lanes and tags stand out on light and dark alike.

The label colours are chosen for a white page (Okabe-Ito). On a dark page
the darker ones (therapy's blue) sink into the background, so the solid
colour of a lane or tag is lightened until it has a contrast of at least
3:1 with the page (WCAG's figure for graphics), and fills are made a little
denser so a span's extent stays visible; the text itself is the theme's own.
On a light page the label colours are used as chosen.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

MIN_GRAPHIC_CONTRAST = 3.0
LIGHT_FILL_ALPHA = 64  # translucent enough that overlaps blend and dark text stays dark
DARK_FILL_ALPHA = 96


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG 2), 0 for black to 1 for white."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(page: QColor) -> bool:
    return luminance(page) < 0.2


def blend(top: QColor, bottom: QColor) -> QColor:
    """*top* (with its alpha) painted over opaque *bottom*."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + bottom.redF() * (1 - a),
        top.greenF() * a + bottom.greenF() * (1 - a),
        top.blueF() * a + bottom.blueF() * (1 - a),
    )


def readable_line(color: str, page: QColor) -> QColor:
    """The label's colour, on a dark *page* lightened just enough to stand out.

    On a light page the colours are the label set's own, as chosen.
    """
    line = QColor(color)
    if not is_dark(page):
        return line
    for _ in range(12):
        if contrast(line, page) >= MIN_GRAPHIC_CONTRAST:
            return line
        line = line.lighter(115)
    return line if contrast(line, page) >= MIN_GRAPHIC_CONTRAST else QColor("#ffffff")


def span_colors(color: str, page: QColor) -> tuple[QColor, QColor]:
    """(fill, line) of a label colour on *page*: translucent fill, solid lanes and tags."""
    line = readable_line(color, page)
    fill = QColor(line)
    fill.setAlpha(DARK_FILL_ALPHA if is_dark(page) else LIGHT_FILL_ALPHA)
    return fill, line


def tag_text_color(background: QColor) -> QColor:
    """Black or white, whichever reads better on a tag of *background*."""
    white, black = QColor("#ffffff"), QColor("#000000")
    return white if contrast(white, background) >= contrast(black, background) else black
