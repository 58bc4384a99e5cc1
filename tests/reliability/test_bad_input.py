"""Bad input, case by case: a clear message naming the file, and not a byte changed.

Each case runs through the surfaces a curator can reach it from: the real
``curator`` command in a child process (exit 1, ``error: ...``, no
traceback) and the app (a dialog, not a crash). The database is compared
byte for byte before and after (see ``helpers`` for why that is sound in WAL
mode). Malformed span files (JSONL, XML entities) are in ``test_bad_spans``
and export names that would leave the chosen folder in ``test_export_paths``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.storage.db import open_database
from curator.gui.main_window import MainWindow
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import (
    DATA,
    REPO,
    as_ordinary_user,
    assert_user_error,
    count,
    curator_cmd,
    fingerprint,
    run_curator,
    settle,
)
from tests.reliability.input_builders import (
    TEXT,
    bioc_document,
    environment,
    own_bioc_document,
    own_line,
    own_span,
    run_main,
    write_bioc,
    write_jsonl,
)
from tests.reliability.processes import Child, lock_holder, release
from tests.reliability.span_files import good_line

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


# --- article files --------------------------------------------------------------------

ArticleCase = Callable[[Path], tuple[Path, list[str]]]


def _binary(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "figure.txt"
    path.write_bytes(PNG_HEADER + bytes(range(256)))
    return path, [str(path), "binary"]


def _not_utf8(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "notes.txt"
    path.write_bytes("Title\nsecond line\ncaf\u00e9 au lait\n".encode("latin-1"))
    return path, [f"{path}:3:", "UTF-8"]


def _empty(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path, [str(path), "empty"]


def _oversized(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "big.txt"  # over the 0.001 MB limit the tests set
    path.write_text("Big article\n" + "ruxolitinib " * 500, encoding="utf-8")
    return path, [str(path), "over the", "limit"]


ARTICLE_CASES: dict[str, ArticleCase] = {
    "binary": _binary,
    "not-utf8": _not_utf8,
    "empty": _empty,
    "oversized": _oversized,
}
SIZE_LIMIT = {"CURATOR_MAX_FILE_MB": "0.001"}


@pytest.mark.parametrize("case", list(ARTICLE_CASES))
def test_bad_article_in_cli(populated: Path, tmp_path: Path, case: str) -> None:
    bad, needles = ARTICLE_CASES[case](tmp_path)
    good = tmp_path / "good.txt"
    good.write_text("A good article\nshort\n", encoding="utf-8")
    before = fingerprint(populated)

    result = run_curator("--db", str(populated), "import", str(good), str(bad), env=SIZE_LIMIT)

    assert_user_error(result, *needles)
    assert fingerprint(populated) == before
    assert count(populated, "SELECT count(*) FROM document") == 4


@pytest.mark.parametrize("case", list(ARTICLE_CASES))
def test_bad_article_in_gui_shows_a_dialog(
    qtbot,  # type: ignore[no-untyped-def]
    populated: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    monkeypatch.setenv("CURATOR_MAX_FILE_MB", SIZE_LIMIT["CURATOR_MAX_FILE_MB"])
    bad, needles = ARTICLE_CASES[case](tmp_path)
    database = open_database(f"sqlite:///{populated}")
    window = MainWindow(database, "tester")  # opening records the last-opened document
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    database.dispose()
    settle(populated)
    before = fingerprint(populated)

    answerer = ModalAnswerer(file=bad)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File > Import
    qtbot.waitUntil(lambda: answerer.boxes != [], timeout=30_000)
    answerer.stop()

    ((title, text),) = answerer.boxes
    assert title == "Import failed — nothing was imported"
    for needle in needles:
        assert needle in text
    assert window.isVisible()
    database.dispose()
    assert fingerprint(populated) == before


# --- databases the app must refuse ----------------------------------------------------


@contextlib.contextmanager
def _newer(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999zzzz'")
        conn.commit()
    settle(path)
    yield [str(path), "newer version", "9999zzzz"], {}


@contextlib.contextmanager
def _not_a_database(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    path.unlink()
    path.write_text("my notes, not a database\n" * 200, encoding="utf-8")
    yield [str(path), "not a Heme Curator database"], {}


@contextlib.contextmanager
def _read_only_file(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    path.chmod(0o444)
    try:
        yield [str(path), "read-only"], {}
    finally:
        path.chmod(0o644)


@contextlib.contextmanager
def _read_only_folder(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    path.parent.chmod(0o555)  # no -wal or -shm file can be made beside it
    try:
        yield [str(path), "read-only"], {}
    finally:
        path.parent.chmod(0o755)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    holder = lock_holder(path)  # another program holds BEGIN EXCLUSIVE
    try:
        yield [str(path), "locked by another program", "0.3 s"], {"CURATOR_BUSY_TIMEOUT_MS": "300"}
    finally:
        release(holder)


DATABASE_CASES = {
    "newer-version": _newer,
    "not-a-database": _not_a_database,
    "read-only-file": _read_only_file,
    "read-only-folder": _read_only_folder,
    "locked": _locked,
}
COMMANDS = {
    "import": ["import", str(DATA / "01_car_t_t_all.txt")],
    "list": ["list"],
    "upgrade": ["db", "upgrade"],
}


def _wal_cleared(path: Path) -> None:
    """A read-only open leaves an empty -wal behind; it carries nothing."""
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(DATABASE_CASES))
def test_bad_database_in_cli(tmp_path: Path, populated: Path, case: str, command: str) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    path = populated.rename(folder / "curator.sqlite")
    with DATABASE_CASES[case](path) as (needles, env):
        before = fingerprint(path)
        result = run_curator(
            "--db", str(path), *COMMANDS[command], env=env, ordinary_user="read-only" in case
        )
        assert_user_error(result, *needles)
        _wal_cleared(path)
    assert fingerprint(path) == before
    assert not (folder / "backups").exists()


@pytest.mark.parametrize("case", list(DATABASE_CASES))
def test_bad_database_in_gui_shows_a_dialog_and_returns_1(
    tmp_path: Path, populated: Path, case: str
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    path = populated.rename(folder / "curator.sqlite")
    with DATABASE_CASES[case](path) as (needles, env):
        before = fingerprint(path)
        cmd = [sys.executable, "-m", "tests.reliability.gui_child", str(path)]
        child = Child(as_ordinary_user(cmd) if "read-only" in case else cmd, env=env)
        assert child.finish(timeout=120) == 0, child.err
        _wal_cleared(path)
    shown = [json.loads(line) for line in child.out]
    assert shown[-1] == {"returned": 1}, shown
    ((box),) = shown[:-1]
    assert box["title"] == "Heme Curator cannot open its database"
    for needle in needles:
        assert needle in box["text"]
    assert not any("Traceback" in line for line in child.err), child.err
    assert fingerprint(path) == before


def test_gui_child_opens_a_good_database(populated: Path) -> None:
    """The harness above can tell success from failure: a good file opens the window."""
    child = Child([sys.executable, "-m", "tests.reliability.gui_child", str(populated)])
    assert child.finish(timeout=120) == 0, child.err
    shown = [json.loads(line) for line in child.out]
    assert shown[-1] == {"returned": 0}
    assert any("window" in item for item in shown)


# --- inputs that would import but could never be written back out ----------------------
#
# Each builder returns the arguments after ``--db DB`` (and the environment) for
# one case, and the pieces the refusal must hold. Run in this process: the
# command is the same code, and a hundred cases stay fast.

InputCase = Callable[[Path], tuple[list[str], dict[str, str], list[str]]]


def _jsonl_case(last: dict[str, Any] | str, *needles: str, add_labels: bool = False) -> InputCase:
    def build(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
        path, line = write_jsonl(folder / "spans.jsonl", last)
        flags = ["--add-labels"] if add_labels else []
        return ["import", *flags, str(path)], {}, [f"{path}:{line}: ", *needles]

    return build


def _bioc_case(document: str, *needles: str, own: bool = False, span: bool = False) -> InputCase:
    def build(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
        path, line = write_bioc(folder / "tool.xml", document, own=own)
        line += span  # the annotation is on the line after its document's
        return ["import", str(path)], {}, [f"{path}:{line}: ", *needles]

    return build


def _name_case(argv: list[str], env: dict[str, str], *needles: str) -> InputCase:
    return lambda folder: (argv, env, list(needles))


def _badly_named(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
    path = folder / "caf\udce9.txt"  # the Latin-1 byte 0xE9: what a non-UTF-8 name decodes to
    path.write_text("An article\nwith a Latin-1 file name\n", encoding="utf-8")
    return ["import", str(path)], {}, ["caf\\xe9.txt", "not valid UTF-8"]


NUL_TEXT = "Ruxolitinib\u0000 targets JAK/STAT.\n"
LONE = "\udfff"
DEEP = "[" * 1000 + "]" * 1000

UNWRITABLE_CASES: dict[str, InputCase] = {
    # lone surrogates, anywhere a string is stored
    "meta-surrogate": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": "\\udfff"}, "spans": []}',
        'meta["k"] holds a lone surrogate (U+DFFF',
    ),
    "meta-key-surrogate": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"\\ud800": 1}, "spans": []}', "lone surrogate"
    ),
    "text-surrogate": _jsonl_case(
        {"text": "Ruxolitinib " + LONE, "spans": []}, "text holds a lone surrogate"
    ),
    "title-surrogate": _jsonl_case(own_line(title="T" + LONE), "title holds a lone surrogate"),
    "label-surrogate": _jsonl_case(
        own_line(span=own_span(label="therapy" + LONE)),
        '["label"] holds a lone surrogate',
        add_labels=True,
    ),
    "note-surrogate": _jsonl_case(own_line(span=own_span(note=LONE)), '["note"] holds a lone'),
    "curator-surrogate": _jsonl_case(own_line(span=own_span(curator="an" + LONE)), "surrogate"),
    "status-name-surrogate": _jsonl_case(own_line(status={LONE: "done"}), "surrogate"),
    "bioc-meta-surrogate": _bioc_case(
        own_bioc_document('{"k": "\\udfff"}'), "the 'meta' infon[\"k\"] holds a lone", own=True
    ),
    "option-curator-surrogate": _name_case(
        ["--curator", "an\udcffa", "list"], {}, "--curator: ", "lone surrogate"
    ),
    "env-curator-surrogate": _name_case(
        ["list"], {"CURATOR_NAME": "an\udcffa"}, "CURATOR_NAME: ", "lone surrogate"
    ),
    "file-name-not-utf8": _badly_named,
    # NaN and Infinity are not JSON
    "meta-nan": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": NaN}, "spans": []}', "NaN, which is not JSON"
    ),
    "meta-infinity": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": [-Infinity]}}', "-Infinity, which is not"
    ),
    "meta-overflowing-float": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": 1e999}}', 'meta["k"] is inf'
    ),
    "bioc-meta-nan": _bioc_case(own_bioc_document('{"k": NaN}'), "NaN", own=True),
    # NUL in names, quotes and text
    "curator-nul": _jsonl_case(own_line(span=own_span(curator="a\u0000na")), "NUL"),
    "label-nul": _jsonl_case(
        {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "the\u0000rapy"}]}, "NUL"
    ),
    "quote-nul": _jsonl_case(
        own_line(NUL_TEXT, own_span(end=12, text="Ruxolitinib\u0000")), "holds a NUL"
    ),
    "option-curator-nul": _name_case(["--curator", "a\u0000na", "list"], {}, "--curator: ", "NUL"),
    # what the parser or the database gave up on with a traceback
    "jsonl-nested-1000": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": ' + DEEP + "}}", "nested too deeply"
    ),
    "meta-nested-101": _jsonl_case(
        {"text": "Ruxolitinib study", "meta": {"k": json.loads("[" * 101 + "]" * 101)}},
        "meta is nested more than 100 levels deep",
    ),
    "bioc-meta-nested-1000": _bioc_case(own_bioc_document(DEEP), "nested too deeply", own=True),
    "integer-4301-digits": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"n": ' + "7" * 4301 + "}}",
        "a number with more than 4300 digits",
    ),
    "revision-2-to-the-63": _jsonl_case(
        own_line(span=own_span(revision=2**63)), "revision must be at most 2147483647"
    ),
    "bioc-revision-2-to-the-63": _bioc_case(
        own_bioc_document(revision=str(2**63)), "revision must be at most", own=True, span=True
    ),
    "updated-at-past-9999": _jsonl_case(
        own_line(span=own_span(updated_at="9999-12-31T23:59:59.999999-05:00")),
        "'updated_at' is out of range in UTC",
    ),
    "created-at-before-year-1": _jsonl_case(
        own_line(span=own_span(created_at="0001-01-01T00:00:00+05:00")),
        "'created_at' is out of range in UTC",
    ),
    "bioc-offset-10-to-the-12": _bioc_case(
        bioc_document(offset="1000000000000"), "the passage offset 1000000000000 is past"
    ),
    # names and labels beyond their columns, blank or holding control characters
    "option-curator-blank": _name_case(
        ["--curator", "   ", "list"], {}, "--curator: ", "cannot be empty"
    ),
    "option-curator-tab": _name_case(["--curator", "a\tb", "list"], {}, "control character U+0009"),
    "option-curator-line-separator": _name_case(
        ["--curator", "a\u2028b", "list"], {}, "line break"
    ),
    "env-curator-escape": _name_case(
        ["list"], {"CURATOR_NAME": "ana\x1b[31m"}, "CURATOR_NAME: ", "U+001B"
    ),
    "label-101-characters": _jsonl_case(
        {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "L" * 101}]},
        "a label can have at most 100 characters, not 101",
        add_labels=True,
    ),
    "label-10-mb": _jsonl_case(
        {"text": TEXT, "label": [[0, 11, "L" * 10_000_000]]},
        "at most 100 characters, not 10,000,000",
        add_labels=True,
    ),
}


@pytest.mark.parametrize("case", list(UNWRITABLE_CASES))
def test_input_no_export_could_write_is_refused(
    populated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    argv, env, needles = UNWRITABLE_CASES[case](tmp_path)
    before = fingerprint(populated)

    with environment(monkeypatch, env):
        code, _, err = run_main("--db", str(populated), *argv)

    assert code == 1, err
    assert err.startswith("error: "), err
    assert len(err) < 1000, err[:1000]  # a 10 MB value is not echoed back
    for needle in needles:
        assert needle in err, (needle, err)
    assert fingerprint(populated) == before


def test_refusals_keep_every_export_working(populated: Path, tmp_path: Path) -> None:
    """After the surrogate line of the report is refused, each export still writes."""
    UNWRITABLE_CASES["meta-surrogate"](tmp_path)
    run_main("--db", str(populated), "import", str(tmp_path / "spans.jsonl"))
    for name in ("out.jsonl", "out.xml"):
        code, _, err = run_main("--db", str(populated), "export", "-o", str(tmp_path / name))
        assert code == 0, err


# --- special files and reads without a bound --------------------------------------------


def _memory_capped(cmd: list[str]) -> list[str]:
    """*cmd* under a 1 GB address-space cap: an unbounded read fails fast, not the machine."""
    cap = "import resource, os, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
    return [sys.executable, "-c", cap + " os.execv(sys.argv[1], sys.argv[1:])", *cmd]


def _special(folder: Path, kind: str) -> tuple[Path, str]:
    if kind == "fifo-article":
        path = folder / "f.txt"
        os.mkfifo(path)
        return path, "is a named pipe (FIFO), not a regular file"
    if kind == "fifo-jsonl":
        path = folder / "f.jsonl"
        os.mkfifo(path)
        return path, "is a named pipe (FIFO)"
    if kind == "fifo-in-folder":
        inside = folder / "articles"
        inside.mkdir()
        (inside / "a.txt").write_text("A good article\n", encoding="utf-8")
        os.mkfifo(inside / "b.txt")
        return inside, f"{inside / 'b.txt'}: is a named pipe"
    path = folder / ("z.txt" if kind == "dev-zero-article" else "z.xml")
    path.symlink_to("/dev/zero")
    return path, "is a character device, not a regular file"


@pytest.mark.parametrize(
    "kind", ["fifo-article", "fifo-jsonl", "fifo-in-folder", "dev-zero-article", "dev-zero-xml"]
)
def test_special_files_are_refused_before_reading(
    populated: Path, tmp_path: Path, kind: str
) -> None:
    path, needle = _special(tmp_path, kind)
    before = fingerprint(populated)
    cmd = curator_cmd("--db", str(populated), "import", str(path))

    result = subprocess.run(
        _memory_capped(cmd),
        capture_output=True,
        text=True,
        env={**os.environ},
        cwd=REPO,
        timeout=60,  # a pipe that is opened for reading waits for a writer forever
        check=False,
    )

    assert_user_error(result, str(path), needle)
    assert fingerprint(populated) == before


def _over_limit(folder: Path, kind: str) -> tuple[list[str], dict[str, str], list[str]]:
    if kind == "jsonl-file":
        path, _ = write_jsonl(folder / "big.jsonl", good_line(9), good=300)
        env = {"CURATOR_MAX_SPAN_FILE_MB": "0.01"}
        return ["import", str(path)], env, [f"{path}: is ", "over the 10.2 KB limit"]
    if kind == "jsonl-line":
        path, line = write_jsonl(folder / "long.jsonl", {"text": "Ruxolitinib " * 2000})
        env = {"CURATOR_MAX_LINE_MB": "0.01"}
        return ["import", str(path)], env, [f"{path}:{line}: is 23.4 KB", "CURATOR_MAX_LINE_MB"]
    if kind == "xml-file":
        path, _ = write_bioc(folder / "big.xml", bioc_document("x" * 20_000))
        env = {"CURATOR_MAX_SPAN_FILE_MB": "0.01"}
        return ["import", str(path)], env, [f"{path}: is ", "CURATOR_MAX_SPAN_FILE_MB"]
    env = {"CURATOR_MAX_SPAN_FILE_MB": kind.split("=", 1)[1]}
    path, _ = write_jsonl(folder / "fine.jsonl", good_line(9))
    return ["import", str(path)], env, ["CURATOR_MAX_SPAN_FILE_MB=", "give a number of megabytes"]


@pytest.mark.parametrize(
    "kind", ["jsonl-file", "jsonl-line", "xml-file", "env=abc", "env=-1", "env=inf", "env=nan"]
)
def test_every_read_is_bounded(
    populated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    argv, env, needles = _over_limit(tmp_path, kind)
    before = fingerprint(populated)

    with environment(monkeypatch, env):
        code, _, err = run_main("--db", str(populated), *argv)

    assert code == 1, err
    assert err.startswith("error: "), err
    for needle in needles:
        assert needle in err, (needle, err)
    assert fingerprint(populated) == before
