"""The relations part of the main window, built in one place and wired here.

The main window only creates a :class:`RelationsUi`, puts its tabs where the
span table was and gives it a menu: the flow, the table and the drawing talk
to the workspace and the text view through their signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QWidget

from curator.core.storage.records import RelationRecord
from curator.gui.editing import SpanEditor
from curator.gui.relations import commands
from curator.gui.relations.flow import RelationFlow
from curator.gui.relations.overlay import RelationOverlay
from curator.gui.relations.state import RelationState
from curator.gui.relations.table import RelationTable, RelationTableModel
from curator.gui.text_view import SpanTextView
from curator.gui.workspace import Workspace

RELATE_KEY = "R"  # free among the window's keys; the type keys act only inside the flow
AddAction = Callable[[QMenu, str, "str | list[str]", Callable[[], object]], QAction]


class RelationsUi(QObject):
    def __init__(
        self, window: QMainWindow, ws: Workspace, view: SpanTextView, editor: SpanEditor
    ) -> None:
        super().__init__(window)
        self.window, self.ws, self.view, self.editor = window, ws, view, editor
        self.state = RelationState(ws, self)
        self.overlay = RelationOverlay(view, self.state)
        self.flow = RelationFlow(self.state, editor, self.overlay, self)
        self.model = RelationTableModel(self.state)
        self.model.note_edited = self._edit_note
        self.table = RelationTable(self.model)
        self.tabs: QTabWidget | None = None
        self.flow.status.connect(lambda msg: window.statusBar().showMessage(msg))
        self.flow.hint.connect(lambda msg: window.statusBar().showMessage(msg, 6000))
        self.table.relation_activated.connect(self.show_relation)
        self.table.delete_requested.connect(self.delete)
        view.selected_changed.connect(self._follow_span)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_title)

    def side_tabs(self, span_table: QWidget) -> QTabWidget:
        """The span table and the relation table as two tabs of one side pane."""
        tabs = QTabWidget()
        tabs.setObjectName("sideTabs")
        tabs.setDocumentMode(True)
        tabs.addTab(span_table, "Spans")
        tabs.addTab(self.table, "Relations")
        self.tabs = tabs
        self._update_title()
        return tabs

    def fill_menu(self, menu: QMenu, add: AddAction) -> None:
        add(menu, "&Relate selected span…", RELATE_KEY, self.flow.start)
        add(menu, "Show relations &table", "", self.show_table)
        add(menu, "&Delete selected relation", "", self.delete_current)

    def key_rows(self) -> list[tuple[str, str, str]]:
        """The keyboard map's rows for the type keys, as the types are stored now."""
        rows = []
        for kind in self.state.types:
            if kind.shortcut:
                ends = f"{'/'.join(kind.head_labels)} → {'/'.join(kind.tail_labels)}"
                rows.append(
                    (
                        "Relating spans",
                        f"{kind.shortcut.upper()} after R and Tab",
                        f"Link as {kind.name} ({ends})",
                    )
                )
        return rows

    # -- reactions -----------------------------------------------------------
    def _update_title(self, *_args: object) -> None:
        if self.tabs is not None:
            count = self.model.rowCount()
            self.tabs.setTabText(1, f"Relations ({count})" if count else "Relations")

    def show_relation(self, uid: str) -> None:
        """A relation chosen in the table: both ends shown, the head selected."""
        rec = self.state.relations.get(uid)
        if rec is None:
            return
        head, tail = self.ws.spans.get(rec.head), self.ws.spans.get(rec.tail)
        if head is None or tail is None:
            return
        self.overlay.set_focus(uid)
        self.view.select_range(tail.start, tail.start)  # scrolled to the tail, then
        self.view.select_range(head.start, head.start)  # to the head if it is not shown too
        self.editor.select_span(head.uid)

    def _follow_span(self, uid: str) -> None:
        """A span selected in the article: its first relation in focus, unless the
        relation in focus already ends there (the table chose it)."""
        if self.flow.active:
            return
        current = self.state.relations.get(self.overlay.focus or "")
        if current is not None and uid in (current.head, current.tail):
            return
        found = self.state.of_span(uid) if uid else []
        self.overlay.set_focus(found[0].uid if found else None)
        self.table.show_relation(found[0].uid if found else None)

    def show_table(self) -> None:
        if self.tabs is not None:
            self.tabs.setCurrentWidget(self.table)
            self.table.setFocus()

    def delete(self, uid: str) -> None:
        rec = self.state.relations.get(uid)
        if rec is None:
            return
        row = self.model.row_of(uid)
        if commands.delete_relation(self.state, rec) and row is not None and self.model.rows:
            near = self.model.rows[min(row, len(self.model.rows) - 1)]
            self.table.show_relation(near.uid)  # the next row is ready for another Delete
            self.overlay.set_focus(near.uid)

    def delete_current(self) -> None:
        uid = self.table.current_uid() or self.overlay.focus
        if uid is None:
            window_bar = self.window.statusBar()
            window_bar.showMessage("Select a relation in the Relations table first", 6000)
            return
        self.delete(uid)

    def _edit_note(self, rec: RelationRecord, note: str) -> None:
        commands.edit_relation_note(self.state, rec, note)
