"""Team mode: one PostgreSQL database, every command, the app, curators writing at once.

The server is real (``pg_url`` starts one from the machine's initdb/pg_ctl).
Stale edits are refused on both back ends the same way: the revision check
in ``curator.core.spans.annotate`` and, in the app, a message and a reload.
"""

from __future__ import annotations

import json
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.core.articles import corpus, documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.records import Span
from curator.gui.main_window import MainWindow
from tests.gui.helpers import click_span, open_by_title, press
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import DATA, assert_user_error, run_curator
from tests.reliability.processes import Child

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def _populated(url: str) -> Database:
    db = open_database(url)
    migrate.upgrade(db)
    corpus.import_articles(db, [DATA])
    return db


# --- every command --------------------------------------------------------------------


def test_every_command_on_postgres(pg_url: str, tmp_path: Path) -> None:
    result = run_curator("--db", pg_url, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "upgraded from empty" in result.stderr
    result = run_curator("--db", pg_url, "import", str(DATA))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("added") == 4
    result = run_curator("--db", pg_url, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 4
    result = run_curator("--db", pg_url, "list")
    assert result.returncode == 0 and "BCMA" in result.stdout
    result = run_curator("--db", pg_url, "db", "check")
    assert result.returncode == 0, result.stderr
    result = run_curator("--db", pg_url, "db", "backup")
    assert_user_error(result, "pg_dump")
    bad = tmp_path / "figure.txt"
    bad.write_bytes(PNG_HEADER)
    result = run_curator("--db", pg_url, "import", str(DATA), str(bad))
    assert_user_error(result, str(bad), "binary")
    assert len(json.loads(run_curator("--db", pg_url, "list", "--json").stdout)) == 4


def test_the_app_opens_on_postgres(pg_url: str) -> None:
    db = _populated(pg_url)
    db.dispose()
    child = Child([sys.executable, "-m", "tests.reliability.gui_child", pg_url])
    assert child.finish(timeout=120) == 0, child.err
    shown = [json.loads(line) for line in child.out]
    assert shown[-1] == {"returned": 0}, shown
    assert any(item.get("window", "").endswith("— Heme Curator") for item in shown), shown


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    url = "postgresql+psycopg://curator@127.0.0.1:1/nowhere"
    result = run_curator("--db", url, "list")
    assert_user_error(result, "127.0.0.1")


# --- several curators at once -----------------------------------------------------------


def test_curators_writing_at_once_lose_nothing(pg_url: str) -> None:
    """Eight writers (four curators, two windows each) add, relabel and delete at once."""
    setup = _populated(pg_url)
    listed = documents.list_documents(setup)
    docs = {d.uid: documents.get_document(setup, d.uid).text for d in listed}
    setup.dispose()
    results: dict[str, list[Span]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(name: str, curator: str, seed: int) -> None:
        rng = random.Random(seed)
        db = open_database(pg_url)
        mine: list[Span] = []
        try:
            start.wait()
            for _ in range(25):
                uid = rng.choice(sorted(docs))
                a = rng.randrange(len(docs[uid]) - 20)
                span = annotate.add_span(db, uid, curator, NewSpan(a, a + 10, "therapy"))
                if rng.random() < 0.5:
                    span = annotate.relabel_span(db, span.uid, "target", span.revision)
                if rng.random() < 0.2:
                    span = annotate.delete_span(db, span.uid, span.revision)
                mine.append(span)
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.dispose()
            results[name] = mine

    threads = [
        threading.Thread(target=writer, args=(f"{c}-{w}", c, i))
        for i, (c, w) in enumerate((c, w) for c in ("ana", "bo", "chen", "dee") for w in (1, 2))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    db = open_database(pg_url)
    try:
        stored = {
            s.uid: (s.curator, s.label, s.start, s.end, s.revision, s.deleted)
            for uid in docs
            for s in annotate.spans_for(db, uid, include_deleted=True)
        }
        written = {
            s.uid: (s.curator, s.label, s.start, s.end, s.revision, s.deleted)
            for spans in results.values()
            for s in spans
        }
        assert len(written) == 200
        assert stored == written
        status = {d.uid: d.status for d in documents.list_documents(db)}
        curators_per_doc = {uid: {s[0] for s in stored.values()} for uid in docs}
        assert all(set(status[u]) <= curators_per_doc[u] for u in docs)
    finally:
        db.dispose()


# --- a stale edit in the app --------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def team_url(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    if request.param == "postgres":
        yield request.getfixturevalue("pg_url")
    else:
        yield f"sqlite:///{db_path}"


def _window(qtbot, url: str) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(open_database(url), "ana")  # its own engine, like another laptop
    qtbot.addWidget(window)
    open_by_title(window, "BCMA")
    return window


def _activate(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()


def test_a_stale_edit_is_refused_with_a_message_and_the_view_reloads(
    qtbot,  # type: ignore[no-untyped-def]
    team_url: str,
) -> None:
    setup = _populated(team_url)
    doc = next(d for d in documents.list_documents(setup) if "BCMA" in d.title)
    text = documents.get_document(setup, doc.uid).text
    at = text.index("idecabtagene vicleucel")
    span = annotate.add_span(setup, doc.uid, "ana", NewSpan(at, at + 22, "therapy"))
    first, second = _window(qtbot, team_url), _window(qtbot, team_url)

    _activate(qtbot, first)
    click_span(first, span)
    press(first, Qt.Key.Key_2)  # target
    assert annotate.get_span(setup, span.uid).label == "target"

    _activate(qtbot, second)  # still shows the span as therapy, revision 1
    assert second.ws.spans[span.uid].label == "therapy"
    answerer = ModalAnswerer()
    click_span(second, span)
    press(second, Qt.Key.Key_3)  # outcome, based on the stale revision
    qtbot.waitUntil(lambda: answerer.boxes != [], timeout=30_000)
    answerer.stop()

    ((_title, message),) = answerer.boxes
    assert "changed elsewhere" in message and "idecabtagene vicleucel" in message
    stored = annotate.get_span(setup, span.uid)
    assert (stored.label, stored.revision) == ("target", 2)  # the first edit stands
    assert second.ws.spans[span.uid].label == "target"  # the view reloaded
    assert second.view.spans_at(at + 1)[0].label == "target"
    # The curator can now make the edit knowingly, on the current revision.
    _activate(qtbot, second)
    click_span(second, span)
    press(second, Qt.Key.Key_3)
    assert annotate.get_span(setup, span.uid).label == "outcome"
    for window in (first, second):
        window.ws.db.dispose()
    setup.dispose()
