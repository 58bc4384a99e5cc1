"""Qt set-up shared by the GUI benchmarks: offscreen, isolated settings, timers.

The platform is chosen before PySide6 is imported (offscreen unless the
caller set one), and QSettings go to a throw-away folder so a benchmark never
reads or writes the user's window layout.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The windows measured open databases of synthetic spans: no model is trained behind them.
os.environ.setdefault("CURATOR_MODEL_SUGGESTIONS", "off")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from curator.gui.app import configure_application

LABEL_COLORS = {
    "therapy": "#0072B2",
    "target": "#E69F00",
    "outcome": "#009E73",
    "expert": "#CC79A7",
}


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    configure_application(app)
    folder = tempfile.mkdtemp(prefix="curator-bench-settings-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    QSettings().clear()
    return app


class Timers:
    """Wall time spent inside wrapped functions, to split a figure into its parts."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, attr)
        spent = self.spent

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] += (time.perf_counter() - began) * 1000

        setattr(owner, attr, timed)

    def take(self) -> dict[str, float]:
        """Milliseconds per part since the last call, and start again."""
        parts = {k: round(v, 3) for k, v in self.spent.items()}
        self.spent.clear()
        return parts


# Rounds of the event loop that leave nothing pending after a key press or a
# scroll: two are needed (see settle), the third finds nothing and costs ~10 µs.
SETTLE_ROUNDS = 3


def settle(app: QApplication) -> None:
    """Run the event loop until the work already scheduled is done.

    One ``processEvents`` call does not run an event posted while it runs: a
    scroll bar's deferred update after a scroll (Qt posts it as UpdateLater,
    and that in turn asks for the window's repaint) waits for the next call.
    Timed after a key press, one call left part of the key's work to the next
    figure; run before it, the repaint of the article's scroll bar that
    selecting a far word had scheduled landed in the label key's time.
    """
    for _ in range(SETTLE_ROUNDS):
        app.processEvents()
