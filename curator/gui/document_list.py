"""The document list: title, this curator's span count and status, with a filter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.core.activity.active_time import active_seconds, minutes
from curator.core.articles import documents
from curator.core.articles.document_filter import documents_matching
from curator.core.errors import CuratorError
from curator.core.storage.db import Database
from curator.gui import plain_text
from curator.gui.placeholder import paint_placeholder
from curator.gui.span_contrast import readable_line
from curator.gui.status_labels import span_count
from curator.gui.table_model import ColumnsModel, Index

STATUS_TEXT = {"new": "○ new", "in_progress": "◐ in progress", "done": "● done"}
STATUS_COLOR = {"new": "#6b6b6b", "in_progress": "#8a5a00", "done": "#00734f"}


class DocumentTableModel(ColumnsModel):
    """Every document's title and status; span counts are read for the rows shown.

    Counting a curator's spans in every document reads every span (a
    quarter of a second at 10,000 documents and a million spans), so a row's
    count is read with those around it the first time the list shows it
    (``None`` until then); sorting by count reads them all at once.
    """

    COLUMNS = ("Title", "Spans", "Status")
    COUNT_BATCH = 100  # rows counted together: a screenful and what is next to it

    def __init__(self, db: Database, curator: str) -> None:
        super().__init__()
        self.db = db
        self.curator = curator
        self.rows: list[tuple[str, str, int | None, str]] = []
        self._row_of: dict[str, int] = {}
        self.active: dict[str, int] = {}  # document uid -> this curator's active seconds
        self.loaded = False  # until the first reload: no "No documents" placeholder

    def reload(self, curator: str | None = None) -> None:
        self.beginResetModel()
        if curator is not None:
            self.curator = curator
        self.rows = [
            (uid, title, None, status)
            for uid, title, status in documents.document_rows(self.db, self.curator)
        ]
        self._row_of = {row[0]: i for i, row in enumerate(self.rows)}
        times = active_seconds(self.db, self.curator)
        self.active = {uid: by[self.curator] for uid, by in times.items()}
        self.loaded = True
        self.endResetModel()

    def count_at(self, row: int) -> int:
        """The live span count of *row*, read (with its neighbours) when not known yet."""
        count = self.rows[row][2]
        if count is None:
            first = max(0, row - self.COUNT_BATCH // 4)
            self._fill_counts(range(first, min(len(self.rows), first + self.COUNT_BATCH)))
            count = self.rows[row][2]
        return count or 0

    def count_of(self, uid: str) -> int | None:
        """The live span count the list shows for *uid* (None: not a row)."""
        row = self._row_of.get(uid)
        return None if row is None else self.count_at(row)

    def _fill_counts(self, rows: range | None = None) -> None:
        """Read the unknown counts of *rows* (all of them when None) in one go."""
        wanted = range(len(self.rows)) if rows is None else rows
        unknown = [i for i in wanted if self.rows[i][2] is None]
        if not unknown:
            return
        uids = None if rows is None else [self.rows[i][0] for i in unknown]
        try:
            counts = documents.live_span_counts(self.db, self.curator, uids)
        except CuratorError:
            return  # the count shows as 0 and is read again on the next paint
        for i in unknown:
            uid, title, _none, status = self.rows[i]
            self.rows[i] = (uid, title, counts.get(uid, 0), status)

    def refresh(self, uid: str) -> None:
        """Re-read one document's count and status (after its status was set)."""
        i = self._row_of.get(uid)
        fresh = documents.curator_rows(self.db, self.curator, [uid])
        if i is None or not fresh:
            self.reload()
            return
        times = active_seconds(self.db, self.curator, [uid]).get(uid, {})
        self.active[uid] = times.get(self.curator, 0)
        self._set_row(i, fresh[0])

    def edited(self, uid: str, live_count: int) -> None:
        """A span of *uid* was just edited and it now has *live_count* live spans.

        Nothing is read back: the count comes from the workspace and the status
        follows the rule the edit applied in the database (a new document is
        now in progress; in progress and done stay). Queries here cost a
        millisecond or more on every key press.
        """
        i = self._row_of.get(uid)
        if i is None:
            self.refresh(uid)
            return
        _uid, title, count, old_status = self.rows[i]
        status = "in_progress" if old_status == "new" else old_status
        if status != old_status:
            self._set_row(i, (uid, title, live_count, status))
        elif count != live_count:  # only the count's cell: the title's is not laid out again
            self.rows[i] = (uid, title, live_count, status)
            self.dataChanged.emit(self.index(i, 1), self.index(i, 1))

    def _set_row(self, i: int, row: tuple[str, str, int | None, str]) -> None:
        self.rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def uid_at(self, row: int) -> str:
        return self.rows[row][0]

    def row_of(self, uid: str) -> int | None:
        return self._row_of.get(uid)

    def row_items(self) -> Sequence[object]:
        return self.rows

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        uid, title, _count, status = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 1:
                return self.count_at(index.row())
            return title if col == 0 else STATUS_TEXT.get(status, status)
        if role == Qt.ItemDataRole.ToolTipRole:
            count = self.count_at(index.row())
            spent = minutes(self.active.get(uid, 0))
            tip = f"{title}\n{span_count(count)} · {status.replace('_', ' ')}"
            tip += f"\nactive time: {spent}\nid {uid[:12]}"
            return plain_text.tooltip(tip)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            page = QGuiApplication.palette().color(QPalette.ColorRole.Base)
            return readable_line(STATUS_COLOR.get(status, "#000000"), page)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:  # the sort key
            if col == 1:
                self._fill_counts()  # sorting by count compares every row's
                return self.count_at(index.row())
            return title.casefold() if col == 0 else status
        return None


class _DocumentTable(QTableView):
    NARROW = 300  # below this, the span count gives its room to the titles

    def __init__(self, source: DocumentTableModel) -> None:
        super().__init__()
        self._source = source

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = self.viewport().width() < self.NARROW
        if self.isColumnHidden(1) != narrow:
            self.setColumnHidden(1, narrow)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._source.loaded and self.model() is not None and self.model().rowCount() == 0:
            paint_placeholder(self, "No documents.\n\nFile > Import articles and spans… (Ctrl+O)")


class _MatchingDocuments(QSortFilterProxyModel):
    """Rows of the documents the filter found (all of them when there is no filter)."""

    def __init__(self, model: DocumentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self._model = model
        self._shown: set[str] | None = None

    def show_only(self, uids: set[str] | None) -> None:
        self.beginFilterChange()
        self._shown = uids
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, _parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return self._shown is None or self._model.uid_at(source_row) in self._shown


class DocumentList(QWidget):
    """Filterable list; selecting a row asks to open that document."""

    document_selected = Signal(str)

    def __init__(self, model: DocumentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._open_uid: str | None = None  # the document open in the window
        self.filter_box = QLineEdit(placeholderText="Filter documents…", clearButtonEnabled=True)
        self.filter_box.setToolTip("Words of a title or of the text, or the start of an id")
        self.proxy = _MatchingDocuments(model, self)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        # The database scans every text: once typing pauses, not on every key.
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_box.textChanged.connect(lambda _t: self._filter_timer.start())
        model.modelReset.connect(lambda: self.filter_box.text() and self._filter_timer.start())
        self.table = _DocumentTable(model)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Titles often share their start ("Editor's Note: …"): keep both ends.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not from the contents: sizing to contents reads
        # up to 1,000 rows (their counts too) at every start and reset.
        metrics = self.table.fontMetrics()
        pad = metrics.averageCharWidth() + 16  # margins and the sort arrow
        widest = {
            1: max(metrics.horizontalAdvance(t) for t in ("Spans", "00000")),
            2: max(metrics.horizontalAdvance(t) for t in (*STATUS_TEXT.values(), "Status")),
        }
        for column, width in widest.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width + pad)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.table)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            source = self.proxy.mapToSource(current)
            self.document_selected.emit(self.model.uid_at(source.row()))

    def show_document(self, uid: str) -> None:
        """Select *uid*'s row without re-emitting (the document is already open)."""
        self._open_uid = uid
        row = self.model.row_of(uid)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid() and index != self.table.currentIndex():
            self.table.blockSignals(True)
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(index)
            self.table.selectionModel().blockSignals(False)
            self.table.blockSignals(False)
            self.table.viewport().update()
        self.table.scrollTo(index)

    def apply_filter(self) -> None:
        """Show the matching rows; the open document stays open.

        When a filter hides the current row, the selection moves to a
        neighbour, which opened that document as a click would: typing a
        filter changed the article. The row marked is the open document's,
        or none while the filter hides it.
        """
        self._filter_timer.stop()
        phrase = self.filter_box.text()
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        try:
            self.proxy.show_only(
                documents_matching(self.model.db, phrase) if phrase.strip() else None
            )
            if self._open_uid is None or not self.shows(self._open_uid):
                selection.clear()
        finally:
            selection.blockSignals(False)
        if self._open_uid is not None and self.shows(self._open_uid):
            self.show_document(self._open_uid)
        self.table.viewport().update()

    def settle_filter(self) -> None:
        """Apply the typed filter now if it is still waiting for typing to pause."""
        if self._filter_timer.isActive():
            self.apply_filter()

    def shows(self, uid: str) -> bool:
        """Whether *uid* has a row in the list as filtered."""
        row = self.model.row_of(uid)
        return row is not None and self.proxy.mapFromSource(self.model.index(row, 0)).isValid()

    def first_uid(self) -> str | None:
        """The document on the first row shown (None: no rows), without listing them all."""
        if self.proxy.rowCount() == 0:
            return None
        return self.model.uid_at(self.proxy.mapToSource(self.proxy.index(0, 0)).row())

    def ordered_uids(self) -> list[str]:
        """Documents in the order shown (filter and sort applied)."""
        return [
            self.model.uid_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]
