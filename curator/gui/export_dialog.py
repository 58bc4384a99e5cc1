"""File > Export…: choose a format, curators, documents and a destination, then export.

The dialog only collects choices; the core writes the file atomically, so a
cancelled or failed export leaves nothing half-written. Long exports show a
QProgressDialog fed by the core's progress callback; Cancel stops the export
before anything is renamed into place.

A format that cannot hold some spans (CoNLL and nested spans, PubTator and
notes…) refuses, as the command line does without ``--allow-loss``: the
dialog names and counts those spans and offers to export anyway, which is
what the "Allow loss" choice does up front.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from curator.core import interchange
from curator.core.errors import CuratorError
from curator.core.interchange.common import (
    ExportReport,
    LossError,
    curator_names,
    safe_file_name,
)
from curator.core.storage.db import Database
from curator.core.storage.records import DocumentInfo
from curator.core.wording import counted
from curator.gui import file_dialogs, plain_text
from curator.gui.status_labels import span_count
from curator.gui.workspace import shorten

PROGRESS_AFTER_DOCUMENTS = 20
"""Exports of fewer documents finish too fast for a progress dialog to help."""

LISTED_PROBLEMS = 20
"""Spans named in a message; the rest are counted."""


def lost_count(report: ExportReport) -> str:
    """ "2 spans", "3 relations" or "2 spans and 3 relations": what a loss message counts."""
    parts = [span_count(len(report.problems))] if report.problems else []
    if report.lost_relations:
        parts.append(counted(len(report.lost_relations), "relation"))
    return " and ".join(parts)


def listed(problems: list[str]) -> str:
    """The first spans left out, one a line, and how many more."""
    shown = "\n".join(problems[:LISTED_PROBLEMS])
    more = len(problems) - LISTED_PROBLEMS
    if more > 0:
        shown += f"\n… and {more} more"
    return shown


def _plain_box(
    icon: QMessageBox.Icon, title: str, text: str, parent: QWidget, name: str
) -> QMessageBox:
    """A window-modal message showing span quotes as plain text, never markup."""
    box = plain_text.message_box(parent, icon, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.NoButton)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


class ExportCancelledError(Exception):
    """Raised from the progress callback when the user presses Cancel."""


class ExportDialog(QDialog):
    exported = Signal(object)  # the ExportReport

    def __init__(
        self,
        db: Database,
        curator: str,
        parent: QWidget | None = None,
        *,
        open_document: DocumentInfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export spans")
        self.db = db
        self.report: ExportReport | None = None
        self.format_combo = QComboBox()
        for fmt in interchange.FORMATS.values():
            self.format_combo.addItem(fmt.title, fmt.name)
        self.curator_list = QListWidget()
        self.curator_list.setMaximumHeight(120)
        for name in curator_names(db):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.curator_list.addItem(item)
        self._build_choices(curator, open_document)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_path)
        where = QWidget()
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("&Format:", self.format_combo)
        form.addRow("&Curators:", self.curator_list)
        form.addRow("&Documents:", self.documents_combo)
        form.addRow("", self.deleted_box)
        form.addRow("", self.loss_box)
        form.addRow("", self.suggestions_box)
        form.addRow("&Save to:", where)
        label = form.labelForField(where)
        if isinstance(label, QLabel):
            label.setBuddy(self.path_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._previous_suffix = ".jsonl"
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.curator_list.itemChanged.connect(lambda _item: self._curators_changed())

    def _build_choices(self, curator: str, open_document: DocumentInfo | None) -> None:
        """The check boxes, the document choice and the destination, named for the curators."""
        self.deleted_box = QCheckBox("Include deleted spans, so deletions reach other databases")
        self.loss_box = QCheckBox(
            "&Allow loss: write what the format holds and list the spans it cannot"
        )
        self.loss_box.setObjectName("allowLoss")
        self.suggestions_box = QCheckBox("Include pending suggestions")
        self.documents_combo = QComboBox()
        self.documents_combo.addItem("All documents", None)
        if open_document is not None:
            self.documents_combo.addItem(
                f"Only the open one: {shorten(open_document.title, 50)}", open_document.uid
            )
        self._own = curator
        self._default_name = default_file_name(self.checked_curators(), self._all_names(), curator)
        self.path_edit = QLineEdit(str(Path.home() / f"{self._default_name}.jsonl"))
        self.path_edit.setMinimumWidth(380)

    def format_name(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))

    def _all_names(self) -> list[str]:
        return [self.curator_list.item(i).text() for i in range(self.curator_list.count())]

    def _curators_changed(self) -> None:
        """Name the file after the ticked curators, unless the curator named it."""
        fresh = default_file_name(self.checked_curators(), self._all_names(), self._own)
        path = Path(self.path_edit.text())
        suffix = self._previous_suffix
        if path.name == self._default_name + suffix:
            self.path_edit.setText(str(path.with_name(fresh + suffix)))
        self._default_name = fresh

    def chosen_documents(self) -> list[str] | None:
        """The documents to export (None: all of them)."""
        uid = self.documents_combo.currentData()
        return None if uid is None else [str(uid)]

    def checked_curators(self) -> list[str]:
        items = (self.curator_list.item(i) for i in range(self.curator_list.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    def _format_changed(self) -> None:
        """Keep the file name's ending in step with the format, and deleted spans JSONL-only."""
        fmt = interchange.FORMATS[self.format_name()]
        for box in (self.deleted_box, self.suggestions_box):
            box.setEnabled(fmt.lossless)
            if not fmt.lossless:
                box.setChecked(False)
        path = Path(self.path_edit.text())
        name = path.name
        if self._previous_suffix and name.endswith(self._previous_suffix):
            name = name[: -len(self._previous_suffix)]
        self.path_edit.setText(str(path.with_name(name + fmt.suffix)))
        self._previous_suffix = fmt.suffix

    def choose_path(self) -> None:
        fmt = interchange.FORMATS[self.format_name()]
        if not fmt.suffix:
            chosen = file_dialogs.save_file_name(
                self, "Export brat folder to", self.path_edit.text()
            )
        else:
            chosen = file_dialogs.save_file_name(
                self, "Export to", self.path_edit.text(), f"{fmt.title} (*{fmt.suffix})"
            )
        if chosen:
            self.path_edit.setText(chosen)

    def _warn(self, title: str, text: str) -> None:
        """A window-modal message that does not block the event loop (nor a test)."""
        box = _plain_box(QMessageBox.Icon.Warning, title, text, self, "exportMessage")
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def _offer_loss(self, error: LossError) -> None:
        """Name and count the spans and relations the format cannot hold; Export anyway
        writes the rest."""
        report = error.report
        n, r = len(report.problems), len(report.lost_relations)
        parts = [f"{n} of {counted(n + report.spans, 'span')}"] if n else []
        parts += [f"{r} of {counted(r + report.relations, 'relation')}"] if r else []
        box = _plain_box(
            QMessageBox.Icon.Warning,
            f"{lost_count(report)} cannot be exported as {report.format}",
            f"The {report.format} format cannot hold {' and '.join(parts)}. "
            "Nothing was written.\n\n"
            "Export anyway writes the others and leaves these out (never moved); "
            "they stay in the database.",
            self,
            "exportLoss",
        )
        plain_text.set_details(box, "\n".join(report.losses()))
        plain_text.set_informative(box, listed(report.losses()))
        anyway = box.addButton("Export &anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        anyway.clicked.connect(lambda: self.run_export(allow_loss=True))
        box.open()

    def run_export(self, *, allow_loss: bool = False) -> None:
        """Export with the chosen settings; on success close, on error say why and stay open."""
        allow_loss = allow_loss or self.loss_box.isChecked()
        curators = self.checked_curators()
        if not curators:
            self._warn("Nothing to export", "Choose at least one curator.")
            return
        progress = QProgressDialog("Exporting…", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.hide()

        def step(done: int, total: int) -> None:
            if total >= PROGRESS_AFTER_DOCUMENTS:
                if not progress.isVisible():
                    progress.show()
                progress.setMaximum(total)
                progress.setValue(done)
                progress.setLabelText(f"Exporting document {done} of {total}…")
                QApplication.processEvents()
                if progress.wasCanceled():
                    raise ExportCancelledError

        try:
            self.report = interchange.export(
                self.db,
                self.format_name(),
                Path(self.path_edit.text()).expanduser(),
                curators=curators,
                documents=self.chosen_documents(),
                with_deleted=self.deleted_box.isChecked(),
                allow_loss=allow_loss,
                with_suggestions=self.suggestions_box.isChecked(),
                progress=step,
            )
        except ExportCancelledError:
            return
        except LossError as exc:
            self._offer_loss(exc)
            return
        except CuratorError as exc:
            self._warn("Export failed — nothing was written", str(exc))
            return
        finally:
            progress.close()
        self.exported.emit(self.report)
        self.accept()


def default_file_name(checked: list[str], every: list[str], own: str) -> str:
    """The export's file name (no suffix) for the ticked curators: never one curator's
    name for a file that holds several curators' spans."""
    if len(checked) == 1:
        stem = checked[0]
    elif not checked:
        stem = own
    elif len(every) > 1 and sorted(checked) == sorted(every):
        stem = "all-curators"
    elif len(checked) <= 3:
        stem = "+".join(checked)
    else:
        stem = f"{len(checked)}-curators"
    return safe_file_name(f"{stem}-spans", "spans")


def open_export_dialog(
    window: QMainWindow, db: Database, curator: str, document: DocumentInfo | None = None
) -> ExportDialog:
    """Show the dialog (window-modal) and report the result in the window's status bar."""
    dialog = ExportDialog(db, curator, window, open_document=document)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(report: ExportReport) -> None:
        window.statusBar().showMessage(f"✓ {report.summary()}", 12000)
        if report.losses():
            kinds = [
                k
                for k, v in (("spans", report.problems), ("relations", report.lost_relations))
                if v
            ]
            box = _plain_box(
                QMessageBox.Icon.Information,
                f"{lost_count(report)} left out",
                f"The {report.format} format could not hold these {' and '.join(kinds)} "
                "unchanged, so they were left out (never moved); they stay in the database:\n\n"
                f"{listed(report.losses())}",
                window,
                "exportProblems",
            )
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.open()

    dialog.exported.connect(done)
    dialog.open()
    return dialog
