"""``curator suggest`` and ``curator train``: suggestions for a curator, and the model behind some.

Suggestions from lexicons and the team's strings are always computed; the
model trained on the team's spans (``--model``) needs spaCy and runs as a
child that ends with its parent (:mod:`curator.cli_child`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from curator.cli_common import REPEATABLE
from curator.cli_common import info as _info
from curator.cli_progress import progress_bar
from curator.core.articles import documents
from curator.core.errors import CuratorError
from curator.core.storage.db import Database
from curator.core.wording import counted


def cmd_suggest(args: argparse.Namespace, db: Database) -> int:
    from curator.core.spans.annotate import list_labels
    from curator.core.suggest import stored as suggestions

    if args.documents:
        uids = [documents.resolve_document_uid(db, prefix) for prefix in args.documents]
    else:
        uids = [row.uid for row in documents.list_documents(db)]
    extra = []
    if args.drug_library:
        from curator.core.suggest.drug_library import drug_library

        if not args.quiet:
            _info("loading the drug library (a few seconds)…")
        extra.append(drug_library())
    if args.model or args.train:
        from curator.cli_child import end_with_parent

        end_with_parent()
    model = _model_matcher(args, db) if args.model or args.train else None
    if model is not None:
        extra.append(model[1])
    titles = {row.uid: row.title for row in documents.list_documents(db)}
    order = [label.name for label in list_labels(db)]
    total: dict[str, int] = dict.fromkeys(order, 0)
    per_document: dict[str, dict[str, int]] = {}
    todo = list(dict.fromkeys(uids))
    with progress_bar("suggesting", "documents", quiet=args.quiet, total=len(todo)) as progress:
        for i, uid in enumerate(todo, 1):
            added = suggestions.compute(db, uid, args.curator_name, extra=extra)
            for label, n in added.items():
                total[label] = total.get(label, 0) + n
            per_document[uid] = {label: added.get(label, 0) for label in total}
            progress(i, len(todo))
    if args.json:
        out = {
            "curator": args.curator_name,
            "model": model[0] if model else None,
            "added": total,
            "documents": [
                {"id": uid, "title": titles.get(uid, ""), "added": counts}
                for uid, counts in per_document.items()
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for uid, counts in per_document.items():
        line = ", ".join(f"{label} {counts.get(label, 0)}" for label in total)
        print(f"{uid[:12]}  {line}  {titles.get(uid, '')}")
    _info(
        f"added for {args.curator_name}: "
        + ", ".join(f"{label} {n}" for label, n in total.items())
        + f" ({counted(sum(total.values()), 'new suggestion')} in "
        + f"{counted(len(todo), 'document')})"
    )
    return 0


def _model_matcher(args: argparse.Namespace, db: Database) -> tuple[str, Any]:
    """``suggest --model [--train]``: the model's source name and matcher (retrained first)."""
    from curator.core.learning import recognizer, retraining
    from curator.core.optional import SPACY, require

    require(SPACY, "suggest --model")
    if args.train:
        reason = retraining.training_due(db)
        if reason is not None:
            _train(args, db, reason)
    matcher = recognizer.model_matcher(db)
    return recognizer.load(db).manifest.source, matcher


def _train(args: argparse.Namespace, db: Database, reason: str) -> Any:
    from curator.core.learning import training

    if not args.quiet:
        _info(f"training the suggestion model ({reason})…")
    trained = training.train_database(db)
    if not args.quiet:
        m = trained.manifest
        _info(
            f"{m.source}: trained on {counted(m.positives, 'span')} and "
            f"{counted(m.negatives, 'rejected suggestion')} in "
            f"{counted(len(m.documents), 'document')} ({m.cpu_seconds:.1f} s of CPU)"
        )
    return trained


def cmd_train(args: argparse.Namespace, db: Database) -> int:
    from curator.core.learning import model_store, retraining, tuning
    from curator.core.optional import SPACY, require

    require(SPACY, "curator train")
    reason = retraining.training_due(db)
    if args.force and reason is None:
        reason = "asked for"
    if reason is None:
        found = model_store.current_model(db)
        if found is None or found.manifest is None:
            raise CuratorError(
                f"the team has tagged {retraining.learnable_spans(db)} span(s) a model "
                f"could learn from; training needs at least {retraining.MIN_POSITIVES}"
            )
        manifest = found.manifest
        state = {"trained": False, **model_store.describe(manifest)}
        message = (
            f"{manifest.source} is up to date (retrained after "
            f"{counted(tuning.retrain_after(), 'new decision')}; --force trains now)"
        )
    else:
        manifest = _train(args, db, reason).manifest
        state = {"trained": True, **model_store.describe(manifest)}
        message = f"{manifest.source} saved in {model_store.models_folder(db)}"
    if args.json:
        print(json.dumps(state, ensure_ascii=False, indent=2))
    else:
        print(message)
    return 0


def add_suggest_parsers(sub: Any) -> None:
    p = sub.add_parser("suggest", help="add suggested spans for the curator (lexicons, learned)")
    p.add_argument(
        "--document",
        dest="documents",
        **REPEATABLE,
        help="only these documents (ids or unique prefixes; default: all)",
    )
    p.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    p.add_argument(
        "--drug-library",
        action="store_true",
        help="also match the drug-named-entity-recognition dictionary (the 'drugs' extra)",
    )
    p.add_argument(
        "--model",
        action="store_true",
        help="also propose what the model trained on the team's spans finds (needs spaCy)",
    )
    p.add_argument(
        "--train",
        action="store_true",
        help="with --model: first retrain the model when enough new decisions arrived",
    )
    p.set_defaults(handler=cmd_suggest, upgrade=True)

    p = sub.add_parser("train", help="train the suggestion model on the team's decisions")
    p.add_argument("--force", action="store_true", help="train even when too few decisions are new")
    p.add_argument("--json", action="store_true", help="print the model's summary as JSON")
    p.set_defaults(handler=cmd_train, upgrade=True)
