"""spaCy: a DocBin with each curator's spans in ``doc.spans[curator]``.

Docs are tokenised by a blank English pipeline, the tokenizer most training
setups start from. A span must start and end on token boundaries
(``Doc.char_span(..., alignment_mode="strict")``); one that does not is left
out and reported, never widened or shrunk to fit, because a moved span in
training data is a silent error. Span groups allow overlaps, so nested spans
stay as they are. Each span keeps its annotation uid as ``span.id_`` and its
concept ids as ``span.kb_id_`` (joined by ``;`` when several); the document
keeps its uid and title in ``doc.user_data``, and the concepts' names there
too (``user_data["heme_curator"]["concepts"]``, by span uid).

spaCy is installed on first use (see :mod:`curator.core.optional`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curator.core.db import Database
from curator.core.interchange.common import (
    ExportReport,
    Progress,
    Selection,
    atomic_write_bytes,
    check_loss,
    curators_of,
    load_documents,
)
from curator.core.optional import SPACY, require


def _spacy() -> Any:
    require(SPACY, "exporting for spaCy")
    import spacy

    return spacy


def export_spacy(
    db: Database,
    out_path: Path | str,
    selection: Selection,
    progress: Progress | None = None,
) -> ExportReport:
    """Write a ``.spacy`` DocBin; misaligned spans are listed in the report's problems."""
    spacy = _spacy()
    from spacy.tokens import DocBin

    path = Path(out_path)
    docs = load_documents(db, selection)
    curators = curators_of(docs, selection)
    nlp = spacy.blank("en")
    # The 1,000,000-character limit protects the parser's memory; only the
    # tokenizer runs here, and articles may be longer.
    nlp.max_length = max([nlp.max_length, *(len(d.text) + 1 for d in docs)])
    docbin = DocBin(store_user_data=True)
    report = ExportReport(format="spacy", path=path, files=[path])
    for i, item in enumerate(docs, 1):
        doc = nlp.make_doc(item.text)
        names: dict[str, list[dict[str, str]]] = {}
        doc.user_data["heme_curator"] = {"id": item.uid, "title": item.title, "concepts": names}
        groups: dict[str, list[Any]] = {name: [] for name in curators}
        for span in item.spans:
            aligned = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
            if aligned is None:
                report.problems.append(
                    f"{item.uid[:12]} {span.curator}: {span.label} span {span.start}-{span.end} "
                    f"{span.text!r} does not start and end on spaCy token boundaries; left out"
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
        if progress:
            progress(i, len(docs))
    check_loss(report, selection)
    atomic_write_bytes(path, docbin.to_bytes())
    return report
