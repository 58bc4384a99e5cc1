"""File > Import…: articles (text, PDF, JATS, web pages) and every span format, one importer.

The app imports exactly what ``curator import`` does (``importing.import_paths``),
so a file the command refuses is refused here with the same message, in a
dialog, and nothing of any chosen file is kept. Spans from other tools are
filed under the curator at work; unknown labels are refused (the command's
``--add-labels`` is a decision for whoever manages the label set).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from curator.core.errors import CancelledError, CuratorError
from curator.core.interchange import importing
from curator.core.storage.db import Database
from curator.core.wording import counted
from curator.gui import file_dialogs, plain_text
from curator.gui.progress_dialog import progress_dialog

FILTERS = ";;".join(
    (
        "Articles and spans (*.txt *.pdf *.nxml *.html *.htm *.jsonl *.json *.xml *.ann"
        " *.pubtator *.conll *.conll2003 *.iob *.tsv)",
        "Articles (*.txt *.pdf *.nxml *.xml *.html *.htm)",
        "PDF (*.pdf)",
        "PubMed Central XML (*.nxml *.xml)",
        "Web pages (*.html *.htm)",
        "Spans as JSONL, doccano or Label Studio (*.jsonl *.json)",
        "BioC XML or JSON (*.xml *.json)",
        "brat standoff (*.ann)",
        "PubTator (*.pubtator *.txt)",
        "CoNLL / IOB (*.conll *.conll2003 *.iob *.tsv)",
        "Any file (*)",
    )
)
FAILED_TITLE = "Import failed — nothing was imported"
CANCELLED_TITLE = "Import cancelled"


def choose_and_import(
    parent: QWidget, db: Database, curator: str
) -> importing.MixedImportReport | None:
    """Ask for files and import them; None when cancelled or refused (after a dialog)."""
    files = file_dialogs.open_file_names(parent, "Import articles and spans", FILTERS)
    if not files:
        return None
    try:
        with progress_dialog(parent, "Importing…", "files") as progress:
            return importing.import_paths(
                db, [Path(f) for f in files], curator=curator, progress=progress
            )
    except CancelledError as exc:
        plain_text.inform(parent, CANCELLED_TITLE, str(exc))
        return None
    except CuratorError as exc:
        plain_text.warn(parent, FAILED_TITLE, str(exc))
        return None


def summary(report: importing.MixedImportReport) -> str:
    """One status-bar line: what came in, and what was already there."""
    added, present = report.documents_added, report.documents_present
    text = f"✓ Imported {counted(added, 'document')} ({present} already there)"
    if report.jsonl:
        files = counted(len(report.jsonl), "span file")
        text += f"; {counted(report.spans_added, 'span')} added, {report.spans_updated} updated"
        text += f" from {files}"
    return text


def first_new_document(report: importing.MixedImportReport) -> str | None:
    """The document to open after an import: the first new article, if any."""
    return report.articles.added[0].uid if report.articles.added else None
