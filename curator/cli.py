"""The ``curator`` command line: the same core as the app, for scripts and batch work.

Contract: ``curator [--db URL] [--curator NAME] [-q] COMMAND ...`` (the global
options may also follow the command; see :mod:`curator.cli_help`). A user
error prints ``error: ...`` on stderr and exits 1; a usage error exits 2; a
reader that closes the pipe early (``| head``) ends the command quietly with
141, as for ``cat``. Every command except ``db check``, ``db backup`` and
``completion`` first brings the database to the current schema (with a
backup when it holds data). Progress bars go to stderr on a terminal only
(:mod:`curator.cli_progress`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from curator import __version__, cli_db, cli_help, cli_on_demand
from curator.cli_common import REPEATABLE
from curator.cli_common import err as _err
from curator.cli_common import info as _info
from curator.cli_progress import mode as progress_mode
from curator.cli_progress import progress_bar
from curator.core.errors import CuratorError
from curator.core.opening import check_environment
from curator.core.optional import MissingPackageError
from curator.core.storage import migrate
from curator.core.storage.curators import resolve_name
from curator.core.storage.db import Database, open_database
from curator.core.storage.paths import database_url
from curator.core.wording import counted

Handler = Callable[[argparse.Namespace, Database], int]


# The names of curator.core.interchange.FORMATS (a test keeps them equal): the
# parser needs them at every start, and the interchange package with its
# readers and writers costs ~250 ms to import, which only import and export use.
EXPORT_FORMATS = (
    "jsonl",
    "spacy",
    "bioc-xml",
    "bioc-json",
    "brat",
    "labelstudio",
    "pubtator",
    "conll",
    "doccano",
)


def _reader_went_away() -> int:
    """``curator list | head -1``: the reader closed the pipe; stop quietly, as ``cat`` does.

    Whatever is still buffered for stdout goes to the null device, so that
    Python's own flush at exit cannot fail again with a traceback; the exit
    status is that of a program ended by SIGPIPE (128 + 13), which ``set -o
    pipefail`` scripts expect. Everything was committed before output began.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141


def cmd_gui(args: argparse.Namespace, db: Database) -> int:
    from curator.gui.app import run  # Qt is imported only when a window is wanted

    db.dispose()
    named = bool(args.db or os.environ.get("CURATOR_DB"))  # else the per-user default
    # main() upgraded it already (args.upgrade): once per start is enough.
    return run(db_url=db.url, curator=args.curator_name, seed_samples=not named, upgraded=True)


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    from curator.core.interchange import importing

    paths = [Path(p) for p in args.paths]
    files = importing.expand(paths)
    with progress_bar("importing", "files", quiet=args.quiet, total=len(files)) as progress:
        report = importing.import_paths(
            db,
            files,
            curator=args.curator_name,
            add_labels=args.add_labels,
            allow_loss=args.allow_loss,
            skip_bad_documents=args.skip_bad_documents,
            progress=progress,
        )
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    for article in report.articles.added:
        print(f"added    {article.uid[:12]}  {article.title}  ({article.path})")
    for article in report.articles.present:
        print(f"present  {article.uid[:12]}  {article.title}  ({article.path}: already imported)")
    for jsonl in report.jsonl:
        kind = "bioc" if jsonl.format == "bioc-xml" else jsonl.format
        print(f"{kind:8} {jsonl.summary()}")
    for item in report.dropped:
        print(f"left out {item}")
    for item in report.skipped:
        print(f"skipped  {item}")
    message = (
        f"{counted(report.documents_added, 'document')} added, "
        f"{report.documents_present} already present"
    )
    if report.jsonl:
        message += f"; {counted(report.spans_added, 'span')} added, {report.spans_updated} updated"
    _info(message)
    return 0


def check_export_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Settle the format before the database is touched; options that clash are usage errors.

    Without --format the file name decides (.jsonl, .spacy, .xml, else jsonl);
    .json could be BioC or Label Studio, so it must be said.
    """
    if not args.format:
        suffix = Path(args.output).suffix.lower()
        if suffix == ".json":
            parser.error("a .json file can be bioc-json or labelstudio: say which with --format")
        args.format = {".spacy": "spacy", ".xml": "bioc-xml"}.get(suffix, "jsonl")
    from curator.core import interchange

    for flag, given in (
        ("--with-deleted", args.with_deleted),
        ("--with-suggestions", args.with_suggestions),
    ):
        if given and not interchange.FORMATS[args.format].lossless:
            parser.error(f"{flag} works with --format jsonl only, not {args.format}")


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    from curator.core import interchange
    from curator.core.articles import documents

    chosen = None
    if args.export_documents:
        chosen = [documents.resolve_document_uid(db, uid) for uid in args.export_documents]
    with progress_bar("exporting", "documents", quiet=args.quiet) as progress:
        report = interchange.export(
            db,
            args.format,
            Path(args.output),
            curators=args.export_curators,
            documents=chosen,
            with_deleted=args.with_deleted,
            with_suggestions=args.with_suggestions,
            allow_loss=args.allow_loss,
            progress=progress,
        )
    for problem in report.losses():
        print(f"warning: {problem}", file=sys.stderr)
    for path in report.files:
        print(path)
    _info(report.summary())
    return 0


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    from curator.core.articles import documents

    rows = documents.list_documents(db)
    if args.json:
        out = [
            {
                "id": r.uid,
                "title": r.title,
                "length": r.length,
                "spans": r.spans,
                "status": r.status,
                "active_seconds": r.active_seconds,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        where = shlex.quote(db.display_name)
        _info(f"no documents yet; add some with: curator --db {where} import PATH...")
        return 0
    print(f"{'id':12}  {'length':>7}  {'spans':20}  {'status':24}  title")
    for r in rows:
        spans = ", ".join(f"{k}:{v}" for k, v in r.spans.items()) or "-"
        status = ", ".join(f"{k}:{v}" for k, v in r.status.items()) or "-"
        title = r.title if len(r.title) <= 70 else r.title[:69] + "…"
        print(f"{r.uid[:12]}  {r.length:>7}  {spans:20}  {status:24}  {title}")
    return 0


def cmd_link(args: argparse.Namespace, db: Database) -> int:
    from curator.core.articles import documents
    from curator.core.concepts.linking import link_unlinked
    from curator.core.spans.annotate import list_labels

    docs = None
    if args.documents:
        docs = [documents.resolve_document_uid(db, prefix) for prefix in args.documents]
    if args.labels:
        known = [label.name for label in list_labels(db)]
        for name in args.labels:
            if name not in known:
                raise CuratorError(f"unknown label {name!r} (labels: {', '.join(known)})")
    report = link_unlinked(db, args.curator_name, documents=docs, labels=args.labels)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    for line in report.lines():
        print(line)
    if not report.counts:
        _info(f"no unlinked spans of {args.curator_name} to link")
    return 0


def add_link_parser(sub: Any) -> None:
    p = sub.add_parser(
        "link", help="link the curator's unlinked spans whose text names one concept exactly"
    )
    p.add_argument(
        "--document",
        dest="documents",
        **REPEATABLE,
        help="only these documents (ids or unique prefixes; default: all)",
    )
    p.add_argument(
        "--label",
        dest="labels",
        action="extend",
        nargs="+",
        metavar="LABEL",
        help="only spans of these labels (default: all)",
    )
    p.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    p.set_defaults(handler=cmd_link, upgrade=True)


def cmd_completion(args: argparse.Namespace, db: Database | None) -> int:
    """Print the completion script; no database is opened for it."""
    import shtab

    print(shtab.complete(build_parser(), shell=args.shell))
    return 0


def add_completion_command(sub: Any) -> None:
    p = sub.add_parser("completion", help="print a shell completion script")
    p.add_argument("shell", choices=("bash", "zsh"), help="the shell to complete in")
    p.set_defaults(handler=cmd_completion, upgrade=False)


def build_parser(*, on_demand: bool = False) -> argparse.ArgumentParser:
    """The whole command line; *on_demand*: each command built when the parse reaches it.

    Both parse and print alike (:mod:`curator.cli_on_demand`); the full one is
    for what walks every command (completion scripts, the tests).
    """
    parser = argparse.ArgumentParser(
        prog="curator",
        description="Heme Curator: annotate hematology articles (the app opens with no command).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="SQLite file or database URL (default: $CURATOR_DB, then the per-user data folder)",
    )
    parser.add_argument(
        "--curator",
        dest="curator_name",
        metavar="NAME",
        help="who is curating (default: $CURATOR_NAME, then the login name)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bars or progress messages"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if on_demand:
        cli_on_demand.attach(sub, COMMAND_GROUPS)
        cli_help.decorate_top(parser)
        return parser
    for _names, where in COMMAND_GROUPS:
        cli_on_demand.adder(where)(sub)
    cli_help.decorate(parser)
    return parser


def add_app_commands(sub: Any) -> None:
    """``gui``, ``import``, ``export`` and ``list``."""
    p = sub.add_parser("gui", help="open the app (the default)")
    p.set_defaults(handler=cmd_gui, upgrade=True)

    p = sub.add_parser(
        "import",
        help="import articles (.txt, .pdf, .nxml, .html) and span files of every format",
        description="Import articles (.txt, .pdf, PubMed Central .nxml or JATS .xml, saved "
        ".html/.htm pages) and span files, all or nothing: our JSONL, minimal span JSONL, BioC "
        "XML and JSON, brat, PubTator, Label Studio, doccano and CoNLL/IOB, recognised by "
        "content. Spans from other tools are filed under --curator (who you are).",
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="an article or span file, or a folder of them"
    )
    p.add_argument(
        "--add-labels", action="store_true", help="add unknown labels the span files use"
    )
    p.add_argument(
        "--allow-loss",
        action="store_true",
        help="import what the app holds and list the rest (identifiers, relations...); "
        "else such a file is refused",
    )
    p.add_argument(
        "--skip-bad-documents",
        action="store_true",
        help="skip (and list) a document whose spans disagree with its text, rather than refuse",
    )
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(handler=cmd_import, upgrade=True)

    p = sub.add_parser(
        "export",
        help="write spans as jsonl, spacy, bioc-xml, bioc-json, brat or labelstudio",
        description="Export documents and spans. The global --curator (before 'export') "
        "names who you are; the --curator of this command chooses whose spans to export.",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="file (folder for brat)")
    p.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="default: from the file name (.jsonl, .spacy, .xml), else jsonl",
    )
    p.add_argument(
        "--curator",
        dest="export_curators",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="export only these curators' spans (default: all); "
        "not who you are, which goes before 'export'",
    )
    p.add_argument(
        "--document",
        dest="export_documents",
        **REPEATABLE,
        help="export only these documents (ids or unique prefixes; default: all)",
    )
    p.add_argument(
        "--with-deleted",
        action="store_true",
        help="include deleted spans as tombstones, so deletions reach other databases (jsonl)",
    )
    p.add_argument(
        "--with-suggestions",
        action="store_true",
        help="add each document's pending suggestions under a 'suggestions' key (jsonl)",
    )
    p.add_argument(
        "--allow-loss",
        action="store_true",
        help="write the spans the format holds and list the others (else: refuse, write nothing)",
    )
    p.set_defaults(handler=cmd_export, upgrade=True)

    p = sub.add_parser("list", help="list documents with span counts and status per curator")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_list, upgrade=True)


# Every command, in the order of `curator --help`, with the function adding it
# and the others of its group, as "module:function": the module is imported
# only when one of its commands is run (or the full parser is built).
COMMAND_GROUPS: tuple[cli_on_demand.Group, ...] = (
    (("gui", "import", "export", "list"), "curator.cli:add_app_commands"),
    (("suggest", "train"), "curator.cli_suggest:add_suggest_parsers"),
    (("link",), "curator.cli:add_link_parser"),
    (("merge", "agreement"), "curator.cli_review:add_review_parsers"),
    (("relation-types",), "curator.cli_relations:add_relation_type_commands"),
    (("labels",), "curator.cli_labels:add_labels_parser"),
    (("progress",), "curator.cli_work:add_progress_parser"),
    (("search",), "curator.cli_search:add_search_parser"),
    (("evidence",), "curator.cli_relations:add_evidence_command"),
    (("db",), "curator.cli_db:add_db_commands"),
    (("completion",), "curator.cli:add_completion_command"),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(on_demand=True)  # builds only the command the arguments name
    args = parser.parse_args(argv)
    if args.command is None:
        args.handler, args.upgrade = cmd_gui, True
    if args.handler is cmd_export:
        check_export_args(parser, args)
    if args.command == "completion":  # the only command without a database
        return cmd_completion(args, None)
    db: Database | None = None
    try:
        check_environment()
        progress_mode()  # CURATOR_PROGRESS too, before any work
        args.curator_name = resolve_name(args.curator_name)
        db = open_database(database_url(args.db))
        must_exist = args.handler in (cli_db.cmd_db_check, cli_db.cmd_db_backup)
        if must_exist and db.path is not None and not db.path.exists():
            raise CuratorError(f"{db.path}: there is no database here")
        if args.upgrade:
            backup = migrate.upgrade(db)
            if backup and not args.quiet:
                _info(f"database upgraded; the previous version was kept at {backup}")
        handler: Handler = args.handler
        try:
            code = handler(args, db)
        except MissingPackageError as missing:
            from curator import cli_install

            if not cli_install.offer(missing, quiet=args.quiet):
                raise
            code = handler(args, db)  # nothing was written before the library was needed
        sys.stdout.flush()  # here, so that a closed pipe is seen here and not at exit
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except CuratorError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt:
        _err("interrupted; nothing was written by the unfinished command")
        return 130
    finally:
        if db is not None:
            db.dispose()
