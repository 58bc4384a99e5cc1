"""``curator export`` and ``curator import`` of JSONL, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator import cli
from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from tests.cli.helpers import SAMPLE_DATA, article_files, assert_user_error, call, run


@pytest.fixture
def curated_db(capsys: pytest.CaptureFixture[str], db_path: Path) -> Path:
    """The sample articles with spans by ana and bo, and one deleted span."""
    code, _, err = call(capsys, "--db", str(db_path), "import", str(SAMPLE_DATA))
    assert code == 0, err
    database = open_database(f"sqlite:///{db_path}")
    try:
        for doc in documents.list_documents(database):
            text = documents.get_document(database, doc.uid).text
            word = text.index(" ") or 1
            annotate.add_span(database, doc.uid, "ana", NewSpan(0, word, "therapy"))
            annotate.add_span(database, doc.uid, "bo", NewSpan(0, word, "target", note="n"))
            gone = annotate.add_span(database, doc.uid, "bo", NewSpan(0, word, "expert"))
            annotate.delete_span(database, gone.uid)
    finally:
        database.dispose()
    return db_path


def _lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_export_jsonl_then_import_into_a_new_database(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path
) -> None:
    out, again = tmp_path / "all.jsonl", tmp_path / "again.jsonl"
    code, stdout, err = call(
        capsys, "--db", str(curated_db), "export", "-o", str(out), "--with-deleted"
    )
    assert code == 0, err
    assert stdout == f"{out}\n{tmp_path / 'all.labels.json'}\n"  # the label set beside it
    assert "exported 4 documents, 12 spans as jsonl" in err
    other = tmp_path / "other.sqlite"
    code, stdout, err = call(capsys, "--db", str(other), "import", str(out))
    assert code == 0, err
    assert "4 documents added, 0 already present; 12 spans added, 0 updated" in err
    code, _, err = call(capsys, "--db", str(other), "export", "-o", str(again), "--with-deleted")
    assert code == 0, err
    assert again.read_bytes() == out.read_bytes()
    assert (tmp_path / "again.labels.json").read_bytes() == (
        tmp_path / "all.labels.json"
    ).read_bytes()


def test_global_curator_and_export_curator_are_separate(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bo.jsonl"
    code, _, err = call(
        capsys,
        "--curator",
        "ana",
        "--db",
        str(curated_db),
        "export",
        "--curator",
        "bo",
        "-o",
        str(out),
    )
    assert code == 0, err
    spans = [s for line in _lines(out) for s in line["spans"]]
    assert {s["curator"] for s in spans} == {"bo"}
    assert len(spans) == 4  # the deleted span stays home without --with-deleted
    code, _, err = call(
        capsys,
        "--db",
        str(curated_db),
        "export",
        "--curator",
        "ana",
        "--curator",
        "bo",
        "-o",
        str(out),
    )
    assert code == 0, err
    assert {s["curator"] for line in _lines(out) for s in line["spans"]} == {"ana", "bo"}


def test_export_one_document_by_prefix(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path
) -> None:
    uid = _lines_of(capsys, curated_db, tmp_path)[0]["id"]
    out = tmp_path / "one.jsonl"
    code, _, err = call(
        capsys, "--db", str(curated_db), "export", "--document", uid[:10], "-o", str(out)
    )
    assert code == 0, err
    assert [line["id"] for line in _lines(out)] == [uid]


def _lines_of(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> list[dict]:  # type: ignore[type-arg]
    out = tmp_path / "probe.jsonl"
    assert call(capsys, "--db", str(db), "export", "-o", str(out))[0] == 0
    return _lines(out)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("x.spacy", "spacy"),
        ("x.xml", "bioc-xml"),
        ("x.json", "bioc-json"),
        ("tasks.json", "labelstudio"),
        ("brat", "brat"),
    ],
)
def test_every_format_from_the_command_line(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    out = tmp_path / name
    args = ["--db", str(curated_db), "export", "-o", str(out)]
    if name.endswith(".json") or fmt == "brat":
        args += ["--format", fmt]
    code, stdout, err = call(capsys, *args)
    assert code == 0, err
    assert f"exported 4 documents, 8 spans as {fmt}" in err
    assert out.exists()
    assert stdout.splitlines()[0].startswith(str(out))


def test_spans_iob_cannot_hold_are_named_counted_and_refused_unless_allowed(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path
) -> None:
    database = open_database(f"sqlite:///{curated_db}")
    try:
        doc = documents.list_documents(database)[0]
        end = len(documents.get_document(database, doc.uid).text)  # past the curated spans
        annotate.add_span(database, doc.uid, "ana", NewSpan(end - 9, end - 5, "target"))
        annotate.add_span(database, doc.uid, "ana", NewSpan(end - 7, end - 2, "therapy"))
    finally:
        database.dispose()
    out = tmp_path / "x.conll"
    args = ["--db", str(curated_db), "export", "-o", str(out), "--format", "conll"]
    code, _, err = call(capsys, *args, "--curator", "ana")
    assert code == 1 and err.startswith("error: conll cannot hold 1 of"), err
    assert f"therapy span {end - 7}-{end - 2}" in err and f"overlaps target span {end - 9}" in err
    assert "--allow-loss" in err and not out.exists()
    code, _, err = call(capsys, *args, "--curator", "ana", "--allow-loss")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and f"therapy span {end - 7}-{end - 2}" in warnings[0], err
    assert "1 span left out" in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-o", "x.json"], "say which with --format"),
        (["-o", "x.spacy", "--with-deleted"], "--with-deleted works with --format jsonl only"),
        (["-o", "x", "--format", "yaml"], "invalid choice"),
        ([], "required: -o"),
    ],
)
def test_export_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str], needle: str
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--db", str(db_path), "export", *args])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: curator" in err and needle in err
    assert not db_path.exists()


def test_export_user_errors(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path
) -> None:
    code, _, err = call(
        capsys, "--db", str(curated_db), "export", "--curator", "zed", "-o", "x.jsonl"
    )
    assert_user_error(code, err, "no curator named 'zed'", "ana, bo")
    code, _, err = call(
        capsys, "--db", str(curated_db), "export", "-o", str(tmp_path / "missing" / "x.jsonl")
    )
    assert_user_error(code, err, "does not exist")


def test_import_mixed_folder_with_foreign_jsonl_and_add_labels(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    article_files(folder, 2)
    text = "Luspatercept raised haemoglobin.\n"
    (folder / "spans.jsonl").write_text(
        json.dumps({"text": text, "spans": [{"start": 0, "end": 12, "label": "drug"}]}) + "\n",
        encoding="utf-8",
    )
    code, _, err = call(capsys, "--curator", "cy", "--db", str(db_path), "import", str(folder))
    assert_user_error(code, err, f"{folder / 'spans.jsonl'}:1:", "unknown label 'drug'")
    assert not db_path.exists() or call(capsys, "--db", str(db_path), "list", "--json")[1] == "[]\n"

    code, out, err = call(
        capsys, "--curator", "cy", "--db", str(db_path), "import", "--add-labels", str(folder)
    )
    assert code == 0, err
    assert "3 documents added, 0 already present; 1 span added" in err
    assert "new labels: drug" in out
    database = open_database(f"sqlite:///{db_path}")
    try:
        (doc,) = [d for d in documents.list_documents(database) if d.title.startswith("Lusp")]
        (span,) = annotate.spans_for(database, doc.uid)
    finally:
        database.dispose()
    assert (span.curator, span.label, span.text, span.origin) == (
        "cy",
        "drug",
        "Luspatercept",
        "imported",
    )


def test_bad_jsonl_is_traceback_free_subprocess(curated_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": 5}\n', encoding="utf-8")
    before = curated_db.read_bytes()
    result = run("--db", str(curated_db), "import", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {bad}:2: ")
    assert "Traceback" not in result.stderr
    assert curated_db.read_bytes() == before


def test_export_includes_pending_suggestions_only_when_asked(tmp_path: Path) -> None:
    from curator.cli import main

    db = str(tmp_path / "s.sqlite")
    sample = Path(__file__).resolve().parents[2] / "data" / "02_aplastic_anemia_ist.txt"
    assert main(["--db", db, "--curator", "ana", "import", str(sample)]) == 0
    assert main(["--db", db, "--curator", "ana", "suggest"]) == 0
    plain, withs = tmp_path / "plain.jsonl", tmp_path / "with.jsonl"
    assert main(["--db", db, "export", "-o", str(plain)]) == 0
    assert main(["--db", db, "export", "-o", str(withs), "--with-suggestions"]) == 0
    (line,) = plain.read_text(encoding="utf-8").splitlines()
    assert "suggestions" not in json.loads(line)
    (line,) = withs.read_text(encoding="utf-8").splitlines()
    obj = json.loads(line)
    suggestions = obj["suggestions"]
    assert {s["label"] for s in suggestions} == {"therapy", "target", "outcome", "expert"}
    assert all(obj["text"][s["start"] : s["end"]] == s["text"] for s in suggestions)
    assert all(s["curator"] == "ana" for s in suggestions)
    assert obj["spans"] == []  # suggestions are not spans until accepted


def test_relations_a_format_cannot_hold_are_named_counted_and_refused_unless_allowed(
    capsys: pytest.CaptureFixture[str], curated_db: Path, tmp_path: Path
) -> None:
    from curator.core.relations import add_relation

    database = open_database(f"sqlite:///{curated_db}")
    try:
        doc = documents.list_documents(database)[0]
        text = documents.get_document(database, doc.uid).text
        start = text.index(" ") + 1
        target = annotate.add_span(database, doc.uid, "ana", NewSpan(start, start + 1, "target"))
        (therapy,) = [s for s in annotate.spans_for(database, doc.uid) if s.label == "therapy"]
        add_relation(database, doc.uid, "ana", "acts_on", therapy.uid, target.uid)
    finally:
        database.dispose()
    out = tmp_path / "x.conll"
    args = ["--db", str(curated_db), "export", "-o", str(out), "--format", "conll"]
    code, _, err = call(capsys, *args, "--curator", "ana")
    assert code == 1 and err.startswith("error: conll cannot hold 1 of 1 relation"), err
    assert "acts_on relation from therapy" in err and "conll holds no relations" in err
    assert "--allow-loss" in err and not out.exists()
    code, _, err = call(capsys, *args, "--curator", "ana", "--allow-loss")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "conll holds no relations" in warnings[0], err
    assert "1 relation left out" in err
    code, _, err = call(capsys, "--db", str(curated_db), "export", "-o", str(tmp_path / "a.jsonl"))
    assert code == 0 and "and 1 relation as jsonl" in err, err
