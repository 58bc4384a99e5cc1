"""What every command shares: help with an example, global options anywhere, the same
repeatable options, right plurals, shell completion and JSON reports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from curator import cli, cli_help
from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from tests.cli.helpers import REPO, SAMPLE_DATA, call, listing, run


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        cli.main([*command, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_every_command_has_a_description_and_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = cli_help.command_names(cli.build_parser())
    assert {"import", "export", "suggest", "merge", "agreement", "completion", "db backup"} <= set(
        names
    )
    overview = help_of(capsys)
    for name in names:
        found = cli_help.COMMANDS.get(name)
        assert found is not None, f"{name} has no entry in cli_help.COMMANDS"
        page = help_of(capsys, *name.split())
        assert found.summary in page.replace("\n", " ")
        assert "examples:\n  curator " in page, name
        assert all(e.startswith("curator ") for e in found.examples)
        if " " not in name:  # the overview lists each command with its line
            assert found.summary.rstrip(".")[:30] in overview.replace("\n", " "), name
    # Every option and argument says what it is for.
    parser = cli.build_parser()
    for name in names:
        sub = parser
        for word in name.split():
            sub = cli_help._subparsers(sub)[word]
        for action in sub._actions:
            if not isinstance(action, cli.argparse._SubParsersAction):
                assert action.help, (name, action.dest)


def test_main_help_lists_the_environment_with_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = help_of(capsys)
    for variable in cli_help.ENVIRONMENT:
        assert variable.name in page
        assert f"default: {variable.default}" in page
    # Every variable the code reads is listed.
    used = {
        name
        for path in (REPO / "curator").rglob("*.py")
        for name in re.findall(r"CURATOR_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8"))
    }
    assert used <= {v.name for v in cli_help.ENVIRONMENT}
    assert "before or after the command" in page


def test_global_options_after_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "after.sqlite"
    code, _, err = call(capsys, "import", str(SAMPLE_DATA), "--db", str(db), "-q")
    assert code == 0, err
    assert [d["title"] for d in listing(capsys, db)]
    spans = tmp_path / "spans.jsonl"
    line = {"text": "Ruxolitinib works.", "spans": [{"start": 0, "end": 11, "label": "therapy"}]}
    spans.write_text(json.dumps(line) + "\n")
    code, _, err = call(capsys, "import", str(spans), "--curator", "zoe", "--db", str(db))
    assert code == 0, err
    (tagged,) = [d for d in listing(capsys, db) if d["spans"]]
    assert tagged["spans"] == {"zoe": 1}
    code, out, _ = call(capsys, "list", "--json", "--db", str(db))
    assert code == 0 and json.loads(out)
    code, _, err = call(capsys, "db", "check", "--db", str(db))
    assert code == 0 and "ok" in err


def test_export_curator_after_the_command_is_the_filter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "two.sqlite"
    assert call(capsys, "--db", str(db), "import", str(SAMPLE_DATA))[0] == 0
    database = open_database(f"sqlite:///{db}")
    uid = documents.list_documents(database)[0].uid
    annotate.add_spans(database, uid, "alice", [NewSpan(0, 8, "therapy")])
    annotate.add_spans(database, uid, "bob", [NewSpan(20, 30, "target")])
    database.dispose()
    out = tmp_path / "alice.jsonl"
    code, _, err = call(capsys, "--db", str(db), "export", "-o", str(out), "--curator", "alice")
    assert code == 0, err
    curators = {
        s["curator"] for line in out.read_text().splitlines() for s in json.loads(line)["spans"]
    }
    assert curators == {"alice"}


def test_document_takes_several_values_either_way_in_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "docs.sqlite"
    assert call(capsys, "--db", str(db), "import", str(SAMPLE_DATA))[0] == 0
    a, b = (d["id"] for d in listing(capsys, db)[:2])
    spelled = {
        "one option": ["--document", a[:10], b[:10]],
        "repeated": ["--document", a[:10], "--document", b[:10]],
    }
    for way, docs in spelled.items():
        out = tmp_path / f"{way}.jsonl"
        code, _, err = call(capsys, "--db", str(db), "export", "-o", str(out), *docs)
        assert code == 0, err
        assert {json.loads(line)["id"] for line in out.read_text().splitlines()} == {a, b}, way
        code, out_text, err = call(capsys, "--db", str(db), "suggest", "--json", *docs)
        assert code == 0, err
        assert {d["id"] for d in json.loads(out_text)["documents"]} == {a, b}, way
        code, _, err = call(capsys, "--db", str(db), "agreement", "--json", *docs)
        assert code == 0, err


def test_counts_of_one_are_singular(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "one.sqlite"
    spans = tmp_path / "one.jsonl"
    line = {"text": "Ruxolitinib works.", "spans": [{"start": 0, "end": 11, "label": "therapy"}]}
    spans.write_text(json.dumps(line) + "\n")
    code, out, err = call(capsys, "--db", str(db), "import", str(spans))
    assert code == 0, err
    assert "1 line, 1 document added, 0 already present; 1 span added" in out
    assert "1 document added, 0 already present; 1 span added, 0 updated" in err
    code, _, err = call(capsys, "--db", str(db), "export", "-o", str(tmp_path / "x.jsonl"))
    assert "exported 1 document, 1 span as jsonl" in err
    code, out, _ = call(capsys, "--db", str(db), "merge", str(tmp_path / "x.jsonl"))
    assert code == 0 and "merged 1 source:" in out


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts_name_every_command(
    capsys: pytest.CaptureFixture[str], shell: str, tmp_path: Path
) -> None:
    code, script, err = call(capsys, "--db", str(tmp_path / "never.sqlite"), "completion", shell)
    assert code == 0, err
    assert not (tmp_path / "never.sqlite").exists()  # no database is opened for it
    for command in ("import", "export", "suggest", "merge", "agreement", "backup"):
        assert command in script
    assert "--document" in script and "--drug-library" in script
    program = shutil.which(shell)
    if program is not None:  # the script is valid for the shell it is for
        path = tmp_path / f"curator.{shell}"
        path.write_text(script)
        check = subprocess.run(
            [program, "-n", str(path)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr


def test_import_suggest_and_merge_print_one_json_object(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, other = tmp_path / "j.sqlite", tmp_path / "other.sqlite"
    code, out, err = call(capsys, "--db", str(db), "import", "--json", str(SAMPLE_DATA))
    assert code == 0, err
    report = json.loads(out)
    assert report["documents_added"] == len(report["articles"]) == 4
    assert {a["status"] for a in report["articles"]} == {"added"}
    assert report["span_files"] == [] and err == ""
    code, out, err = call(capsys, "--db", str(db), "--curator", "ann", "suggest", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["curator"] == "ann" and len(report["documents"]) == 4
    assert (
        sum(report["added"].values())
        == sum(sum(d["added"].values()) for d in report["documents"])
        > 0
    )
    assert call(capsys, "--db", str(other), "import", str(SAMPLE_DATA))[0] == 0
    database = open_database(f"sqlite:///{other}")
    uid = documents.list_documents(database)[0].uid
    annotate.add_spans(database, uid, "bob", [NewSpan(0, 8, "therapy")])
    database.dispose()
    code, out, err = call(capsys, "--db", str(db), "merge", "--json", str(other))
    assert code == 0, err
    report = json.loads(out)
    assert report["sources"] == [str(other)]
    assert report["spans_added"] == 1 and report["changed"] is True
    assert set(report["conflicts"]) == {"time", "revision", "digest"}
    # A real process prints nothing else on stdout.
    again = run("--db", str(db), "merge", "--json", str(other))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["changed"] is False
