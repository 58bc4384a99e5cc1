"""GUI fixtures: a real window on a real SQLite file, settings in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from curator.core.articles import corpus
from curator.core.storage.db import Database
from curator.gui.app import configure_application
from curator.gui.clipboard import hand_over_clipboard
from curator.gui.main_window import MainWindow

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="session", autouse=True)
def _clipboard_handed_over(qapp: QApplication) -> Iterator[None]:
    """What the app does as it quits (the tests never quit it): the clipboard's data made
    in Python is replaced by Qt's own while Python is alive (see curator.gui.clipboard)."""
    yield
    hand_over_clipboard()


@pytest.fixture(autouse=True)
def _isolated_settings(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """Window geometry and toggles go to a per-test folder, never the user's."""
    configure_application(qapp)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture(autouse=True)
def _no_background_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """No window starts a training process unless its test asks for one."""
    monkeypatch.setenv("CURATOR_MODEL_SUGGESTIONS", "off")


@pytest.fixture
def samples_db(db: Database) -> Database:
    corpus.import_articles(db, [DATA])
    return db


@pytest.fixture
def make_window(qtbot, samples_db: Database):  # type: ignore[no-untyped-def]
    def make(curator: str = "tester") -> MainWindow:
        window = MainWindow(samples_db, curator, load_after_show=True)
        qtbot.addWidget(window)
        # Shortcuts go to the active window; wait for activation like a user would.
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        # As the app does: the article is read after the window's first frame,
        # and its first suggestions in a thread. Tests start once both are in.
        qtbot.waitUntil(
            lambda: window.is_loaded and not window.suggestions.worker.busy(), timeout=60_000
        )
        return window

    return make


@pytest.fixture
def window(make_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window()
