"""The guard: hundreds of generated bad inputs, each refused exactly or imported losslessly.

For every sample of ``bad_input_corpus`` the command must either

- exit 1 with ``error: FILE:LINE: ...`` (the file, and the line where the
  file has lines that matter; the option or variable when the input is a
  name or a setting), no traceback, and the database file byte for byte as
  it was; or
- exit 0, and the database then exports to JSONL and BioC XML, and the
  JSONL export imported into an empty database exports the same bytes.

Samples run in this process through ``cli.main`` (a traceback is an
exception escaping it), so the guard stays fast; a few run as real
processes, with arguments and environment values that are not UTF-8.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from curator.core.articles import corpus
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from tests.reliability.bad_input_corpus import Prepared, all_samples
from tests.reliability.helpers import DATA, REPO, curator_cmd, fingerprint, settle
from tests.reliability.input_builders import environment, run_main

SAMPLES = {sample.name: sample for sample in all_samples()}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Settled databases copied for each sample: the sample articles, and an empty one."""
    folder = tmp_path_factory.mktemp("templates")
    made = []
    for name, articles in (("populated", [DATA]), ("empty", [])):
        path = folder / f"{name}.sqlite"
        database = open_database(f"sqlite:///{path}")
        try:
            migrate.upgrade(database)
            if articles:
                corpus.import_articles(database, articles)
        finally:
            database.dispose()
        settle(path)
        made.append(path)
    return made[0], made[1]


@pytest.fixture
def template(templates: tuple[Path, Path]) -> Path:
    return templates[0]


def test_the_corpus_is_large() -> None:
    assert len(SAMPLES) >= 300


def _check_refusal(prepared: Prepared, err: str) -> None:
    assert err.startswith("error: "), err
    assert "Traceback" not in err
    first = err.splitlines()[0]
    if prepared.file is None:
        assert prepared.needle in first, (prepared.needle, first)
        return
    where = f"error: {prepared.file}"
    if prepared.line is not None and not first.startswith(f"{where}: "):
        where += f":{prepared.line}: "  # unless the whole file was refused
    assert first.startswith(where) or "not valid UTF-8" in first, (where, first)


def _check_round_trip(db: Path, folder: Path, empty: Path) -> None:
    """JSONL gives back the same bytes; BioC XML writes, or names what XML cannot hold."""
    first = folder / "first.jsonl"
    code, _, err = run_main("--db", str(db), "export", "-o", str(first))
    assert code == 0, err
    code, _, err = run_main("--db", str(db), "export", "-o", str(folder / "first.xml"))
    assert code == 0 or (code == 1 and "which XML cannot hold" in err), err
    again = folder / "again.sqlite"
    shutil.copyfile(empty, again)
    code, _, err = run_main("--db", str(again), "import", "--add-labels", str(first))
    assert code == 0, err
    second = folder / "second.jsonl"
    code, _, err = run_main("--db", str(again), "export", "-o", str(second))
    assert code == 0, err
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample(
    templates: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    template, empty = templates
    db = tmp_path / "db" / "curator.sqlite"
    db.parent.mkdir()
    shutil.copyfile(template, db)
    inputs = tmp_path / "in"
    inputs.mkdir()
    prepared = SAMPLES[name].build(inputs)
    before = fingerprint(db)

    with environment(monkeypatch, prepared.env):
        code, out, err = run_main("--db", str(db), *prepared.argv)

    assert code in (0, 1), (code, err)
    if code == 1:
        _check_refusal(prepared, err)
        assert out == ""
        assert fingerprint(db) == before
    else:
        _check_round_trip(db, tmp_path, empty)


# --- as real processes: what only a process sees --------------------------------------


def _run_bytes(args: list[bytes], env: dict[bytes, bytes]) -> subprocess.CompletedProcess[bytes]:
    environ = {**os.environb, **env}
    return subprocess.run(
        [os.fsencode(a) for a in curator_cmd()] + args,
        capture_output=True,
        env=environ,
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        ([b"--curator", b"an\xffa"], {}, b"--curator: the curator name 'an\\udcffa'"),
        ([], {b"CURATOR_NAME": b"an\xe9a"}, b"CURATOR_NAME: the curator name 'an\\udce9a'"),
        ([b"--curator", b"   "], {}, b"--curator: a curator name cannot be empty"),
        ([], {b"CURATOR_MAX_SPAN_FILE_MB": b"inf"}, b"CURATOR_MAX_SPAN_FILE_MB='inf'"),
    ],
)
def test_names_and_settings_in_a_real_process(
    template: Path, tmp_path: Path, args: list[bytes], env: dict[bytes, bytes], needle: bytes
) -> None:
    db = tmp_path / "curator.sqlite"
    shutil.copyfile(template, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    spans = tmp_path / "in.jsonl"
    spans.write_text('{"text": "Ruxolitinib", "spans": []}\n', encoding="utf-8")

    result = _run_bytes([b"--db", os.fsencode(db), *args, b"import", os.fsencode(spans)], env)

    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(b"error: " + needle), result.stderr
    assert b"Traceback" not in result.stderr
    assert fingerprint(db) == before


@pytest.mark.parametrize("name", ["jsonl-raw-nested-100000", "xml-deep-elements", "txt-fifo"])
def test_corpus_samples_in_a_real_process(template: Path, tmp_path: Path, name: str) -> None:
    """The deepest inputs, where the stack of a fresh process is what counts, and a pipe."""
    db = tmp_path / "curator.sqlite"
    shutil.copyfile(template, db)
    inputs = tmp_path / "in"
    inputs.mkdir()
    prepared = SAMPLES[name].build(inputs)
    before = fingerprint(db)

    result = subprocess.run(
        curator_cmd("--db", str(db), *prepared.argv),
        capture_output=True,
        text=True,
        env={**os.environ, **prepared.env},
        cwd=REPO,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    _check_refusal(prepared, result.stderr)
    assert fingerprint(db) == before
