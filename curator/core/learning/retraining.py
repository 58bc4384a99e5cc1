"""When a database wants a new model: none usable yet, or enough new decisions since the last.

The app trains and proposes in the background unless
``CURATOR_MODEL_SUGGESTIONS=off``. The threshold is ``CURATOR_RETRAIN_AFTER`` decisions (default
:data:`RETRAIN_AFTER`): spans tagged, changed or deleted, and suggestions
rejected, since the latest decision the current model saw. Twenty is about
one article's worth of work; a model trained after every decision would keep
a core busy for little gain. Checking reads the manifest and counts rows, so
the app asks after every few edits without importing spaCy.
"""

from __future__ import annotations

import os

from sqlalchemy import func, select

from curator.core import environment
from curator.core.errors import CuratorError
from curator.core.learning import model_store
from curator.core.learning.decisions import TRAINED_ORIGINS, decisions_since
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation

RETRAIN_AFTER = 20
MIN_POSITIVES = 10
"""Fewer spans than this teach nothing worth suggesting; no model is trained."""
PASSES = 600
"""Documents shown to the model in one training, over all epochs (3 to 30 epochs).

A few documents are gone through many times, many documents a few times:
the cost stays about that of 600 document passes (100 documents: 6 epochs),
and a small team's first model still gets enough updates to learn.
"""


def retrain_after() -> int:
    """New decisions that call for a new model (``CURATOR_RETRAIN_AFTER``)."""
    return environment.whole_number(
        "CURATOR_RETRAIN_AFTER", RETRAIN_AFTER, minimum=1, maximum=1_000_000, unit="decisions"
    )


def in_background() -> bool:
    """``CURATOR_MODEL_SUGGESTIONS``: ``on`` (default) lets the app train and run the model
    in the background; ``off`` keeps it to the lexicons (a slow or busy machine)."""
    value = os.environ.get("CURATOR_MODEL_SUGGESTIONS", "").strip().lower() or "on"
    if value not in ("on", "off"):
        raise CuratorError(f"CURATOR_MODEL_SUGGESTIONS={value!r}: use on or off (default: on)")
    return value == "on"


def learnable_spans(db: Database) -> int:
    with db.read() as session:
        count = session.scalar(
            select(func.count()).where(
                Annotation.deleted_at.is_(None),
                Annotation.fragments.is_(None),
                Annotation.origin.in_(TRAINED_ORIGINS),
            )
        )
    return int(count or 0)


def training_due(db: Database) -> str | None:
    """Why a model should be trained now, or None when the current one will do."""
    if model_store.models_folder(db) is None:
        return None
    found = model_store.current_model(db)
    if found is None or found.manifest is None or not found.usable:
        if learnable_spans(db) < MIN_POSITIVES:
            return None
        return "no usable model yet" if found is None else (found.problem or "unusable model")
    new = decisions_since(db, found.manifest.until)
    if new >= retrain_after():
        return f"{new} new decisions since {found.manifest.source}"
    return None


def passes() -> int:
    """``CURATOR_TRAIN_PASSES``: fewer trains faster and rougher (a slow machine, the tests)."""
    return environment.whole_number(
        "CURATOR_TRAIN_PASSES", PASSES, minimum=1, maximum=1_000_000, unit="document passes"
    )
