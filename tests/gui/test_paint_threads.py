"""The app paints on its own thread: Qt's pool of fill threads is never started.

Only a fresh process shows it (Qt reads the switch once, when it first needs
the pool), so each case runs a child that paints a fill big enough for Qt to
split and names the threads it then has. The child without the app's set-up
shows that such a fill does start the pool, so the check can see it.
"""

from __future__ import annotations

import sys

import pytest

from tests.quick_process import child_report

CHILD = """
import glob, json, os, sys
os.environ.pop("QT_NO_GUI_THREADPOOL", None)  # as a user's shell leaves it
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
app = QApplication([])
if {configured}:
    from curator.gui.app_setup import configure_application
    configure_application(app)
image = QImage(400, 800, QImage.Format.Format_ARGB32_Premultiplied)
painter = QPainter(image)
painter.fillRect(0, 0, 400, 800, QColor(0, 114, 178, 128))  # a page of a table
painter.end()
names = [open(task + "/comm").read().strip() for task in glob.glob("/proc/self/task/*")]
print(json.dumps(names), file=sys.stderr)
"""

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="thread names are read from /proc"
)


def test_a_plain_application_fills_a_page_on_pool_threads() -> None:
    names = child_report(CHILD.format(configured=False))
    assert "Thread (pooled)" in names


def test_the_configured_application_fills_on_its_own_thread() -> None:
    names = child_report(CHILD.format(configured=True))
    assert "Thread (pooled)" not in names
