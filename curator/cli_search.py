"""``curator search QUERY``: the app's corpus-wide search, for scripts.

Words, "phrases" and ``word*`` search the documents' text; ``label:``,
``curator:``, ``concept:`` and ``note:`` filters search the spans (see
:mod:`curator.core.search`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from curator.cli_annotate_all import add_annotate_arguments, cmd_annotate_all
from curator.core.errors import CuratorError
from curator.core.search import search
from curator.core.storage.db import Database
from curator.core.wording import counted

ANNOTATE_ONLY = ("dry_run", "match_case", "inside_words", "include_overlapping")


def cmd_search(args: argparse.Namespace, db: Database) -> int:
    if args.annotate is not None:
        return cmd_annotate_all(args, db)
    given = [name for name in ANNOTATE_ONLY if getattr(args, name)]
    if given:
        flag = "--" + given[0].replace("_", "-")
        raise CuratorError(f"{flag} goes with --annotate LABEL")
    if args.limit < 1:
        raise CuratorError(f"--limit must be 1 or more, not {args.limit}")
    result = search(db, " ".join(args.query), limit=args.limit)
    if args.json:
        out = {
            "kind": result.kind,
            "total": result.total,
            "hits": [hit.to_json() for hit in result.hits],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for hit in result.hits:
        where = f"  {hit.start}-{hit.end} {hit.label} ({hit.curator})" if hit.label else ""
        print(f"{hit.document_uid[:12]}  {hit.title}{where}\n    {hit.context}")
    what = "document" if result.kind == "text" else "span"
    more = f" (the first {len(result.hits)} shown)" if result.total > len(result.hits) else ""
    print(f"{counted(result.total, what)}{more}")
    return 0


def add_search_parser(sub: Any) -> None:
    p = sub.add_parser("search", help="search every document's text, or the spans")
    p.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words, "a phrase", word*; or label:L curator:C concept:ID note:TEXT for spans',
    )
    p.add_argument("--limit", type=int, default=200, help="most hits to list (default 200)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_annotate_arguments(p)
    p.set_defaults(handler=cmd_search, upgrade=True)
