"""Text copied from the article is still on the clipboard when the app quits, and it quits cleanly.

The view's copy is data made in Python; Qt destroyed it only as the process
exited, after Python had finalized, and the process ended with a
segmentation fault. Only a fresh process shows it, so each case runs a child
that copies with Ctrl+C in the real window's article view, quits through
the event loop as the app does, and reports the clipboard as it quits; the
child must then exit 0.
"""

from __future__ import annotations

from tests.quick_process import child_report

CHILD = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from curator.gui.app_setup import application
from curator.gui.text_view import SpanTextView
app = application()
view = SpanTextView()
view.set_article("JAK2 V617F drives polycythemia vera.", [])
view.show()
seen = {{}}
def copy_and_quit():
    view.select_range(0, 10)
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    seen["copied"] = QGuiApplication.clipboard().text()
    view.close()
    {other}
    app.quit()
QTimer.singleShot(0, copy_and_quit)
app.exec()
seen["after"] = QGuiApplication.clipboard().text()
print(json.dumps(seen), file=sys.stderr)
"""


def test_a_copy_is_kept_on_the_clipboard_and_the_app_quits_cleanly() -> None:
    seen = child_report(CHILD.format(other="pass"))
    assert seen == {"copied": "JAK2 V617F", "after": "JAK2 V617F"}


def test_clipboard_data_the_view_did_not_make_is_left_alone() -> None:
    """Only the view's own data is replaced; what came since (here set through Qt) stays."""
    other = 'QGuiApplication.clipboard().setText("from elsewhere")'
    seen = child_report(CHILD.format(other=other))
    assert seen == {"copied": "JAK2 V617F", "after": "from elsewhere"}
