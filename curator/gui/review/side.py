"""The review window's side: whose layer, which curators, which document, how they agree.

The curated layer's name (an existing curator, or a new one confirmed on
purpose), the curators to compare, the documents with their review
progress, and the agreement chart of the first two ticked curators. The
window reacts to its signals; the side never decides anything itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from curator.core.agreement.data import agreement_report
from curator.core.articles import documents
from curator.core.review import adjudication as review
from curator.core.storage.curators import curator_names
from curator.core.storage.db import Database
from curator.core.storage.records import LabelInfo
from curator.gui import plain_text
from curator.gui.curator_choice import CuratorCombo
from curator.gui.review.chart import AgreementChart, LabelBars

ROLE_UID = Qt.ItemDataRole.UserRole
ROLE_TITLE = Qt.ItemDataRole.UserRole + 1


def _heading(title: str) -> QLabel:
    """A bold heading that wraps when long: one line of it set the window's least width."""
    heading = plain_text.label(title)
    heading.setStyleSheet("font-weight: bold;")
    heading.setWordWrap(True)
    return heading


class ReviewSide(QWidget):
    """The layer, curators, documents and chart of the review window."""

    curators_changed = Signal()  # a curator ticked or unticked

    def __init__(
        self,
        db: Database,
        reviewer: str,
        labels: dict[str, LabelInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.labels = labels
        self.layer_combo = CuratorCombo(curator_names(db), reviewer)
        self.layer_combo.setObjectName("layerCombo")
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
        col = QVBoxLayout(self)
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
        self.curator_list.itemChanged.connect(lambda _item: self.curators_changed.emit())

    def curators(self) -> list[str]:
        """The ticked curators, in the list's order (the order of Alt+1, Alt+2 …)."""
        return [
            self.curator_list.item(i).text()
            for i in range(self.curator_list.count())
            if self.curator_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def fill_curators(self, names: Sequence[str]) -> None:
        """Every curator, ticked; quietly, the window reads the list once it is full."""
        self.curator_list.blockSignals(True)
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.curator_list.addItem(item)
        self.curator_list.blockSignals(False)

    def show_layer(self, name: str, annotators: Sequence[str]) -> None:
        """Say when the layer is a new curator, or one of the compared curators."""
        new = name not in curator_names(self.db)
        note = "A new curator: made with the first decision. " if new else ""
        if name in annotators:
            note += f"{name} is also compared: their own spans stay theirs, never copied."
        self.layer_note.setText(note.strip())
        self.layer_note.setVisible(bool(note))

    def fill_documents(self, keep: str | None, reviewer: str) -> str | None:
        """List the documents any ticked curator annotated; return the one to open.

        *keep* stays current when it is still listed, else the first one is;
        the list's own signal stays quiet, the window opens the document.
        """
        names = self.curators()
        self.doc_list.blockSignals(True)
        self.doc_list.clear()
        chosen = None
        for row in documents.list_documents(self.db):
            if not set(names) & set(row.spans):
                continue
            item = QListWidgetItem(row.title)
            item.setData(ROLE_UID, row.uid)
            item.setData(ROLE_TITLE, row.title)
            self.doc_list.addItem(item)
            self.show_progress(item, reviewer)
            if chosen is None or row.uid == keep:
                chosen = item
        self.doc_list.blockSignals(False)
        if chosen is None:
            return None
        self.doc_list.setCurrentItem(chosen)
        return str(chosen.data(ROLE_UID))

    def choose_document(self, uid: str) -> None:
        """Make *uid* current in the list (which opens it, through the list's signal)."""
        for row in range(self.doc_list.count()):
            item = self.doc_list.item(row)
            if item.data(ROLE_UID) == uid:
                self.doc_list.setCurrentItem(item)
                return

    def show_progress(self, item: QListWidgetItem | None, reviewer: str) -> None:
        """The document's decided differences before its title; ✓ when all are."""
        if item is None:
            return
        uid = item.data(ROLE_UID)
        done, total = review.progress(self.db, uid, self.curators(), reviewer)
        title = item.data(ROLE_TITLE)
        mark = "✓" if total and done == total else f"{done}/{total}"
        item.setText(f"{mark}  {title}")
        item.setToolTip(plain_text.tooltip(f"{title}\n{done} of {total} differences decided"))

    def update_chart(self) -> None:
        """Agreement per label of the first two ticked curators, over all documents."""
        names = self.curators()
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
