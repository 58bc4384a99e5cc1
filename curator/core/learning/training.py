"""Training a recognizer on the team's decisions, and storing it beside the database.

Each training document is tokenized with a cut at every span edge (as the
spaCy export does), so every decision fits the tokens; its positives are the
gold spans and every other candidate, the rejected suggestions included, is
a negative. Training is seeded: the same decisions give the same model.

This runs in its own process (``curator train``, or ``curator suggest
--model --train`` that the app starts in the background): it holds the CPU
for seconds and imports spaCy, neither of which a window may wait for.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from curator.core.errors import CuratorError
from curator.core.learning import model_store
from curator.core.learning.decisions import (
    Decisions,
    DocumentDecisions,
    most_recent,
    read_decisions,
)
from curator.core.learning.pipeline import (
    MAX_TOKENS,
    SPANS_KEY,
    blank_pipeline,
    candidate_spans,
    spacy_module,
)
from curator.core.learning.retraining import MIN_POSITIVES
from curator.core.learning.tuning import passes
from curator.core.optional import SPACY, require
from curator.core.storage.db import Database

TRAIN_CHARACTERS = 1_000_000
"""Text a model is trained on at most: the documents decided on last (see
:func:`~curator.core.learning.decisions.most_recent`). With at least 3
epochs, a training then stays near a minute of CPU however large the
database (100 documents of 5,000 characters, 6 epochs: about 45 s)."""
BATCH_CHUNKS = 16
MIN_CHUNK, MAX_CHUNK = 8, 80
"""Tokens of one training example (a sentence, or a part of a long one)."""
DROPOUT = 0.1
SEED = 7


@dataclass(frozen=True)
class Trained:
    manifest: model_store.Manifest
    skipped_spans: int
    """Positives no candidate can hold (longer than the longest candidate)."""


def epochs_for(documents: int) -> int:
    """Epochs that show the model about :func:`passes` documents (3 to 30; 1 if asked for less)."""
    budget = passes()
    epochs = max(3, min(30, -(-budget // max(1, documents))))
    return min(epochs, budget)


def sentence_chunks(doc: Any, spans: Sequence[Any]) -> list[tuple[int, int]]:
    """(first, last) token ranges of about a sentence each, never cutting a span.

    Sentences, not documents, are the examples: a few documents then still
    give the optimizer many small steps, which is what a first model of a
    small team needs to learn anything.
    """
    inside = {i for s in spans for i in range(s.start + 1, s.end)}
    out: list[tuple[int, int]] = []
    first = 0
    for i, token in enumerate(doc):
        end = i + 1
        if end in inside or end - first < MIN_CHUNK:
            continue
        sentence_end = token.text in (".", "?", "!") or (token.is_space and "\n" in token.text)
        if sentence_end or end - first >= MAX_CHUNK:
            out.append((first, end))
            first = end
    if first < len(doc):
        out.append((first, len(doc)))
    return out


def train_pipeline(
    documents: Sequence[DocumentDecisions], *, epochs: int | None = None, seed: int = SEED
) -> tuple[Any, int]:
    """A trained pipeline for *documents*, and how many positives it could not learn."""
    spacy_module()
    from spacy.training import Example
    from spacy.util import minibatch
    from thinc.api import fix_random_seed

    from curator.core.interchange.spacy_tokenizer import doc_with_cuts

    fix_random_seed(seed)
    labels = sorted({label for d in documents for _s, _e, label in d.positives})
    nlp = blank_pipeline(labels)
    examples = []
    skipped = 0
    for document in documents:
        places = document.positives | document.negatives
        cuts = [edge for start, end, _label in places for edge in (start, end)]
        whole, _ = doc_with_cuts(nlp, document.text, cuts)
        candidates = set(candidate_spans(whole, MAX_TOKENS))
        spans = []
        for start, end, label in sorted(document.positives):
            span = whole.char_span(start, end, label=label)
            if span is None or (span.start, span.end) not in candidates:
                skipped += 1
                continue
            spans.append(span)
        for first, last in sentence_chunks(whole, spans):
            chunk = whole[first:last].as_doc()
            reference = chunk.copy()
            shift = whole[first].idx
            reference.spans[SPANS_KEY] = [
                reference.char_span(s.start_char - shift, s.end_char - shift, label=s.label_)
                for s in spans
                if first <= s.start and s.end <= last
            ]
            examples.append(Example(chunk, reference))
    if not examples:
        raise CuratorError("no document holds a span to learn from")
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _epoch in range(epochs or epochs_for(len(documents))):
        order.shuffle(examples)
        for batch in minibatch(examples, BATCH_CHUNKS):  # type: ignore[no-untyped-call]
            nlp.update(batch, sgd=optimizer, drop=DROPOUT)
    return nlp, skipped


def train_database(
    db: Database, *, epochs: int | None = None, decisions: Decisions | None = None
) -> Trained:
    """Train on *db*'s decisions and store the model as the next version."""
    require(SPACY, "a suggestion model")
    decisions = most_recent(decisions or read_decisions(db), TRAIN_CHARACTERS)
    if decisions.positives < MIN_POSITIVES:
        raise CuratorError(
            f"the team has tagged {decisions.positives} span(s) a model could learn from; "
            f"training needs at least {MIN_POSITIVES}"
        )
    cpu0 = time.process_time()
    nlp, skipped = train_pipeline(decisions.documents, epochs=epochs)
    cpu = time.process_time() - cpu0
    version = model_store.next_version(db)
    manifest = model_store.Manifest(
        format=model_store.FORMAT,
        version=version,
        kind="spancat",
        spacy=model_store.spacy_version() or "",
        schema=model_store.schema_revision(db),
        database=db.display_name,
        documents=[d.uid for d in decisions.documents],
        labels=sorted({label for d in decisions.documents for _s, _e, label in d.positives}),
        positives=decisions.positives,
        negatives=decisions.negatives,
        fingerprint=decisions.fingerprint,
        decisions_until=decisions.until.isoformat() if decisions.until else None,
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        epochs=epochs or epochs_for(len(decisions.documents)),
        cpu_seconds=round(cpu, 2),
    )
    with model_store.new_model_folder(db, version) as folder:
        nlp.to_disk(folder / model_store.PIPELINE)
        model_store.write_manifest(folder, manifest)
    model_store.remove_older(db, version)
    return Trained(manifest, skipped)
