"""spaCy: a DocBin with each curator's spans in ``doc.spans[curator]``, and its tokenizer.

Docs are tokenised by English with extra rules for hematology notation
(:mod:`curator.core.interchange.spacy_tokenizer`), and a token that a span
edge still falls inside is split there, so every span starts and ends on
token boundaries and none is left out, never widened or shrunk to fit (a
moved span in training data is a silent error). The tokenizer is written
beside the file, as ``NAME.tokenizer/`` (a blank pipeline: ``spacy.load``
it), so a model trained on the export tokenizes new text the same way.
Span groups allow overlaps, so nested spans stay as they are. Each span
keeps its annotation uid as ``span.id_`` and its concept ids as
``span.kb_id_`` (joined by ``;`` when several); the document keeps its uid
and title in ``doc.user_data``, and the concepts' names there too
(``user_data["heme_curator"]["concepts"]``, by span uid).

spaCy is installed on first use (see :mod:`curator.core.optional`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curator.core.errors import CuratorError
from curator.core.interchange.common import (
    ExportDocument,
    ExportReport,
    Progress,
    Selection,
    atomic_directory,
    atomic_writer,
    check_loss,
    curators_of,
    document_stream,
    in_pieces,
    no_relations,
)
from curator.core.interchange.spacy_stream import StreamingDocBin
from curator.core.interchange.spacy_tokenizer import doc_with_cuts, hematology_nlp, write_pipeline
from curator.core.optional import SPACY, require
from curator.core.storage.db import Database


def _spacy() -> Any:
    require(SPACY, "exporting for spaCy")
    import spacy

    return spacy


def tokenizer_folder(path: Path) -> Path:
    """Where the export at *path* puts its tokenizer: ``a.spacy`` -> ``a.tokenizer``."""
    folder = path.with_suffix(".tokenizer")
    if folder == path:
        raise CuratorError(f"{path}: name the spaCy file something other than *.tokenizer")
    return folder


def export_spacy(
    db: Database,
    out_path: Path | str,
    selection: Selection,
    progress: Progress | None = None,
) -> ExportReport:
    """Write a ``.spacy`` DocBin and its tokenizer; a span spaCy cannot hold is reported."""
    spacy = _spacy()
    path = Path(out_path)
    folder = tokenizer_folder(path)
    nlp = hematology_nlp(spacy)
    docbin = StreamingDocBin()
    report = ExportReport(format="spacy", path=path, files=[path, folder])
    try:
        # Documents are read a batch at a time, and each goes to disk once encoded.
        with document_stream(db, selection, progress) as docs:
            curators = curators_of(docs, selection)
            for item in docs:
                _add(nlp, docbin, item, curators, report)
                no_relations([item], report)
        check_loss(report, selection)
        nlp.max_length = spacy.blank("en").max_length  # the saved pipeline keeps the default
        with atomic_directory(folder) as tmp:
            write_pipeline(nlp, tmp, folder.name)
        with atomic_writer(path) as out:
            docbin.write(out)
    finally:
        docbin.close()
    return report


def _add(
    nlp: Any,
    docbin: StreamingDocBin,
    item: ExportDocument,
    curators: list[str],
    report: ExportReport,
) -> None:
    """One document, tokenised with cuts at its span edges, its spans grouped by curator."""
    # The 1,000,000-character limit protects the parser's memory; only the
    # tokenizer runs here, and articles may be longer.
    nlp.max_length = max(nlp.max_length, len(item.text) + 1)
    cuts = (p for span in item.spans for p in (span.start, span.end))
    doc, _split = doc_with_cuts(nlp, item.text, cuts)
    names: dict[str, list[dict[str, str]]] = {}
    doc.user_data["heme_curator"] = {"id": item.uid, "title": item.title, "concepts": names}
    groups: dict[str, list[Any]] = {name: [] for name in curators}
    for span in item.spans:
        problem = in_pieces(item, span, "spaCy")
        if problem:
            report.problems.append(problem)
            continue
        aligned = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if aligned is None or aligned.text != span.text:
            report.problems.append(
                f"{item.uid[:12]} {span.curator}: {span.label} span {span.start}-{span.end} "
                f"{span.text!r} covers no spaCy token; left out"
            )
            continue
        aligned.id_ = span.uid
        if span.concepts:
            aligned.kb_id_ = ";".join(c.id for c in span.concepts)
            names[span.uid] = [{"id": c.id, "name": c.name} for c in span.concepts]
        groups.setdefault(span.curator, []).append(aligned)
        report.spans += 1
    for name, spans in groups.items():
        doc.spans[name] = spans
    docbin.add(doc)
    report.documents += 1
