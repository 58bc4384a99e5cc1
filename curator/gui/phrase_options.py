"""The options row of both annotate-all dialogs: the label, by its key, and how to match.

“Tag “PHRASE” as [label]  … ☑ Whole words only ☐ Match case”. A label's
key (1–4) pressed anywhere in the dialog chooses it, as in the article; the
row starts on *default* or on no label at all, so the curator is asked
rather than given the last label used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from curator.core.storage.records import LabelInfo
from curator.gui import plain_text
from curator.gui.label_bar import swatch


class PhraseOptions(QWidget):
    """The caption, the label box with its keys, Whole words only and Match case."""

    def __init__(
        self,
        labels: Sequence[LabelInfo],
        default: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.caption = plain_text.label()
        self.label_box = QComboBox()
        self.label_box.setPlaceholderText("choose a label (1–4)")
        for label in labels:
            shown = f"{label.shortcut}  {label.name}" if label.shortcut else label.name
            self.label_box.addItem(swatch(label.color), shown, label.name)
            if label.shortcut:
                key = QShortcut(QKeySequence(label.shortcut), self)  # the dialog's window
                key.activated.connect(self._chooser(label.name))
        self.choose(default)
        self.whole_words = QCheckBox("Whole words only")
        self.whole_words.setChecked(True)
        self.case = QCheckBox("Match case")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)  # lines up with the dialog's other rows
        row.addWidget(self.caption)
        row.addWidget(self.label_box)
        row.addStretch(1)
        row.addWidget(self.whole_words)
        row.addWidget(self.case)

    def _chooser(self, name: str) -> Callable[[], None]:
        return lambda: self.choose(name)

    def choose(self, name: str | None) -> None:
        """Make *name* the label (None: no label chosen)."""
        self.label_box.setCurrentIndex(-1 if name is None else self.label_box.findData(name))

    @property
    def label(self) -> str:
        """The chosen label's name ("" while none is chosen)."""
        data = self.label_box.currentData()
        return str(data) if data is not None else ""

    def set_phrase(self, phrase: str) -> None:
        self.caption.setText(f"Tag “{phrase}” as")
