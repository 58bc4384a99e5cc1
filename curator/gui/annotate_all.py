"""“Annotate all occurrences”: tag every other place a phrase occurs, after a look.

The dialog lists each occurrence in its context with a checkbox, so the
curator can leave out the ones that mean something else; occurrences that
already carry a span with the chosen label are shown but not offered.
The label is the selected span's, else the curator chooses one (a label key
1–4 works in the dialog as in the article): never silently the last one used.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from curator.core.spans.boundaries import occurrences
from curator.core.storage.records import AnySpan, LabelInfo
from curator.gui import plain_text
from curator.gui.phrase_options import PhraseOptions

CONTEXT = 40


def context_line(text: str, start: int, end: int) -> str:
    before = " ".join(text[max(0, start - CONTEXT) : start].split())
    after = " ".join(text[end : end + CONTEXT].split())
    return f"…{before} [{' '.join(text[start:end].split())}] {after}…"


class AnnotateAllDialog(QDialog):
    def __init__(
        self,
        text: str,
        phrase: str,
        labels: list[LabelInfo],
        existing: Iterable[AnySpan],
        *,
        default_label: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotateAllDialog")
        self.setWindowTitle("Annotate all occurrences")
        self.resize(640, 420)
        self.text = text
        self.existing = {(s.start, s.end, s.label) for s in existing}
        self.row = PhraseOptions(labels, default_label)
        self.row.set_phrase(phrase)
        self.label_box, self.whole_words, self.case = (
            self.row.label_box,
            self.row.whole_words,
            self.row.case,
        )
        self.summary = plain_text.label()
        self.list = QListWidget()
        self.list.setObjectName("occurrenceList")
        # Each line fits the dialog (ending in "…"), no sideways scrolling.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.phrase = phrase
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Annotate")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.row)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        for signal in (
            self.label_box.currentIndexChanged,
            self.whole_words.toggled,
            self.case.toggled,
        ):
            signal.connect(self.refresh)
        self.refresh()

    @property
    def label(self) -> str:
        """The chosen label's name ("" while none is chosen)."""
        return self.row.label

    def refresh(self) -> None:
        self.list.clear()
        found = occurrences(
            self.text,
            self.phrase,
            case_sensitive=self.case.isChecked(),
            whole_word=self.whole_words.isChecked(),
        )
        offered = 0
        for start, end in found:
            item = QListWidgetItem(context_line(self.text, start, end))
            item.setData(Qt.ItemDataRole.UserRole, (start, end))
            if (start, end, self.label) in self.existing:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setText("already tagged: " + item.text())
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                offered += 1
            self.list.addItem(item)
        already = len(found) - offered
        self.summary.setText(
            f"{len(found)} occurrences; {offered} to tag"
            + (f", {already} already tagged as {self.label}" if already else "")
            + ("" if self.label else ": choose a label (keys 1–4)")
        )
        self.ok_button.setEnabled(offered > 0 and bool(self.label))

    def chosen(self) -> list[tuple[int, int]]:
        """The occurrences left checked, in text order."""
        result = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if (
                item.checkState() == Qt.CheckState.Checked
                and item.flags() != Qt.ItemFlag.NoItemFlags
            ):
                start, end = item.data(Qt.ItemDataRole.UserRole)
                result.append((start, end))
        return result
