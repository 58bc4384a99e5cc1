"""The keyboard flow that links the selected span to another: R, Tab, Enter.

R on a selected span starts it; Tab / Shift+Tab move through the spans the
rules allow as targets (the nearest first, then on in reading order); Enter
links with the only type the rules allow for the pair, or a type's key
(``a`` acts_on, ``o`` has_outcome, ``r`` reports) picks the type; Escape
cancels. The status bar says at each step what the keys will do.

While the flow runs it takes those keys before any shortcut (a filter on the
application claims their ShortcutOverride, so Tab does not step through
suggestions and ``a`` does not accept one); any other key or a click ends the
flow and then does what it always does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from curator.core.storage.records import LiveSpan, RelationTypeInfo
from curator.gui.editing import SpanEditor
from curator.gui.relations import commands
from curator.gui.relations.candidates import Targets, candidate_tails, describe_rules, nearest
from curator.gui.relations.overlay import RelationOverlay
from curator.gui.relations.state import RelationState
from curator.gui.workspace import describe

_MODIFIER_KEYS = frozenset(
    (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr)
)
_NONE = Targets([], {}, {})  # no flow running: no targets
_CHORD = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class RelationFlow(QObject):
    status = Signal(str)  # what the keys do now: shown until the next step
    hint = Signal(str)  # how the flow ended without saving, or why it could not start

    def __init__(
        self,
        state: RelationState,
        editor: SpanEditor,
        overlay: RelationOverlay,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.editor, self.overlay = state, editor, overlay
        self.head: LiveSpan | None = None
        self.candidates = _NONE
        self.current: int | None = None  # index into candidates: the target shown

    @property
    def active(self) -> bool:
        return self.head is not None

    # -- steps -------------------------------------------------------------
    def start(self) -> None:
        """R: begin a relation from the selected span."""
        if self.active:
            self.cancel()
            return
        head = self.editor.selected()
        if head is None:
            self.hint.emit("Click a span (or tag one) before pressing R to relate it to another")
            return
        state = self.state
        spans = state.ws.spans.values()
        taken = [(r.type, r.tail) for r in state.of_span(head.uid) if r.head == head.uid]
        self.candidates = candidate_tails(head, spans, state.types, taken)
        if not self.candidates:
            self.hint.emit(
                f"No span here can be the target of a relation from {describe(head)}: "
                f"the rules allow {describe_rules(state.types, head.label)}"
            )
            return
        self.head, self.current = head, None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.overlay.set_pending(head.uid, None)
        self.status.emit(
            f"Relation from {_quote(head.text, 24)}: Tab to choose the target, "
            "Enter to link, Esc to cancel"
        )

    def step(self, direction: int) -> None:
        """Tab / Shift+Tab: the next or previous allowed target."""
        head, cands = self.head, self.candidates
        assert head is not None
        if self.current is None:
            self.current = nearest(cands, head, before=direction < 0)
        else:
            self.current = (self.current + direction) % len(cands)
        chosen = cands[self.current]
        self.overlay.set_pending(head.uid, chosen.span.uid, _color(chosen.types))
        self.editor.view.select_range(chosen.span.start, chosen.span.start)  # scrolled to
        self.editor.view.set_selected_span(head.uid)
        # Short enough for the status bar of a small window: the head is outlined.
        position = f"{self.current + 1} of {len(cands)}"
        tail = self.state.ws.spans[chosen.span.uid]
        self.status.emit(
            f"Link to {describe(tail, 24)} ({position})? {_how(chosen.types, short=True)} · "
            "Tab: next · Esc: cancel"
        )

    def confirm(self, key: str | None = None) -> None:
        """Enter (*key* None) or a type's key: link the head to the target shown."""
        if self.current is None:
            self.status.emit("Tab to choose the target first, or Esc to cancel")
            return
        chosen, head = self.candidates[self.current], self.head
        assert head is not None
        if key is None:
            if len(chosen.types) > 1:
                self.status.emit(f"Several types fit: {_how(chosen.types)}")
                return
            kind = chosen.types[0]
        else:
            found = [t for t in chosen.types if (t.shortcut or "").lower() == key]
            if not found:
                tail = self.state.ws.spans[chosen.span.uid]
                named = next((t.name for t in self.state.types if t.shortcut == key), key)
                self.status.emit(
                    f"{named} does not link {head.label} to {tail.label}: {_how(chosen.types)}"
                )
                return
            kind = found[0]
        tail_uid = chosen.span.uid
        self._finish()
        stored = commands.add_relation(self.state, kind.name, head.uid, tail_uid)
        self.editor.view.set_selected_span(head.uid)
        if stored is not None:
            self.overlay.set_focus(stored.uid)

    def cancel(self, message: str = "Relation cancelled: nothing saved") -> None:
        if self.active:
            self._finish()
            self.hint.emit(message)

    def _finish(self) -> None:
        self.head, self.candidates, self.current = None, _NONE, None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.overlay.set_pending(None, None)

    # -- keys ----------------------------------------------------------------
    def _type_keys(self) -> set[str]:
        return {t.shortcut.lower() for t in self.state.types if t.shortcut}

    def _action_of(self, event: QKeyEvent) -> str | None:
        """What a key does in the flow: "next", "previous", "link", "cancel", a type key."""
        key, mods = event.key(), event.modifiers()
        if mods & _CHORD:
            return None
        if key == Qt.Key.Key_Tab:
            return "previous" if mods & Qt.KeyboardModifier.ShiftModifier else "next"
        if key == Qt.Key.Key_Backtab:
            return "previous"
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "link"
        if key == Qt.Key.Key_Escape:
            return "cancel"
        text = event.text().lower()
        return f"type:{text}" if text and text in self._type_keys() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self.cancel()
            return False
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIER_KEYS:
            return False
        action = self._action_of(event)
        if action is None:  # another key: the flow ends, the key does its usual work
            self.cancel()
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            self._do(action)
        return True

    def _do(self, action: str) -> None:
        if action == "next":
            self.step(1)
        elif action == "previous":
            self.step(-1)
        elif action == "link":
            self.confirm()
        elif action == "cancel":
            self.cancel()
        else:
            self.confirm(action.removeprefix("type:"))


def _how(types: tuple[RelationTypeInfo, ...], *, short: bool = False) -> str:
    """The keys that link a pair: Enter for the only type, else each type's key."""
    if len(types) == 1:
        return f"Enter: {types[0].name}" if short else f"Enter to link as {types[0].name}"
    keys = [f"{t.shortcut}: {t.name}" if short else f"{t.shortcut} for {t.name}"
            for t in types if t.shortcut]  # fmt: skip
    return " · ".join(keys) if short else "press " + " or ".join(keys)


def _quote(text: str, limit: int) -> str:
    """A span's text in quotes on one line, cut with an ellipsis past *limit*."""
    quote = " ".join(text.split())
    return f"“{quote[: limit - 1]}…”" if len(quote) > limit else f"“{quote}”"


def _color(types: tuple[RelationTypeInfo, ...]) -> str:
    return types[0].color if len(types) == 1 else "#555555"
