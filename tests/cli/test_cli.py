"""The ``curator`` command line contract.

Most cases call ``curator.cli.main`` in-process (fast); a few run the real
``python -m curator`` in a subprocess to check exit codes and that a user
error never shows a Python traceback. Bad files and bad databases through
the real process (and the app) are catalogued in tests/reliability.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

import pytest

from curator import __version__, cli
from curator.core.articles import documents
from curator.core.articles.text import decode_article, text_uid
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import paths
from curator.core.storage.db import open_database
from tests.cli.helpers import (
    PNG_HEADER,
    SAMPLE_DATA,
    SHARED_CORPUS,
    article_files,
    assert_user_error,
    call,
    document_count,
    listing,
    run,
)

# --- version and usage --------------------------------------------------------------


def test_version_subprocess() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"curator {__version__}"
    assert __version__ == "0.1.0"


def test_unknown_command_is_a_usage_error_subprocess(db_path: Path) -> None:
    result = run("--db", str(db_path), "frobnicate")
    assert result.returncode == 2
    assert "usage: curator" in result.stderr
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db_path.exists()  # a usage error touches nothing


@pytest.mark.parametrize(
    "args",
    [["import"], ["db"], ["db", "frobnicate"], ["list", "--bogus"], ["--no-such-option"]],
    ids=["import-without-path", "db-without-action", "db-unknown", "list-bad-flag", "bad-opt"],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--db", str(db_path), *args])
    assert info.value.code == 2
    assert "usage: curator" in capsys.readouterr().err
    assert not db_path.exists()


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("import", "list", "db", "--db", "--curator"):
        assert command in out


# --- the "done when" flow -------------------------------------------------------------


def test_done_when_flow_on_shared_corpus_subprocess(tmp_path: Path) -> None:
    assert SHARED_CORPUS.is_dir(), f"the shared corpus is missing: {SHARED_CORPUS}"
    db = tmp_path / "x.sqlite"

    first = run("--db", str(db), "import", str(SHARED_CORPUS))
    assert first.returncode == 0, first.stderr
    assert first.stderr.strip().endswith("3 documents added, 0 already present")
    assert first.stdout.count("added    ") == 3

    listed = run("--db", str(db), "list", "--json")
    assert listed.returncode == 0, listed.stderr
    docs = json.loads(listed.stdout)
    assert len(docs) == 3
    files = sorted(SHARED_CORPUS.glob("*.txt"))
    assert len(files) == 3
    assert {d["id"] for d in docs} == {text_uid(decode_article(p.read_bytes(), p)) for p in files}
    assert all(len(d["id"]) == 64 for d in docs)

    again = run("--db", str(db), "import", str(SHARED_CORPUS))
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip().endswith("0 documents added, 3 already present")
    assert again.stdout.count("already imported") == 3

    relisted = run("--db", str(db), "list", "--json")
    assert json.loads(relisted.stdout) == docs

    check = run("--db", str(db), "db", "check")
    assert check.returncode == 0, check.stderr
    assert "ok" in check.stderr
    assert "Traceback" not in first.stderr + again.stderr + check.stderr


def test_done_when_flow_on_sample_data(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = call(capsys, "--db", str(db_path), "import", str(SAMPLE_DATA))
    assert code == 0, err
    assert "4 documents added, 0 already present" in err
    docs = listing(capsys, db_path)
    assert len(docs) == 4
    first_lines = {
        p.read_text(encoding="utf-8").split("\n", 1)[0].strip() for p in SAMPLE_DATA.glob("*.txt")
    }
    assert {d["title"] for d in docs} == first_lines
    assert [d["title"] for d in docs] == sorted(d["title"] for d in docs)
    before = db_path.read_bytes()

    code, out, err = call(capsys, "--db", str(db_path), "import", str(SAMPLE_DATA))
    assert code == 0, err
    assert "0 documents added, 4 already present" in err
    assert out.count("present  ") == 4
    assert listing(capsys, db_path) == docs
    assert db_path.read_bytes() == before  # re-import changes nothing

    code, _, err = call(capsys, "--db", str(db_path), "db", "check")
    assert code == 0, err


def test_import_single_files_and_same_text_under_another_name(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    (a,) = article_files(tmp_path / "in", 1)
    copy = tmp_path / "elsewhere" / "renamed.TXT"  # suffix match ignores case
    copy.parent.mkdir()
    copy.write_bytes(a.read_bytes().replace(b"\n", b"\r\n"))  # CRLF: same canonical text
    code, out, err = call(capsys, "--db", str(db_path), "import", str(a), str(copy))
    assert code == 0, err
    assert "1 document added, 1 already present" in err
    assert out.startswith("added    ")
    assert "already imported" in out
    assert len(listing(capsys, db_path)) == 1


def test_import_canonicalises_text(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "messy.txt"
    path.write_bytes(b"\xef\xbb\xbf\r\n  Cafe\xcc\x81 study\r\nline two\rTNF-\xf0\x9d\x9b\xbc\r\n")
    code, _, err = call(capsys, "--db", str(db_path), "import", str(path))
    assert code == 0, err
    (doc,) = listing(capsys, db_path)
    canonical = "\n  Café study\nline two\nTNF-𝛼\n"
    assert doc["id"] == text_uid(canonical)
    assert doc["title"] == "Café study"
    assert doc["length"] == len(canonical)
    database = open_database(f"sqlite:///{db_path}")
    try:
        info = documents.get_document(database, doc["id"])
    finally:
        database.dispose()
    assert info.text == canonical
    assert info.source == str(path)


# --- bad input: a clear error naming the file, and nothing imported ------------------------


def _bad_binary(folder: Path) -> tuple[list[Path], list[str]]:
    path = folder / "figure.txt"
    path.write_bytes(PNG_HEADER)
    return [path], [str(path), "binary"]


def _bad_latin1(folder: Path) -> tuple[list[Path], list[str]]:
    path = folder / "notes.txt"
    path.write_bytes("Title\nsecond line\ncaf\u00e9 au lait\n".encode("latin-1"))
    return [path], [f"{path}:3:", "UTF-8"]


def _bad_empty(folder: Path) -> tuple[list[Path], list[str]]:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return [path], [str(path), "empty"]


def _bad_whitespace(folder: Path) -> tuple[list[Path], list[str]]:
    path = folder / "blank.txt"
    path.write_bytes(b"  \r\n\t\n   \n")
    return [path], [str(path), "empty"]


def _bad_one_in_folder(folder: Path) -> tuple[list[Path], list[str]]:
    inside = folder / "batch"
    article_files(inside, 3, prefix="good")
    bad = inside / "good_01b.txt"  # sorted between good ones
    bad.write_bytes(b"fine first line\n\xff\xfe broken\n")
    return [inside], [f"{bad}:2:"]


def _bad_missing(folder: Path) -> tuple[list[Path], list[str]]:
    (good,) = article_files(folder / "ok", 1, prefix="fresh")
    missing = folder / "no-such-file.txt"
    return [good, missing], [str(missing), "does not exist"]


def _bad_extension(folder: Path) -> tuple[list[Path], list[str]]:
    path = folder / "article.docx"
    path.write_text("pretend word document\n")
    return [path], [str(path), "not a supported file type", ".txt"]


def _bad_empty_folder(folder: Path) -> tuple[list[Path], list[str]]:
    inside = folder / "only-word"
    inside.mkdir()
    (inside / "a.docx").write_text("x")
    return [inside], [str(inside), "holds no .txt, .pdf, .nxml, .html, .htm, .jsonl, .json, .xml"]


BAD_INPUTS = {
    "binary": _bad_binary,
    "latin1": _bad_latin1,
    "empty": _bad_empty,
    "whitespace-only": _bad_whitespace,
    "one-bad-in-folder": _bad_one_in_folder,
    "missing-path": _bad_missing,
    "unsupported-extension": _bad_extension,
    "folder-without-txt": _bad_empty_folder,
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_and_database_unchanged(
    capsys: pytest.CaptureFixture[str], populated: Path, tmp_path: Path, case: str
) -> None:
    docs = listing(capsys, populated)
    before = populated.read_bytes()
    folder = tmp_path / "input"
    folder.mkdir()
    inputs, needles = BAD_INPUTS[case](folder)

    code, out, err = call(capsys, "--db", str(populated), "import", *map(str, inputs))

    assert_user_error(code, err, *needles)
    assert out == ""
    assert populated.read_bytes() == before
    assert listing(capsys, populated) == docs
    assert document_count(populated) == 4


def test_file_over_the_size_limit_is_refused(
    capsys: pytest.CaptureFixture[str],
    populated: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Big article\n" + "ruxolitinib " * 500)  # ~6 KB
    small = tmp_path / "small.txt"
    small.write_text("Small article\nshort\n")  # well under 1 KB
    monkeypatch.setenv("CURATOR_MAX_FILE_MB", "0.001")  # 1,048 bytes
    before = populated.read_bytes()

    code, _, err = call(capsys, "--db", str(populated), "import", str(small), str(big))

    assert_user_error(code, err, str(big), "limit")
    assert populated.read_bytes() == before
    assert document_count(populated) == 4
    # Under the limit, the same small file imports.
    code, _, err = call(capsys, "--db", str(populated), "import", str(small))
    assert code == 0, err
    assert document_count(populated) == 5


# --- list ---------------------------------------------------------------------------


def test_list_json_fields_and_types(capsys: pytest.CaptureFixture[str], populated: Path) -> None:
    docs = listing(capsys, populated)
    target = docs[0]
    database = open_database(f"sqlite:///{populated}")
    try:
        text = documents.get_document(database, target["id"]).text
        annotate.add_spans(
            database, target["id"], "alice", [NewSpan(0, 3, "therapy"), NewSpan(4, 9, "target")]
        )
        gone = annotate.add_span(database, target["id"], "bob", NewSpan(0, 3, "outcome"))
        annotate.delete_span(database, gone.uid)
        documents.set_status(database, docs[1]["id"], "carol", "done")
    finally:
        database.dispose()

    docs = listing(capsys, populated)
    assert len(docs) == 4
    for doc in docs:
        assert set(doc) == {"id", "title", "length", "spans", "status", "active_seconds"}
        assert isinstance(doc["id"], str) and len(doc["id"]) == 64
        assert isinstance(doc["title"], str) and doc["title"]
        assert isinstance(doc["length"], int) and doc["length"] > 0
        assert isinstance(doc["spans"], dict)
        assert isinstance(doc["status"], dict)
        assert set(doc["active_seconds"]) == set(doc["status"])  # a curator's time, 0 if none
    first = next(d for d in docs if d["id"] == target["id"])
    assert first["length"] == len(text)
    assert first["spans"] == {"alice": 2}  # bob's only span is a tombstone
    assert first["status"] == {"alice": "in_progress", "bob": "in_progress"}
    carols = [d for d in docs if "carol" in d["status"]]
    assert [(d["spans"], d["status"]) for d in carols] == [({}, {"carol": "done"})]
    untouched = [d for d in docs if d is not first and d not in carols]
    assert len(untouched) == 2
    assert all(d["spans"] == {} and d["status"] == {} for d in untouched)


def test_list_json_keeps_non_ascii(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "t.txt"
    path.write_text("CD34⁺ cells and TNF-𝛼 in Zürich\nbody\n", encoding="utf-8")
    assert call(capsys, "--db", str(db_path), "import", str(path))[0] == 0
    code, out, _ = call(capsys, "--db", str(db_path), "list", "--json")
    assert code == 0
    assert "CD34⁺ cells and TNF-𝛼 in Zürich" in out  # not \\u-escaped
    assert json.loads(out)[0]["title"] == "CD34⁺ cells and TNF-𝛼 in Zürich"


def test_list_table(capsys: pytest.CaptureFixture[str], populated: Path) -> None:
    docs = listing(capsys, populated)
    code, out, _ = call(capsys, "--db", str(populated), "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "length", "spans", "status", "title"]
    assert len(lines) == 1 + len(docs)
    for line, doc in zip(lines[1:], docs, strict=True):
        assert line.startswith(doc["id"][:12])
        assert doc["title"][:60] in line


def test_list_of_empty_database(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = call(capsys, "--db", str(db_path), "list")
    assert code == 0
    assert out == ""
    assert f"no documents yet; add some with: curator --db {db_path} import PATH" in err
    assert listing(capsys, db_path) == []


# --- where the database is and who curates ------------------------------------------------


def test_db_as_sqlalchemy_url(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, _, err = call(capsys, "--db", f"sqlite:///{db_path}", "import", str(SAMPLE_DATA))
    assert code == 0, err
    assert document_count(db_path) == 4


def test_curator_db_env_is_used_without_db_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("CURATOR_DB", str(env_db))
    code, _, err = call(capsys, "import", str(SAMPLE_DATA))
    assert code == 0, err
    assert document_count(env_db) == 4
    # --db wins over CURATOR_DB.
    arg_db = tmp_path / "from-arg.sqlite"
    code, out, _ = call(capsys, "--db", str(arg_db), "list", "--json")
    assert code == 0
    assert json.loads(out) == []
    assert document_count(env_db) == 4


def test_default_database_is_in_the_user_data_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    default = tmp_path / "xdg-data" / "heme-curator" / "curator.sqlite"  # conftest's XDG
    assert paths.default_database_path() == default
    assert not default.exists()
    code, _, err = call(capsys, "import", str(SAMPLE_DATA))
    assert code == 0, err
    assert document_count(default) == 4


def test_missing_db_folder_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "c.sqlite"
    code, out, err = call(capsys, "--db", str(missing), "list")
    assert_user_error(code, err, str(missing), "folder")
    assert out == ""
    assert not missing.parent.exists()


@pytest.fixture
def seen_curator(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the curator name the CLI resolved, by wrapping the list command."""
    seen: list[str] = []
    real = cli.cmd_list

    def spy(args: Any, db: Any) -> int:
        seen.append(args.curator_name)
        return real(args, db)

    monkeypatch.setattr(cli, "cmd_list", spy)
    return seen


def test_curator_option_beats_environment(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seen_curator: list[str],
) -> None:
    monkeypatch.setenv("CURATOR_NAME", "bob")
    assert call(capsys, "--db", str(db_path), "--curator", "  alice ", "list")[0] == 0
    assert call(capsys, "--db", str(db_path), "list")[0] == 0
    monkeypatch.setenv("CURATOR_NAME", "   ")  # blank: as if unset
    assert call(capsys, "--db", str(db_path), "list")[0] == 0
    monkeypatch.delenv("CURATOR_NAME")
    assert call(capsys, "--db", str(db_path), "list")[0] == 0
    assert seen_curator == ["alice", "bob", getpass.getuser(), getpass.getuser()]


def test_overlong_curator_name_is_an_error(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = call(capsys, "--db", str(db_path), "--curator", "x" * 201, "list")
    assert_user_error(code, err, "at most 200")
