"""Names from the data never choose where an export writes.

brat export makes a folder per curator and a file per document; curator
names (and titles, and uids from a merged database) may hold anything:
``../x``, ``/etc``, ``a/b``, ``..``, NUL, ``CON``. Every case is exported
through the command and through File > Export…, and the whole temporary
tree, and the folder above it, are listed before and after: everything new
is inside the chosen folder, one folder per curator, and the database is
unchanged. The exports use an absolute name that points into the test's own
folder rather than ``/etc``, so a regression is caught there and never
writes into the machine's folders (the unit tests cover ``/etc`` itself).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from curator.core.articles import corpus
from curator.core.errors import CuratorError
from curator.core.interchange.common import child_path, safe_file_name
from curator.core.spans import annotate
from curator.core.storage.db import open_database
from curator.gui.export_dialog import ExportDialog
from curator.gui.main_window import MainWindow
from tests import fresh_db
from tests.reliability.helpers import fingerprint, run_curator, settle

HOSTILE = [
    "../x",
    "../../escape",
    "/etc",
    "/tmp",
    "a/b",
    "a_b",
    "..",
    ".",
    "...",
    "nul\x00byte",
    "CON",
    "nul.txt",
    "com1",
    "Ana",
    "ana",
    "back\\slash",
    "~",
    "x" * 200,
]


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_file_name_stays_one_entry(tmp_path: Path, name: str) -> None:
    safe = safe_file_name(name, "curator")
    assert child_path(tmp_path, safe).parent == tmp_path
    assert safe.strip(".") == safe and safe.split(".")[0].upper() not in {"CON", "NUL", "COM1"}
    assert len(safe) <= 100


@given(st.text(min_size=0, max_size=300))
def test_any_name_becomes_a_plain_entry(name: str) -> None:
    safe = safe_file_name(name, "curator")
    folder = Path("/out")
    assert child_path(folder, safe).parent == folder
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert safe not in ("", ".", "..")


@pytest.mark.parametrize("name", ["..", "a/b", "/etc", "", "x\x00"])
def test_child_path_refuses_a_name_that_leaves_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(CuratorError, match="cannot be a file name inside"):
        child_path(tmp_path, name)


def _export_names(tmp_path: Path) -> list[str]:
    """The hostile names, with absolute ones aimed inside *tmp_path* (see the docstring)."""
    # No curator can be named with a NUL (refused at the door); safe_file_name still
    # handles one, above.
    names = [n for n in HOSTILE if not n.startswith("/") and "\x00" not in n]
    return [*names, str(tmp_path / "absolute"), str(tmp_path / "absolute") + "/"]


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """Articles titled like paths, a span of every hostile curator, settled on disk."""
    path = tmp_path / "db" / "curator.sqlite"
    path.parent.mkdir()
    articles = tmp_path / "articles"
    articles.mkdir()
    for i, title in enumerate(["../../escape", "/etc/passwd", "a/b", "..", "CON"]):
        (articles / f"{i}.txt").write_text(f"{title}\nAbout CD19 therapy {i}.\n", "utf-8")
    database = fresh_db.fresh_database(path)
    try:
        added = corpus.import_articles(database, [articles]).added
        for doc in added:
            for name in _export_names(tmp_path):
                annotate.add_span(database, doc.uid, name, annotate.NewSpan(0, 2, "target"))
    finally:
        database.dispose()
    settle(path)
    return path


def _tree(root: Path) -> set[str]:
    found = set()
    for folder, dirs, files in os.walk(root):
        found |= {os.path.relpath(os.path.join(folder, n), root) for n in dirs + files}
    return found


def _check_export(tmp_path: Path, before: set[str], above: set[str], out: Path) -> None:
    new = {p for p in _tree(tmp_path) - before if not p.startswith("db/curator.sqlite-")}
    outside = [p for p in new if not (tmp_path / p).is_relative_to(out)]
    assert outside == []
    assert set(os.listdir(tmp_path.parent)) == above
    names = _export_names(tmp_path)
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == len(names)  # distinct curators stay distinct ...
    assert len({f.casefold() for f in folders}) == len(names)  # ... even without case
    for folder in out.iterdir():
        assert len(list(folder.glob("*.ann"))) == 5
    with contextlib.closing(sqlite3.connect(tmp_path / "db" / "curator.sqlite")) as conn:
        stored = {row[0] for row in conn.execute("SELECT name FROM curator")}
    assert stored == set(names)


def test_brat_export_of_hostile_names_in_cli(tmp_path: Path, hostile_db: Path) -> None:
    out = tmp_path / "exports" / "brat"
    out.parent.mkdir()
    before, above = _tree(tmp_path), set(os.listdir(tmp_path.parent))
    db_before = fingerprint(hostile_db)

    result = run_curator("--db", str(hostile_db), "export", "--format", "brat", "-o", str(out))

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    _check_export(tmp_path, before, above, out)
    assert fingerprint(hostile_db) == db_before


def test_brat_export_of_hostile_names_in_gui(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    hostile_db: Path,
) -> None:
    database = open_database(f"sqlite:///{hostile_db}")
    window = MainWindow(database, "../x")  # opening records the last-opened document
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: window.is_loaded and not window.suggestions.worker.busy())
    database.dispose()
    settle(hostile_db)
    db_before = fingerprint(hostile_db)
    out = tmp_path / "exports" / "brat"
    out.parent.mkdir()
    before, above = _tree(tmp_path), set(os.listdir(tmp_path.parent))

    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # File > Export…
    dialog = window.findChild(ExportDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert Path(dialog.path_edit.text()).name == "all-curators-spans.jsonl"
    curators = [dialog.curator_list.item(i) for i in range(dialog.curator_list.count())]
    for item in curators:  # only "../x": the file is named after it, safely
        item.setCheckState(
            Qt.CheckState.Checked if item.text() == "../x" else Qt.CheckState.Unchecked
        )
    assert Path(dialog.path_edit.text()).name == "_x-spans.jsonl"
    for item in curators:
        item.setCheckState(Qt.CheckState.Checked)
    for i in range(min(3, len(curators)), len(curators)):  # a few hostile names joined
        curators[i].setCheckState(Qt.CheckState.Unchecked)
    joined = Path(dialog.path_edit.text())
    assert (
        joined.parent == Path.home()
        and "/" not in joined.name
        and joined.name.endswith("-spans.jsonl")
    )
    for item in curators:
        item.setCheckState(Qt.CheckState.Checked)
    dialog.set_format("brat")
    dialog.path_edit.setText(str(out))
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert window.statusBar().currentMessage().startswith("✓ exported 5 documents")
    database.dispose()
    _check_export(tmp_path, before, above, out)
    assert fingerprint(hostile_db) == db_before
