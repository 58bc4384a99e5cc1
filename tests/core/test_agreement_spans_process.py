"""A second process reading half the spans: the same columns and report, whatever it does.

The child (:mod:`curator.core.agreement.spans_process`) reads the later half
of the span ids in the command's snapshot. Killed before it is asked, killed
while it reads, left unpinned, or meeting a span it cannot pack, the command
reads what it did not and gives the same report as alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3

import pytest
from sqlalchemy import select

from curator.core.agreement import spans_process
from curator.core.agreement.data import _packed, _pinned, _selected, agreement_report
from curator.core.agreement.spans_process import SpansProcess, helper_for
from curator.core.spans.annotate import NewSpan, add_spans
from curator.core.storage.db import Database
from curator.core.storage.models import Curator
from tests.core.storage_helpers import add_documents

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the child is started on POSIX only")

TEXT = "Ruxolitinib (a JAK1/2 inhibitor) lowered CD19 in most patients; others relapsed."


class _KilledWhileReading(SpansProcess):
    """A child that dies once asked for its half, before it answers.

    Stopped first, so that the query reaches it and it has no time to answer.
    """

    def read(self, query: str) -> bool:
        os.kill(self.child.pid, signal.SIGSTOP)
        asked = super().read(query)
        self.child.kill()
        self.child.wait()
        return asked


def _spans(db: Database) -> None:
    docs = add_documents(db, TEXT, TEXT + " Again.", "Nothing here but " + TEXT)
    for i, uid in enumerate(docs):
        for name in ("alice", "bob"):
            spans = [NewSpan(s, s + 11, "therapy") for s in range(0, 40, 4 + i)]
            spans += [NewSpan(15, 21, "target"), NewSpan(42, 46 + i, "outcome")]
            add_spans(db, uid, name, spans[: len(spans) - (name == "bob")])


def _columns(db: Database, helper: SpansProcess | None) -> list[list[int]] | None:
    with db.read() as session:
        with _pinned(db, helper):
            session.execute(select(Curator.id)).all()  # the snapshot begins
        packed = _packed(session, [1, 2], helper)
        return None if packed is None else [c.tolist() for c in packed]


def _plain(db: Database) -> list[list[int]]:
    with db.read() as session:
        return [c.tolist() for c in _selected(session, [1, 2])]


def _started(db: Database, kind: type[SpansProcess] = SpansProcess) -> SpansProcess:
    assert db.path is not None
    helper = kind.start(db.path)
    assert helper is not None
    return helper


def test_the_childs_half_completes_the_columns(db: Database) -> None:
    _spans(db)
    helper = _started(db)
    try:
        assert _columns(db, helper) == _plain(db)
        assert helper.pinned and helper.asked
        assert helper.child.wait(10) == 0
    finally:
        helper.close()


@pytest.mark.parametrize("when", ["before it is asked", "while it reads"])
def test_a_killed_child_costs_nothing(db: Database, when: str) -> None:
    _spans(db)
    kind = _KilledWhileReading if when == "while it reads" else SpansProcess
    helper = _started(db, kind)
    try:
        if when == "before it is asked":
            helper.child.kill()
            helper.child.wait()
        assert _columns(db, helper) == _plain(db)
        assert helper.child.returncode == -signal.SIGKILL
        assert helper.asked == (when == "while it reads")
    finally:
        helper.close()


def test_a_child_left_unpinned_is_not_used(db: Database) -> None:
    """Another program writing: no moment without commits, so the command reads alone."""
    _spans(db)
    assert db.path is not None
    helper = _started(db)
    writer = sqlite3.connect(db.path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        assert _columns(db, helper) == _plain(db)
        assert not helper.pinned and not helper.asked
    finally:
        writer.close()
        helper.close()


def test_a_span_the_child_cannot_pack_sends_the_read_to_two_integers(db: Database) -> None:
    _spans(db)
    assert db.path is not None
    with contextlib.closing(sqlite3.connect(db.path)) as conn, conn:
        (last,) = conn.execute("SELECT max(id) FROM annotation").fetchone()
        conn.execute(f'UPDATE annotation SET start = start + {2**28}, "end" = "end" + {2**28} '
                     f"WHERE id = {last}")  # fmt: skip
    helper = _started(db)
    try:
        assert _columns(db, helper) == _plain(db)
        assert helper.child.wait(10) == 0
    finally:
        helper.close()


def test_the_report_with_a_second_process_is_the_report_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spans(db)
    alone = agreement_report(db)
    monkeypatch.setattr(spans_process, "core_to_spare", lambda: True)
    monkeypatch.setattr(spans_process, "HELPED_FROM_BYTES", 0)
    with helper_for(db) as helper:
        assert helper is not None
        assert agreement_report(db, helper=helper) == alone
        assert helper.asked
        assert helper.child.wait(10) == 0  # it read its half
    assert helper.child.stdout is not None and helper.child.stdout.closed


def test_no_second_process_for_a_small_file_or_a_busy_machine(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with helper_for(db) as helper:
        assert helper is None  # far below HELPED_FROM_BYTES
    monkeypatch.setattr(spans_process, "HELPED_FROM_BYTES", 0)
    monkeypatch.setattr(spans_process, "core_to_spare", lambda: False)
    with helper_for(db) as helper:
        assert helper is None
