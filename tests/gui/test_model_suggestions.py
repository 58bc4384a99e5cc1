"""The model trains and proposes in a child process while the window keeps answering."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from sqlalchemy import select

from curator.core.storage.db import Database
from curator.core.storage.models import Suggestion
from curator.core.suggest import stored as suggestions
from curator.gui.main_window import MainWindow
from tests.conftest import REPO
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


# A light install: importing spaCy fails in this child (the package may be on disk).
LIGHT_CHILD = """
import sys
sys.modules["spacy"] = None
from PySide6.QtWidgets import QApplication
from curator.core.storage.db import open_database
from curator.gui.app import configure_application
from curator.gui.main_window import MainWindow
app = QApplication([])
configure_application(app)
db = open_database(sys.argv[1])
window = MainWindow(db, "bob")
window.ws.open_document(sys.argv[2])
# The lexicons' first suggestions are computed in a thread: wait for them.
import time
deadline = time.monotonic() + 60
while not window.suggestions.pending and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
model = window.suggestions.model
print(model.enabled, model.process is None, len(window.suggestions.pending))
print(window.suggestions.count_label.toolTip().replace("\\n", " "))
window.close()
db.dispose()
"""


def test_without_spacy_the_window_suggests_from_the_lexicons_and_says_so_quietly(
    db: Database, tmp_path: Path
) -> None:
    uids = team_database(db)
    env = dict(
        os.environ,
        CURATOR_MODEL_SUGGESTIONS="on",
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    result = subprocess.run(
        [sys.executable, "-c", LIGHT_CHILD, db.url, uids[HELD_OUT]],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    flags, tooltip = result.stdout.splitlines()[:2]
    enabled, idle, pending = flags.split()
    assert (enabled, idle) == ("False", "True")
    assert int(pending) > 0  # the lexicons' suggestions, as ever
    assert "lexicons only" in tooltip and "needs spaCy" in tooltip
    with db.read() as session:
        sources = set(session.scalars(select(Suggestion.source)))
    assert sources and not any(s.startswith("model:") for s in sources)
