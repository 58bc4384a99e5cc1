"""What the curator copied stays on the clipboard, in data Qt owns, when the app quits.

The article view copies its canonical text in a ``QMimeData`` made in
Python (:meth:`curator.gui.span_pointing.SpanPointingView.createMimeDataFromSelection`),
and the clipboard keeps that object after the view is gone. Qt destroys it
only as the process exits, after Python has finalized, and the binding's
destructor then called into the finalized interpreter: a segmentation fault
on quit after any copy. So the data made here is remembered, and on quit,
while Python is alive, the same text is set again through
``QClipboard.setText``, which puts data Qt made itself in its place: the
text stays on the clipboard for other applications and clipboard managers,
and quitting is clean. Data other applications put there is left alone.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

_MADE_HERE: weakref.WeakSet[QMimeData] = weakref.WeakSet()


def plain_text_data(text: str) -> QMimeData:
    """Clipboard data holding *text* only, remembered for :func:`hand_over_clipboard`."""
    data = QMimeData()
    data.setText(text)
    _MADE_HERE.add(data)
    return data


def hand_over_clipboard() -> None:
    """Replace the data made here, on the clipboard and X11's selection, by Qt's own copy."""
    if QGuiApplication.instance() is None:
        return
    clipboard = QGuiApplication.clipboard()
    for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
        data = clipboard.mimeData(mode)
        if data is not None and data in _MADE_HERE:
            clipboard.setText(data.text(), mode)
