"""What ``curator --help`` and ``curator COMMAND --help`` say, and the options every command takes.

The parser in :mod:`curator.cli` says what each command accepts; this module
adds what a new user asks first: a one-line description, an example, the
environment variables with their defaults, and the global options repeated
after the command name, so ``curator import -q x.txt`` works like
``curator -q import x.txt``.

The one rule for the global options after a command: a command's own option
of the same name wins. Only ``export`` and ``evidence`` have one (``--curator NAME``
there chooses whose spans or relations to write, and may be repeated); before the command,
``--curator`` is always who you are.
"""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Help:
    summary: str
    """One line: the command list of ``curator --help`` and the top of the command's page."""
    examples: tuple[str, ...]


COMMANDS: dict[str, Help] = {
    "gui": Help("Open the app (what plain `curator` does).", ("curator gui --db team.sqlite",)),
    "import": Help(
        "Import articles (text, PDF, PMC XML, web pages) and span files, or folders of them.",
        (
            "curator import articles/",
            "curator --curator alice import spans.jsonl --add-labels",
            "curator import --json paper.txt",
        ),
    ),
    "export": Help(
        "Write documents and spans to a file in one of the formats --format lists.",
        (
            "curator export -o spans.jsonl",
            "curator export -o train.spacy --curator alice --curator bob",
            "curator export -o out.json --format labelstudio --document 3f2a9c",
        ),
    ),
    "list": Help(
        "List documents with their length, spans and status per curator.",
        ("curator list", "curator list --json"),
    ),
    "suggest": Help(
        "Add suggested spans for the curator from the lexicons and learned patterns.",
        (
            "curator suggest",
            "curator suggest --document 3f2a9c --drug-library",
            "curator suggest --json",
            "curator suggest --model",
        ),
    ),
    "train": Help(
        "Train the suggestion model on the team's spans and rejections, when enough are new.",
        ("curator train", "curator train --force --json", "curator suggest --model --train"),
    ),
    "link": Help(
        "Link the curator's unlinked spans to the concept their text names exactly.",
        ("curator link", "curator link --label target therapy --json"),
    ),
    "merge": Help(
        "Merge other curators' databases or JSONL exports into this database.",
        ("curator merge alice.sqlite bob.sqlite", "curator merge carol.jsonl --json"),
    ),
    "agreement": Help(
        "Agreement between curators: F1, kappa and alpha per label and per document.",
        ("curator agreement", "curator agreement --curators alice bob --label therapy --json"),
    ),
    "evidence": Help(
        "Write one row per therapy mention with relations: targets, outcomes, experts.",
        (
            "curator evidence -o evidence.csv",
            "curator evidence -o evidence.jsonl --curator alice --document 3f2a9c",
        ),
    ),
    "relation-types": Help(
        "List the relation types, or add, edit, retire and restore them.",
        ("curator relation-types", "curator relation-types list --all --json"),
    ),
    "relation-types list": Help(
        "List the relation types: key, colour, the labels of their ends, description.",
        ("curator relation-types list", "curator relation-types list --all --json"),
    ),
    "relation-types add": Help(
        "Add a relation type with the labels its head and tail may carry.",
        (
            "curator relation-types add dosed_with --head therapy --tail outcome --key d",
            "curator relation-types add binds --head therapy --tail target --color #D55E00",
        ),
    ),
    "relation-types edit": Help(
        "Rename a relation type or change its labels, key, colour or description.",
        (
            "curator relation-types edit acts_on --name targets",
            "curator relation-types edit reports --tail therapy outcome --no-key",
        ),
    ),
    "relation-types retire": Help(
        "Retire a relation type: no new relations of it; the existing ones stay.",
        ("curator relation-types retire reports",),
    ),
    "relation-types restore": Help(
        "Bring a retired relation type back.",
        ("curator relation-types restore reports",),
    ),
    "search": Help(
        "Search every document's text (words, phrases, word*) or the spans (label:, curator:, "
        "concept:, note:); --annotate LABEL tags the searched phrase in every document found.",
        (
            "curator search bone marrow failure",
            "curator search '\"complete response\"' --json",
            "curator search label:therapy curator:ann ruxolitinib",
            "curator search '\"complete response\"' --annotate outcome --dry-run",
            "curator --curator ann search BCMA --annotate target",
        ),
    ),
    "progress": Help(
        "Progress per curator: documents done, in progress and new, and active time spent.",
        ("curator progress", "curator progress --json"),
    ),
    "labels": Help(
        "List or edit the label set: add, rename, recolour, key, move, retire, restore.",
        ("curator labels list", "curator labels rename therapy treatment"),
    ),
    "labels list": Help(
        "Every label, retired ones too, with its key, colour and live spans.",
        ("curator labels list", "curator labels list --json"),
    ),
    "labels add": Help(
        "Add a label at the end of the set.",
        ("curator labels add dose '#56B4E9' --key 5 --description 'A dose or regimen.'",),
    ),
    "labels rename": Help(
        "Rename a label; every curator's spans of it follow, and so do relation rules.",
        ("curator labels rename therapy treatment",),
    ),
    "labels recolour": Help(
        "Change a label's colour.", ("curator labels recolour target '#D55E00'",)
    ),
    "labels key": Help(
        "Give a label a key in the app (a digit or letter), or none.",
        ("curator labels key dose 5", "curator labels key dose"),
    ),
    "labels move": Help(
        "Move a label to a place in the order (1 for first).", ("curator labels move dose 1",)
    ),
    "labels retire": Help(
        "Retire a label: its spans stay and are shown with its name; it loses its key.",
        ("curator labels retire expert",),
    ),
    "labels restore": Help(
        "Bring a retired label back (give it a key again).", ("curator labels restore expert",)
    ),
    "completion": Help(
        "Print a shell completion script for bash or zsh.",
        (
            "curator completion bash > ~/.local/share/bash-completion/completions/curator",
            "curator completion zsh > ~/.zfunc/_curator",
        ),
    ),
    "db": Help(
        "Database maintenance: upgrade, check, backup.",
        ("curator db check", "curator --db team.sqlite db backup --to copy.sqlite"),
    ),
    "db upgrade": Help(
        "Bring the database to the current schema (a backup is made first).",
        ("curator db upgrade",),
    ),
    "db check": Help(
        "Exit 0 only if the database is at the current schema and intact.",
        ("curator db check && echo ok",),
    ),
    "db backup": Help(
        "Make a consistent copy of a SQLite database, even while it is open.",
        ("curator db backup", "curator db backup --to ~/safe/curator-copy.sqlite"),
    ),
}


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    meaning: str


ENVIRONMENT = (
    Variable("CURATOR_DB", "the per-user data folder's curator.sqlite", "database, as --db"),
    Variable("CURATOR_NAME", "your login name", "who is curating, as the global --curator"),
    Variable("CURATOR_MAX_FILE_MB", "20", "largest article file imported, in MB"),
    Variable(
        "CURATOR_MAX_SPAN_FILE_MB", "4096", "largest span file (JSONL, BioC...) imported, in MB"
    ),
    Variable("CURATOR_MAX_LINE_MB", "256", "longest JSONL line (one document) imported, in MB"),
    Variable("CURATOR_KEEP_BACKUPS", "5", "automatic backups kept beside a database"),
    Variable("CURATOR_BUSY_TIMEOUT_MS", "15000", "how long to wait for another program's lock"),
    Variable(
        "CURATOR_RETRAIN_AFTER", "20", "new decisions after which the suggestion model retrains"
    ),
    Variable("CURATOR_MODEL_SUGGESTIONS", "on", "off: the app neither trains nor runs the model"),
    Variable("CURATOR_PARENT_PID", "", "set by the app on its background child: end with it"),
    Variable(
        "CURATOR_TRAIN_PASSES", "600", "documents the suggestion model sees per training (speed)"
    ),
    Variable(
        "CURATOR_PROGRESS", "auto", "progress: auto (bars on a terminal), lines (for logs), off"
    ),
    Variable(
        "CURATOR_REPORT_PAINTED", "0", "1: the app prints when it painted (start-up benchmark)"
    ),
)

OPTIONS_RULE = (
    "--db, --curator and -q may come before or after the command. After 'export' and "
    "'evidence', --curator is the command's own option (whose spans or relations to "
    "write, repeatable); give who you are before the command there."
)


def _examples(lines: tuple[str, ...]) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def main_epilog() -> str:
    width = max(len(v.name) for v in ENVIRONMENT)
    env = "\n".join(
        f"  {v.name:{width}}  {v.meaning}\n  {'':{width}}  default: {v.default}"
        for v in ENVIRONMENT
    )
    return (
        f"environment variables:\n{env}\n\n{textwrap.fill(OPTIONS_RULE, 79)}\n\n"
        "'curator COMMAND --help' shows each command's options and examples."
    )


def _global_options(parser: argparse.ArgumentParser) -> None:
    """--db, --curator and -q after the command; a command's own option of a name wins."""
    taken = {s for action in parser._actions for s in action.option_strings}
    suppress = argparse.SUPPRESS
    if "--db" not in taken:
        parser.add_argument(
            "--db", metavar="PATH_OR_URL", default=suppress, help="database (as before the command)"
        )
    if "--curator" not in taken:
        parser.add_argument(
            "--curator",
            dest="curator_name",
            metavar="NAME",
            default=suppress,
            help="who is curating (as before the command)",
        )
    if "-q" not in taken:
        parser.add_argument(
            "-q", "--quiet", action="store_true", default=suppress, help="no progress bars"
        )


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _summaries(parser: argparse.ArgumentParser, prefix: str) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                found = COMMANDS.get(prefix + choice.dest)
                if found is not None:
                    choice.help = found.summary.rstrip(".")


def decorate_command(key: str, sub: argparse.ArgumentParser) -> None:
    """Give the command *key* ("db check") and those below it a description, examples, options."""
    found = COMMANDS.get(key)
    if found is not None:
        paragraphs = [found.summary, *([sub.description] if sub.description else [])]
        sub.description = "\n\n".join(textwrap.fill(p, 79) for p in paragraphs)
        sub.epilog = _examples(found.examples)
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
    _global_options(sub)
    decorate(sub, key + " ")


def decorate_top(parser: argparse.ArgumentParser) -> None:
    """``curator --help``'s closing part: the environment and the options rule."""
    parser.epilog = main_epilog()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def decorate(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """Give every command below *parser* its description, examples and the global options."""
    _summaries(parser, prefix)
    for name, sub in _subparsers(parser).items():
        decorate_command(prefix + name, sub)
    if not prefix:
        decorate_top(parser)


def command_names(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    """Every command and subcommand, as ``COMMANDS`` names them ("db check")."""
    names = []
    for name, sub in _subparsers(parser).items():
        names.append(prefix + name)
        names += command_names(sub, prefix + name + " ")
    return names
