"""What an import of one span file did: counts, labels it added, what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from curator.core.wording import counted


@dataclass
class ImportReport:
    path: Path
    lines: int = 0
    documents_added: int = 0
    documents_present: int = 0
    spans_added: int = 0
    spans_updated: int = 0
    spans_unchanged: int = 0
    labels_added: list[str] = field(default_factory=list)
    labels_merged: list[str] = field(default_factory=list)
    """What the label file beside a JSONL changed in the label set (``labels_file``)."""
    dropped: list[str] = field(default_factory=list)
    """What the file held that the app cannot (only with --allow-loss), by file and line."""
    skipped: list[str] = field(default_factory=list)
    """Documents left out with --skip-bad-documents, by id and the line of the problem."""
    suggestions_added: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0
    format: str = "jsonl"
    unit: str = "lines"
    """What ``lines`` counts: JSONL lines, or the documents of an XML file."""

    def summary(self) -> str:
        text = (
            f"{self.path}: {counted(self.lines, self.unit.removesuffix('s'))}, "
            f"{counted(self.documents_added, 'document')} added, "
            f"{self.documents_present} already present; {counted(self.spans_added, 'span')} added, "
            f"{self.spans_updated} updated, {self.spans_unchanged} unchanged"
        )
        if self.relations_added or self.relations_updated or self.relations_unchanged:
            text += (
                f"; {counted(self.relations_added, 'relation')} added, "
                f"{self.relations_updated} updated, {self.relations_unchanged} unchanged"
            )
        if self.suggestions_added:
            text += f"; {counted(self.suggestions_added, 'suggestion')} added"
        if self.labels_added:
            text += f"; new labels: {', '.join(self.labels_added)}"
        if self.labels_merged:
            text += f"; label set: {', '.join(self.labels_merged)}"
        if self.dropped:
            text += f"; {counted(len(self.dropped), 'item')} left out (allowed)"
        if self.skipped:
            text += f"; {counted(len(self.skipped), 'document')} skipped"
        return text
