"""Screenshots of the app that stay current: the README's two, or every main screen at two sizes.

    python tools/screenshots.py                        # docs/workspace.png, docs/review.png
    python tools/screenshots.py --all --out /tmp/shots # every screen at 1024x700 and 1600x1000
    python tools/screenshots.py --all --xvfb --out /tmp/shots   # the same on a real X server

A database is built from the sample articles in ``data/`` in a temporary
folder: the curator ``maria`` with spans, relations and a note on the CD7
article, ``ben`` with a few differences from her, and the review window
opened as ``rita``. Names, the folder and the window sizes are fixed, so two
runs draw the same pictures.

Each size runs in its own process, because a Qt application's screen is
fixed when it starts: offscreen (the default) with a screen of that size, or
with ``--xvfb`` on a private Xvfb display of that size through the real xcb
platform (needs ``Xvfb``; Debian: ``xvfb``). Offscreen, a picture is put
together from the app's top-level windows (dialogs and menus at their
places); on Xvfb it is the X screen itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication, QPainter, QPixmap, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMenu, QWidget
from shiboken6 import isValid

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere: this tree's curator

from curator.core.articles import corpus, documents  # noqa: E402
from curator.core.relations import add_relation  # noqa: E402
from curator.core.spans.annotate import NewSpan, add_span  # noqa: E402
from curator.core.storage import migrate  # noqa: E402
from curator.core.storage.db import open_database  # noqa: E402
from curator.core.suggest.stored import compute  # noqa: E402
from curator.gui.app import configure_application  # noqa: E402
from curator.gui.main_window import MainWindow  # noqa: E402
from curator.gui.review import ReviewWindow  # noqa: E402

README_SIZE = (1280, 800)
"""The README's pictures: wide enough for the three panes, small enough to read when shrunk."""
TRIAL_SIZES = ((1024, 700), (1600, 1000))
"""A small laptop screen and a desktop one."""
CURATOR, SECOND, REVIEWER = "maria", "ben", "rita"
FOLDER = Path(tempfile.gettempdir()) / "heme-curator-screenshots"
"""Fixed, not random: the status bar shows the database's path."""
SCREENS = (
    "workspace",
    "relation-flow",
    "relations-tab",
    "find",
    "search",
    "labels-dialog",
    "export-dialog",
    "guidelines",
    "keymap",
    "view-menu",
    "review",
    "review-relations",
)


# --- the parent: one child process per size ---------------------------------------------


def _size_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _free_display() -> int:
    for number in range(91, 140):
        taken = (Path(f"/tmp/.X11-unix/X{number}"), Path(f"/tmp/.X{number}-lock"))
        if not any(path.exists() for path in taken):
            return number
    raise SystemExit("error: no free X display number between :91 and :139")


@contextmanager
def _xvfb(size: tuple[int, int]) -> Iterator[dict[str, str]]:
    """A private Xvfb display of *size*; the environment that points Qt's xcb at it."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("error: --xvfb needs Xvfb (Debian: apt-get install xvfb)")
    number = _free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{_size_name(size)}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"error: Xvfb :{number} did not start")
            time.sleep(0.05)
        yield {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def _offscreen(size: tuple[int, int], folder: Path) -> Iterator[dict[str, str]]:
    """Qt's offscreen platform with one screen of *size* (its configuration file)."""
    config = folder / f"screen-{_size_name(size)}.json"
    screen = {"name": "shot", "x": 0, "y": 0, "width": size[0], "height": size[1]}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    yield {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}


def _run_size(
    size: tuple[int, int], screens: list[str], out: Path, prefix: str, *, xvfb: bool
) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    platform = _xvfb(size) if xvfb else _offscreen(size, FOLDER)
    with platform as env:
        command = [sys.executable, __file__, "--child", _size_name(size), "--out", str(out)]
        command += ["--prefix", prefix, "--screens", ",".join(screens)]
        environment = {**os.environ, **env, "PYTHONPATH": str(REPO)}
        environment["CURATOR_MODEL_SUGGESTIONS"] = "off"  # no training run, the same pictures
        environment.pop("CURATOR_DB", None)
        environment.pop("CURATOR_NAME", None)
        subprocess.run(command, env=environment, check=True, timeout=600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="every main screen at both sizes")
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="folder for the PNGs")
    parser.add_argument("--xvfb", action="store_true", help="a private Xvfb and the xcb platform")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", default="", help=argparse.SUPPRESS)
    parser.add_argument("--screens", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        width, height = (int(n) for n in args.child.split("x"))
        return _child((width, height), args.screens.split(","), args.out, args.prefix)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        if args.all:
            for size in TRIAL_SIZES:
                _run_size(size, list(SCREENS), args.out, _size_name(size) + "-", xvfb=args.xvfb)
        else:
            _run_size(README_SIZE, ["workspace", "review"], args.out, "", xvfb=args.xvfb)
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)
    return 0


# --- the child: the database, the windows, the pictures ---------------------------------


def build_database(path: Path) -> str:
    """The sample articles, maria's and ben's work on the CD7 article; its uid."""
    db = open_database(f"sqlite:///{path}")
    try:
        migrate.upgrade(db)
        corpus.import_articles(db, [REPO / "data"])
        doc = next(d for d in documents.list_documents(db) if d.title.startswith("CD7"))
        text = documents.get_document(db, doc.uid).text

        def span(curator: str, phrase: str, label: str, nth: int = 0, note: str = "") -> str:
            """A span on the *nth* occurrence of *phrase* after the title."""
            start = text.index("\n")
            for _ in range(nth + 1):
                start = text.index(phrase, start + 1)
            new = NewSpan(start, start + len(phrase), label, note)
            return add_span(db, doc.uid, curator, new).uid

        for curator in (CURATOR, SECOND):
            car = span(curator, "CAR-T cell therapy" if curator == CURATOR else "CAR-T", "therapy")
            cd7 = span(curator, "CD7", "target")
            span(curator, "CD7", "target" if curator == CURATOR else "therapy", 1)
            pan = span(curator, "Jing Pan", "expert")
            donor = span(
                curator,
                "donor-derived CD7 CAR-T cells",
                "therapy",
                note="Donor-derived product; see the phase I trial." if curator == CURATOR else "",
            )
            remission = span(curator, "complete remission", "outcome")
            add_relation(db, doc.uid, curator, "acts_on", car, cd7)
            add_relation(db, doc.uid, curator, "has_outcome", donor, remission)
            if curator == CURATOR:
                add_relation(db, doc.uid, curator, "reports", pan, donor)
                span(curator, "Helen Marsh", "expert")
                span(curator, "CD5", "target", 1)  # not the "CD5" of "CD52"
                span(curator, "nelarabine-based chemotherapy", "therapy")
        compute(db, doc.uid, CURATOR)  # what the app suggests on the article: pending, dashed
        return doc.uid
    finally:
        db.dispose()


def _child(size: tuple[int, int], screens: list[str], out: Path, prefix: str) -> int:

    app = QApplication([sys.argv[0]])
    configure_application(app)
    font = app.font()
    if font.pointSizeF() < 10:  # as the app does
        font.setPointSizeF(10)
        app.setFont(font)
    shutil.rmtree(FOLDER / "settings", ignore_errors=True)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(FOLDER / "settings")
    )
    path = FOLDER / "curator.sqlite"
    for stale in FOLDER.glob("curator.sqlite*"):
        stale.unlink()
    document = build_database(path)
    Shooter(path, document, size, out, prefix).take(screens)
    return 0


class Shooter:
    """Opens the windows, brings each screen up as a curator would, and saves it."""

    def __init__(
        self, path: Path, document: str, size: tuple[int, int], out: Path, prefix: str
    ) -> None:
        self.size = size
        self.out = out
        self.prefix = prefix
        self.db = open_database(f"sqlite:///{path}")
        self.window = MainWindow(self.db, CURATOR, load_after_show=True)
        self.window.resize(*size)  # as a curator maximizes it on a small screen
        self.window.move(0, 0)
        self.window.show()
        self.window.activateWindow()
        self.wait(lambda: self.window.is_loaded)
        self.window.ws.open_document(document)
        self.wait(lambda: not self.window.suggestions.worker.busy())
        self.settle()

    # -- plumbing ---------------------------------------------------------------------
    def settle(self, seconds: float = 0.3) -> None:

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.01)

    def wait(self, ready: Callable[[], bool], timeout: float = 30.0) -> None:

        end = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > end:
                raise SystemExit("error: the window did not get ready in time")
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def key(
        self,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget: QWidget | None = None,
    ) -> None:
        target = widget or QApplication.focusWidget() or self.window.view
        QTest.keyClick(target, key, modifiers)
        self.settle(0.15)

    def save(self, name: str) -> None:
        """The screen as the curator sees it, as ``{prefix}{name}.png``."""

        self.settle()
        screen = QGuiApplication.primaryScreen()
        target = self.out / f"{self.prefix}{name}.png"
        if QGuiApplication.platformName() == "xcb":
            picture = screen.grabWindow(0)
        else:
            picture = QPixmap(*self.size)
            picture.fill(QColor("#3b4252"))  # a desktop behind the windows

            def rank(widget: QWidget) -> int:
                """Stacking: the main window, other windows, the active one, dialogs, menus."""
                if widget.windowType() == Qt.WindowType.Popup:
                    return 4
                if isinstance(widget, QDialog):
                    return 3
                if widget is QApplication.activeWindow():
                    return 2
                return 0 if isinstance(widget, QMainWindow) else 1

            shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            with_rank = sorted(shown, key=rank)
            painter = QPainter(picture)
            for widget in with_rank:
                painter.drawPixmap(widget.geometry().topLeft(), widget.grab())
            painter.end()
        if not picture.save(str(target), "PNG", 0):  # 0: the smallest file
            raise SystemExit(f"error: {target}: could not write the picture")
        print(target)

    def modal(self, open_it: Callable[[], object], name: str) -> None:
        """Open a dialog that runs its own loop, save the screen, close it with Escape."""

        def shoot() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(50, shoot)
                return
            self.save(name)
            self.key(Qt.Key.Key_Escape, widget=dialog)
            if isValid(dialog) and dialog.isVisible():  # Escape may have deleted it
                dialog.close()

        QTimer.singleShot(50, shoot)
        open_it()
        self.settle(0.1)

    def action(self, text: str) -> QAction:

        for action in self.window.findChildren(QAction):
            if action.text().replace("&", "") == text:
                return action
        raise SystemExit(f"error: no menu entry {text!r}")

    def select(self, quote: str) -> None:
        """Select the span quoting *quote*, in the middle of the article's pane."""

        uid, span = next((u, s) for u, s in self.window.ws.spans.items() if s.text == quote)
        view = self.window.view
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.utf16().to_utf16(span.start))
        view.setTextCursor(cursor)
        view.centerCursor()
        self.window.editor.select_span(uid)
        view.setFocus()

    # -- the screens ------------------------------------------------------------------
    def take(self, screens: list[str]) -> None:
        for name in screens:
            getattr(self, "shot_" + name.replace("-", "_"))()
            self.settle(0.1)

    def shot_workspace(self) -> None:
        self.select("donor-derived CD7 CAR-T cells")
        self.save("workspace")

    def shot_relation_flow(self) -> None:

        self.select("nelarabine-based chemotherapy")
        self.key(Qt.Key.Key_R, widget=self.window.view)
        self.key(Qt.Key.Key_Tab, widget=self.window.view)
        self.save("relation-flow")
        self.key(Qt.Key.Key_Escape, widget=self.window.view)

    def shot_relations_tab(self) -> None:
        relations = self.window.relations
        relations.show_table()
        relations.table.selectRow(0)
        self.save("relations-tab")
        if relations.tabs is not None:
            relations.tabs.setCurrentIndex(0)

    def shot_find(self) -> None:

        self.key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier, self.window.view)
        edit = self.window.find_bar.edit
        QTest.keyClicks(edit, "CD7")
        self.key(Qt.Key.Key_Return, widget=edit)
        self.save("find")
        self.key(Qt.Key.Key_Escape)

    def shot_search(self) -> None:

        panel = self.window.search_panel
        self.key(
            Qt.Key.Key_F,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            self.window.view,
        )
        QTest.keyClicks(panel.edit, "remission")
        self.key(Qt.Key.Key_Return, widget=panel.edit)
        self.save("search")
        panel.edit.clear()
        panel.hide()
        self.window.view.setFocus()

    def shot_labels_dialog(self) -> None:
        self.modal(self.action("Labels…").trigger, "labels-dialog")

    def shot_export_dialog(self) -> None:
        self.modal(self.action("Export…").trigger, "export-dialog")

    def shot_guidelines(self) -> None:
        self.window.guidelines.toggle()
        self.save("guidelines")
        self.window.guidelines.toggle()

    def shot_keymap(self) -> None:
        self.modal(self.action("Keyboard map").trigger, "keymap")

    def shot_view_menu(self) -> None:

        bar = self.window.menuBar()
        view = next(a for a in bar.actions() if a.text().replace("&", "") == "View")
        bar.setActiveAction(view)
        self.wait(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        self.save("view-menu")
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()

    def shot_review(self) -> None:

        self.review = ReviewWindow(self.db, REVIEWER)
        if not self.prefix:  # the README's picture: the window as large as the screen
            self.review.setGeometry(0, 0, *self.size)
        self.review.show()
        self.review.activateWindow()
        self.settle(0.5)
        self.review.table.selectRow(0)
        self.save("review")

    def shot_review_relations(self) -> None:
        if not hasattr(self, "review"):
            self.shot_review()
        self.review.tabs.setCurrentIndex(1)
        self.save("review-relations")


if __name__ == "__main__":
    sys.exit(main())
