"""Light, dark or the system's colour scheme, applied to the whole app.

The choice is one of :data:`THEMES`, kept in the settings. "system" follows
the desktop (Qt 6.5+ ``QStyleHints.colorScheme``) and changes with it while
the app runs; "light" and "dark" hold whatever the desktop does. The dark
palette is set explicitly (Fusion's colours) because several native styles
ignore the scheme; the span colours adapt in the article view
(:mod:`curator.gui.span_contrast`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
SETTING = "view/theme"


def dark_palette() -> QPalette:
    """A dark palette with light text: every role a widget paints with."""
    p = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e6e6e6")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#262626"),
        QPalette.ColorRole.ToolTipBase: QColor("#333333"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9a9a9a"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#353535"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor("#3d7ab8"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7fb8ff"),
        QPalette.ColorRole.Light: QColor("#505050"),
        QPalette.ColorRole.Midlight: QColor("#404040"),
        QPalette.ColorRole.Mid: QColor("#303030"),
        QPalette.ColorRole.Dark: QColor("#191919"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    disabled = QColor("#7a7a7a")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def stored_theme() -> str:
    value = str(QSettings().value(SETTING, "system"))
    return value if value in THEMES else "system"


def wants_dark(choice: str, system: Qt.ColorScheme) -> bool:
    """Whether *choice* means a dark app while the desktop's scheme is *system*."""
    if choice == "system":
        return system == Qt.ColorScheme.Dark
    return choice == "dark"


class ThemeKeeper(QObject):
    """Applies the chosen theme, and the desktop's changes while the choice is "system"."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice = stored_theme()
        self.dark = False
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def choose(self, choice: str) -> None:
        """Apply *choice* and remember it for the next start."""
        if choice not in THEMES:
            raise ValueError(f"unknown theme {choice!r}")
        self.choice = choice
        QSettings().setValue(SETTING, choice)
        self.apply(QGuiApplication.styleHints().colorScheme())

    def apply(self, system: Qt.ColorScheme) -> None:
        dark = wants_dark(self.choice, system)
        if dark:
            self.app.setPalette(dark_palette())
        elif self.dark:  # an empty palette resolves to the platform's own again
            self.app.setPalette(QPalette())
        self.dark = dark

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply(scheme)


def theme_keeper(app: QApplication) -> ThemeKeeper:
    """The app's one keeper, with the stored theme applied (a new window reads it afresh)."""
    keeper = app.findChild(ThemeKeeper)
    if keeper is None:
        keeper = ThemeKeeper(app)
    keeper.choice = stored_theme()
    keeper.apply(app.styleHints().colorScheme())
    return keeper
