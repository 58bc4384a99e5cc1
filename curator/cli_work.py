"""``curator progress``: how far each curator is, and the active time spent.

Active time leaves idle gaps out (each gap between two actions counts two
minutes at most; see :mod:`curator.core.activity.active_time`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from curator.core.activity.active_time import minutes
from curator.core.activity.progress import progress_report
from curator.core.storage.db import Database


def cmd_progress(args: argparse.Namespace, db: Database) -> int:
    rows = progress_report(db)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'curator':20}  {'done':>5}  {'started':>7}  {'new':>5}  {'active':>12}  per done")
    for r in rows:
        per = "-" if r.seconds_per_done is None else minutes(round(r.seconds_per_done))
        print(
            f"{r.curator[:20]:20}  {r.done:>5}  {r.in_progress:>7}  {r.untouched:>5}  "
            f"{minutes(r.active_seconds):>12}  {per}"
        )
    return 0


def add_progress_parser(sub: Any) -> None:
    p = sub.add_parser("progress", help="documents done and active time per curator")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_progress, upgrade=True)
