"""Review > Compare curators…: walk through the differences and build the curated layer.

Left: the curated layer's name (an existing curator, or a new one confirmed
on purpose), the curators to compare, the documents with review progress,
and the agreement chart of the first two curators. A reviewer who also
annotated is compared like anyone else, and their curated layer then goes
under a name of its own (``NAME-curated`` proposed), apart from either side.
Centre: one lane per curator and the curated layer. Below: every difference
of the document, classified, and the decisions (accept a curator's span,
reject, edit from a text selection), each with an optional reason. Every
decision is committed by the core before the list shows it, and is one
step of the window's undo history; the window then moves to the next
pending difference. Alt+N accepts the span of the N-th compared curator,
whatever the order of the buttons. The Relations tab beside the spans lists
the relation differences of a pair of the compared curators, the first two
unless another pair is chosen there (:mod:`.relations`); its decisions share
the window's undo history.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from curator.core.agreement.data import agreement_report, default_curators
from curator.core.articles import documents
from curator.core.errors import CuratorError
from curator.core.review import adjudication as review
from curator.core.spans.annotate import list_labels
from curator.core.storage.curators import curator_names
from curator.core.storage.db import Database
from curator.core.storage.records import Span
from curator.gui import plain_text
from curator.gui.curator_choice import CuratorCombo
from curator.gui.elided_button import ElidedButton
from curator.gui.review.chart import AgreementChart, LabelBars
from curator.gui.review.differences_model import DifferenceTableModel
from curator.gui.review.lanes import CURATED, LaneViews
from curator.gui.review.relations import RelationsPanel
from curator.gui.review.steps import ReviewStep
from curator.gui.screen_fit import fit_to_screen
from curator.gui.text_view import ViewSpan

ROLE_UID = Qt.ItemDataRole.UserRole
ROLE_TITLE = Qt.ItemDataRole.UserRole + 1
SCREEN_SHARE = 0.9  # of the available screen, at most, when no size was kept
KEYS_HINT = (
    "Alt+1, Alt+2 …: accept that curator's span · Alt+R reject · Alt+E edit · "
    "Alt+G accept all agreements · Ctrl+Z undo · Ctrl+Shift+Z redo · Esc close"
)


def proposed_layer(me: str, annotators: list[str]) -> str:
    """Whose name the curated layer goes under: mine, unless I annotated too."""
    return f"{me}-curated" if me in annotators else me


def _heading(title: str) -> QLabel:
    """A bold heading that wraps when long: one line of it set the window's least width."""
    heading = plain_text.label(title)
    heading.setStyleSheet("font-weight: bold;")
    heading.setWordWrap(True)
    return heading


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
        self.model = DifferenceTableModel()
        self.undo_stack = QUndoStack(self)
        self._build()
        self._build_menu()
        self._fill_curators()
        self._layer_chosen(self.reviewer)
        self._fit_to_screen()

    # -- composition ---------------------------------------------------------
    def _build(self) -> None:
        known = curator_names(self.db)
        self.layer_combo = CuratorCombo(known, self.reviewer)
        self.layer_combo.setObjectName("layerCombo")
        self.layer_combo.chosen.connect(self._layer_chosen)
        self.layer_note = plain_text.label()
        self.layer_note.setWordWrap(True)
        self.curator_list = QListWidget()
        self.curator_list.setObjectName("curatorList")
        self.doc_list = QListWidget()
        self.doc_list.setObjectName("reviewDocuments")
        # Long titles end in "…" (the tooltip has the whole title), no sideways scrolling.
        self.doc_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.doc_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.doc_list.setUniformItemSizes(True)
        self.chart = AgreementChart()
        side = QWidget()
        col = QVBoxLayout(side)
        col.addWidget(QLabel("<b>Curated layer (review as)</b>"))
        col.addWidget(self.layer_combo)
        col.addWidget(self.layer_note)
        for title, widget, stretch in (
            ("Curators to compare (Alt+1, Alt+2 … in this order)", self.curator_list, 1),
            ("Documents (differences decided)", self.doc_list, 3),
            ("Agreement per label", self.chart, 3),
        ):
            col.addWidget(_heading(title))
            col.addWidget(widget, stretch)
        self.lanes = LaneViews()
        self.table = QTableView()
        self.table.setObjectName("differenceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.lower_panel = QWidget()
        lower = QVBoxLayout(self.lower_panel)
        lower.setContentsMargins(6, 6, 6, 6)  # inside a tab: its frame is the margin
        lower.addWidget(self.table, 1)
        lower.addLayout(self._build_actions())
        self.setCentralWidget(self._build_splitters(side))
        self.curator_list.itemChanged.connect(lambda _item: self._curators_changed())
        self.doc_list.currentItemChanged.connect(self._document_chosen)
        self.table.selectionModel().currentRowChanged.connect(self._item_chosen)

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
        self.tabs.addTab(self.lower_panel, "Spa&ns")
        self.tabs.addTab(self.relations, "Re&lations")
        self.tabs.currentChanged.connect(self._tab_chosen)
        self.relations.model.modelReset.connect(self._relation_progress)
        return self.tabs

    def _build_actions(self) -> QVBoxLayout:
        self.accept_row = QHBoxLayout()
        self.accept_buttons: list[ElidedButton] = []
        self.reject_button = QPushButton("&Reject all")
        self.reject_button.clicked.connect(self.reject_current)
        self.label_combo = QComboBox()
        self.label_combo.addItems(list(self.labels))
        self.edit_button = QPushButton("&Edit: use my selection as")
        self.edit_button.setToolTip("Select text in any lane first; the label is on the right")
        self.edit_button.clicked.connect(self.edit_current)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("reason (optional), kept with the decision")
        self.all_button = QPushButton("Accept all a&greements")
        self.all_button.clicked.connect(self.accept_agreements)
        self.progress = plain_text.label()
        self.progress.setTextFormat(Qt.TextFormat.RichText)  # figures only, in bold
        self.keys_hint = plain_text.label(KEYS_HINT)
        self.keys_hint.setObjectName("reviewKeys")
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setStyleSheet("color: palette(placeholder-text);")
        row2 = QHBoxLayout()
        row2.addWidget(self.reject_button)
        row2.addWidget(self.edit_button)
        row2.addWidget(self.label_combo)
        row2.addWidget(self.reason, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.all_button)
        row3.addStretch(1)
        row3.addWidget(self.progress)
        box = QVBoxLayout()
        box.addLayout(self.accept_row)
        box.addLayout(row2)
        box.addLayout(row3)
        box.addWidget(self.keys_hint)
        for i in range(9):
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), self)
            shortcut.activated.connect(lambda i=i: self.accept_curator(i))
        return box

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
    def curators(self) -> list[str]:
        return [
            self.curator_list.item(i).text()
            for i in range(self.curator_list.count())
            if self.curator_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def current_item(self) -> review.ReviewItem | None:
        row = self.table.currentIndex().row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def _fill_curators(self) -> None:
        self.curator_list.blockSignals(True)
        for name in self.annotators:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.curator_list.addItem(item)
        self.curator_list.blockSignals(False)

    def _layer_chosen(self, name: str) -> None:
        self.reviewer = name
        self.setWindowTitle(f"Review into {name} — Heme Curator")
        new = name not in curator_names(self.db)
        note = "A new curator: made with the first decision. " if new else ""
        if name in self.annotators:
            note += f"{name} is also compared: their own spans stay theirs, never copied."
        self.layer_note.setText(note.strip())
        self.layer_note.setVisible(bool(note))
        self._curators_changed()

    def _curators_changed(self) -> None:
        names = self.curators()
        self.lanes.set_lanes(names, self.reviewer)
        self._update_chart(names)
        self._fill_documents()

    def _fill_documents(self) -> None:
        names = set(self.curators())
        keep = self.document
        self.doc_list.blockSignals(True)
        self.doc_list.clear()
        chosen = None
        for row in documents.list_documents(self.db):
            if not names & set(row.spans):
                continue
            item = QListWidgetItem(row.title)
            item.setData(ROLE_UID, row.uid)
            item.setData(ROLE_TITLE, row.title)
            self.doc_list.addItem(item)
            self._show_progress(item)
            if chosen is None or row.uid == keep:
                chosen = item
        self.doc_list.blockSignals(False)
        if chosen is not None:
            self.doc_list.setCurrentItem(chosen)
            self._open(chosen.data(ROLE_UID))
        else:
            self.document = None
            self.model.reset("", [])
            self.lanes.set_article("", {})
            self.relations.show_document(None, "", self.curators(), self.reviewer)

    def _show_progress(self, item: QListWidgetItem) -> None:
        uid = item.data(ROLE_UID)
        done, total = review.progress(self.db, uid, self.curators(), self.reviewer)
        title = item.data(ROLE_TITLE)
        mark = "✓" if total and done == total else f"{done}/{total}"
        item.setText(f"{mark}  {title}")
        item.setToolTip(plain_text.tooltip(f"{title}\n{done} of {total} differences decided"))

    def _update_chart(self, names: list[str]) -> None:
        if len(names) < 2:
            self.chart.set_data("Tick two curators to compare", [])
            return
        pair = agreement_report(self.db, names[:2])["pairs"][0]  # type: ignore[index]
        bars = [
            LabelBars(
                label,
                self.labels[label].color,
                row["f1_exact"],
                row["f1_overlap"],
                row["n_a"],
                row["n_b"],
            )
            for label, row in pair["labels"].items()
        ]
        self.chart.set_data(f"{names[1]} against {names[0]}, all documents", bars)

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
        self.model.reset(self.text, items)
        spans = {
            name: [self._view_span(s) for s in found]
            for name, found in review.source_spans(self.db, self.document, names).items()
        }
        spans[CURATED] = [
            self._view_span(s) for s in review.curated_spans(self.db, self.document, self.reviewer)
        ]
        self.lanes.set_spans(spans)
        done = sum(i.status != "pending" for i in items)
        self.progress.setText(f"<b>{done} of {len(items)}</b> differences decided")
        current = self.doc_list.currentItem()
        if current is not None:
            self._show_progress(current)
        pending = [i for i, item in enumerate(items) if item.status == "pending"]
        after = [i for i in pending if i >= keep_row]
        row = (after or pending or [min(keep_row, len(items) - 1)])[0]
        if items:
            self.table.selectRow(row)
            self._item_chosen(self.model.index(row, 0))
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
            self._item_chosen(self.table.currentIndex())

    def _relation_decided(self, message: str) -> None:
        """The decision in the status bar; the tab's counts line has the pair's totals."""
        self.refresh()
        self.statusBar().showMessage(message, 8000)
        self.decided.emit()

    def _relation_undone(self, document: str, message: str) -> None:
        """A relation decision undone or redone: its document and difference shown again."""
        self.tabs.setCurrentWidget(self.relations)
        if document != self.document:
            for row in range(self.doc_list.count()):
                item = self.doc_list.item(row)
                if item.data(ROLE_UID) == document:
                    self.doc_list.setCurrentItem(item)  # opens it, and refreshes
                    break
        self._relation_decided(message)

    def _view_span(self, span: Span) -> ViewSpan:
        label = self.labels.get(span.label)
        tip = f"<b>{html.escape(span.label)}</b> · {html.escape(span.curator)}"
        color = label.color if label else "#777777"
        return ViewSpan(span.uid, span.start, span.end, color, span.label, tip)

    def _item_chosen(self, index: QModelIndex, _previous: object = None) -> None:
        for button in self.accept_buttons:
            self.accept_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.accept_buttons = []
        item = self.current_item()
        if item is None:
            return
        diff = item.difference
        result = (item.result_uid,) if item.result_uid else ()
        self.lanes.show_spans(diff.start, diff.uids + result)
        names = self.curators()
        for i, cand in enumerate(diff.candidates):
            who = " + ".join(cand.curators)
            keys = "/".join(f"Alt+{names.index(c) + 1}" for c in cand.curators if c in names)
            quote = self._quote(cand.start, cand.end)
            caption = f"{keys}  Accept {who}: {cand.label} {cand.start}–{cand.end} “{quote}”"
            button = ElidedButton(caption)
            button.setObjectName(f"accept{i}")
            button.setToolTip(
                plain_text.tooltip(f"{caption}\n{keys}: take {who}'s span into the curated layer")
            )
            button.clicked.connect(lambda _=False, i=i: self.accept_current(i))
            self.accept_row.addWidget(button)
            self.accept_buttons.append(button)
        self.label_combo.setCurrentText(diff.candidates[0].label)

    def _quote(self, start: int, end: int, limit: int = 30) -> str:
        quote = " ".join(self.text[start:end].split())
        return quote if len(quote) <= limit else quote[: limit - 1] + "…"

    # -- decisions ------------------------------------------------------------
    def _run(self, what: str, call: Callable[[list[review.Step]], object]) -> object:
        """Commit one decision, make it an undo step, and show the next difference."""
        steps: list[review.Step] = []
        try:
            result = call(steps)
        except CuratorError as exc:
            plain_text.warn(self, "Review", str(exc))
            return None
        self.reason.clear()
        if steps:
            self.undo_stack.push(ReviewStep(self.db, steps, what, self._changed))
            self._changed(f"✓ Saved: {what}")
        return result

    def _changed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        self.refresh(keep_row=max(self.table.currentIndex().row(), 0))
        self.decided.emit()

    def accept_curator(self, position: int) -> None:
        """Alt+N: accept the span of the N-th compared curator, wherever its button is."""
        if self.tabs.currentWidget() is self.relations:
            self.relations.accept_curator(position)
            return
        item, names = self.current_item(), self.curators()
        if item is None or position >= len(names):
            return
        name = names[position]
        for index, cand in enumerate(item.difference.candidates):
            if name in cand.curators:
                self.accept_current(index)
                return
        self.statusBar().showMessage(f"{name} has no span here: reject, or edit", 6000)

    def accept_current(self, index: int) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None or index >= len(item.difference.candidates):
            return
        reason = self.reason.text()
        cand = item.difference.candidates[index]
        quote = self._quote(cand.start, cand.end)
        what = f"accept {' + '.join(cand.curators)}: {cand.label} “{quote}”"
        self._run(what, lambda steps: review.accept(self.db, self.reviewer, doc, item.difference,
                                                    index, reason=reason, steps=steps))  # fmt: skip

    def reject_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        reason = self.reason.text()
        diff = item.difference
        self._run(
            f"reject “{self._quote(diff.start, diff.end)}”",
            lambda steps: review.reject(self.db, self.reviewer, doc, diff, reason, steps=steps),
        )

    def edit_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        chosen = self.lanes.selection()
        if chosen is None:
            self.statusBar().showMessage("Select the text to keep in any lane first", 6000)
            return
        span = (chosen[0], chosen[1], self.label_combo.currentText())
        reason = self.reason.text()
        what = f"edit: {span[2]} “{self._quote(span[0], span[1])}”"
        self._run(what, lambda steps: review.edit(self.db, self.reviewer, doc, item.difference,
                                                  span, reason=reason, steps=steps))  # fmt: skip

    def accept_agreements(self) -> None:
        doc = self.document
        if doc is None:
            return
        reason = self.reason.text()
        names = self.curators()
        pending = sum(
            i.status == "pending" and i.difference.kind == "agreement" for i in self.model.items
        )
        what = f"accept {pending} agreement" + ("" if pending == 1 else "s")
        done = self._run(
            what,
            lambda steps: review.accept_all_agreements(
                self.db, self.reviewer, doc, names, reason, steps=steps
            ),
        )
        if done == 0:
            self.statusBar().showMessage("No pending agreement in this document", 6000)
        elif isinstance(done, int):
            self.statusBar().showMessage(f"✓ Accepted all agreements: {done} saved", 8000)
