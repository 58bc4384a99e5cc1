"""Opening an article runs no garbage collection in its middle; the collector is left as it was."""

from __future__ import annotations

import gc
import re

import pytest

from curator.core.articles import documents
from curator.core.collector import paused
from curator.core.spans.annotate import NewSpan, add_spans
from curator.gui.main_window import MainWindow


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer opening is still making its records
    assert gc.isenabled()
    with pytest.raises(ValueError, match="bad"), paused():
        raise ValueError("bad")
    assert gc.isenabled()


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_opening_an_article_collects_nothing_while_it_reads_and_fills(
    window: MainWindow,
) -> None:
    uids = [d.uid for d in documents.list_documents(window.ws.db)]
    other = next(uid for uid in uids if window.ws.document is None or uid != window.ws.document.uid)
    text = documents.get_document(window.ws.db, other).text
    words = [m.span() for m in re.finditer(r"\w+", text)]
    labels = ("therapy", "target", "outcome", "expert")
    spans = [NewSpan(a, b, label) for a, b in words for label in labels]
    assert len(spans) > 1000  # records enough for a collection without the pause
    add_spans(window.ws.db, other, window.ws.curator, spans)
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    filled: list[list[int]] = []  # the collections so far, once the widgets have the spans
    window.ws.spans_reset.connect(lambda _spans: filled.append(list(collections)))
    gc.callbacks.append(seen)
    try:
        window.ws.open_document(other)
    finally:
        gc.callbacks.remove(seen)
    assert window.ws.document is not None and window.ws.document.uid == other
    assert len(window.ws.spans) == len(spans)
    assert filled == [[]]  # none while the records were read and handed to the widgets
    assert gc.isenabled()
