"""The View menu: text size and font, light or dark, and label names on the spans.

Every choice is kept in the settings at once (``view/...``) and applied to
the article view when the window opens, so the app looks the same the next
day. Ctrl+wheel over the article zooms as Ctrl+= and Ctrl+- do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup, QFont
from PySide6.QtWidgets import QApplication, QFontDialog, QMenu, QWidget

from curator.gui.text_view import SpanTextView
from curator.gui.theme import THEMES, theme_keeper

AddAction = Callable[[QMenu, str, "str | list[str]", Callable[[], object]], QAction]

ZOOM_STEP = 1.0  # points per Ctrl+= / Ctrl+-
THEME_NAMES = {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}


class ViewMenu(QObject):
    """Builds the View menu on *menu* and keeps the article view's look in the settings."""

    def __init__(
        self, parent: QWidget, view: SpanTextView, menu: QMenu, add_action: AddAction
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.view = view
        add_action(menu, "Zoom &in", ["Ctrl+=", "Ctrl++"], lambda: self.zoom(ZOOM_STEP))
        add_action(menu, "Zoom &out", "Ctrl+-", lambda: self.zoom(-ZOOM_STEP))
        add_action(menu, "&Reset zoom", "Ctrl+0", self.reset_zoom)
        menu.addSeparator()
        add_action(menu, "&Font of the article…", "", self.choose_font)
        self.names_action = add_action(
            menu, "Show label &names on spans", "Ctrl+Shift+N", self._names_toggled
        )
        self.names_action.setCheckable(True)
        menu.addSeparator()
        themes = menu.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            action = themes.addAction(THEME_NAMES[name])
            action.setCheckable(True)
            action.setData(name)
            action.triggered.connect(lambda _checked=False, n=name: self.choose_theme(n))
            group.addAction(action)
            self.theme_actions[name] = action
        self._restore()

    # -- commands --------------------------------------------------------------
    def zoom(self, points: float) -> None:
        self.view.zoom_by(points)
        QSettings().setValue("view/zoom", self.view.zoom())

    def reset_zoom(self) -> None:
        self.view.reset_zoom()
        QSettings().setValue("view/zoom", 0.0)

    def choose_font(self) -> None:
        ok, font = QFontDialog.getFont(self.view.text_font(), self.parent_widget, "Article font")
        if ok:
            self.set_font(font)

    def set_font(self, font: QFont) -> None:
        """The article in *font*, zoom reset; kept for the next start."""
        self.view.set_text_font(font)
        settings = QSettings()
        settings.setValue("view/font", font.toString())
        settings.setValue("view/zoom", 0.0)

    def choose_theme(self, name: str) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        theme_keeper(app).choose(name)
        self.theme_actions[name].setChecked(True)

    def _names_toggled(self) -> None:
        shown = self.names_action.isChecked()
        self.view.show_label_names(shown)
        QSettings().setValue("view/label_names", shown)

    # -- settings --------------------------------------------------------------
    def _restore(self) -> None:
        self.names_action.setChecked(restore_view_look(self.view))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.theme_actions[theme_keeper(app).choice].setChecked(True)


def restore_view_look(view: SpanTextView) -> bool:
    """Apply the stored font, zoom and label names to a new *view*; whether names show.

    Also for the first frame of ``curator gui`` (:mod:`curator.gui.first_frame`),
    which must look as the complete window will.
    """
    settings = QSettings()
    stored = settings.value("view/font")
    if stored:
        font = QFont()
        if font.fromString(str(stored)):
            view.set_text_font(font)
    zoom = settings.value("view/zoom", 0.0, type=float)
    if zoom:
        view.zoom_by(float(zoom))  # type: ignore[arg-type]
    shown = bool(settings.value("view/label_names", False, type=bool))
    if shown:
        view.show_label_names(True)
    return shown
