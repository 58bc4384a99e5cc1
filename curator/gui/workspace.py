"""The state of one curator's session, and the one door to the core for edits.

Widgets never call the core to write: they ask the workspace, which runs the
core function (one committed unit of work), remembers the revision it got
back, and announces the stored result with a signal. The text view, the span
table, the document list and the status bar all redraw from those signals,
so what the screen shows is always what the database holds.
"""

from __future__ import annotations

import contextlib
import html
from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from curator.core import collector
from curator.core.articles import documents
from curator.core.errors import CuratorError, StaleEditError
from curator.core.spans import annotate
from curator.core.spans.live_spans import live_spans
from curator.core.storage.concepts import describe as describe_concepts
from curator.core.storage.db import Database
from curator.core.storage.records import (
    AnySpan,
    DocumentInfo,
    LabelInfo,
    LiveSpan,
    Span,
    SpanSource,
)
from curator.gui.text_view import SpanStyle, Style, ViewSpan


class Workspace(QObject):
    document_opened = Signal(object)  # DocumentInfo
    spans_reset = Signal(list)  # list[LiveSpan] of the open document, in text order
    # (what is stored: a LiveSpan, or the Span of a deletion, which has deleted_at;
    #  the LiveSpan it replaces, or None): views keep no uid map of their own.
    span_changed = Signal(object, object)
    document_row_changed = Signal(str)  # document uid whose status was set
    document_edited = Signal(str)  # document uid where a span was just edited
    curator_changed = Signal(str)
    labels_changed = Signal()  # the label set was edited; spans were reloaded
    saved = Signal(str)  # what was just committed, for the status bar
    failed = Signal(str)  # a user-facing error message

    def __init__(self, db: Database, curator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.curator = curator
        # The labels to tag with (retired ones left out), and every label by
        # name for drawing spans; both kept as the same objects when reloaded.
        self.labels: list[LabelInfo] = []
        self.label_by_name: dict[str, LabelInfo] = {}
        self.document: DocumentInfo | None = None
        self._source: SpanSource | None = None  # shared by every span of the open document
        self.spans: dict[str, LiveSpan] = {}
        self.label_counts: Counter[str] = Counter()  # live spans per label, kept per edit
        self.unlinked = 0  # live spans without a concept, kept per edit
        self._styles: dict[tuple[object, ...], Style] = {}  # shared by many spans
        self._read_labels()
        # Revisions of every span this session touched, in any document, so
        # that undo after switching documents still edits from the right one.
        # (Spans of the open document carry their own: no copy of 20,000.)
        self._revisions: dict[str, int] = {}
        self.undo_stack = QUndoStack(self)

    # -- reading ---------------------------------------------------------
    def _read_labels(self) -> None:
        every = annotate.list_labels(self.db)
        self.labels[:] = [label for label in every if not label.retired]
        self.label_by_name.clear()
        self.label_by_name.update((label.name, label) for label in every)
        self._styles.clear()

    def reload_labels(self) -> None:
        """The label set changed (Settings > Labels): new names, colours, keys."""
        self._read_labels()
        self.reload()  # the spans carry label names: read them afresh
        self.labels_changed.emit()

    def open_document(self, uid: str) -> None:
        if self.document is not None and self.document.uid == uid:
            return
        with collector.paused():
            self.document = documents.get_document(self.db, uid)
            self._load_spans()
            self.document_opened.emit(self.document)
            self.spans_reset.emit(list(self.spans.values()))
        # Remembered for the next start once the article is on screen: a
        # committed write (an fsync) that the first frame need not wait for.
        curator = self.curator
        QTimer.singleShot(0, self, lambda: self._mark_opened(uid, curator))

    def _mark_opened(self, uid: str, curator: str) -> None:
        """Best effort: it only picks the article the next start opens, and it runs
        after the fact, so a failure (the database locked or gone) is no dialog."""
        with contextlib.suppress(CuratorError):
            documents.mark_opened(self.db, uid, curator)

    def reload(self) -> None:
        """Re-read the open document's spans (after a conflict or a merge)."""
        if self.document is not None:
            with collector.paused():
                self._load_spans()
                self.spans_reset.emit(list(self.spans.values()))

    def _load_spans(self) -> None:
        assert self.document is not None
        doc = self.document
        self._source = SpanSource(doc.uid, self.curator, doc.text)
        loaded = live_spans(self.db, self._source)
        self.spans = {s.uid: s for s in loaded}
        self.label_counts = Counter(s.label for s in loaded)
        self.unlinked = sum(1 for s in loaded if not s.concepts)
        touched = self._revisions
        for s in loaded:
            if s.uid in touched:
                touched[s.uid] = s.revision

    def set_curator(self, name: str) -> None:
        self.curator = name
        self.undo_stack.clear()
        self._revisions.clear()
        self.curator_changed.emit(name)
        if self.document is not None:
            with collector.paused():
                self._load_spans()
                self.spans_reset.emit(list(self.spans.values()))

    def span(self, uid: str) -> LiveSpan | None:
        """The open document's live span *uid*, if it has one."""
        return self.spans.get(uid)

    def revision(self, uid: str) -> int | None:
        span = self.spans.get(uid)
        return span.revision if span is not None else self._revisions.get(uid)

    # -- writing -----------------------------------------------------------
    def run(self, action: Callable[[], Span | Sequence[Span]], message: str) -> bool:
        """Run one core edit; on success publish what was stored, else report why."""
        try:
            result = action()
        except StaleEditError as exc:
            self.reload()
            self.failed.emit(str(exc))
            return False
        except CuratorError as exc:
            self.failed.emit(str(exc))
            return False
        stored = [result] if isinstance(result, Span) else list(result)
        for span in stored:
            self._publish(span)
        self.saved.emit(message)
        return True

    def _publish(self, span: Span) -> None:
        self._revisions[span.uid] = span.revision
        if self.document is None or span.document_uid != self.document.uid:
            # An undo reaching into another document: show it where it happens.
            self.open_document(span.document_uid)
        else:
            old = self.spans.pop(span.uid, None)
            if old is not None:
                self.label_counts[old.label] -= 1
                self.unlinked -= not old.concepts
            shown: AnySpan = span
            if not span.deleted:
                assert self._source is not None
                shown = self.spans[span.uid] = LiveSpan.of(span, self._source)
                self.label_counts[span.label] += 1
                self.unlinked += not span.concepts
            self.span_changed.emit(shown, old)
        self.document_edited.emit(span.document_uid)

    def written_elsewhere(self, spans: Sequence[Span]) -> None:
        """Spans just written in documents that are not open (annotate all from the
        search): their revisions kept for undo, each document's row told."""
        for span in spans:
            self._revisions[span.uid] = span.revision
        for uid in dict.fromkeys(span.document_uid for span in spans):
            self.document_edited.emit(uid)

    def set_status(self, status: str) -> None:
        if self.document is None:
            return
        try:
            documents.set_status(self.db, self.document.uid, self.curator, status)
        except CuratorError as exc:
            self.failed.emit(str(exc))
            return
        self.document_row_changed.emit(self.document.uid)
        title = shorten(self.document.title, 40)
        self.saved.emit(f"marked “{title}” {status.replace('_', ' ')}")

    # -- presentation --------------------------------------------------------
    def span_style(self, span: AnySpan | ViewSpan) -> SpanStyle:
        """How the text view draws *span*; spans without a note share one style object.

        Marks that are not stored spans (pending suggestions) carry their own style.
        """
        if isinstance(span, ViewSpan):
            return span
        key = (span.label, span.curator, span.origin, span.note, span.concepts)
        style = self._styles.get(key)
        if style is not None:
            return style
        label = self.label_by_name.get(span.label)
        tip = f"<b>{html.escape(span.label)}</b> · {html.escape(span.curator)}"
        if span.origin != "manual":
            tip += f" · {html.escape(span.origin)}"
        if span.concepts:
            tip += f"<br>{html.escape(describe_concepts(span.concepts))}"
        if span.note:
            note = html.escape(span.note).replace("\n", "<br>")
            tip += f"<br><i>{note}</i>"
        name = span.label
        if label is not None and label.retired:
            tip += " · <i>retired label</i>"
            name += " (retired)"
        color = "#777777" if label is None or label.retired else label.color
        style = Style(color, tip, noted=bool(span.note), label=name)
        if not span.note:  # notes are rare and mostly unique: not worth keeping
            self._styles[key] = style
        return style

    def view_span(self, span: AnySpan) -> ViewSpan:
        style = self.span_style(span)
        return ViewSpan(span.uid, span.start, span.end, style.color, span.label, style.tooltip)


def shorten(text: str, limit: int) -> str:
    """*text* on one line, at most *limit* characters: its start and end, an ellipsis
    between, so a message quoting it still has room to say how it ended."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return f"{text[:head].rstrip()} … {text[len(text) - (limit - 1 - head) :].lstrip()}"


def describe(span: AnySpan, limit: int = 40) -> str:
    """A span as the status bar and the undo menu name it: label “quote”."""
    quote = " ".join(span.text.split())
    if len(quote) > limit:
        quote = quote[: limit - 1] + "…"
    return f"{span.label} “{quote}”"
