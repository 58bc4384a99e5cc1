"""Review > Merge curators' files…: bring other curators' work into this database.

The app merges exactly what ``curator merge`` does (``merge_sources``): their
database files or JSONL exports, in one transaction, following the merge
contract (later edit wins, deletions travel). A refused source leaves this
database unchanged and says why in a dialog; a merge that went through shows
its summary, one fact a line, as the command prints it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from curator.core.db import Database
from curator.core.errors import CuratorError
from curator.core.merge import MergeReport
from curator.core.merge_sources import merge_sources
from curator.gui import file_dialogs, plain_text
from curator.gui.status_labels import counted

FILTERS = ";;".join(
    (
        "Curator databases and exports (*.sqlite *.sqlite3 *.db *.jsonl)",
        "Curator databases (*.sqlite *.sqlite3 *.db)",
        "JSONL exports (*.jsonl)",
        "All files (*)",
    )
)
FAILED_TITLE = "Merge failed — nothing was changed"
DONE_TITLE = "Merged"


def choose_and_merge(parent: QWidget, db: Database) -> MergeReport | None:
    """Ask for source files and merge them; None when cancelled or refused (after a dialog)."""
    files = file_dialogs.open_file_names(
        parent, "Merge curators' databases or JSONL exports", FILTERS
    )
    if not files:
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        report = merge_sources(db, [Path(f) for f in files])
    except CuratorError as exc:
        QApplication.restoreOverrideCursor()
        plain_text.warn(parent, FAILED_TITLE, str(exc))
        return None
    QApplication.restoreOverrideCursor()
    plain_text.show_message(
        parent,
        plain_text.Icon.Information,
        DONE_TITLE,
        f"Merged {counted(len(report.sources), 'file')} into {db.display_name}.",
        "\n".join(report.lines()),
    )
    return report
