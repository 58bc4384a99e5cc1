"""File > Import of a PDF, as a new curator does it: the article opens and can be tagged at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from benchmarks.pdf_samples import Sample, expected_text, write_pdf
from curator.core.articles import documents
from curator.gui.main_window import MainWindow
from tests.articles.samples import long_paragraphs
from tests.gui.helpers import press, select_with_keys, stored
from tests.reliability.gui_modals import ModalAnswerer


def test_import_a_pdf_from_the_menu_then_tag_a_span(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    title, paragraphs = long_paragraphs(6_000, seed=5)
    pdf = write_pdf(tmp_path / "paper.pdf", Sample(title, paragraphs, columns=2))
    before = window.doc_model.rowCount()

    answerer = ModalAnswerer(file=pdf)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File > Import
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("✓"), timeout=60_000)
    answerer.stop()

    assert answerer.boxes == []
    assert window.statusBar().currentMessage() == "✓ Imported 1 document (0 already there)"
    assert window.doc_model.rowCount() == before + 1
    doc = window.ws.document
    assert doc is not None and doc.title == title  # the new article is open
    text = window.view.text()
    assert text == expected_text(title, paragraphs)

    # Back to the window once the file dialog has gone, as the curator's next key press is.
    with qtbot.waitActive(window):
        window.activateWindow()
    word = "CAR-T" if "CAR-T" in text else text.split()[3]
    start = text.index(word)
    select_with_keys(window, start, start + len(word))
    press(window, Qt.Key.Key_1)

    assert [(s.label, s.text, s.start) for s in stored(window)] == [("therapy", word, start)]
    stored_doc = documents.get_document(window.ws.db, doc.uid)
    assert stored_doc.meta["file_name"] == "paper.pdf" and stored_doc.meta["format"] == "pdf"
    assert len(stored_doc.meta["paragraphs"]) == text.count("\n\n") + 1  # type: ignore[arg-type]
