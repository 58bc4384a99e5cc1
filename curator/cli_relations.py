"""``curator relation-types``: the relation types, listed and edited from the command line.

Kept beside :mod:`curator.cli` (which adds these parsers) so the main
command module stays about the commands every curator uses daily.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from curator.core.storage.db import Database
from curator.core.storage.records import RelationTypeInfo


def _row(kind: RelationTypeInfo, retired: bool) -> dict[str, Any]:
    return {
        "name": kind.name,
        "uid": kind.uid,
        "head_labels": list(kind.head_labels),
        "tail_labels": list(kind.tail_labels),
        "key": kind.shortcut,
        "color": kind.color,
        "description": kind.description,
        "retired": retired,
    }


def _show(kind: RelationTypeInfo, retired: bool = False) -> str:
    key = kind.shortcut or "-"
    ends = f"{' | '.join(kind.head_labels)} -> {' | '.join(kind.tail_labels)}"
    state = "  (retired)" if retired else ""
    return f"{kind.name:14} {key:3} {kind.color}  {ends:40} {kind.description}{state}"


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    from curator.core.relations import list_relation_types
    from curator.core.relations.types import retired_names

    retired = retired_names(db)
    kinds = list_relation_types(db, include_retired=args.all)
    if args.json:
        rows = [_row(k, k.name in retired) for k in kinds]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'type':14} {'key':3} {'colour':7}  {'head -> tail':40} description")
    for kind in kinds:
        print(_show(kind, kind.name in retired))
    return 0


def cmd_add(args: argparse.Namespace, db: Database) -> int:
    from curator.core.relations.types import DEFAULT_COLOUR, add_relation_type

    kind = add_relation_type(
        db,
        args.name,
        args.head,
        args.tail,
        key=args.key or "",
        color=args.color or DEFAULT_COLOUR,
        description=args.description or "",
    )
    print(_show(kind))
    return 0


def cmd_edit(args: argparse.Namespace, db: Database) -> int:
    from curator.core.relations.types import TypeEdit, edit_relation_type

    key = "" if args.no_key else args.key
    edit = TypeEdit(args.new_name, args.head, args.tail, key, args.color, args.description)
    print(_show(edit_relation_type(db, args.name, edit)))
    return 0


def cmd_retire(args: argparse.Namespace, db: Database) -> int:
    from curator.core.relations.types import retire_relation_type

    print(_show(retire_relation_type(db, args.name), retired=True))
    return 0


def cmd_restore(args: argparse.Namespace, db: Database) -> int:
    from curator.core.relations.types import restore_relation_type

    print(_show(restore_relation_type(db, args.name)))
    return 0


def _ends(p: argparse.ArgumentParser, required: bool) -> None:
    labels: dict[str, Any] = {"action": "extend", "nargs": "+", "metavar": "LABEL"}
    p.add_argument("--head", required=required, **labels, help="labels the head span may carry")
    p.add_argument("--tail", required=required, **labels, help="labels the tail span may carry")
    p.add_argument("--color", metavar="#RRGGBB", help="colour of the relation's arrow")
    p.add_argument("--description", metavar="TEXT", help="what the relation means (one line)")


def add_relation_type_commands(sub: Any) -> None:
    """``relation-types [list|add|edit|retire|restore]``."""
    p = sub.add_parser("relation-types", help="list, add, edit and retire relation types")
    p.set_defaults(handler=cmd_list, upgrade=True, json=False, all=False)
    actions = p.add_subparsers(dest="types_command", metavar="ACTION")

    q = actions.add_parser("list", help="list the relation types")
    q.add_argument("--all", action="store_true", help="retired types too")
    q.add_argument("--json", action="store_true", help="print a JSON array")
    q.set_defaults(handler=cmd_list, upgrade=True)

    q = actions.add_parser("add", help="add a relation type")
    q.add_argument("name", metavar="NAME", help="the new type's name")
    q.add_argument("--key", metavar="KEY", help="one key to pick the type while linking")
    _ends(q, required=True)
    q.set_defaults(handler=cmd_add, upgrade=True)

    q = actions.add_parser("edit", help="change a relation type")
    q.add_argument("name", metavar="NAME", help="the type to change")
    q.add_argument("--name", dest="new_name", metavar="NEW", help="rename the type")
    keys = q.add_mutually_exclusive_group()
    keys.add_argument("--key", metavar="KEY", help="the key that picks the type while linking")
    keys.add_argument("--no-key", action="store_true", help="no key for the type")
    _ends(q, required=False)
    q.set_defaults(handler=cmd_edit, upgrade=True)

    q = actions.add_parser("retire", help="hide a type from new relations (its relations stay)")
    q.add_argument("name", metavar="NAME", help="the type to retire")
    q.set_defaults(handler=cmd_retire, upgrade=True)

    q = actions.add_parser("restore", help="bring a retired type back")
    q.add_argument("name", metavar="NAME", help="the type to bring back")
    q.set_defaults(handler=cmd_restore, upgrade=True)


def cmd_evidence(args: argparse.Namespace, db: Database) -> int:
    from pathlib import Path

    from curator.core.articles.documents import resolve_document_uid
    from curator.core.relations.evidence import evidence_rows, write_evidence

    output = Path(args.output)
    fmt = args.format or ("jsonl" if output.suffix.lower() == ".jsonl" else "csv")
    docs = [resolve_document_uid(db, d) for d in args.documents] if args.documents else None
    rows = evidence_rows(db, curators=args.evidence_curators, documents=docs)
    count = write_evidence(rows, output, fmt)
    print(output)
    print(f"{count} evidence row{'s' if count != 1 else ''} written as {fmt}", file=sys.stderr)
    return 0


def add_evidence_command(sub: Any) -> None:
    """``evidence -o FILE``: one row per therapy mention with relations."""
    p = sub.add_parser(
        "evidence",
        help="write one row per related therapy mention: targets, outcomes, experts",
        description="The global --curator (before 'evidence') names who you are; the "
        "--curator of this command chooses whose relations to write.",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    p.add_argument(
        "--format", choices=("csv", "jsonl"), help="default: jsonl for a .jsonl file, else csv"
    )
    p.add_argument(
        "--curator",
        dest="evidence_curators",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="only these curators' relations (default: all)",
    )
    p.add_argument(
        "--document",
        dest="documents",
        action="extend",
        nargs="+",
        metavar="UID",
        help="only these documents (ids or unique prefixes; default: all)",
    )
    p.set_defaults(handler=cmd_evidence, upgrade=True)
