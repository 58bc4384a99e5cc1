"""The variables that tune the suggestion model: when to retrain, how long to train, whether at all.

Apart from :mod:`.retraining` (which counts decisions in the database, so
imports the models and the model store) because every command checks these
variables at its start (:func:`curator.core.opening.check_environment`) and
most never train.
"""

from __future__ import annotations

import os

from curator.core import environment
from curator.core.errors import CuratorError

RETRAIN_AFTER = 20
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


def passes() -> int:
    """``CURATOR_TRAIN_PASSES``: fewer trains faster and rougher (a slow machine, the tests)."""
    return environment.whole_number(
        "CURATOR_TRAIN_PASSES", PASSES, minimum=1, maximum=1_000_000, unit="document passes"
    )
