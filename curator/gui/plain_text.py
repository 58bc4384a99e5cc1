"""Text from data, shown in the GUI as the characters it holds, never as markup.

Why: Qt guesses. A QLabel, a message box or a tooltip shows a string as rich
text whenever it *looks* like HTML (``Qt::mightBeRichText``), so an article
whose first line is ``<font color=red size=6>RETRACTED</font> <img src=…>``
was listed with a large red tooltip that loaded a local image, and a label
named ``<font size=7>Import OK</font>`` turned a refusal into a success
message. Titles, labels, curator names, notes, file names and every message
quoting them therefore reach the screen through this module: labels and
message boxes are set to plain text, and tooltips, which have no format
switch, are escaped into rich text that shows the same characters.

A static test (``tests/gui/test_plain_text.py``) keeps every message box,
every QLabel built from a variable and every tooltip set from a variable
going through here.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Icon = QMessageBox.Icon


def tooltip(text: str) -> str:
    """*text* as a tooltip showing exactly these characters (escaped only when Qt would parse)."""
    if not QtGui.mightBeRichText(text):
        return text
    return QtGui.convertFromPlainText(text)


def rich(template: str, *values: str) -> str:
    """A rich-text *template* (ours) with *values* (from data) escaped into its ``{}`` slots."""
    return template.format(*(html.escape(v) for v in values))


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text, whatever is set on it later."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
) -> QMessageBox:
    """A message box whose text and informative text are plain text."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if informative:
        set_informative(box, informative)
    return box


def set_informative(box: QMessageBox, text: str) -> None:
    """The box's informative text, as plain text."""
    box.setInformativeText(text)
    shown = box.findChild(QLabel, "qt_msgbox_informativelabel")
    if shown is not None:
        shown.setTextFormat(Qt.TextFormat.PlainText)


def set_details(box: QMessageBox, text: str) -> None:
    """The box's "Show Details" text: Qt always shows it as plain text."""
    box.setDetailedText(text)


def show_message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
) -> None:
    """Show a plain-text message and wait until it is closed."""
    message_box(parent, icon, title, text, informative).exec()


def warn(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    show_message(parent, Icon.Warning, title, text, informative)


def inform(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    show_message(parent, Icon.Information, title, text, informative)
