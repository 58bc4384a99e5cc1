"""A window that opens larger than the screen is fitted to it, and maximized.

The main window's first size is 1500x900: on a 1024x700 laptop screen the
span table, the status bar and its hints were off the screen, out of reach
of the keyboard and the mouse alike. A kept size is left alone when it fits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget) -> None:
    """Shrink *window* to its screen's free area and move it onto it; maximize it if it was larger.

    Called before the window is first shown, when its frame is not known:
    maximized, the window manager fits the frame too.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    too_large = window.width() > area.width() or window.height() > area.height()
    if too_large:
        window.resize(min(window.width(), area.width()), min(window.height(), area.height()))
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    x = min(max(window.x(), area.left()), area.right() + 1 - window.width())
    y = min(max(window.y(), area.top()), area.bottom() + 1 - window.height())
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)
