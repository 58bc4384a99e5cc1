"""``curator export`` to JSONL without SQLAlchemy: the same answer as the full command line.

The quick path (``curator.cli_quick``) runs the commonest export on the
standard library alone; for every command it takes, its file, stdout, stderr
and exit status are compared with those of :func:`curator.cli.main` on the
same database, and every command it does not take must reach the full
command line untouched.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from curator import cli, cli_quick
from curator.core.interchange import jsonl_sql, labelstudio_sql, lines_process
from curator.core.interchange.jsonl_sql import write_jsonl
from curator.core.interchange.labelstudio_sql import write_tasks
from curator.core.interchange.lines_process import LinesProcess
from curator.core.storage.db import Database
from tests.interchange.conftest import Curated
from tests.interchange.relation_support import relate
from tests.quick_process import run_counting_sqlalchemy


@pytest.fixture(autouse=True)
def _no_tuning_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Variables of the test run (a server URL...) would send every command to the full start."""
    import os

    kept = {*cli_quick._HARMLESS, "CURATOR_MODEL_SUGGESTIONS"}
    for name in list(os.environ):
        if name.startswith("CURATOR_") and name not in kept:
            monkeypatch.delenv(name)


@pytest.fixture
def related(curated: Curated) -> Curated:
    relate(curated)
    return curated


def _db_file(curated: Curated) -> Path:
    assert curated.db.path is not None
    return curated.db.path


def _both(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    db: Path,
    *export: str,
    file: str = "out.jsonl",
) -> tuple[bytes, str, str]:
    """Run ``curator --db DB export -o FILE EXPORT...`` both ways; assert the same results."""
    results = []
    for name, entry in (("quick", cli_quick.run), ("full", cli.main)):
        where = folder / name
        where.mkdir()
        out = where / file
        capsys.readouterr()
        code = entry(["--db", str(db), "-q", "export", "-o", str(out), *export])
        printed, errors = capsys.readouterr()
        if name == "quick":
            assert code is not None, "the quick path declined a command it takes"
        files = sorted(p.name for p in where.iterdir())
        results.append((code, out.read_bytes() if out.exists() else b"", files, printed, errors))
    (quick, full) = results
    assert quick[:3] == full[:3]
    for index in (3, 4):  # the file's name differs by its folder only
        assert quick[index].replace("/quick/", "/x/") == full[index].replace("/full/", "/x/")
    return quick[1], quick[3], quick[4]


@pytest.mark.parametrize(
    "export",
    [(), ("--with-deleted",), ("--curator", "ana"), ("--format", "jsonl", "--allow-loss")],
    ids=repr,
)
def test_the_quick_export_is_the_full_one(
    related: Curated, tmp_path: Path, capsys: pytest.CaptureFixture[str], export: tuple[str, ...]
) -> None:
    data, printed, errors = _both(capsys, tmp_path, _db_file(related), *export)
    lines = [json.loads(line) for line in data.splitlines()]
    assert len(lines) == 3 and any(line["relations"] for line in lines)
    *_, jsonl_path, labels_path = printed.splitlines()
    assert jsonl_path.endswith("out.jsonl") and labels_path.endswith("out.labels.json")
    assert errors.startswith("exported 3 documents")


LABELSTUDIO = ("--format", "labelstudio")


@pytest.mark.parametrize(
    "export",
    [(), ("--curator", "ana"), ("--curator", "bo", "ana", "--allow-loss"), ("--curator", "zed")],
    ids=repr,
)
def test_the_quick_label_studio_export_is_the_full_one(
    curated: Curated, tmp_path: Path, capsys: pytest.CaptureFixture[str], export: tuple[str, ...]
) -> None:
    data, printed, errors = _both(
        capsys, tmp_path, _db_file(curated), *LABELSTUDIO, *export, file="out.json"
    )
    if "zed" in export:
        assert (data, printed) == (b"", "")
        assert errors.startswith("error: no curator named 'zed'")
        return
    assert len(json.loads(data)) == 3
    tasks, config = printed.splitlines()
    assert tasks.endswith("out.json") and config.endswith("out.config.xml")
    assert errors.startswith("exported 3 documents")


@pytest.mark.parametrize(
    "export", [(*LABELSTUDIO, "--allow-loss"), (*LABELSTUDIO, "--curator", "ana")], ids=repr
)
def test_label_studio_tasks_with_relations_go_to_the_full_command(
    related: Curated, tmp_path: Path, export: tuple[str, ...]
) -> None:
    """Relations (and spans in pieces) may be lost: the full command names them."""
    folder = tmp_path / "out"
    folder.mkdir()
    argv = ["--db", str(_db_file(related)), "-q", "export", "-o", str(folder / "x.json"), *export]
    assert cli_quick.run(argv) is None
    assert list(folder.iterdir()) == []


def test_an_unknown_curator_is_the_same_error(
    curated: Curated, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, printed, errors = _both(capsys, tmp_path, _db_file(curated), "--curator", "zed")
    assert (data, printed) == (b"", "")
    assert errors.startswith("error: no curator named 'zed'")


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "-o", "x.jsonl", "--document", "abc"],
        ["export", "-o", "x.jsonl", "--with-suggestions"],
        ["export", "-o", "x.json"],
        ["export", "-o", "x.spacy"],
        ["export", "-o", "x.jsonl", "--format", "brat"],
        ["export", "-o", "x.json", "--format", "labelstudio", "--with-deleted"],
        ["export", "--out", "x.jsonl"],
        ["export", "-o", "x.jsonl", "-o", "y.jsonl"],
        ["export"],
        ["export", "-o"],
        ["--help"],
        ["list"],
        ["-q", "import", "x.jsonl"],
        ["--db", "postgresql://u@h/db", "export", "-o", "x.jsonl"],
    ],
)
def test_what_it_does_not_take_goes_to_the_full_command(argv: list[str]) -> None:
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick.export(cli_quick.parse(argv))


def test_a_database_the_full_start_would_change_goes_to_it(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Missing, older schema, not yet in WAL, a tuning variable to check: the full start runs."""
    out = str(tmp_path / "x.jsonl")
    missing = cli_quick.parse(["--db", str(tmp_path / "none.sqlite"), "export", "-o", out])
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick.export(missing)
    assert db.path is not None
    ours = cli_quick.parse(["--db", str(db.path), "export", "-o", out])
    monkeypatch.setenv("CURATOR_BUSY_TIMEOUT_MS", "10")
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick.export(ours)
    monkeypatch.delenv("CURATOR_BUSY_TIMEOUT_MS")
    with sqlite3.connect(db.path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    with pytest.raises(cli_quick.DeclinedError):
        cli_quick.export(ours)
    assert not Path(out).exists()


@pytest.fixture
def helped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second process asked for half of even a few documents, on any machine."""
    monkeypatch.setattr(jsonl_sql, "HELPED", 2)
    monkeypatch.setattr(labelstudio_sql, "HELPED", 2)
    monkeypatch.setattr(lines_process.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cli_quick, "HELPED_FROM_BYTES", 0)
    monkeypatch.setattr(cli_quick, "core_to_spare", lambda: True)


def _export(
    path: Path, out: Path, kind: str, helper: LinesProcess | None, who: list[str] | None = None
) -> int:
    """The lines of *kind* in one snapshot, the second process asked for half."""
    with cli_quick.snapshot(path, helper) as cons:
        if kind == "jsonl":
            return write_jsonl(cons[0], out, curators=who, helper=helper).spans
        written = write_tasks(cons[0], out, curators=who, helper=helper)
        assert written is not None
        return written.spans


@pytest.mark.parametrize("who", [None, ["bo", "ana"]])
@pytest.mark.parametrize("kind", ["jsonl", "labelstudio"])
def test_the_second_process_reads_the_same_snapshot(
    related: Curated, tmp_path: Path, helped: None, kind: str, who: list[str] | None
) -> None:
    """A span deleted once the export began is in it, in either process's half; the
    bytes are those of one process alone."""
    path = _db_file(related)
    if kind == "labelstudio":  # relations are the portable path's: these have none
        with sqlite3.connect(path) as con:
            con.execute("DELETE FROM relation")
    alone = tmp_path / "alone.out"
    live = _export(path, alone, kind, None, who)
    assert live > 0
    helper = LinesProcess.start(path, tmp_path)
    assert helper is not None
    try:
        before = tmp_path / "before.out"
        with cli_quick.snapshot(path, helper) as cons:
            assert helper.pinned
            with sqlite3.connect(path) as other:
                other.execute("UPDATE annotation SET deleted_at = '2026-02-02 00:00:00.000000'")
            if kind == "jsonl":
                spans = write_jsonl(cons[0], before, curators=who, helper=helper).spans
            else:
                written = write_tasks(cons[0], before, curators=who, helper=helper)
                assert written is not None
                spans = written.spans
        assert helper.asked and helper.child.returncode == 0
    finally:
        helper.close()
    assert spans == live
    assert before.read_bytes() == alone.read_bytes()
    assert _export(path, tmp_path / "after.out", kind, None, who) == 0


@pytest.mark.parametrize("export", [("--curator", "bo", "ana"), LABELSTUDIO], ids=repr)
def test_the_quick_export_with_a_second_process_is_the_full_one(
    related: Curated,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    export: tuple[str, ...],
) -> None:
    """Half of the documents' lines from the second process: the same answer."""
    monkeypatch.setattr(jsonl_sql, "HELPED", 2)
    monkeypatch.setattr(labelstudio_sql, "HELPED", 2)
    monkeypatch.setattr(lines_process.os, "cpu_count", lambda: 2)
    started: list[LinesProcess] = []
    start = LinesProcess.start

    def counted(database: Path, folder: Path) -> LinesProcess | None:
        helper = start(database, folder)
        started.extend([helper] if helper else [])
        return helper

    monkeypatch.setattr(cli_quick, "HELPED_FROM_BYTES", 0)
    monkeypatch.setattr(cli_quick, "core_to_spare", lambda: True)
    monkeypatch.setattr(LinesProcess, "start", counted)
    db = _db_file(related)
    if export == LABELSTUDIO:  # relations go to the full command: these have none
        with sqlite3.connect(db) as con:
            con.execute("DELETE FROM relation")
    file = "out.json" if export == LABELSTUDIO else "out.jsonl"
    data, _printed, errors = _both(capsys, tmp_path, db, *export, file=file)
    assert [h.asked for h in started] == [True]
    assert errors.startswith("exported 3 documents") and data


class _DiesWhenAsked(LinesProcess):
    def build(self, job: dict[str, object]) -> bool:
        asked = super().build(job)
        self.child.kill()
        return asked


@pytest.mark.parametrize("kind", ["jsonl", "labelstudio"])
def test_a_second_process_that_fails_changes_nothing(
    curated: Curated, tmp_path: Path, helped: None, kind: str
) -> None:
    """Killed before it pins, or after it was asked: this process builds its half instead."""
    path = _db_file(curated)
    alone = tmp_path / "alone.out"
    _export(path, alone, kind, None)
    for when in ("before pinning", "after the job"):
        helper = (_DiesWhenAsked if when == "after the job" else LinesProcess).start(path, tmp_path)
        assert helper is not None
        out = tmp_path / f"{when}.out"
        try:
            if when == "before pinning":
                helper.child.kill()
            _export(path, out, kind, helper)
            assert helper.pinned is (when == "after the job")
            assert helper.asked is (when == "after the job")
        finally:
            helper.close()
        assert out.read_bytes() == alone.read_bytes(), when


def test_python_dash_m_curator_takes_the_quick_path_without_sqlalchemy(
    curated: Curated, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    done, imported = run_counting_sqlalchemy(
        ["--db", str(_db_file(curated)), "export", "-o", str(out)]
    )
    assert imported == "[]"
    assert done.stdout == f"{out}\n{tmp_path / 'out.labels.json'}\n"
    assert len(out.read_bytes().splitlines()) == 3


def test_a_database_another_program_is_writing_goes_to_the_full_command(
    curated: Curated, tmp_path: Path
) -> None:
    """The full start waits for the lock and names it; the quick path hands over, unwritten."""
    out = tmp_path / "x.jsonl"
    command = cli_quick.parse(["--db", str(_db_file(curated)), "export", "-o", str(out)])
    with sqlite3.connect(_db_file(curated), isolation_level=None) as writer:
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(cli_quick.DeclinedError):
            cli_quick.export(command)
        writer.execute("ROLLBACK")
    assert not out.exists()
    assert cli_quick.export(command) == 0 and out.exists()


def test_the_desktop_build_exports_in_one_process(
    tmp_path: Path, helped: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled executable is the app itself: it cannot run the child's ``-c`` program,
    so the command builds every line on its own instead of waiting for a child to fail."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert LinesProcess.start(tmp_path / "any.sqlite", tmp_path) is None
    assert list(tmp_path.iterdir()) == []
