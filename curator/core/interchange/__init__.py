"""Moving curated work in and out: JSONL (lossless) and the formats NLP tools read.

One module a format; this one names them for the CLI and the GUI, so both
offer the same choices with the same meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from curator.core.errors import CuratorError

if TYPE_CHECKING:
    # Types only: importing a reader or writer of this package must not import SQLAlchemy
    # (the JSONL export command on SQLite runs on the standard library alone).
    from curator.core.interchange.common import ExportReport, Progress, Selection
    from curator.core.storage.db import Database


@dataclass(frozen=True)
class ExportFormat:
    name: str
    title: str
    suffix: str
    """The file name ending; empty for formats that write a folder."""
    lossless: bool
    """Whether deleted spans (with_deleted) can travel in this format."""


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("jsonl", "JSONL (lossless, re-importable)", ".jsonl", True),
        ExportFormat("spacy", "spaCy DocBin", ".spacy", False),
        ExportFormat("bioc-xml", "BioC XML", ".xml", False),
        ExportFormat("bioc-json", "BioC JSON", ".json", False),
        ExportFormat("brat", "brat standoff (a folder per curator)", "", False),
        ExportFormat("labelstudio", "Label Studio tasks", ".json", False),
        ExportFormat("pubtator", "PubTator (one curator)", ".pubtator", False),
        ExportFormat("conll", "CoNLL / IOB (a column per curator)", ".conll", False),
        ExportFormat("doccano", "doccano (entities and relations)", ".jsonl", False),
    )
}

Exporter: TypeAlias = "Callable[[Database, Path, Selection, Progress | None], ExportReport]"


def _exporter(name: str) -> Exporter:
    if name == "jsonl":
        from curator.core.interchange.jsonl import export_jsonl

        def jsonl(
            db: Database, path: Path, sel: Selection, progress: Progress | None
        ) -> ExportReport:
            return export_jsonl(
                db,
                path,
                curators=sel.curators,
                documents=sel.documents,
                with_deleted=sel.with_deleted,
                with_suggestions=sel.with_suggestions,
                progress=progress,
            )

        return jsonl
    if name == "spacy":
        from curator.core.interchange.spacy_docbin import export_spacy

        return export_spacy
    if name == "bioc-xml":
        from curator.core.interchange.bioc import export_bioc_xml

        return export_bioc_xml
    if name == "bioc-json":
        from curator.core.interchange.bioc import export_bioc_json

        return export_bioc_json
    if name == "brat":
        from curator.core.interchange.brat import export_brat

        return export_brat
    if name == "pubtator":
        from curator.core.interchange.pubtator import export_pubtator

        return export_pubtator
    if name == "conll":
        from curator.core.interchange.conll import export_conll

        return export_conll
    if name == "doccano":
        from curator.core.interchange.doccano_export import export_doccano

        return export_doccano
    if name == "labelstudio":
        from curator.core.interchange.labelstudio import export_labelstudio

        return export_labelstudio
    raise CuratorError(f"unknown export format {name!r}; use one of {', '.join(FORMATS)}")


def export(
    db: Database,
    fmt: str,
    out_path: Path | str,
    *,
    curators: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    with_deleted: bool = False,
    with_suggestions: bool = False,
    allow_loss: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Export in format *fmt*; deleted spans and pending suggestions only travel in JSONL.

    A span the format cannot hold makes the export fail with
    :class:`~curator.core.interchange.common.LossError` before anything is
    written, unless *allow_loss*; then it is left out and listed in the
    report's problems.
    """
    from curator.core.interchange.common import Selection

    exporter = _exporter(fmt)
    if (with_deleted or with_suggestions) and not FORMATS[fmt].lossless:
        what = "deleted spans" if with_deleted else "pending suggestions"
        raise CuratorError(f"{what} can only be exported as JSONL, not as {fmt}")
    selection = Selection(
        curators=curators,
        documents=documents,
        with_deleted=with_deleted,
        with_suggestions=with_suggestions,
        allow_loss=allow_loss,
    )
    return exporter(db, Path(out_path), selection, progress)
