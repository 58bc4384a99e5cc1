"""Review > Compare curators…: walk through the differences and build the curated layer.

Left: the curators to compare, the documents with review progress, and the
agreement chart of the first two curators. Centre: one lane per curator and
the curated layer. Below: every difference of the document, classified, and
the decisions (accept a curator's span, reject, edit from a text selection),
each with an optional reason. Every decision is committed by the core before
the list shows it; the window then moves to the next pending difference.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.core import documents, review
from curator.core.agreement_data import agreement_report, default_curators
from curator.core.annotate import list_labels, spans_for
from curator.core.db import Database
from curator.core.errors import CuratorError
from curator.core.records import Span
from curator.gui import plain_text
from curator.gui.review.chart import AgreementChart, LabelBars
from curator.gui.review.differences_model import DifferenceTableModel
from curator.gui.review.lanes import CURATED, LaneViews
from curator.gui.text_view import ViewSpan

ROLE_UID = Qt.ItemDataRole.UserRole
ROLE_TITLE = Qt.ItemDataRole.UserRole + 1


class ReviewWindow(QMainWindow):
    def __init__(self, db: Database, reviewer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle(f"Review as {reviewer} — Heme Curator")
        self.db, self.reviewer = db, reviewer
        self.labels = {lb.name: lb for lb in list_labels(db)}
        self.document: str | None = None
        self.text = ""
        self.model = DifferenceTableModel()
        self._build()
        self._fill_curators()
        self._curators_changed()
        self.resize(1500, 900)

    # -- composition ---------------------------------------------------------
    def _build(self) -> None:
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
        for title, widget, stretch in (
            ("Curators to compare", self.curator_list, 1),
            ("Documents (differences decided)", self.doc_list, 3),
            ("Agreement per label", self.chart, 3),
        ):
            heading = plain_text.label(title)
            heading.setStyleSheet("font-weight: bold;")
            col.addWidget(heading)
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
        lower.addWidget(self.table, 1)
        lower.addLayout(self._build_actions())
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.lanes)
        centre.addWidget(self.lower_panel)
        centre.setSizes([560, 340])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(side)
        main.addWidget(centre)
        main.setSizes([330, 1170])
        self.setCentralWidget(main)
        self.curator_list.itemChanged.connect(lambda _item: self._curators_changed())
        self.doc_list.currentItemChanged.connect(self._document_chosen)
        self.table.selectionModel().currentRowChanged.connect(self._item_chosen)

    def _build_actions(self) -> QVBoxLayout:
        self.accept_row = QHBoxLayout()
        self.accept_buttons: list[QPushButton] = []
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
        for i in range(9):
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), self)
            shortcut.activated.connect(lambda i=i: self.accept_current(i))
        return box

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
        for name in default_curators(self.db):
            if name == self.reviewer:
                continue
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.curator_list.addItem(item)
        self.curator_list.blockSignals(False)

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

    def _show_progress(self, item: QListWidgetItem) -> None:
        uid = item.data(ROLE_UID)
        done, total = review.progress(self.db, uid, self.curators(), self.reviewer)
        title = item.data(ROLE_TITLE)
        mark = "✓" if total and done == total else f"{done}/{total}"
        item.setText(f"{mark}  {title}")
        item.setToolTip(plain_text.tooltip(f"{title}\n{done} of {total} differences decided"))

    def _update_chart(self, names: list[str]) -> None:
        if len(names) < 2:
            self.chart.set_data("Choose two curators", [])
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
            self._view_span(s)
            for s in spans_for(self.db, self.document, self.reviewer)
            if s.origin == review.ADJUDICATED
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
        for i, cand in enumerate(diff.candidates):
            who = " + ".join(cand.curators)
            quote = self._quote(cand.start, cand.end)
            button = QPushButton(f"Accept {who}: {cand.label} {cand.start}–{cand.end} “{quote}”")
            button.setObjectName(f"accept{i}")
            button.setToolTip(plain_text.tooltip(f"Alt+{i + 1}"))
            button.clicked.connect(lambda _=False, i=i: self.accept_current(i))
            self.accept_row.addWidget(button)
            self.accept_buttons.append(button)
        self.label_combo.setCurrentText(diff.candidates[0].label)

    def _quote(self, start: int, end: int, limit: int = 30) -> str:
        quote = " ".join(self.text[start:end].split())
        return quote if len(quote) <= limit else quote[: limit - 1] + "…"

    # -- decisions ------------------------------------------------------------
    def _run(self, action: str, call: object) -> None:
        row = self.table.currentIndex().row()
        try:
            assert callable(call)
            call()
        except CuratorError as exc:
            plain_text.warn(self, "Review", str(exc))
            return
        self.reason.clear()
        self.statusBar().showMessage(f"✓ {action}: saved", 6000)
        self.refresh(keep_row=max(row, 0))

    def accept_current(self, index: int) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None or index >= len(item.difference.candidates):
            return
        reason = self.reason.text()
        self._run("Accepted", lambda: review.accept(self.db, self.reviewer, doc, item.difference,
                                                    index, reason=reason))  # fmt: skip

    def reject_current(self) -> None:
        item, doc = self.current_item(), self.document
        if item is None or doc is None:
            return
        reason = self.reason.text()
        self._run(
            "Rejected",
            lambda: review.reject(self.db, self.reviewer, doc, item.difference, reason=reason),
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
        self._run("Edit", lambda: review.edit(self.db, self.reviewer, doc, item.difference,
                                              span, reason=reason))  # fmt: skip

    def accept_agreements(self) -> None:
        doc = self.document
        if doc is None:
            return
        reason = self.reason.text()
        names = self.curators()
        self._run(
            "Accepted all agreements",
            lambda: review.accept_all_agreements(self.db, self.reviewer, doc, names, reason),
        )
