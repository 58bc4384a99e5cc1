"""The relations of the open document, kept beside the workspace's spans.

Like the workspace for spans, this is the one door to the core for relation
edits: it runs the core function (one committed unit of work), remembers the
revision it got back and announces the stored result, so the table and the
marks in the text always show what the database holds. Span edits reach the
relations through the workspace's signals: deleting a span tombstones its
relations in the core, and restoring it brings them back, so the relations
are read again whenever a span that ends one changes or comes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from curator.core import relations as core
from curator.core.errors import CuratorError, StaleEditError
from curator.core.storage.records import AnySpan, LiveSpan, RelationRecord, RelationTypeInfo
from curator.gui.workspace import Workspace


class RelationState(QObject):
    reset = Signal()  # the open document's relations were read afresh
    # (the relation as stored: deleted_at set when it is gone; what it replaces, or None)
    changed = Signal(object, object)

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.types: list[RelationTypeInfo] = core.list_relation_types(ws.db)
        self.type_by_name = {t.name: t for t in self.types}
        self.relations: dict[str, RelationRecord] = {}  # live, both ends live, by uid
        self.by_span: dict[str, set[str]] = {}  # span uid -> uids of its live relations
        # Revisions of every relation this session touched, for undo in any document.
        self._revisions: dict[str, int] = {}
        ws.spans_reset.connect(lambda _spans: self.reload())
        ws.span_changed.connect(self._on_span_changed)

    # -- reading ---------------------------------------------------------
    def reload(self) -> None:
        doc, spans = self.ws.document, self.ws.spans
        self.relations.clear()
        self.by_span.clear()
        if doc is not None:
            for rec in core.relations_for(self.ws.db, doc.uid, self.ws.curator):
                if rec.head in spans and rec.tail in spans:
                    self._keep(rec)
                    self._revisions[rec.uid] = rec.revision
        self.reset.emit()

    def _keep(self, rec: RelationRecord) -> None:
        self.relations[rec.uid] = rec
        self.by_span.setdefault(rec.head, set()).add(rec.uid)
        self.by_span.setdefault(rec.tail, set()).add(rec.uid)

    def _drop(self, rec: RelationRecord) -> None:
        self.relations.pop(rec.uid, None)
        for end in (rec.head, rec.tail):
            uids = self.by_span.get(end)
            if uids is not None:
                uids.discard(rec.uid)
                if not uids:
                    del self.by_span[end]

    def _on_span_changed(self, span: AnySpan, old: LiveSpan | None) -> None:
        # A deleted end took its relations with it; a restored span (a live
        # span that was not shown, past its first revision) may bring some back.
        if span.uid in self.by_span or (old is None and not span.deleted and span.revision > 1):
            self.reload()

    def of_span(self, uid: str) -> list[RelationRecord]:
        """The live relations *uid* ends, in the order they were made."""
        found = [self.relations[u] for u in self.by_span.get(uid, ())]
        return sorted(found, key=lambda r: (r.created_at, r.uid))

    def revision(self, uid: str) -> int | None:
        rec = self.relations.get(uid)
        return rec.revision if rec is not None else self._revisions.get(uid)

    # -- writing -----------------------------------------------------------
    def run(self, action: Callable[[], RelationRecord], message: str) -> RelationRecord | None:
        """Run one core edit; on success publish what was stored, else report why."""
        try:
            stored = action()
        except StaleEditError as exc:
            self.reload()
            self.ws.failed.emit(str(exc))
            return None
        except CuratorError as exc:
            self.ws.failed.emit(str(exc))
            return None
        self._publish(stored)
        self.ws.saved.emit(message)
        return stored

    def _publish(self, rec: RelationRecord) -> None:
        self._revisions[rec.uid] = rec.revision
        doc = self.ws.document
        if doc is None or rec.document_uid != doc.uid:
            self.ws.open_document(rec.document_uid)  # an undo reaching into another document
            return
        old = self.relations.get(rec.uid)
        if old is not None:
            self._drop(old)
        spans = self.ws.spans
        if not rec.deleted and rec.head in spans and rec.tail in spans:
            self._keep(rec)
        self.changed.emit(rec, old)
