"""The ``curator`` command line: the same core as the app, for scripts and batch work.

Contract: ``curator [--db URL] [--curator NAME] COMMAND ...``. A user error
prints ``error: ...`` on stderr and exits 1; a usage error exits 2. Every
command except ``db check`` and ``db backup`` first brings the database to
the current schema (with a backup when it holds data).
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from curator import __version__
from curator.core import corpus, documents, migrate
from curator.core.curators import resolve_name
from curator.core.db import Database, open_database
from curator.core.errors import CuratorError
from curator.core.paths import database_url

Handler = Callable[[argparse.Namespace, Database], int]


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _info(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_gui(args: argparse.Namespace, db: Database) -> int:
    from curator.gui.app import run  # Qt is imported only when a window is wanted

    db.dispose()
    return run(db_url=db.url, curator=args.curator_name)


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    paths = [Path(p) for p in args.paths]
    files = corpus.expand_paths(paths)
    show = len(files) >= 10 and not args.quiet

    def progress(i: int, n: int, path: Path) -> None:
        if show and (i == n or i % 10 == 0):
            print(f"\rreading {i}/{n} files", end="" if i < n else "\n", file=sys.stderr)

    report = corpus.import_articles(db, files, progress)
    for article in report.added:
        print(f"added    {article.uid[:12]}  {article.title}  ({article.path})")
    for article in report.present:
        print(f"present  {article.uid[:12]}  {article.title}  ({article.path}: already imported)")
    _info(f"{len(report.added)} added, {len(report.present)} already present")
    return 0


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    rows = documents.list_documents(db)
    if args.json:
        out = [
            {
                "id": r.uid,
                "title": r.title,
                "length": r.length,
                "spans": r.spans,
                "status": r.status,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        _info("no documents yet; add some with: curator import PATH...")
        return 0
    print(f"{'id':12}  {'length':>7}  {'spans':20}  {'status':24}  title")
    for r in rows:
        spans = ", ".join(f"{k}:{v}" for k, v in r.spans.items()) or "-"
        status = ", ".join(f"{k}:{v}" for k, v in r.status.items()) or "-"
        title = r.title if len(r.title) <= 70 else r.title[:69] + "…"
        print(f"{r.uid[:12]}  {r.length:>7}  {spans:20}  {status:24}  {title}")
    return 0


def _load_jsonl_source(path: Path) -> Database:
    """A JSONL export loaded into a temporary SQLite database, to merge like a file.

    The temporary folder is removed by :func:`cmd_merge` once the merge is done.
    """
    try:
        jsonl = importlib.import_module("curator.core.interchange.jsonl")
    except ImportError as exc:
        raise CuratorError("merging from JSONL needs the interchange module") from exc
    folder = Path(tempfile.mkdtemp(prefix="curator-merge-"))
    db = open_database(f"sqlite:///{folder / (path.stem + '.sqlite')}")
    try:
        migrate.upgrade(db, backup=False)
        jsonl.import_jsonl(db, path)
    except BaseException:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return db


def _open_source(spec: str) -> tuple[Database, bool]:
    """(database, is temporary) for a merge SOURCE: a file, a URL or a JSONL export."""
    if "://" in spec:
        return open_database(spec), False
    path = Path(spec).expanduser()
    if not path.is_file():
        raise CuratorError(f"{path}: no such file to merge from")
    if path.suffix.lower() == ".jsonl":
        return _load_jsonl_source(path), True
    return open_database(f"sqlite:///{path.resolve()}"), False


def cmd_merge(args: argparse.Namespace, db: Database) -> int:
    from curator.core.merge import merge_databases

    opened: list[tuple[Database, bool]] = []
    try:
        for spec in args.sources:
            opened.append(_open_source(spec))
        report = merge_databases(db, [source for source, _ in opened])
    finally:
        for source, temporary in opened:
            source.dispose()
            if temporary and source.path is not None:
                shutil.rmtree(source.path.parent, ignore_errors=True)
    for line in report.lines():
        print(line)
    return 0


def _figure(value: object) -> str:
    return "-" if value is None else f"{value:.3f}"


def cmd_agreement(args: argparse.Namespace, db: Database) -> int:
    from curator.core.agreement_data import agreement_report

    docs = [documents.resolve_document_uid(db, d) for d in args.document] if args.document else None
    report = agreement_report(db, args.curators, args.label, docs)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    pairs: list[dict[str, Any]] = report["pairs"]  # type: ignore[assignment]
    if not pairs:
        _info("fewer than two curators with spans: nothing to compare")
    for pair in pairs:
        overall = pair["overall"]
        print(
            f"{pair['b']} against {pair['a']}: {len(pair['documents'])} document(s) both worked on"
        )
        print(
            "  overall  F1 exact {}  F1 overlap {}  kappa {}  alpha {}".format(
                *(_figure(overall[k]) for k in ("f1_exact", "f1_overlap", "kappa", "alpha"))
            )
        )
        print(f"  {'label':12} {'n_a':>5} {'n_b':>5} {'F1 exact':>9} {'F1 overlap':>11}")
        for name, row in pair["labels"].items():
            print(
                f"  {name:12} {row['n_a']:>5} {row['n_b']:>5} {_figure(row['f1_exact']):>9} "
                f"{_figure(row['f1_overlap']):>11}"
            )
    return 0


def cmd_db_upgrade(args: argparse.Namespace, db: Database) -> int:
    state = migrate.schema_state(db)
    backup = migrate.upgrade(db)
    if backup:
        _info(f"backed up to {backup}")
    if state.at_head:
        _info(f"{db.display_name}: already at schema {state.head}")
    else:
        _info(f"{db.display_name}: upgraded from {state.current or 'empty'} to {state.head}")
    return 0


def cmd_db_check(args: argparse.Namespace, db: Database) -> int:
    from curator.core.health import check_database

    problems = check_database(db)
    for problem in problems:
        _err(problem)
    if not problems:
        _info(f"{db.display_name}: ok (schema at head, integrity check passed)")
    return 1 if problems else 0


def cmd_db_backup(args: argparse.Namespace, db: Database) -> int:
    to = Path(args.to) if args.to else None
    made = migrate.backup_sqlite(db, to)
    print(made)
    return 0


def build_parser() -> argparse.ArgumentParser:
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
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the app (the default)")
    p.set_defaults(handler=cmd_gui, upgrade=True)

    p = sub.add_parser("import", help="import .txt articles (files or folders)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(handler=cmd_import, upgrade=True)

    p = sub.add_parser("list", help="list documents with span counts and status per curator")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_list, upgrade=True)

    p = sub.add_parser(
        "merge", help="merge other curators' databases or JSONL exports into this one"
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="a .sqlite file, URL or .jsonl")
    p.set_defaults(handler=cmd_merge, upgrade=True)

    p = sub.add_parser("agreement", help="agreement between curators, per label and document")
    p.add_argument("--curators", nargs="+", metavar="NAME", help="curators to compare pairwise")
    p.add_argument("--label", metavar="LABEL", help="only this label")
    p.add_argument("--document", nargs="+", metavar="UID", help="only these documents")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_agreement, upgrade=True)

    p = sub.add_parser("db", help="database maintenance")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="upgrade to the current schema (backup first)")
    q.set_defaults(handler=cmd_db_upgrade, upgrade=False)
    q = dbsub.add_parser("check", help="exit 0 only if at the current schema and intact")
    q.set_defaults(handler=cmd_db_check, upgrade=False)
    q = dbsub.add_parser("backup", help="consistent copy of a SQLite database, even while open")
    q.add_argument("--to", metavar="PATH", help="where to write the copy")
    q.set_defaults(handler=cmd_db_backup, upgrade=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.handler, args.upgrade = cmd_gui, True
    db: Database | None = None
    try:
        args.curator_name = resolve_name(args.curator_name)
        db = open_database(database_url(args.db))
        must_exist = args.handler in (cmd_db_check, cmd_db_backup)
        if must_exist and db.path is not None and not db.path.exists():
            raise CuratorError(f"{db.path}: there is no database here")
        if args.upgrade:
            backup = migrate.upgrade(db)
            if backup and not args.quiet:
                _info(f"database upgraded; the previous version was kept at {backup}")
        handler: Handler = args.handler
        return handler(args, db)
    except CuratorError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt:
        _err("interrupted; nothing was written by the unfinished command")
        return 130
    finally:
        if db is not None:
            db.dispose()
