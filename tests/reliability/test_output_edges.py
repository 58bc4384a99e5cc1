"""Writing at the edges: a full disk, a folder as backup target, long names, a closed
pipe, bad settings, the umask, and a database path that is a symbolic link.

The full disk is real: the command runs in a child process whose file size
limit (``RLIMIT_FSIZE``) is below the size of the export, so the kernel
refuses the write with ``EFBIG``, through the same ``write`` call that a full
disk fails with ``ENOSPC``; it needs no privileges and no special mount, so
it runs the same as root and as an ordinary user.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shlex
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from curator import cli
from curator.core import interchange
from curator.core.articles import corpus
from curator.core.spans import annotate
from curator.core.storage.db import open_database
from tests import fresh_db
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

LIMIT = 256 * 1024
"""The child's largest file: above SQLite's 32 KB shared-memory file, below the export."""


def limited(*args: str) -> subprocess.CompletedProcess[str]:
    """``curator ARGS`` in a process that cannot write a file larger than :data:`LIMIT`."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    return subprocess.run(
        curator_cmd(*args),
        capture_output=True,
        text=True,
        cwd=REPO,
        preexec_fn=limit,
        timeout=120,
        check=False,
    )


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    """One article of 400 KB with a span: every export of it is larger than the limit."""
    path = tmp_path / "big.sqlite"
    article = tmp_path / "big.txt"
    article.write_text("A long article\n\n" + "ruxolitinib dose " * 24_000, "utf-8")
    database = fresh_db.fresh_database(path)
    try:
        (doc,) = corpus.import_articles(database, [article]).added
        annotate.add_span(database, doc.uid, "ana", annotate.NewSpan(16, 27, "therapy"))
    finally:
        database.dispose()
    settle(path)
    return path


def snapshot(folder: Path) -> dict[str, bytes | None]:
    found: dict[str, bytes | None] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            found[os.path.relpath(os.path.join(root, name), folder)] = None
        for name in files:
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder)] = Path(path).read_bytes()
    return found


# --- a full disk ---------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "out.jsonl"), ("brat", "brat")])
def test_an_export_to_a_full_disk_is_an_error_and_keeps_the_old_export(
    big_db: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / name
    first = run_curator("--db", str(big_db), "export", "--format", fmt, "-o", str(out))
    assert first.returncode == 0, first.stderr
    before = snapshot(folder)

    result = limited("--db", str(big_db), "export", "--format", fmt, "-o", str(out))

    assert_user_error(result, str(out), "File too large", "left as it was")
    assert snapshot(folder) == before  # the old export, and no temporary
    assert fingerprint(big_db)


def test_a_first_export_to_a_full_disk_leaves_nothing(big_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "out.jsonl"
    out.parent.mkdir()
    result = limited("--db", str(big_db), "export", "-o", str(out))
    assert_user_error(result, str(out), "File too large", "nothing was written")
    assert list(out.parent.iterdir()) == []


def test_a_backup_to_a_full_disk_is_an_error_and_leaves_no_partial(
    big_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    result = limited("--db", str(big_db), "db", "backup", "--to", str(folder / "copy.sqlite"))
    assert_user_error(result, str(big_db), "backup to", "nothing was written")
    assert list(folder.iterdir()) == []


# --- backup into a folder ------------------------------------------------------------------


def test_backup_to_an_existing_folder_puts_the_copy_inside_it(
    populated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "my backups"
    folder.mkdir()
    result = run_curator("--db", str(populated), "db", "backup", "--to", str(folder))
    assert result.returncode == 0, result.stderr
    (made,) = folder.iterdir()
    assert result.stdout.strip() == str(made)
    assert made.name.startswith("curator-") and made.name.endswith("-manual.sqlite")
    assert count(made, "SELECT count(*) FROM document") == 4
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_backup_to_a_missing_folder_is_an_error(populated: Path, tmp_path: Path) -> None:
    to = tmp_path / "nowhere" / "copy.sqlite"
    result = run_curator("--db", str(populated), "db", "backup", "--to", str(to))
    assert_user_error(result, str(to.parent), "does not exist")


# --- names that are long in bytes ----------------------------------------------------------


def test_brat_export_of_a_curator_named_outside_the_bmp(populated: Path, tmp_path: Path) -> None:
    name = "𝔸" * 100  # 100 characters, 400 bytes of UTF-8
    database = open_database(f"sqlite:///{populated}")
    try:
        uid = corpus.read_article(REPO / "data" / sorted(os.listdir(REPO / "data"))[0]).uid
        annotate.add_span(database, uid, name, annotate.NewSpan(0, 4, "target"))
    finally:
        database.dispose()
    settle(populated)
    out = tmp_path / ("𝔹" * 60)  # the destination's own name is 240 bytes

    result = run_curator("--db", str(populated), "export", "--format", "brat", "-o", str(out))

    assert result.returncode == 0, result.stderr
    (folder,) = out.iterdir()
    assert folder.name.startswith("𝔸") and len(os.fsencode(folder.name)) <= 200
    assert len(list(folder.glob("*.ann"))) == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- a reader that goes away ---------------------------------------------------------------


@pytest.mark.parametrize("args", [["list", "--json"], ["list"]])
def test_a_closed_pipe_ends_the_command_quietly(populated: Path, args: list[str]) -> None:
    """Deterministic ``| head -1``: the reading end is closed before the command writes."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            curator_cmd("--db", str(populated), *args),
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == 141


def test_head_reads_the_first_line_and_the_command_ends_quietly(populated: Path) -> None:
    command = " ".join(
        shlex.quote(a) for a in curator_cmd("--db", str(populated), "list", "--json")
    )
    for _ in range(5):
        result = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {command} 2>err.txt | head -1; echo $?"],
            capture_output=True,
            text=True,
            cwd=populated.parent,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            timeout=120,
            check=False,
        )
        first, status = result.stdout.splitlines()
        assert first == "["
        assert status in ("0", "141")
        assert (populated.parent / "err.txt").read_text() == ""


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "setting",
    [("CURATOR_MAX_FILE_MB", "inf"), ("CURATOR_MAX_FILE_MB", "abc"),
     ("CURATOR_MAX_FILE_MB", "-1"), ("CURATOR_MAX_FILE_MB", "nan"),
     ("CURATOR_MAX_FILE_MB", "1e400"), ("CURATOR_MAX_FILE_MB", "0"),
     ("CURATOR_KEEP_BACKUPS", "1e3"), ("CURATOR_BUSY_TIMEOUT_MS", "99999999999999999999")],
)  # fmt: skip
def test_a_bad_setting_is_an_error_naming_the_variable(
    populated: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    setting: tuple[str, str],
) -> None:
    variable, value = setting
    article = tmp_path / "a.txt"
    article.write_text("An article\n\nAbout ruxolitinib.\n", "utf-8")
    before = fingerprint(populated)
    monkeypatch.setenv(variable, value)

    code = cli.main(["--db", str(populated), "import", str(article)])

    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith(f"error: {variable}={value!r}: give a "), err
    assert fingerprint(populated) == before


def test_a_good_size_setting_still_works(
    populated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("An article\n\n" + "x" * 2000 + "\n", "utf-8")
    monkeypatch.setenv("CURATOR_MAX_FILE_MB", "0.001")
    assert cli.main(["--db", str(populated), "import", str(article)]) == 1
    monkeypatch.setenv("CURATOR_MAX_FILE_MB", " 0.5 ")
    assert cli.main(["--db", str(populated), "import", str(article)]) == 0


# --- the umask -----------------------------------------------------------------------------


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755),
                                                             (0o002, 0o664, 0o775),
                                                             (0o077, 0o600, 0o700)])  # fmt: skip
def test_exports_get_the_modes_the_umask_gives(
    populated: Path, tmp_path: Path, mask: int, file_mode: int, dir_mode: int
) -> None:
    database = open_database(f"sqlite:///{populated}")
    try:
        with umask(mask):
            for fmt, name in [("jsonl", "a.jsonl"), ("bioc-xml", "a.xml"), ("brat", "brat")]:
                interchange.export(database, fmt, tmp_path / name)
            interchange.export(database, "jsonl", tmp_path / "a.jsonl")  # a replacement too
    finally:
        database.dispose()
    for name in ("a.jsonl", "a.xml"):
        assert (tmp_path / name).stat().st_mode & 0o777 == file_mode
    assert (tmp_path / "brat").stat().st_mode & 0o777 == dir_mode


# --- a database path that is a symbolic link -----------------------------------------------


@pytest.fixture
def system(tmp_path: Path) -> Path:
    """A folder standing for the system's: the test checks that nothing appears in it."""
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    (folder / "empty").write_bytes(b"")
    return folder


@pytest.mark.parametrize("target", ["passwd", "empty", "missing"])
@pytest.mark.parametrize("args", [["db", "backup"], ["list"], ["import", str(REPO / "data")]])
def test_a_link_to_anything_but_a_database_is_refused_and_creates_nothing(
    tmp_path: Path,
    system: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    args: list[str],
) -> None:
    link = tmp_path / "home" / "link.sqlite"
    link.parent.mkdir()
    link.symlink_to(system / target)
    before = snapshot(system)

    if target == "passwd":  # as a real process; the other targets in this one
        result = run_curator("--db", str(link), *args)
    else:
        result = curator_in_process(monkeypatch, "--db", str(link), *args)

    assert_user_error(result, str(link), "symbolic link", str(system / target))
    assert snapshot(system) == before
    assert sorted(os.listdir(link.parent)) == ["link.sqlite"]


def test_a_link_to_a_database_is_followed(populated: Path, tmp_path: Path) -> None:
    link = tmp_path / "home" / "link.sqlite"
    link.parent.mkdir()
    link.symlink_to(populated)
    listed = run_curator("--db", str(link), "list", "--json")
    assert listed.returncode == 0, listed.stderr
    backup = run_curator("--db", str(link), "db", "backup")
    assert backup.returncode == 0, backup.stderr
    assert Path(backup.stdout.strip()).parent == populated.parent / "backups"
    assert link.is_symlink()


# --- hints name what they are about --------------------------------------------------------


def test_merging_a_jsonl_export_brings_its_labels_as_merging_its_database_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source_db = tmp_path / "ana.sqlite"
    spans = tmp_path / "spans.jsonl"
    spans.write_text(
        '{"text": "Ruxolitinib 10 mg twice daily.", "spans": '
        '[{"start": 12, "end": 17, "label": "dose"}]}\n',
        "utf-8",
    )
    assert cli.main(["--db", str(source_db), "import", "--add-labels", str(spans)]) == 0
    export = tmp_path / "ana.jsonl"
    assert cli.main(["--db", str(source_db), "export", "-o", str(export)]) == 0
    target = tmp_path / "target.sqlite"
    capsys.readouterr()

    code = cli.main(["--db", str(target), "merge", str(export)])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert "--add-labels" not in out + err
    with contextlib.closing(sqlite3.connect(target)) as conn:
        labels = conn.execute(
            "SELECT label.name FROM annotation JOIN label ON label.id = annotation.label_id"
        ).fetchall()
    assert labels == [("dose",)]


def test_the_merge_hint_for_an_old_source_names_it_quoted(
    populated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "Ana's old.sqlite"
    with (
        contextlib.closing(sqlite3.connect(populated)) as src,
        contextlib.closing(sqlite3.connect(source)) as dst,
    ):
        src.backup(dst)
        dst.execute("UPDATE alembic_version SET version_num = '0001'")
        dst.commit()
    capsys.readouterr()
    code = cli.main(["--db", str(tmp_path / "t.sqlite"), "merge", str(source)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"curator --db {shlex.quote(str(source))} db upgrade" in err, err
