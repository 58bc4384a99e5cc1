"""Review > Merge curators' files…: other curators' work comes in through the real file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.articles import corpus, documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.gui.main_window import MainWindow
from curator.gui.merge_files import DONE_TITLE, FAILED_TITLE
from tests import fresh_db
from tests.gui.conftest import DATA
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import fingerprint, settle


def _curator_file(path: Path, curator: str, phrases: dict[str, str]) -> Path:
    """A curator's own database: the sample articles and a few spans of theirs."""
    db = fresh_db.fresh_database(path)
    try:
        corpus.import_articles(db, [DATA])
        doc = next(d for d in documents.list_documents(db) if "BCMA" in d.title)
        text = documents.get_document(db, doc.uid).text
        for phrase, label in phrases.items():
            start = text.index(phrase)
            annotate.add_span(db, doc.uid, curator, NewSpan(start, start + len(phrase), label))
    finally:
        db.dispose()
    settle(path)
    return path


def _merge_through_menu(window: MainWindow, files: list[Path]) -> ModalAnswerer:
    """Review > Merge curators' files… (Ctrl+Shift+M), the names typed into the file dialog."""
    answerer = ModalAnswerer(file=" ".join(f'"{f}"' for f in files))
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_M, ctrl_shift)
    return answerer


def _stored(db: Database) -> list[tuple[str, str, str]]:
    return sorted(
        (s.curator, s.label, s.text)
        for d in documents.list_documents(db)
        for s in annotate.spans_for(db, d.uid)
    )


def test_two_curators_files_merge_into_the_open_database(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    alice = _curator_file(tmp_path / "alice.sqlite", "alice", {"BCMA": "target"})
    bob = _curator_file(
        tmp_path / "bob.sqlite", "bob", {"BCMA": "target", "idecabtagene vicleucel": "therapy"}
    )
    answerer = _merge_through_menu(window, [alice, bob])
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("✓"), timeout=30_000)
    answerer.stop()

    assert [title for title, _ in answerer.boxes] == [DONE_TITLE]
    assert "spans: 3 added" in answerer.boxes[0][1]
    assert window.statusBar().currentMessage() == (
        "✓ Merged 2 files: 0 documents, 3 spans added, 0 updated, 0 deleted"
    )
    assert _stored(window.ws.db) == [
        ("alice", "target", "BCMA"),
        ("bob", "target", "BCMA"),
        ("bob", "therapy", "idecabtagene vicleucel"),
    ]


def test_a_file_that_is_not_a_database_is_refused_and_nothing_changes(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    alice = _curator_file(tmp_path / "alice.sqlite", "alice", {"BCMA": "target"})
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list, not a database\n")
    target = window.ws.db.path
    assert target is not None
    window.ws.db.dispose()
    settle(target)
    before = fingerprint(target)

    answerer = _merge_through_menu(window, [alice, notes])
    qtbot.waitUntil(lambda: bool(answerer.boxes), timeout=30_000)
    answerer.stop()

    (title, text), *_ = answerer.boxes
    assert title == FAILED_TITLE
    assert "notes.sqlite" in text
    window.ws.db.dispose()
    settle(target)
    assert fingerprint(target) == before
    assert _stored(window.ws.db) == []


def test_the_open_database_itself_is_refused_with_one_message(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    target = window.ws.db.path
    assert target is not None
    link = tmp_path / "elsewhere.sqlite"
    link.symlink_to(target)
    window.ws.db.dispose()
    settle(target)
    before = fingerprint(target)

    answerer = _merge_through_menu(window, [link])
    qtbot.waitUntil(lambda: bool(answerer.boxes), timeout=30_000)
    qtbot.wait(200)  # room for a second box, were there one
    answerer.stop()

    assert answerer.boxes == [
        (
            FAILED_TITLE,
            f"{link}: this is the database being merged into ({target}); "
            "a database cannot be merged into itself. Nothing was merged",
        )
    ]
    assert not window.statusBar().currentMessage().startswith("✓ Merged")
    window.ws.db.dispose()
    settle(target)
    assert fingerprint(target) == before
