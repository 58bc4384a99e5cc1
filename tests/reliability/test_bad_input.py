"""Bad input, case by case: a clear message naming the file, and not a byte changed.

Each case runs through the surfaces a curator can reach it from: the real
``curator`` command in a child process (exit 1, ``error: ...``, no
traceback) and the app (a dialog, not a crash). The database is compared
byte for byte before and after (see ``helpers`` for why that is sound in WAL
mode). Here: article files, special files and reads over their limit.
Databases the app must refuse are in ``test_bad_databases``, inputs no
export could write back in ``test_unwritable_input``, malformed span files
(JSONL, XML entities) in ``test_bad_spans`` and export names that would
leave the chosen folder in ``test_export_paths``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from curator.core.articles import documents
from curator.core.storage.db import open_database
from curator.gui.main_window import MainWindow
from tests.reliability.gui_modals import ModalAnswerer
from tests.reliability.helpers import (
    REPO,
    assert_user_error,
    count,
    curator_cmd,
    curator_in_process,
    fingerprint,
    run_curator,
    settle,
)
from tests.reliability.input_builders import (
    bioc_document,
    environment,
    run_main,
    write_bioc,
    write_jsonl,
)
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
def test_bad_article_in_cli(
    populated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    bad, needles = ARTICLE_CASES[case](tmp_path)
    good = tmp_path / "good.txt"
    good.write_text("A good article\nshort\n", encoding="utf-8")
    before = fingerprint(populated)

    args = ("--db", str(populated), "import", str(good), str(bad))
    if case == "not-utf8":  # one as a real process; the rest in this one (curator_in_process)
        result = run_curator(*args, env=SIZE_LIMIT)
    else:
        result = curator_in_process(monkeypatch, *args, env=SIZE_LIMIT)

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
    # Both written after the article is on screen: the document to reopen
    # next time, and the first suggestions (in a thread). Settled before
    # the fingerprint, they cannot pass for a change the import made.
    qtbot.waitUntil(lambda: documents.last_opened(database, "tester") is not None)
    qtbot.waitUntil(lambda: not window.suggestions.worker.busy(), timeout=30_000)
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
