"""``curator merge`` and ``curator agreement``: the reviewer's commands.

Merging other curators' work in and measuring how far curators agree are
the two steps before adjudication (the review window); both run here for
scripts, over the same core as the app.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from curator.cli_common import REPEATABLE
from curator.cli_common import info as _info
from curator.cli_progress import progress_bar
from curator.core.articles import documents
from curator.core.storage.db import Database
from curator.core.wording import counted


def cmd_merge(args: argparse.Namespace, db: Database) -> int:
    from curator.core.merge.sources import merge_sources

    with progress_bar("merging", "sources", quiet=args.quiet) as progress:
        report = merge_sources(db, args.sources, progress=progress)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    for line in report.lines():
        print(line)
    return 0


def _figure(value: object) -> str:
    return "-" if value is None else f"{value:.3f}"


def cmd_agreement(args: argparse.Namespace, db: Database) -> int:
    from curator.core.agreement.spans_process import helper_for

    docs = [documents.resolve_document_uid(db, d) for d in args.document] if args.document else None
    with helper_for(db) as helper:  # first: the child starts while the report's modules load
        from curator.core.agreement.data import agreement_report

        with progress_bar("comparing", "pairs", quiet=args.quiet) as progress:
            report = agreement_report(
                db, args.curators, args.label, docs, progress=progress, helper=helper
            )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    pairs: list[dict[str, Any]] = report["pairs"]  # type: ignore[assignment]
    if not pairs:
        _info("fewer than two curators with spans: nothing to compare")
    for pair in pairs:
        overall = pair["overall"]
        print(
            f"{pair['b']} against {pair['a']}: "
            f"{counted(len(pair['documents']), 'document')} both worked on"
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
        if pair["documents"]:
            print(f"  {'document':12} {'n_a':>5} {'n_b':>5} {'F1 exact':>9} {'F1 overlap':>11}")
        for uid, row in pair["documents"].items():
            print(
                f"  {uid[:12]:12} {row['n_a']:>5} {row['n_b']:>5} {_figure(row['f1_exact']):>9} "
                f"{_figure(row['f1_overlap']):>11}"
            )
    return 0


def add_review_parsers(sub: Any) -> None:
    """Add ``merge`` and ``agreement`` to the command line's subcommands."""
    p = sub.add_parser(
        "merge", help="merge other curators' databases or JSONL exports into this one"
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="a .sqlite file, URL or .jsonl")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(handler=cmd_merge, upgrade=True)

    p = sub.add_parser("agreement", help="agreement between curators, per label and document")
    p.add_argument(
        "--curators",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="curators to compare pairwise (default: all with spans)",
    )
    p.add_argument("--label", metavar="LABEL", help="only this label")
    p.add_argument(
        "--document",
        **REPEATABLE,
        help="only these documents (ids or unique prefixes; default: all)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_agreement, upgrade=True)
