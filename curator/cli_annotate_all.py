"""``curator search PHRASE --annotate LABEL [--dry-run]``: annotate all across documents.

The app's "annotate all" from the search panel, for scripts: every occurrence
of the searched phrase in every document found, one transaction per
document (see :mod:`curator.core.search.annotate_all`). Nothing is left out
unnamed: occurrences already tagged, those crossing a span of the curator's
(left out unless ``--include-overlapping``) and any skipped or failed at
the write are listed with the reason and counted; a document that failed
makes the command exit 1 (its transaction wrote nothing).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from curator.core.errors import CuratorError
from curator.core.storage.db import Database
from curator.core.wording import counted

if TYPE_CHECKING:  # the core's annotate-all is imported by the command only, not at start
    from curator.core.search.annotate_all import Applied, Plan


def _check_label(db: Database, name: str) -> None:
    from curator.core.spans.annotate import list_labels

    labels = list_labels(db)
    usable = [label.name for label in labels if not label.retired]
    if name not in usable:
        retired = any(label.name == name and label.retired for label in labels)
        why = "is retired" if retired else "is not a label"
        raise CuratorError(f"--annotate {name}: {why} (labels: {', '.join(usable)})")


def cmd_annotate_all(args: argparse.Namespace, db: Database) -> int:
    from curator.core.search.annotate_all import Options, apply_plan, find_occurrences

    label = args.annotate
    _check_label(db, label)
    options = Options(case_sensitive=args.match_case, whole_word=not args.inside_words)
    plan = find_occurrences(db, args.curator_name, " ".join(args.query), options)
    chosen = plan.default_choice(label, include_overlapping=args.include_overlapping)
    results = [] if args.dry_run else apply_plan(db, args.curator_name, label, plan, chosen)
    if args.json:
        print(
            json.dumps(_as_json(plan, label, chosen, results, args), ensure_ascii=False, indent=2)
        )
    else:
        _print(plan, label, chosen, results, args)
    return 1 if any(r.error for r in results) else 0


def _print(
    plan: Plan,
    label: str,
    chosen: dict[str, list[tuple[int, int]]],
    results: list[Applied],
    args: argparse.Namespace,
) -> None:
    from curator.core.search.annotate_all import OVERLAPS, TAGGED

    done = {r.document_uid: r for r in results}
    for d in plan.documents:
        n = len(chosen.get(d.document_uid, ()))
        result = done.get(d.document_uid)
        if result is not None and result.error:
            print(f"{d.document_uid[:12]}  {d.title}\n    error: {result.error}")
            continue
        verb = "would tag" if args.dry_run else "tagged"
        n = n if result is None else len(result.spans)
        print(f"{d.document_uid[:12]}  {d.title}: {verb} {n} of {len(d.occurrences)}")
        for o in d.occurrences:
            status = o.status(label)
            if status == TAGGED or (status == OVERLAPS and not args.include_overlapping):
                left = "already tagged" if status == TAGGED else "left out"
                print(f"    {left} {o.start}-{o.end}: {o.reason(label)}: {o.context()}")
        for s in result.skipped if result is not None else ():
            print(f"    skipped {s.start}-{s.end}: {s.reason}")
    counts = plan.counts(label)
    print(counts.summary(label))
    if args.dry_run:
        n = sum(len(keys) for keys in chosen.values())
        print(
            f"Would tag {counted(n, 'occurrence')} as {label} in "
            f"{counted(len(chosen), 'document')} (dry run: nothing written)"
        )
    else:
        from curator.core.search.annotate_all import outcome

        print(outcome(label, results))
    if counts.overlapping and not args.include_overlapping:
        print(
            f"{counts.overlapping} overlapping left out, listed above "
            "(--include-overlapping tags them too)"
        )


def _as_json(
    plan: Plan,
    label: str,
    chosen: dict[str, list[tuple[int, int]]],
    results: list[Applied],
    args: argparse.Namespace,
) -> dict[str, Any]:
    done = {r.document_uid: r for r in results}
    docs = []
    for d in plan.documents:
        result = done.get(d.document_uid)
        keys = set(chosen.get(d.document_uid, ()))
        docs.append(
            {
                "document": d.document_uid,
                "title": d.title,
                "occurrences": [
                    {
                        "start": o.start,
                        "end": o.end,
                        "context": o.context(),
                        "status": o.status(label),
                        "reason": o.reason(label),
                        "chosen": o.key in keys,
                    }
                    for o in d.occurrences
                ],
                "tagged": [] if result is None else [s.uid for s in result.spans],
                "skipped": []
                if result is None
                else [{"start": s.start, "end": s.end, "reason": s.reason} for s in result.skipped],
                "error": "" if result is None else result.error,
            }
        )
    counts = plan.counts(label)
    return {
        "phrase": plan.phrase,
        "label": label,
        "dry_run": bool(args.dry_run),
        "occurrences": counts.occurrences,
        "already_tagged": counts.tagged,
        "overlapping": counts.overlapping,
        "chosen": sum(len(keys) for keys in chosen.values()),
        "tagged": sum(len(r.spans) for r in results),
        "documents": docs,
    }


def add_annotate_arguments(p: Any) -> None:
    """``search``'s options for annotate all."""
    p.add_argument(
        "--annotate",
        metavar="LABEL",
        help="tag the searched phrase as LABEL in every document found (one transaction each)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="with --annotate: list what would be tagged"
    )
    p.add_argument(
        "--match-case", action="store_true", help="with --annotate: only the phrase's own case"
    )
    p.add_argument(
        "--inside-words",
        action="store_true",
        help="with --annotate: also inside longer words (default: whole words only)",
    )
    p.add_argument(
        "--include-overlapping",
        action="store_true",
        help="with --annotate: also occurrences crossing a span of yours (default: left out)",
    )
