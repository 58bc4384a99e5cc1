"""Bad span files (JSONL, BioC XML), case by case, through the command and the app.

The same contract as the article cases in ``test_bad_input``: the command
exits 1 with ``error: FILE:LINE: ...`` and no traceback; the app shows a
dialog with the same message and stays up; the database file is byte
for byte as it was, so none of the good lines before the bad one was kept.
The XML cases include the two attacks defusedxml exists for: entity
expansion ("billion laughs") and external entities reading a local file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.storage.db import Database, open_database
from curator.gui.import_files import FAILED_TITLE
from curator.gui.main_window import MainWindow
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import (
    DATA,
    assert_user_error,
    count,
    curator_in_process,
    fingerprint,
    run_curator,
)
from tests.reliability.helpers import settle as settle_file
from tests.reliability.span_files import SPAN_FILE_CASES, TEXT, good_line

# These run as real processes too; the others in this process (see curator_in_process).
AS_PROCESS = {"broken-json", "external-entity"}


@pytest.mark.parametrize("case", list(SPAN_FILE_CASES))
def test_bad_span_file_in_cli(
    populated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    bad, needles = SPAN_FILE_CASES[case](tmp_path)
    before = fingerprint(populated)

    args = ("--db", str(populated), "import", str(bad))
    result = run_curator(*args) if case in AS_PROCESS else curator_in_process(monkeypatch, *args)

    assert_user_error(result, *needles)
    assert fingerprint(populated) == before
    assert count(populated, "SELECT count(*) FROM document") == 4
    assert "root:" not in result.stderr  # /etc/passwd was never read into anything


def _open_window(qtbot, path: Path) -> tuple[MainWindow, Database]:  # type: ignore[no-untyped-def]
    """The app on *path*, active; every connection closed and the file settled after."""
    database = open_database(f"sqlite:///{path}")
    window = MainWindow(database, "tester")  # opening records the last-opened document
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    # The first suggestions are stored from a thread: they must be in before the
    # fingerprint is taken, or a slow machine stores them after it.
    qtbot.waitUntil(lambda: window.is_loaded and not window.suggestions.worker.busy())
    database.dispose()
    settle_file(path)
    return window, database


def _import_through_menu(qtbot, window: MainWindow, file: Path) -> ModalAnswerer:  # type: ignore[no-untyped-def]
    """File > Import articles and spans… (Ctrl+O), the file typed into the real file dialog."""
    answerer = ModalAnswerer(file=file)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    return answerer


@pytest.mark.parametrize("case", list(SPAN_FILE_CASES))
def test_bad_span_file_in_gui_shows_a_dialog(
    qtbot,  # type: ignore[no-untyped-def]
    populated: Path,
    tmp_path: Path,
    case: str,
) -> None:
    bad, needles = SPAN_FILE_CASES[case](tmp_path)
    window, database = _open_window(qtbot, populated)
    before = fingerprint(populated)

    answerer = _import_through_menu(qtbot, window, bad)
    qtbot.waitUntil(lambda: answerer.boxes != [], timeout=30_000)
    answerer.stop()

    ((title, text),) = answerer.boxes
    assert title == FAILED_TITLE
    for needle in needles:
        assert needle in text
    assert window.isVisible()
    assert not window.statusBar().currentMessage().startswith("✓")
    database.dispose()
    assert fingerprint(populated) == before


def _good_jsonl(folder: Path) -> Path:
    """Two new documents, and a span on a sample article the database already holds."""
    sample = (DATA / "01_car_t_t_all.txt").read_text(encoding="utf-8")
    word = "CAR-T"
    at = sample.index(word)
    lines = [
        good_line(1),
        {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "therapy"}]},
        {"text": sample, "spans": [{"start": at, "end": at + len(word), "label": "therapy"}]},
    ]
    path = folder / "good.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def test_good_jsonl_through_the_menu_is_imported_and_reported(
    qtbot,  # type: ignore[no-untyped-def]
    populated: Path,
    tmp_path: Path,
) -> None:
    window, database = _open_window(qtbot, populated)
    good = _good_jsonl(tmp_path)

    answerer = _import_through_menu(qtbot, window, good)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("✓"), timeout=30_000)
    answerer.stop()

    assert answerer.boxes == []
    message = window.statusBar().currentMessage()
    assert message == (
        "✓ Imported 2 documents (1 already there); 3 spans added, 0 updated from 1 span file"
    )
    assert window.doc_model.rowCount() == 6
    stored = sorted(
        (s.curator, s.label, s.text, s.origin)
        for d in documents.list_documents(database)
        for s in annotate.spans_for(database, d.uid)
    )
    assert stored == [
        ("tester", "target", "CD19", "imported"),
        ("tester", "therapy", "CAR-T", "imported"),
        ("tester", "therapy", "Ruxolitinib", "imported"),
    ]
    database.dispose()


def test_good_bioc_through_the_menu_is_imported_and_reported(
    qtbot,  # type: ignore[no-untyped-def]
    populated: Path,
    tmp_path: Path,
) -> None:
    window, database = _open_window(qtbot, populated)
    good = tmp_path / "tool.bioc.xml"
    good.write_text(
        '<?xml version="1.0"?>\n<collection><source>tool</source>\n'
        "<document><id>9</id><passage><offset>0</offset><text>CD19 CAR-T works.</text>\n"
        '<annotation id="1"><infon key="type">target</infon>'
        '<location offset="0" length="4"/><text>CD19</text></annotation>'
        "</passage></document></collection>\n",
        encoding="utf-8",
    )

    answerer = _import_through_menu(qtbot, window, good)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("✓"), timeout=30_000)
    answerer.stop()

    assert answerer.boxes == []
    assert window.statusBar().currentMessage() == (
        "✓ Imported 1 document (0 already there); 1 span added, 0 updated from 1 span file"
    )
    stored = [
        (s.curator, s.label, s.text)
        for d in documents.list_documents(database)
        for s in annotate.spans_for(database, d.uid)
    ]
    assert stored == [("tester", "target", "CD19")]
    database.dispose()
