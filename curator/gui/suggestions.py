"""Suggested spans in the workspace: drawn dashed, decided one key at a time.

Suggestions are never annotations: they are not in the workspace's span
list, so counts, the span table and exports ignore them. This module draws
the pending ones in the text view (dashed outline, no fill, uid prefixed
``suggestion:``), moves between them (Tab / Shift+Tab), and accepts (Enter,
A, or a label key to accept under that label) or rejects (X) the selected
one through undoable commands. Suggestions are computed the first time a
curator opens a document, in a thread (:mod:`curator.gui.suggestion_worker`)
so that the article shows and takes edits at once and its suggestions
appear when ready; and again on demand.

Tab visits them in reading order, or, with *Most uncertain first* (Alt+U,
kept in the settings), least confident first: the curator's attention goes
where the suggester is least sure.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from curator.core.errors import CuratorError
from curator.core.storage.records import AnySpan, DocumentInfo
from curator.core.suggest import stored as suggestions
from curator.core.suggest.stored import SuggestionInfo
from curator.gui import plain_text, suggestion_commands
from curator.gui.model_suggestions import LIGHT_INSTALL, ModelSuggestions, can_run
from curator.gui.suggestion_worker import FirstSuggestions
from curator.gui.text_view import SpanTextView, ViewSpan
from curator.gui.workspace import Workspace, shorten

PREFIX = "suggestion:"
ORDER_SETTING = "suggestions/uncertain_first"


class SuggestionPanel(QObject):
    """Owns the pending suggestions of the open document and the keys that decide them."""

    hint = Signal(str)  # what is selected or why a key did nothing, for the status bar
    first_computed = Signal(str)  # document uid whose first suggestions were just drawn

    def __init__(self, ws: Workspace, view: SpanTextView, parent: QWidget) -> None:
        super().__init__(parent)
        self.ws, self.view = ws, view
        self.pending: dict[str, SuggestionInfo] = {}  # view uid -> suggestion, text order
        self._drawn: set[str] = set()
        self._extents: set[tuple[int, int]] = set()  # of every pending suggestion, even hidden
        self.count_label = plain_text.label()
        self.count_label.setObjectName("suggestionCount")
        tip = "Tab: next suggestion, Shift+Tab: previous"
        self.count_label.setToolTip(
            plain_text.tooltip(tip if can_run() else f"{tip}\n{LIGHT_INSTALL}")
        )
        self.model = ModelSuggestions(ws, self.refresh, self.hint.emit, self)
        self.actions: list[QAction] = []
        self._build_actions(parent)
        self.worker = FirstSuggestions(ws.db, self)
        self.worker.done.connect(self._on_first_computed)

    # -- actions -----------------------------------------------------------
    def _build_actions(self, parent: QWidget) -> None:
        # Tab and Enter belong to the article view only: elsewhere they move
        # focus, confirm the find bar or finish a note.
        in_view = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.next_action = self._make(parent, "Next suggestion", ["Tab"], lambda: self.step(1))
        self.prev_action = self._make(
            parent,
            "Previous suggestion",
            ["Shift+Tab", "Backtab", "Shift+Backtab"],
            lambda: self.step(-1),
        )
        self.accept_action = self._make(
            parent, "Accept suggestion", ["Return", "Enter"], self.accept_current
        )
        # "A" accepts too, window-wide like the label keys (one action per key:
        # two active actions on one key would cancel each other out).
        self.accept_letter_action = self._make(
            parent, "Accept suggestion", ["A"], self.accept_current
        )
        self.reject_action = self._make(parent, "Reject suggestion", ["X"], self.reject_current)
        for action in (self.next_action, self.prev_action, self.accept_action):
            action.setShortcutContext(in_view)
            self.view.addAction(action)
        self.order_action = self._make(
            parent, "Most &uncertain first", ["Alt+U"], self._order_changed
        )
        self.order_action.setCheckable(True)
        self.order_action.setChecked(bool(QSettings().value(ORDER_SETTING, False, type=bool)))
        self.order_action.setToolTip(
            "Tab visits the least confident suggestions first (off: reading order)"
        )
        self.again_action = self._make(parent, "Suggest &again", [], self.suggest_again)
        self.accept_label_actions = [
            self._make(parent, f"Accept all suggested {label.name}", [], self._all_slot(label.name))
            for label in self.ws.labels
        ]

    def _make(
        self, parent: QWidget, text: str, keys: list[str], slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, parent)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self.actions.append(action)
        return action

    def _all_slot(self, label: str) -> Callable[[], None]:
        return lambda: self.accept_all(label)

    def fill_menu(self, menu: QMenu, window: QWidget) -> None:
        """Menu entries; the window-wide keys (A, X) also work outside the view."""
        for action in (self.next_action, self.prev_action, self.accept_action):
            menu.addAction(action)
        menu.addAction(self.reject_action)
        window.addAction(self.reject_action)
        # "A" is also an accept key window-wide (Enter stays with the view).
        accept_letter = QAction(self.accept_action.text(), window)
        accept_letter.setShortcut(QKeySequence("A"))
        accept_letter.triggered.connect(self.accept_current)
        window.addAction(accept_letter)
        menu.addSeparator()
        for action in self.accept_label_actions:
            menu.addAction(action)
        menu.addAction(self.again_action)
        menu.addSeparator()
        menu.addAction(self.order_action)
        window.addAction(self.order_action)

    def wire(self) -> None:
        """Connect after the main window's own handlers, so drawing comes last."""
        self.ws.document_opened.connect(self._on_document_opened)
        self.ws.curator_changed.connect(lambda _name: self._compute_first_time())
        self.ws.spans_reset.connect(lambda _spans: self.refresh(redraw_all=True))
        self.ws.span_changed.connect(self._on_span_changed)
        self.model.wire()  # after the lexicons' first suggestions

    @property
    def uncertain_first(self) -> bool:
        return self.order_action.isChecked()

    def _order_changed(self) -> None:
        QSettings().setValue(ORDER_SETTING, self.uncertain_first)
        order = "most uncertain first" if self.uncertain_first else "in reading order"
        self.hint.emit(f"Tab now visits suggestions {order}")

    def review_order(self) -> list[str]:
        """View uids of the pending suggestions in the order Tab visits them."""
        items = suggestions.review_order(
            self.pending.values(), uncertain_first=self.uncertain_first
        )
        return [f"{PREFIX}{s.id}" for s in items]

    # -- state -------------------------------------------------------------
    def _on_document_opened(self, _doc: DocumentInfo) -> None:
        self._compute_first_time()

    def _compute_first_time(self) -> None:
        """Start once the article is painted: the thread would share the interpreter
        with the opening and its first frame otherwise, and delay both."""
        doc = self.ws.document
        if doc is None:
            return
        try:
            first = suggestions.is_first_open(self.ws.db, doc.uid, self.ws.curator)
        except CuratorError as exc:
            self.ws.failed.emit(f"suggestions could not be computed: {exc}")
            return
        if first:
            self.worker.start_after_paint(self.view.viewport(), doc.uid, self.ws.curator)

    def _on_first_computed(self, uid: str, curator: str, computed: bool, problem: str) -> None:
        self.worker.finished(uid, curator)
        if problem:  # a background task: said in the status bar, no dialog in the way
            self.hint.emit(f"Suggestions could not be computed: {problem}")
            return
        doc = self.ws.document
        if doc is None or doc.uid != uid or self.ws.curator != curator:
            return  # stored for when that document is opened again
        if computed:
            self.refresh()
        self.first_computed.emit(uid)

    def _on_span_changed(self, span: AnySpan, old: AnySpan | None) -> None:
        """A span of a suggestion's extent hides it, and its deletion shows it again:
        re-read the suggestions only then (a query on every key press otherwise)."""
        touched = {(span.start, span.end)}
        if old is not None:
            touched.add((old.start, old.end))
        if touched & self._extents:
            self.refresh()

    def refresh(self, *, redraw_all: bool = False) -> None:
        """Re-read the pending suggestions and bring the view in line with them."""
        doc = self.ws.document
        selected = self.view.selected_span()
        try:
            found = (
                suggestions.pending_suggestions(self.ws.db, doc.uid, self.ws.curator)
                if doc is not None
                else []
            )
            self._extents = (
                suggestions.pending_extents(self.ws.db, doc.uid, self.ws.curator)
                if doc is not None
                else set()
            )
        except CuratorError as exc:
            self.ws.failed.emit(str(exc))
            found = []
        self.pending = {f"{PREFIX}{s.id}": s for s in found}
        if redraw_all:
            self._drawn.clear()
        for uid in self._drawn - self.pending.keys():
            self.view.remove_span(uid)
        for uid, item in self.pending.items():
            if uid not in self._drawn:
                self.view.upsert_span(self._view_span(uid, item))
        self._drawn = set(self.pending)
        if selected and selected.startswith(PREFIX) and selected in self.pending:
            self.view.set_selected_span(selected)
        self._show_count()

    def _view_span(self, uid: str, item: SuggestionInfo) -> ViewSpan:
        label = self.ws.label_by_name.get(item.label)
        color = label.color if label else "#777777"
        tip = (
            f"<b>suggested {html.escape(item.label)}</b> · {html.escape(item.source)}<br>"
            "Enter or A: accept · X: reject · 1–4: accept as that label · Tab: next"
        )
        return ViewSpan(uid, item.start, item.end, color, item.label, tip, dashed=True)

    def _show_count(self) -> None:
        n = len(self.pending)
        self.count_label.setText(
            f"{n} suggestion{'s' if n != 1 else ''} pending" if n else "no suggestions"
        )

    def selected(self) -> SuggestionInfo | None:
        uid = self.view.selected_span()
        return self.pending.get(uid) if uid else None

    def select(self, uid: str) -> bool:
        """Select a clicked suggestion; False when *uid* is not one (an annotation)."""
        if uid not in self.pending:
            return False
        self._show_selected(uid)
        return True

    def _show_selected(self, uid: str) -> None:
        item = self.pending[uid]
        self.view.set_selected_span(uid)
        self.hint.emit(
            # Keys first: on a narrow window the middle is elided, not what to press.
            "Enter/A accept, X reject, 1–4 relabel, Tab next: "
            f"{item.label} “{shorten(item.text, 24)}”"
        )

    # -- keys --------------------------------------------------------------
    def step(self, direction: int) -> None:
        """Select the next (or previous) pending suggestion in the review order."""
        if not self.pending:
            self.hint.emit("No pending suggestions in this document")
            return
        if self.uncertain_first:
            uid = self._step_in_order(direction)
        else:
            uid = self._step_in_text(direction)
        item = self.pending[uid]
        self.view.select_range(item.start, item.start)
        self._show_selected(uid)

    def _step_in_text(self, direction: int) -> str:
        """Reading order, from the selected suggestion or else from the cursor."""
        items = list(self.pending.items())
        current = self.selected()
        if current is not None:
            here = (current.start, current.end, current.id)
        else:
            cursor = self.view.selection_range()[0]
            here = (cursor, -1, -1) if direction > 0 else (cursor, 0, 0)
        keys = [(s.start, s.end, s.id) for _u, s in items]
        if direction > 0:
            later = [i for i, k in enumerate(keys) if k > here]
            index = later[0] if later else 0
        else:
            earlier = [i for i, k in enumerate(keys) if k < here]
            index = earlier[-1] if earlier else len(keys) - 1
        return items[index][0]

    def _step_in_order(self, direction: int) -> str:
        """Confidence order: from the selected suggestion, else from the least confident."""
        order = self.review_order()
        current = self.selected()
        if current is None:
            return order[0] if direction > 0 else order[-1]
        i = order.index(f"{PREFIX}{current.id}")
        return order[(i + direction) % len(order)]

    def accept_current(self, label: str | None = None) -> None:
        item = self.selected()
        if item is None:
            self.hint.emit("Press Tab to select a suggestion, then Enter to accept it")
            return
        following = self._following(item)
        suggestion_commands.accept(self.ws, self.refresh, [item], label)
        self._select_next(following)

    def reject_current(self) -> None:
        item = self.selected()
        if item is None:
            self.hint.emit("Press Tab to select a suggestion, then X to reject it")
            return
        following = self._following(item)
        suggestion_commands.reject(self.ws, self.refresh, item)
        self._select_next(following)

    def apply_label(self, label: str) -> bool:
        """A label key on a selected suggestion accepts it with that label."""
        start, end = self.view.selection_range()
        if start < end or self.selected() is None:
            return False
        self.accept_current(label)
        return True

    def accept_all(self, label: str) -> None:
        items = [s for s in self.pending.values() if s.label == label]
        if not items:
            self.hint.emit(f"No pending {label} suggestions in this document")
            return
        suggestion_commands.accept(self.ws, self.refresh, items)

    def suggest_again(self) -> None:
        doc = self.ws.document
        if doc is None:
            return
        try:
            added = suggestions.compute(self.ws.db, doc.uid, self.ws.curator)
        except CuratorError as exc:
            self.ws.failed.emit(str(exc))
            return
        self.refresh()
        counts = ", ".join(f"{n} {label}" for label, n in added.items())
        self.ws.saved.emit(f"New suggestions: {counts}" if counts else "No new suggestions")

    def _following(self, item: SuggestionInfo) -> str | None:
        """The suggestion after *item* in the review order, to select once *item* is decided."""
        uids = self.review_order()
        i = uids.index(f"{PREFIX}{item.id}")
        rest = uids[i + 1 :] + uids[:i]
        return rest[0] if rest else None

    def _select_next(self, uid: str | None) -> None:
        if uid is not None and uid in self.pending:
            item = self.pending[uid]
            self.view.select_range(item.start, item.start)
            self._show_selected(uid)
