"""``curator gui``'s first frame: the article painted before the rest of the app is imported.

A start spends most of its time importing SQLAlchemy, the models and the
core (~600 ms), then building the main window and reading the article
through them; Python and Qt alone show a text in ~300 ms. So the app's
top-level window, :class:`FirstWindow`, first holds a lean stand-in of the
main window (menu titles, the label bar, the panes as the settings size them,
the article with its spans in their colours, titled with it), built from the
raw ``sqlite3`` read of :mod:`curator.core.storage.first_article`. Right
after that frame is painted, the rest is imported and the real
:class:`~curator.gui.main_window.MainWindow` is built, loaded and put in the
same top-level window in place of the stand-in, in one step of the event
loop: no second window, no empty frame between the two.

Input before the window is complete is not accepted: the article is
read-only, the label buttons are disabled and the status bar says the window
is opening. Keys pressed while it completes wait in the event queue and
reach the complete window; a selection made in the stand-in is not carried
over (the article is shown afresh).

The checks of the usual start (the tuning variables, the database opened
writable and checked at the schema head) run while completing; a failure
prints the command line's ``error: ...`` line on stderr, is shown in a
dialog over the window (the app's own message for a database it cannot
open), and the app exits with 1, the database untouched. Only this module's
:func:`show` path is lean; the completion imports what it needs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from curator.core.storage.first_article import RETIRED_COLOR, FirstArticle, FirstSpan
from curator.gui import paint_report
from curator.gui.after_paint import after_first_paint
from curator.gui.label_bar import LabelBar, swatch
from curator.gui.pane_splitter import PaneSplitter
from curator.gui.span_style import Style
from curator.gui.status_message import MessageBar
from curator.gui.text_view import SpanTextView
from curator.gui.view_menu import restore_view_look

if TYPE_CHECKING:
    from curator.gui.main_window import MainWindow
    from curator.gui.window_host import WindowHost

APP_TITLE = "Heme Curator"
# The main window's menus, by title, so that the menu bar does not change height or
# place when the real one replaces it (a test compares them with MainWindow's).
MENU_TITLES = (
    "&File", "&Edit", "&View", "&Annotate", "&Document", "&Review", "&Settings", "&Help",
)  # fmt: skip
OPENING = "Opening… (editing starts in a moment)"


def window_title(title: str) -> str:
    """As :class:`MainWindow` titles the window with its open article."""
    return f"{title} — {APP_TITLE}"


class _StandIn(QMainWindow):
    """What the main window will look like, holding the article; nothing in it acts."""

    def __init__(self, article: FirstArticle, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)  # QMainWindow makes itself a window
        for title in MENU_TITLES:
            self.menuBar().addMenu(title).setEnabled(False)
        actions = []
        for label in article.labels:
            if label.retired:
                continue
            action = QAction(swatch(label.color), f"Tag as {label.name}", self)
            key = label.shortcut
            action.setIconText(f"{key}  {label.name}" if key else label.name)
            action.setData(label.name)
            action.setEnabled(False)
            actions.append(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, LabelBar(actions, self))
        self.view = SpanTextView()
        self.view.setObjectName("textView")
        styles = {label.name: Style(label.color, "", label=label.name) for label in article.labels}
        grey = Style(RETIRED_COLOR, "")
        self.view.set_styler(lambda span: styles.get(span.label, grey))
        restore_view_look(self.view)
        self.view.set_article(article.text, article.spans)
        splitter = PaneSplitter(self.view.reading_width)
        splitter.add_panes(QWidget(), self.view, QWidget())
        self.setCentralWidget(splitter)
        state = QSettings().value("window/splitter")
        if state is None or not splitter.restoreState(state):
            width = max(parent.width(), 1000)  # as MainWindow sizes a first run's panes
            splitter.setSizes([int(width * 0.22), int(width * 0.45), int(width * 0.33)])
        bar = MessageBar()
        self.setStatusBar(bar)
        bar.showMessage(OPENING)


class FirstWindow(QWidget):
    """The app's window: the stand-in first, then the main window in its place."""

    def __init__(self, article: FirstArticle, url: str, curator: str, *, seed: bool) -> None:
        super().__init__()
        self.setObjectName("firstWindow")
        self.setWindowTitle(window_title(article.title))
        self._url, self._curator, self._seed = url, curator, seed
        self.host: WindowHost | None = None
        self.main: MainWindow | None = None  # once complete (the host may replace it later)
        self.closed = False
        geometry = QSettings().value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1500, 900)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.stand_in: _StandIn | None = _StandIn(article, self)
        self._layout.addWidget(self.stand_in)
        self.stand_in.view.setFocus()
        # Posted once more after the frame: the paint report (installed later, so it
        # sees the paint first) prints before the completion takes the event loop.
        after_first_paint(
            self.stand_in.view.viewport(), lambda: QTimer.singleShot(0, self.complete)
        )

    def complete(self) -> None:
        """Import the rest, build and load the main window, and show it in place."""
        if self.closed or self.host is not None:
            return
        from curator.cli_progress import mode as progress_mode
        from curator.core.errors import CuratorError
        from curator.core.opening import check_environment, prepare_database
        from curator.gui import plain_text
        from curator.gui.window_host import WindowHost

        title = "Heme Curator cannot start"
        try:  # what the command line checks before any window (curator.cli.main)
            check_environment()
            progress_mode()
            title = "Heme Curator cannot open its database"  # as curator.gui.app says it
            db = prepare_database(self._url, seed_samples=self._seed)
        except CuratorError as exc:
            # Said where the command line says it, and in a dialog: the window is up.
            print(f"error: {exc}", file=sys.stderr, flush=True)
            plain_text.show_message(self, plain_text.Icon.Critical, title, str(exc))
            self._fail()
            return
        self.host = WindowHost(db, self._curator)
        window = self.main = self.host.window
        if paint_report.requested():
            paint_report.watch(window)
        window.setParent(self, Qt.WindowType.Widget)
        assert self.stand_in is not None
        self._layout.replaceWidget(self.stand_in, window)
        self.stand_in.hide()
        self.stand_in.deleteLater()
        self.stand_in = None
        window.show()
        window.view.setFocus()
        self.setWindowTitle(window.windowTitle() or APP_TITLE)
        window.windowTitleChanged.connect(lambda title: self.setWindowTitle(title or APP_TITLE))

    def _fail(self) -> None:
        self.closed = True
        self.close()
        QCoreApplication.exit(1)

    def closeEvent(self, event: QCloseEvent) -> None:
        main = self.main
        if main is not None and main.isVisible() and not main.close():
            event.ignore()  # the main window said no (it never does today)
            return
        self.closed = True
        super().closeEvent(event)

    def dispose(self) -> None:
        if self.host is not None:
            self.host.dispose()


def show(article: FirstArticle, url: str, curator: str, *, seed: bool) -> FirstWindow:
    """Show *article*'s first frame; the window completes itself right after it."""
    window = FirstWindow(article, url, curator, seed=seed)
    if paint_report.requested():
        assert window.stand_in is not None
        paint_report.watch_first_frame(window.stand_in.view.viewport())
    window.show()
    return window


__all__ = ["FirstSpan", "FirstWindow", "show"]
