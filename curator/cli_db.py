"""``curator db upgrade|check|backup``: commands about the database file, not the data in it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from curator.cli_common import err as _err
from curator.cli_common import info as _info
from curator.cli_progress import progress_bar
from curator.core.storage import migrate
from curator.core.storage.db import Database


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
    from curator.core.storage.health import check_database

    problems = check_database(db)
    for problem in problems:
        _err(problem)
    if not problems:
        _info(f"{db.display_name}: ok (schema at head, integrity check passed)")
    return 1 if problems else 0


def cmd_db_backup(args: argparse.Namespace, db: Database) -> int:
    to = Path(args.to) if args.to else None
    with progress_bar("copying", "pages", quiet=args.quiet) as progress:
        made = migrate.backup_sqlite(db, to, progress=progress)
    print(made)
    return 0


def add_db_commands(sub: Any) -> None:
    """``db upgrade|check|backup``: maintenance of the database itself."""
    p = sub.add_parser("db", help="database maintenance")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="upgrade to the current schema (backup first)")
    q.set_defaults(handler=cmd_db_upgrade, upgrade=False)
    q = dbsub.add_parser("check", help="exit 0 only if at the current schema and intact")
    q.set_defaults(handler=cmd_db_check, upgrade=False)
    q = dbsub.add_parser("backup", help="consistent copy of a SQLite database, even while open")
    q.add_argument("--to", metavar="PATH", help="where to write the copy")
    q.set_defaults(handler=cmd_db_backup, upgrade=False)
