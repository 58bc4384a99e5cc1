"""The main window: composes the widgets and wires their signals, nothing more."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from curator import __version__
from curator.core.articles import documents
from curator.core.errors import CuratorError
from curator.core.storage.curators import validate_name
from curator.core.storage.db import Database
from curator.core.storage.records import AnySpan, DocumentInfo, LiveSpan
from curator.core.wording import counted
from curator.gui import commands, plain_text
from curator.gui.active_time import ActiveTimer
from curator.gui.after_paint import after_first_paint
from curator.gui.document_keys import DocumentListKeys
from curator.gui.document_list import DocumentList, DocumentTableModel
from curator.gui.editing import SpanEditor
from curator.gui.find_bar import FindBar
from curator.gui.help import GuidelinesPanel, KeyboardMapDialog
from curator.gui.label_bar import LabelBar
from curator.gui.label_keys import LabelKeys
from curator.gui.memory import release_freed_memory
from curator.gui.open_database import choose_database, fill_recent_menu, open_location
from curator.gui.pane_splitter import PaneSplitter
from curator.gui.relations import RelationsUi
from curator.gui.search_panel import SearchPanel
from curator.gui.settings_menu import settings_menu
from curator.gui.span_table import SpanTable, SpanTableModel
from curator.gui.status_labels import StatusLabels, span_count
from curator.gui.status_message import MessageBar
from curator.gui.suggestions import SuggestionPanel
from curator.gui.text_view import SpanTextView
from curator.gui.view_menu import ViewMenu
from curator.gui.workspace import Workspace

Slot = Callable[[], object]


class MainWindow(QMainWindow):
    database_opened = Signal(object)  # a Database, opened and upgraded, to work on instead
    loaded = Signal()  # the document list is filled and the last document opened

    def __init__(self, db: Database, curator: str, *, load_after_show: bool = False) -> None:
        """*load_after_show*: the window is painted first, empty, and the document
        list and the last document are read right after (see :meth:`load`)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.ws = Workspace(db, curator, self)
        self.doc_model = DocumentTableModel(db, curator)
        self.doc_list = DocumentList(self.doc_model)
        self.view = SpanTextView()
        self.view.setObjectName("textView")
        self.view.set_styler(self.ws.span_style)
        self.find_bar = FindBar(self.view)
        colors = {lb.name: lb.color for lb in self.ws.labels}
        self.span_model = SpanTableModel(colors, owner=self.ws.span)
        self.span_table = SpanTable(self.span_model)
        self.editor = SpanEditor(self.ws, self.view, self)
        self.relations = RelationsUi(self, self.ws, self.view, self.editor)
        self.suggestions = SuggestionPanel(self.ws, self.view, self)
        self.all_actions: list[QAction] = []
        self._build_layout()
        self._build_actions()
        self._build_status_bar()
        self._wire()
        self.active_timer = ActiveTimer(self.ws, self.view, self)
        self.active_timer.stored.connect(self.doc_model.refresh)
        self._restore_settings()
        self.is_loaded = False
        if load_after_show:
            after_first_paint(self.view.viewport(), self.load)
        else:
            self.load()
        self.view.setFocus()  # Tab and Enter reach the suggestions at once

    def load(self) -> None:
        """Fill the document list and open the last document, once.

        At start-up this runs after the window's first paint: the curator sees
        the window at once, and the article a moment later, instead of nothing
        until both are read.
        """
        if self.is_loaded:
            return
        self.is_loaded = True
        self.doc_model.reload()
        self._open_initial_document()
        self.loaded.emit()

    # -- composition -------------------------------------------------------
    def _build_layout(self) -> None:
        center = QWidget()
        column = QVBoxLayout(center)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.view, 1)
        column.addWidget(self.find_bar)
        self.splitter = PaneSplitter(self.view.reading_width)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.add_panes(self.doc_list, center, self.relations.side_tabs(self.span_table))
        self.setCentralWidget(self.splitter)
        self.resize(1500, 900)

    def _action(self, menu: QMenu, text: str, keys: str | list[str], slot: Slot) -> QAction:
        action = QAction(text, self)
        sequences = [keys] if isinstance(keys, str) else keys
        action.setShortcuts([QKeySequence(k) for k in sequences if k])
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work wherever focus is in the window
        self.all_actions.append(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        self._build_file_edit_menus()
        self.view_menu = ViewMenu(self, self.view, bar.addMenu("&View"), self._action)
        self._build_annotate_menu(bar.addMenu("&Annotate"))
        self._build_document_help_menus()
        self.menuBar().insertMenu(
            self.help_menu.menuAction(),
            settings_menu(self, lambda: self.ws.db, self._action, self._labels_edited),
        )
        self.label_bar = LabelBar(self.label_actions, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)

    def _build_file_edit_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        open_db = lambda: self.open_database()  # noqa: E731, PLW0108 (not the checked flag)
        self._action(m, "&Open database…", "Ctrl+Shift+O", open_db)
        recent = m.addMenu("Open &recent")
        recent.aboutToShow.connect(lambda: fill_recent_menu(recent, self.open_database))
        m.addSeparator()
        self._action(m, "&Import articles and spans…", "Ctrl+O", self.import_files)
        self._action(m, "&Export…", "Ctrl+E", self.export_files)
        self._action(m, "Switch &curator…", "Ctrl+Shift+U", self.switch_curator)
        m.addSeparator()
        # The top-level window: this one, or the one of curator gui's first frame around it.
        self._action(m, "&Quit", "Ctrl+Q", lambda: self.window().close())

        m = bar.addMenu("&Edit")
        undo = self.ws.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = self.ws.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            m.addAction(action)
            self.addAction(action)
            self.all_actions.append(action)
        m.addSeparator()
        self._action(m, "&Find…", "Ctrl+F", self.find_bar.open_bar)
        self._action(m, "Find &next", "F3", lambda: self.find_bar.find_match(forward=True))
        self._action(
            m, "Find &previous", "Shift+F3", lambda: self.find_bar.find_match(forward=False)
        )
        self.search_panel = SearchPanel(self.ws, self.view, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_panel)
        self.search_panel.hide()
        self._action(m, "&Search all documents…", "Ctrl+Shift+F", self.search_panel.open_panel)

    def _build_annotate_menu(self, m: QMenu) -> None:
        self.label_keys = LabelKeys(self, m, self.all_actions, self._label_slot)
        self.label_actions = self.label_keys.build(self.ws.labels)
        self._action(m, "&Delete span", ["Delete", "Backspace"], self.editor.delete_selected)
        self._action(m, "Edit &note…", "N", self.editor.edit_note)
        self._action(m, "&Link to concept…", "L", lambda: self.editor.link_concept(self))
        self.relations.fill_menu(m.addMenu("&Relations"), self._action)
        self._action(m, "Next span &here (where spans overlap)", "C", self.view.cycle_span)
        self._action(m, "Start edge left", "Alt+Shift+Left", lambda: self._edge("start", -1))
        self._action(m, "Start edge right", "Alt+Shift+Right", lambda: self._edge("start", 1))
        self._action(m, "End edge left", "Alt+Left", lambda: self._edge("end", -1))
        self._action(m, "End edge right", "Alt+Right", lambda: self._edge("end", 1))
        m.addSeparator()
        self._action(m, "Annotate &all occurrences…", "Ctrl+Shift+A", self._annotate_all)
        self.snap_action = self._action(m, "&Snap to words", "Alt+W", self._toggle_snap)
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(True)
        self.suggestions.fill_menu(m.addMenu("S&uggestions"), self)
        self.all_actions.extend(self.suggestions.actions)

    def _build_document_help_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&Document")
        self._action(m, "Mark &done", "Ctrl+D", lambda: self.ws.set_status("done"))
        self._action(m, "&Reopen", "Ctrl+Shift+D", lambda: self.ws.set_status("in_progress"))
        self._action(m, "Done, open &next", ["Ctrl+Return", "Ctrl+Enter"], self.done_and_next)
        m.addSeparator()
        self._action(m, "Next document", "Ctrl+PgDown", lambda: self._step_document(1))
        self._action(m, "Previous document", "Ctrl+PgUp", lambda: self._step_document(-1))
        self.doc_keys = DocumentListKeys(self.doc_list, self.splitter, self.view)
        self._action(m, "&Go to document list", "Ctrl+L", self.doc_keys.go)

        m = bar.addMenu("&Review")
        self._action(m, "&Merge curators' files…", "Ctrl+Shift+M", self.merge_files)
        self._action(m, "&Compare curators…", "Ctrl+Shift+R", self.open_review)

        m = self.help_menu = bar.addMenu("&Help")
        self._action(m, "&Keyboard map", "F1", self._keyboard_map)
        self.guidelines = GuidelinesPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guidelines)
        self.guidelines.hide()
        self._action(m, "Annotation &guidelines", "Shift+F1", self.guidelines.toggle)
        self._action(m, "&About Heme Curator", "", self._about)

    def _build_status_bar(self) -> None:
        self.setStatusBar(MessageBar())
        self.status = StatusLabels(self.statusBar(), self.ws.labels, self.suggestions.count_label)
        self.status.show_database(self.ws.db.display_name)
        self.status.show_curator(self.ws.curator)  # the list is filled by load(), once

    def _wire(self) -> None:
        ws = self.ws
        ws.document_opened.connect(self._on_document_opened)
        ws.spans_reset.connect(self._on_spans_reset)
        ws.span_changed.connect(self._on_span_changed)
        ws.document_row_changed.connect(self.doc_model.refresh)
        ws.document_edited.connect(self._on_document_edited)
        ws.curator_changed.connect(self._show_curator)
        ws.labels_changed.connect(self._on_labels_changed)
        ws.saved.connect(lambda msg: self.statusBar().showMessage(f"✓ {msg}", 8000))
        ws.failed.connect(self._show_error)
        self.editor.hint.connect(lambda msg: self.statusBar().showMessage(msg, 6000))
        self.suggestions.hint.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.doc_list.document_selected.connect(ws.open_document)
        self.view.span_clicked.connect(self._on_span_clicked)
        self.view.selected_changed.connect(self.span_table.show_span)
        self.span_table.span_activated.connect(self._on_span_activated)
        self.span_model.note_edited = lambda span, note: commands.edit_note(self.ws, span, note)
        self.suggestions.wire()

    # -- reactions ---------------------------------------------------------
    def _on_document_opened(self, doc: DocumentInfo) -> None:
        self.view.set_article(doc.text, [])
        self.doc_list.show_document(doc.uid)
        self.setWindowTitle(f"{doc.title} — Heme Curator")

    def _on_spans_reset(self, spans: list[LiveSpan]) -> None:
        self.view.set_spans(spans)
        # SQLite orders the uids of equal extents as Python does (a server's collation may not)
        self.span_model.reset(spans, in_text_order=self.ws.db.is_sqlite)
        self._update_counts()
        release_freed_memory()  # the copies of the text made while opening

    def _on_span_changed(self, span: AnySpan, old: LiveSpan | None) -> None:
        self.view.replace_span(old, None if span.deleted else span)
        self.span_model.replace(old, span)
        self._update_counts()

    def _on_span_clicked(self, uid: str) -> None:
        if self.suggestions.select(uid):
            return
        self.editor.select_span(uid or None)
        self.span_table.show_span(uid or None)

    def _on_span_activated(self, uid: str) -> None:
        span = self.ws.spans.get(uid)
        if span is not None:
            self.view.select_range(span.start, span.start)
            self.editor.select_span(uid)

    def _on_document_edited(self, uid: str) -> None:
        doc = self.ws.document
        if doc is not None and doc.uid == uid:
            self.doc_model.edited(uid, len(self.ws.spans))
        else:
            self.doc_model.refresh(uid)

    def _labels_edited(self) -> None:
        self.ws.reload_labels()

    def _on_labels_changed(self) -> None:
        self.label_actions = self.label_keys.build(self.ws.labels)
        self.label_bar.set_actions(self.label_actions)
        self.span_model.colors.clear()
        self.span_model.colors.update({lb.name: lb.color for lb in self.ws.labels})
        self.span_model.reset(list(self.ws.spans.values()))
        self._update_counts()
        self.doc_model.reload()

    def _update_counts(self) -> None:
        self.status.show_counts(len(self.ws.spans), self.ws.label_counts, self.ws.unlinked)

    def _show_curator(self, name: str) -> None:
        self.status.show_curator(name)
        self.doc_model.reload(name)
        if self.ws.document is not None:
            self.doc_list.show_document(self.ws.document.uid)

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(f"Not saved: {message}", 10000)
        plain_text.warn(self, "Heme Curator", message)

    # -- commands ------------------------------------------------------------
    def _label_slot(self, name: str) -> Slot:
        def slot() -> None:  # a selected suggestion takes the key: accepted as that label
            if not self.suggestions.apply_label(name):
                self.editor.apply_label(name)

        return slot

    def _edge(self, edge: str, direction: int) -> None:
        self.editor.move_edge(edge, direction)

    def _annotate_all(self) -> None:
        if self.search_panel.has_focus():  # the phrase searched, in every document found
            self.search_panel.annotate_all()
        else:
            self.editor.annotate_all(self)

    def _toggle_snap(self) -> None:
        self.editor.snap_words = self.snap_action.isChecked()
        state = "whole words" if self.editor.snap_words else "exact characters"
        self.statusBar().showMessage(f"Selections now snap to {state}", 4000)

    def _open_initial_document(self) -> None:
        last = documents.last_opened(self.ws.db, self.ws.curator)
        shown = last is not None and self.doc_list.shows(last)
        target = last if shown else self.doc_list.first_uid()
        if target is None:
            self.statusBar().showMessage(
                "No documents yet: File > Import articles and spans… (Ctrl+O)"
            )
            return
        self.ws.open_document(target)

    def _step_document(self, direction: int) -> None:
        uids = self.doc_list.ordered_uids()
        if not uids or self.ws.document is None:
            return
        i = uids.index(self.ws.document.uid) if self.ws.document.uid in uids else -1
        self.ws.open_document(uids[(i + direction) % len(uids)])

    def done_and_next(self) -> None:
        doc = self.ws.document
        if doc is None:
            return
        self.ws.set_status("done")
        rows = {uid: status for uid, _t, _n, status in self.doc_model.rows}
        uids = self.doc_list.ordered_uids()
        i = uids.index(doc.uid) if doc.uid in uids else -1
        for uid in uids[i + 1 :] + uids[: i + 1]:
            if rows.get(uid) != "done":
                self.ws.open_document(uid)
                return
        self.statusBar().showMessage("✓ All documents are done", 8000)

    def export_files(self) -> None:
        from curator.gui.export_dialog import open_export_dialog  # the formats: when used

        open_export_dialog(self, self.ws.db, self.ws.curator, self.ws.document)

    def import_files(self) -> None:
        from curator.gui import import_files  # the readers of every format: when used

        report = import_files.choose_and_import(self, self.ws.db, self.ws.curator)
        if report is None:
            return
        self.doc_model.reload()
        # Imported spans may belong to the open document, and a JSONL's label file
        # may have changed the set (names, colours, keys): both read afresh.
        self.ws.reload_labels()
        self.statusBar().showMessage(import_files.summary(report), 8000)
        first = import_files.first_new_document(report)
        if first is not None:
            self.ws.open_document(first)

    def switch_curator(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Switch curator", "Curator name:", text=self.ws.curator
        )
        if not ok:
            return
        try:
            self.ws.set_curator(validate_name(name))
        except CuratorError as exc:
            plain_text.warn(self, "Heme Curator", str(exc))

    def open_database(self, entry: str | None = None) -> None:
        """The dialog (no *entry*) or a recent one; the host then shows what opened."""
        current = self.ws.db
        db = open_location(self, entry, current) if entry else choose_database(self, current)
        if db is not None:
            self.database_opened.emit(db)

    def merge_files(self) -> None:
        from curator.gui import merge_files

        report = merge_files.choose_and_merge(self, self.ws.db)
        if report is None:
            return
        self.doc_model.reload()
        self.ws.reload_labels()  # merged spans and label edits may concern the open document
        added, updated = report.spans_added, report.spans_updated
        self.statusBar().showMessage(
            f"✓ Merged {counted(len(report.sources), 'file')}: {report.documents_added} documents, "
            f"{span_count(added)} added, {updated} updated, {report.spans_deleted} deleted",
            10000,
        )

    def open_review(self) -> None:
        from curator.gui.review import ReviewWindow

        self.review_window = ReviewWindow(self.ws.db, self.ws.curator, self)
        self.review_window.decided.connect(self._review_decided)
        self.review_window.show()

    def _review_decided(self) -> None:
        """A review changed spans (maybe this curator's): counts and list read afresh."""
        self.doc_model.reload()
        self.ws.reload()

    def _keyboard_map(self) -> None:
        KeyboardMapDialog(self.all_actions, self, self.relations.key_rows()).exec()

    def _about(self) -> None:
        plain_text.show_message(
            self,
            plain_text.Icon.Information,
            "About Heme Curator",
            f"Heme Curator {__version__}\nAnnotating hematology literature.",
            f"Database: {self.ws.db.display_name}",
        )

    # -- settings ------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:  # first run: room for titles on the left and quotes on the right
            width = max(self.width(), 1000)
            self.splitter.setSizes([int(width * 0.22), int(width * 0.45), int(width * 0.33)])
        snap_words = settings.value("editing/snap_words", True, type=bool)
        self.snap_action.setChecked(bool(snap_words))
        self.editor.snap_words = bool(snap_words)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.suggestions.worker.wait()  # its rows are written before the database closes
        self.save_settings()
        self.suggestions.model.stop()
        super().closeEvent(event)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.window().saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("editing/snap_words", self.editor.snap_words)
