"""At start the window shows first; the article and its suggestions follow without blocking it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest

from curator.core.articles import corpus, documents
from curator.core.spans import annotate
from curator.core.storage.db import Database
from curator.core.suggest import stored as suggestions
from curator.gui.main_window import MainWindow
from tests.gui.helpers import select_with_keys

ARTICLE = (
    "BCMA-directed CAR T cells in myeloma\n\n"
    "Idecabtagene vicleucel targets BCMA. Nikhil Munshi reported the overall response rate.\n"
)


def _one_article(db: Database, tmp_path: Path) -> str:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bcma.txt").write_text(ARTICLE, encoding="utf-8")
    (added,) = corpus.import_articles(db, [folder]).added
    return added.uid


def test_the_window_is_painted_before_the_document_list_and_article_are_read(
    qtbot,  # type: ignore[no-untyped-def]
    db: Database,
    tmp_path: Path,
) -> None:
    uid = _one_article(db, tmp_path)
    window = MainWindow(db, "tester", load_after_show=True)
    qtbot.addWidget(window)
    assert not window.is_loaded and window.ws.document is None
    assert window.doc_model.rowCount() == 0  # nothing read before the window is up
    frames = _Frames(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    assert frames.seen and frames.seen[0] == (False, "")  # the first frame: an empty window
    assert window.ws.document is not None and window.ws.document.uid == uid
    assert window.doc_model.rowCount() == 1
    assert window.windowTitle().startswith("BCMA-directed CAR T cells")
    qtbot.waitUntil(lambda: (True, "BCMA-") in frames.seen)  # then the article is painted


class _Frames(QObject):
    """What the text view held each time it was painted: (window loaded, first characters)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.seen: list[tuple[bool, str]] = []
        window.view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen.append((self.window.is_loaded, self.window.view.text()[:5]))
        return False


def test_first_suggestions_arrive_after_the_article_and_typing_goes_on_meanwhile(
    qtbot,  # type: ignore[no-untyped-def]
    db: Database,
    tmp_path: Path,
) -> None:
    uid = _one_article(db, tmp_path)
    window = MainWindow(db, "newcomer", load_after_show=True)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: window.is_loaded)
    assert window.ws.document is not None and window.ws.document.uid == uid
    # The article is on screen and takes edits while its suggestions are computed.
    start = window.view.text().index("BCMA.")
    select_with_keys(window, start, start + 4)
    QTest.keyClick(window.view, Qt.Key.Key_2)
    assert [(s.label, s.text) for s in annotate.spans_for(db, uid)] == [("target", "BCMA")]
    with qtbot.waitSignal(window.suggestions.first_computed, timeout=20_000):
        pass
    stored = suggestions.pending_suggestions(db, uid, "newcomer")
    assert ("therapy", "Idecabtagene vicleucel") in {(s.label, s.text) for s in stored}
    assert window.suggestions.count_label.text() == f"{len(stored)} suggestions pending"
    drawn = {
        (s.start, s.end) for cp in range(len(window.view.text())) for s in window.view.spans_at(cp)
    }
    assert {(s.start, s.end) for s in stored} <= drawn
    # The curator's own span is never offered again as a suggestion.
    assert (start, start + 4) not in {(s.start, s.end) for s in stored if s.label == "target"}
    assert documents.curator_rows(db, "newcomer")[0][2] == 1
