"""File > Import of a JSONL export with its label file: the window takes the new keys at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.interchange.jsonl import export_jsonl
from curator.core.labels.editing import recolour_label, set_label_key
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from curator.gui.main_window import MainWindow
from tests.gui.helpers import press, select_with_keys, stored
from tests.reliability.gui_modals import ModalAnswerer


def test_an_imported_label_set_gives_its_keys_and_colours_to_the_open_window(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    migrate.backup_sqlite(window.ws.db, tmp_path / "other.sqlite")
    set_label_key(other, "therapy", "7")
    recolour_label(other, "therapy", "#112233")
    export_jsonl(other, tmp_path / "other.jsonl")
    other.dispose()

    answerer = ModalAnswerer(file=tmp_path / "other.jsonl")
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File > Import
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("✓"), timeout=60_000)
    answerer.stop()

    assert answerer.boxes == []
    therapy = next(label for label in window.ws.labels if label.name == "therapy")
    assert (therapy.shortcut, therapy.color) == ("7", "#112233")
    with qtbot.waitActive(window):
        window.activateWindow()
    text = window.view.text()
    word = text.split()[0]
    start = text.index(word)
    select_with_keys(window, start, start + len(word))
    press(window, Qt.Key.Key_7)  # the imported key tags at once, no restart
    assert [(s.label, s.text) for s in stored(window)] == [("therapy", word)]
