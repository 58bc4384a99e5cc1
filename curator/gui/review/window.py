"""Review > Compare curators…: walk through the differences and build the curated layer.

Left, the side (:mod:`.side`): the curated layer's name, the curators to
compare, the documents with review progress, and the agreement chart of the
first two curators. A reviewer who also annotated is compared like anyone
else, and their curated layer then goes under a name of its own
(``NAME-curated`` proposed), apart from either side. Centre: one lane per
curator and the curated layer (:mod:`.lanes`). Below, two tabs: the span
differences with their decisions (:mod:`.spans_panel`) and the relation
differences of a pair of the compared curators (:mod:`.relations`). Both
share the window's undo history. Alt+N accepts the span (or relation) of the
N-th compared curator, whatever the order of the buttons. This module only
wires the parts together and reloads them from the database.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QListWidgetItem, QMainWindow, QSplitter, QTabWidget, QWidget

from curator.core.agreement.data import default_curators
from curator.core.articles import documents
from curator.core.review import adjudication as review
from curator.core.spans.annotate import list_labels
from curator.core.storage.db import Database
from curator.core.storage.records import Span
from curator.gui.elided_button import ElidedButton
from curator.gui.review.lanes import CURATED, LaneViews
from curator.gui.review.relations import RelationsPanel
from curator.gui.review.side import ROLE_UID, ReviewSide
from curator.gui.review.spans_panel import KEYS_HINT, SpansPanel
from curator.gui.screen_fit import fit_to_screen
from curator.gui.text_view import ViewSpan

__all__ = ["KEYS_HINT", "ReviewWindow", "proposed_layer"]

SCREEN_SHARE = 0.9  # of the available screen, at most, when no size was kept


def proposed_layer(me: str, annotators: list[str]) -> str:
    """Whose name the curated layer goes under: mine, unless I annotated too."""
    return f"{me}-curated" if me in annotators else me


class ReviewWindow(QMainWindow):
    decided = Signal()  # spans or decisions changed: other windows re-read their counts

    def __init__(self, db: Database, reviewer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.db = db
        self.annotators = default_curators(db)
        self.reviewer = proposed_layer(reviewer, self.annotators)
        self.labels = {lb.name: lb for lb in list_labels(db)}
        self.document: str | None = None
        self.text = ""
        self.undo_stack = QUndoStack(self)
        self._build()
        self._build_menu()
        self.side.fill_curators(self.annotators)
        self._layer_chosen(self.reviewer)
        self._fit_to_screen()

    # -- composition ---------------------------------------------------------
    def _build(self) -> None:
        self.side = ReviewSide(self.db, self.reviewer, self.labels)
        self.side.layer_combo.chosen.connect(self._layer_chosen)
        self.side.curators_changed.connect(self._curators_changed)
        self.side.doc_list.currentItemChanged.connect(self._document_chosen)
        self.lanes = LaneViews()
        self.spans = SpansPanel(self.db, self.undo_stack, self.lanes, list(self.labels))
        self.spans.changed.connect(self._changed)
        self.spans.message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        # The parts' widgets, by the names the window always gave them.
        self.layer_combo, self.layer_note = self.side.layer_combo, self.side.layer_note
        self.curator_list, self.doc_list = self.side.curator_list, self.side.doc_list
        self.chart = self.side.chart
        self.lower_panel, self.model, self.table = self.spans, self.spans.model, self.spans.table
        self.reject_button, self.edit_button = self.spans.reject_button, self.spans.edit_button
        self.label_combo, self.reason = self.spans.label_combo, self.spans.reason
        self.all_button, self.progress = self.spans.all_button, self.spans.progress
        self.keys_hint = self.spans.keys_hint
        self.setCentralWidget(self._build_splitters(self.side))
        for i in range(9):
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), self)
            shortcut.activated.connect(lambda i=i: self.accept_curator(i))

    def _build_splitters(self, side: QWidget) -> QSplitter:
        """The side, then the lanes over the tabs: the lanes give way on a small screen."""
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.lanes)
        centre.addWidget(self._build_tabs())
        centre.setStretchFactor(0, 1)  # a short window shortens the lanes, not the
        centre.setStretchFactor(1, 0)  # decisions: the keys' hint lost its second line
        centre.setSizes([560, 340])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(side)
        main.addWidget(centre)
        main.setStretchFactor(0, 0)  # the side keeps its width, the lanes take the rest:
        main.setStretchFactor(1, 1)  # a narrow side squeezed the chart's labels together
        main.setSizes([330, 1000])
        return main

    def _build_tabs(self) -> QTabWidget:
        """Spans and Relations, each with its list and its decisions."""
        self.relations = RelationsPanel(self.db, self.undo_stack)
        self.relations.decided.connect(self._relation_decided)
        self.relations.undone.connect(self._relation_undone)
        self.relations.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.relations.focus.connect(self.lanes.show_spans)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.setDocumentMode(True)  # no frame: the window stays as narrow as before
        self.tabs.addTab(self.spans, "Spa&ns")
        self.tabs.addTab(self.relations, "Re&lations")
        self.tabs.currentChanged.connect(self._tab_chosen)
        self.relations.model.modelReset.connect(self._relation_progress)
        return self.tabs

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&Review")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        menu.addAction(undo)
        menu.addAction(redo)
        menu.addSeparator()
        close = menu.addAction("&Close review window")
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.triggered.connect(self.close)

    def _fit_to_screen(self) -> None:
        """The kept size and place, else 90% of the screen, centred; never larger than the screen.

        The window's minimum size (its widest row) fits a 1024x700 screen:
        larger, the window grew past the screen's edge as it was shown.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        kept = QSettings().value("review/geometry")
        if kept is None or not self.restoreGeometry(kept):
            self.resize(int(area.width() * SCREEN_SHARE), int(area.height() * SCREEN_SHARE))
            self.move(
                area.left() + (area.width() - self.width()) // 2,
                area.top() + (area.height() - self.height()) // 2,
            )
        fit_to_screen(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("review/geometry", self.saveGeometry())
        super().closeEvent(event)

    # -- state ----------------------------------------------------------------
    @property
    def accept_buttons(self) -> list[ElidedButton]:
        """The current difference's accept buttons (made anew for each difference)."""
        return self.spans.accept_buttons

    def curators(self) -> list[str]:
        return self.side.curators()

    def current_item(self) -> review.ReviewItem | None:
        return self.spans.current_item()

    def _layer_chosen(self, name: str) -> None:
        self.reviewer = name
        self.setWindowTitle(f"Review into {name} — Heme Curator")
        self.side.show_layer(name, self.annotators)
        self._curators_changed()

    def _curators_changed(self) -> None:
        self.lanes.set_lanes(self.curators(), self.reviewer)
        self.side.update_chart()
        self._fill_documents()

    def _fill_documents(self) -> None:
        chosen = self.side.fill_documents(self.document, self.reviewer)
        if chosen is not None:
            self._open(chosen)
        else:
            self.document = None
            self.spans.clear()
            self.lanes.set_article("", {})
            self.relations.show_document(None, "", self.curators(), self.reviewer)

    # -- reactions ------------------------------------------------------------
    def _document_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self._open(item.data(ROLE_UID))

    def _open(self, uid: str) -> None:
        self.document = uid
        self.text = documents.get_document(self.db, uid).text
        self.lanes.set_article(self.text, {})
        self.refresh()

    def refresh(self, keep_row: int = 0) -> None:
        """Reload differences and lanes from the database; select a pending item."""
        if self.document is None:
            return
        names = self.curators()
        items = review.review_items(self.db, self.document, names, self.reviewer)
        spans = {
            name: [self._view_span(s) for s in found]
            for name, found in review.source_spans(self.db, self.document, names).items()
        }
        spans[CURATED] = [
            self._view_span(s) for s in review.curated_spans(self.db, self.document, self.reviewer)
        ]
        self.lanes.set_spans(spans)
        self.side.show_progress(self.doc_list.currentItem(), self.reviewer)
        self.spans.show_document(
            self.document, self.text, items, names, self.reviewer, keep_row=keep_row
        )
        self.relations.show_document(self.document, self.text, names, self.reviewer)
        if self.tabs.currentWidget() is self.relations:
            self.relations.table.setFocus()
            self.relations.show_current(self.relations.table.currentIndex())

    def _relation_progress(self) -> None:
        """The Relations tab's title counts the shown pair's decided differences."""
        items = self.relations.model.items
        done = sum(i.status != "pending" for i in items)
        self.tabs.setTabText(1, f"Re&lations ({done}/{len(items)})")

    def _tab_chosen(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.relations:
            self.relations.table.setFocus()
            self.relations.show_current(self.relations.table.currentIndex())
        else:
            self.table.setFocus()
            self.spans.show_current()

    def _relation_decided(self, message: str) -> None:
        """The decision in the status bar; the tab's counts line has the pair's totals."""
        self.refresh()
        self.statusBar().showMessage(message, 8000)
        self.decided.emit()

    def _relation_undone(self, document: str, message: str) -> None:
        """A relation decision undone or redone: its document and difference shown again."""
        self.tabs.setCurrentWidget(self.relations)
        if document != self.document:
            self.side.choose_document(document)  # opens it, and refreshes
        self._relation_decided(message)

    def _view_span(self, span: Span) -> ViewSpan:
        label = self.labels.get(span.label)
        tip = f"<b>{html.escape(span.label)}</b> · {html.escape(span.curator)}"
        color = label.color if label else "#777777"
        return ViewSpan(span.uid, span.start, span.end, color, span.label, tip)

    # -- decisions ------------------------------------------------------------
    def _changed(self, message: str) -> None:
        """A span decision saved, undone or redone: reload, and tell the other windows."""
        self.statusBar().showMessage(message, 8000)
        self.refresh(keep_row=max(self.table.currentIndex().row(), 0))
        self.decided.emit()

    def accept_curator(self, position: int) -> None:
        """Alt+N: accept the N-th compared curator's span, or relation on that tab."""
        if self.tabs.currentWidget() is self.relations:
            self.relations.accept_curator(position)
        else:
            self.spans.accept_curator(position)
