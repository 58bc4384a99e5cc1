"""A start builds only the command it runs, and says and does exactly what the full parser does.

``curator.cli.main`` parses with :func:`curator.cli.build_parser` ``(on_demand=True)``:
each command's parser is built when the arguments name it. Every command's
help, the usual errors and the parsed values are compared with the full
parser's, byte for byte; a child process shows what a command imports.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from curator import cli, cli_help, cli_on_demand
from curator.core.storage import migrate
from curator.core.storage.db import open_database
from tests.quick_process import child_report


def _outcome(
    parser: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[Any, str, str]:
    """What parsing *argv* gives: the values or the exit status, then stdout and stderr."""
    capsys.readouterr()
    try:
        result: Any = vars(parser.parse_args(argv))
    except SystemExit as stop:
        result = ("exit", stop.code)
    out, err = capsys.readouterr()
    return result, out, err


def _same(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[Any, str, str]:
    full = _outcome(cli.build_parser(), argv, capsys)
    on_demand = _outcome(cli.build_parser(on_demand=True), argv, capsys)
    assert on_demand == full, argv
    return full


def _commands() -> list[list[str]]:
    return [name.split() for name in cli_help.COMMANDS]


def test_the_groups_name_every_command_of_the_full_parser_in_its_order() -> None:
    full = cli.build_parser()
    top = [name for name in cli_help.command_names(full) if " " not in name]
    assert [name for names, _ in cli.COMMAND_GROUPS for name in names] == top
    assert set(cli_help.command_names(full)) == set(cli_help.COMMANDS)


def test_the_overview_and_the_version_are_the_full_parsers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result, out, _ = _same(["--help"], capsys)
    assert result == ("exit", 0)
    assert "relation-types" in out and "environment variables:" in out
    assert _same(["--version"], capsys)[0] == ("exit", 0)


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_commands_help_is_the_full_parsers(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result, out, _ = _same([*words, "--help"], capsys)
    assert result == ("exit", 0)
    assert f"usage: curator {' '.join(words)}" in out
    assert "examples:" in out


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_commands_errors_are_the_full_parsers(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result, _, err = _same([*words, "--no-such-option"], capsys)
    assert result == ("exit", 2)
    assert "error:" in err
    _same(["--db", "x.sqlite", *words, "--no-such-option"], capsys)
    _same(words, capsys)  # missing arguments, or the values of a bare command


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["--db"],
        ["--db", "x.sqlite"],
        ["-q"],
        ["--cur", "alice", "progress", "--json"],
        ["--db=x.sqlite", "progress", "-q", "--curator", "bob"],
        ["--db", "progress", "list"],
        ["--", "progress"],
        ["progress", "list"],
        ["export"],
        ["export", "-o", "out.jsonl", "--format", "nope"],
        ["export", "-o", "out.jsonl", "--curator", "a", "b", "--document", "3f"],
        ["labels"],
        ["labels", "nope"],
        ["relation-types", "add"],
        ["relation-types", "add", "binds", "--head", "therapy", "--tail", "target"],
        ["db"],
        ["db", "nope"],
        ["db", "check"],
        ["merge"],
        ["search", "bone", "marrow", "--json"],
        ["completion", "fish"],
        ["import", "a.txt", "--add-labels"],
    ],
    ids=repr,
)
def test_usual_arguments_and_mistakes_give_what_the_full_parser_gives(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _same(argv, capsys)


def test_export_format_errors_after_the_parse_are_the_full_parsers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["export", "-o", "out.json"]  # .json: bioc-json or labelstudio, to be said
    said = []
    for parser in (cli.build_parser(), cli.build_parser(on_demand=True)):
        args = parser.parse_args(argv)
        capsys.readouterr()
        with pytest.raises(SystemExit) as stop:
            cli.check_export_args(parser, args)
        said.append((stop.value.code, capsys.readouterr()))
    assert said[0] == said[1]
    assert said[0][0] == 2


def _commands_of(parser: argparse.ArgumentParser) -> cli_on_demand.Commands:
    for action in parser._actions:
        if isinstance(action.choices, cli_on_demand.Commands):
            return action.choices
    raise AssertionError("no on-demand commands")


def test_a_parse_builds_only_the_group_of_the_command_named() -> None:
    parser = cli.build_parser(on_demand=True)
    commands = _commands_of(parser)
    assert commands.built() == []
    args = parser.parse_args(["--db", "x.sqlite", "progress", "--json"])
    assert args.command == "progress" and args.json
    assert commands.built() == ["progress"]
    parser.parse_args(["train"])
    assert commands.built() == ["progress", "suggest", "train"]


def test_a_group_adding_other_commands_than_listed_is_refused() -> None:
    parser = argparse.ArgumentParser(prog="curator")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_on_demand.attach(sub, [(("progress", "train"), "curator.cli_work:add_progress_parser")])
    with pytest.raises(RuntimeError, match="not"):
        parser.parse_args(["progress"])


def _child(argv: list[str]) -> dict[str, Any]:
    """``python -m curator ARGV`` in a fresh interpreter: its exit, modules and collector."""
    code = (
        "import gc, json, runpy, sys\n"
        f"sys.argv = {['curator', *argv]!r}\n"
        "try:\n"
        "    runpy.run_module('curator', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    status = end.code\n"
        "print(json.dumps({'status': status, 'modules': sorted(sys.modules),\n"
        "    'collector': gc.isenabled(), 'frozen': gc.get_freeze_count()}), file=sys.stderr)\n"
    )
    report: dict[str, Any] = child_report(code)
    return report


OTHER_COMMANDS = (
    "curator.cli_suggest",
    "curator.cli_review",
    "curator.cli_relations",
    "curator.cli_labels",
    "curator.cli_search",
    "curator.cli_annotate_all",
    "curator.cli_install",
    "curator.core.search",
    "curator.core.interchange",
    "curator.core.learning.retraining",  # its variables are checked from .tuning
    "curator.core.learning.model_store",
)


def test_a_command_imports_no_other_commands_module(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    db.dispose()
    report = _child(["--db", str(path), "progress"])
    assert report["status"] == 0
    loaded = set(report["modules"])
    assert "curator.cli_work" in loaded
    assert not loaded.intersection(OTHER_COMMANDS)
    # The start's objects were left out of the collector's walks, and it runs again.
    assert report["collector"] is True
    assert report["frozen"] > 10_000
    report = _child(["--db", str(path), "relation-types", "list", "--json"])
    assert report["status"] == 0
    loaded = set(report["modules"])
    assert "curator.cli_relations" in loaded
    assert not loaded.intersection(set(OTHER_COMMANDS) - {"curator.cli_relations"})


def test_an_unknown_command_lists_every_command_in_a_child(tmp_path: Path) -> None:
    report = _child(["--db", str(tmp_path / "x.sqlite"), "bogus"])
    assert report["status"] == 2
    assert report["collector"] is True
