"""The model trains and proposes in a child process while the window keeps answering."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from curator.core.storage.db import Database
from curator.core.suggest import stored as suggestions
from curator.gui.main_window import MainWindow
from tests.core.learning_helpers import HELD_OUT, team_database
from tests.gui.helpers import open_by_title


def model_pending(window: MainWindow) -> list[suggestions.SuggestionInfo]:
    doc = window.ws.document
    assert doc is not None
    return [
        s
        for s in suggestions.pending_suggestions(window.ws.db, doc.uid, window.ws.curator)
        if s.source.startswith("model:")
    ]


def test_training_runs_in_the_background_and_its_suggestions_appear(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CURATOR_MODEL_SUGGESTIONS", "on")
    monkeypatch.setenv("CURATOR_TRAIN_PASSES", "72")  # 12 epochs of the 6 tagged articles
    team_database(db)
    window = MainWindow(db, "bob")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    ticks: list[float] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    open_by_title(window, "Thrombopoietin")
    doc = window.ws.document
    assert doc is not None and Path(doc.source).stem == HELD_OUT
    rule_suggestions = len(window.suggestions.pending)
    assert rule_suggestions > 0 and not model_pending(window)
    model = window.suggestions.model
    assert model.process is not None, "no training process was started"
    # The window answers while the child trains: keys move between suggestions.
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.suggestions.selected() is not None
    qtbot.waitUntil(lambda: model.process is None, timeout=180_000)
    timer.stop()
    found = model_pending(window)
    assert found, "the model's suggestions were not stored"
    assert {s.source for s in found} == {"model:v1"}
    # Shown at once, with their source in the tooltip.
    drawn = window.suggestions.pending
    assert {s.id for s in found} <= {s.id for s in drawn.values()}
    uid = f"suggestion:{found[0].id}"
    (mark,) = [m for m in window.view.spans_at(found[0].start) if m.uid == uid]
    assert "model:v1" in window.ws.span_style(mark).tooltip
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20 and max(gaps) < 1.5, f"the window froze for {max(gaps):.1f} s"
    # Up to date now: opening the document again starts nothing.
    model.check()
    assert model.process is None
