"""Help: the keyboard map (read from the live actions) and the annotation guidelines panel."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from curator.core.storage.paths import resources_dir

# The menus an action lives in, as the task a curator has at hand.
TASKS = {
    "Annotate": "Tagging and editing spans",
    "Relations": "Relating spans",
    "Suggestions": "Suggestions",
    "Edit": "Undo, redo and find",
    "View": "Text size, font, theme and label names",
    "Theme": "Text size, font, theme and label names",
    "Document": "Moving through documents",
    "File": "Files, databases and curators",
    "Review": "Review",
    "Help": "Help",
}
OTHER = "Other"

# Keys handled inside widgets rather than by actions, listed with their task.
EXTRA_KEYS = (
    ("Tagging and editing spans", "Shift+Arrows, Shift+Ctrl+Arrows", "Select text"),
    (
        "Tagging and editing spans",
        "Click a span (again: the next one there)",
        "Select it: a label key relabels it, Delete removes it",
    ),
    ("Tagging and editing spans", "Drag a selected span's edge", "Move that edge"),
    ("Text size, font, theme and label names", "Ctrl+wheel over the article", "Zoom in / out"),
    ("Undo, redo and find", "Enter / Shift+Enter in the find bar", "Next / previous match"),
    ("Undo, redo and find", "Escape in the find bar", "Close it, keep the match selected"),
    (
        "Undo, redo and find",
        "Ctrl+Shift+A in the search panel",
        "Annotate all: tag the searched phrase in every document found, after a preview",
    ),
    (
        "Undo, redo and find",
        "Space / 1–4 / Enter in the annotate-all preview",
        "Tick or untick a document or occurrence / choose the label / tag the ticked ones",
    ),
    (
        "Moving through documents",
        "Down / Escape in the document filter",
        "Into the rows / clear the filter, then back to the article",
    ),
    (
        "Moving through documents",
        "Up, Down / Enter / Escape in the document list",
        "Open the previous, next document / back to the article",
    ),
    ("Tagging and editing spans", "Ctrl+Enter / Escape in a note", "Save it / cancel"),
    ("Tagging and editing spans", "F2 in the span table's Note column", "Edit a note in place"),
    ("Relating spans", "Tab / Shift+Tab after R", "Next / previous allowed target, nearest first"),
    ("Relating spans", "Enter after R and Tab", "Link with the only type the rules allow"),
    ("Relating spans", "Escape after R", "Cancel: nothing is saved"),
    ("Relating spans", "Delete in the Relations table", "Delete the selected relation"),
    ("Relating spans", "F2 in the Relations table's Note column", "Edit its note in place"),
)


def _task_of(action: QAction) -> str:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu):
            return TASKS.get(owner.title().replace("&", ""), OTHER)
    return OTHER


def _does(action: QAction) -> str:
    """What the action does, in words that do not change as the curator works
    (the undo action's text names the last edit: "Undo tag therapy …")."""
    text = action.text().replace("&", "")
    for verb in ("Undo", "Redo"):
        if text.startswith(verb):
            return f"{verb} the last edit" if verb == "Undo" else "Redo what was undone"
    return text


Row = tuple[str, str, str]  # task, keys, what they do


def keyboard_sections(
    actions: list[QAction], extra: Sequence[Row] = ()
) -> dict[str, list[tuple[str, str]]]:
    """(keys, does) rows grouped by task, tasks in the order of TASKS; *extra*: rows
    read from the database (the relation types' keys), after the fixed ones."""
    sections: dict[str, list[tuple[str, str]]] = {task: [] for task in TASKS.values()}
    for action in actions:
        if action.shortcut().isEmpty():
            continue
        names = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = ", ".join(n for n in names if "Backtab" not in n)  # Qt's alias of Shift+Tab
        sections.setdefault(_task_of(action), []).append((keys, _does(action)))
    for task, keys, does in (*EXTRA_KEYS, *extra):
        sections.setdefault(task, []).append((keys, does))
    return {task: rows for task, rows in sections.items() if rows}


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons


class KeyboardMapDialog(QDialog):
    """Every key, grouped by task; lines wrap, so no description is cut off."""

    def __init__(
        self, actions: list[QAction], parent: QWidget | None = None, extra: Sequence[Row] = ()
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardMap")
        self.setWindowTitle("Keyboard map")
        self.sections = keyboard_sections(actions, extra)
        self.browser = QTextBrowser()
        self.browser.setHtml(_map_html(self.sections))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_close_buttons(self))
        screen = self.screen().availableGeometry()
        self.resize(min(640, screen.width() - 40), min(720, screen.height() - 60))


def _map_html(sections: dict[str, list[tuple[str, str]]]) -> str:
    """Sections as headings over two-column tables; every text escaped."""
    parts = []
    for task, rows in sections.items():
        parts.append(f"<h3>{html.escape(task)}</h3><table cellspacing=0 cellpadding=3 width=100%>")
        for keys, does in rows:
            parts.append(
                f"<tr><td width=38%><b>{html.escape(keys)}</b></td>"
                f"<td>{html.escape(does)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


class GuidelinesPanel(QDockWidget):
    """The annotation guidelines beside the article, read while annotating.

    A modal dialog blocked every key until it was closed; a dock stays open,
    can be moved to either side or floated, and Shift+F1 shows or hides it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Annotation guidelines", parent)
        self.setObjectName("guidelinesPanel")
        self.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab stays in the article
        path = resources_dir() / "guidelines.md"
        try:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        except OSError as exc:
            self.browser.setPlainText(f"The guidelines could not be read from {path}: {exc}")
        self.setWidget(self.browser)
        self.setMinimumWidth(260)

    def toggle(self) -> None:
        self.setVisible(not self.isVisible())
        if self.isVisible():
            self.raise_()
