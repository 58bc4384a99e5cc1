"""When a database wants a new model: none usable yet, or enough new decisions since the last.

The app trains and proposes in the background unless
``CURATOR_MODEL_SUGGESTIONS=off``. The threshold is ``CURATOR_RETRAIN_AFTER``
decisions (default :data:`.tuning.RETRAIN_AFTER`): spans tagged, changed or
deleted, and suggestions rejected, since the latest decision the current
model saw. Twenty is about
one article's worth of work; a model trained after every decision would keep
a core busy for little gain. Checking reads the manifest and counts rows, so
the app asks after every few edits without importing spaCy.
"""

from __future__ import annotations

from sqlalchemy import func, select

from curator.core.learning import model_store
from curator.core.learning.decisions import TRAINED_ORIGINS, decisions_since
from curator.core.learning.tuning import retrain_after
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation

MIN_POSITIVES = 10
"""Fewer spans than this teach nothing worth suggesting; no model is trained."""


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
