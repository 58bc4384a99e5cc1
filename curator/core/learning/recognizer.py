"""A stored model's proposals, as one more source for :func:`curator.core.suggest.finding.suggest`.

Each proposal is a :class:`ScoredProposal`: a ``Proposal`` whose ``source``
is ``model:v<N>`` (the model's version, stored in ``suggestion.source``) and
whose ``score`` is the span categorizer's probability for that label, from
:data:`~curator.core.learning.pipeline.THRESHOLD` to 1. That ``score`` is the
one place a confidence is exposed: an ordering of suggestions ("uncertain
first") reads ``getattr(proposal, "score", None)``; proposals of the
lexicons and patterns carry none (certain by construction).

Combining with the other sources: where a shipped lexicon or pattern
proposes a label, the model proposes nothing of that label overlapping it
(:func:`beside_rules`): the lists are reviewed by hand and the model is a
guess, and a wider guess would otherwise replace a right listed term
("second-line therapy" over "therapy" is fine, "line therapy" over
"romiplostim" is not). Measured leave-one-out on the gold articles, letting
the model's wider spans win cost more precision than it gained recall. The
model is then passed as an ``extra`` matcher, so of two proposals of the
same place and label the lexicon's wins (its source is kept). Rejected
quotes (:func:`~curator.core.learning.decisions.rejected_quotes`) are never
proposed by the model.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

from curator.core.errors import CuratorError
from curator.core.learning import model_store
from curator.core.learning.decisions import normal_quote, rejected_quotes
from curator.core.learning.pipeline import SPANS_KEY, spacy_module
from curator.core.optional import SPACY, require
from curator.core.storage.db import Database
from curator.core.suggest.finding import Matcher, Proposal, shipped_sources, suggest


@dataclass(frozen=True, slots=True)
class ScoredProposal(Proposal):
    score: float
    """The model's probability of this label for this span, in 0..1."""


@dataclass(frozen=True)
class Recognizer:
    nlp: Any
    manifest: model_store.Manifest

    def propose(self, text: str) -> list[ScoredProposal]:
        """Every span of *text* the model scores at or above the threshold."""
        doc = self.nlp(text)
        group = doc.spans[SPANS_KEY]
        scores = group.attrs.get("scores")
        out = []
        for i, span in enumerate(group):
            # One probability per span (an array of one, from the single-label categorizer).
            score = float(numpy.max(scores[i])) if scores is not None else 1.0
            out.append(
                ScoredProposal(
                    span.start_char,
                    span.end_char,
                    span.label_,
                    self.manifest.source,
                    round(min(1.0, max(0.0, score)), 4),
                )
            )
        out.sort(key=lambda p: (p.start, p.end, p.label))
        return out


_LOADED: dict[tuple[Path, str, str], Recognizer] = {}


def _load(folder: Path, manifest: model_store.Manifest) -> Recognizer:
    """Load once per process and model (the CLI suggests for many documents in a row)."""
    key = (folder, manifest.fingerprint, manifest.trained_at)
    if key not in _LOADED:
        spacy = spacy_module()
        _LOADED.clear()
        _LOADED[key] = Recognizer(spacy.load(folder / model_store.PIPELINE), manifest)
    return _LOADED[key]


def load(db: Database) -> Recognizer:
    """*db*'s usable model; a :class:`CuratorError` saying why when there is none."""
    require(SPACY, "suggestions from a model (--model)")
    found = model_store.current_model(db)
    if found is None:
        raise CuratorError(
            f"{db.display_name}: no suggestion model has been trained for this database; "
            "train one with: curator train"
        )
    if found.problem is not None or found.manifest is None:
        raise CuratorError(f"{db.display_name}: {found.problem}; train a new one: curator train")
    try:
        return _load(found.folder, found.manifest)
    except Exception as exc:  # a damaged pipeline folder: ignored, never a crash
        raise CuratorError(
            f"{found.folder}: the suggestion model could not be read ({exc}); "
            "train a new one: curator train"
        ) from None


def beside_rules(
    proposals: Sequence[ScoredProposal], rules: Sequence[Proposal]
) -> list[ScoredProposal]:
    """The model's *proposals* that overlap no proposal of *rules* with the same label."""
    by_label: dict[str, list[tuple[int, int]]] = {}
    for rule in rules:
        by_label.setdefault(rule.label, []).append((rule.start, rule.end))
    reach: dict[str, tuple[list[int], list[int]]] = {}  # label -> starts, furthest end so far
    for label, spans in by_label.items():
        spans.sort()
        ends = list(itertools.accumulate((end for _s, end in spans), max))
        reach[label] = ([start for start, _e in spans], ends)
    out = []
    for p in proposals:
        starts, ends = reach.get(p.label, ([], []))
        before = bisect.bisect_left(starts, p.end)  # rule spans starting before p ends
        if before and ends[before - 1] > p.start:
            continue
        out.append(p)
    return out


def model_matcher(db: Database) -> Matcher:
    """A matcher for ``suggest(extra=...)``: the model's proposals beside the rules',
    minus rejected quotes."""
    recognizer = load(db)
    rejected = rejected_quotes(db)

    def match(text: str) -> list[Proposal]:
        rules = suggest(text, shipped_sources())
        return [
            p
            for p in beside_rules(recognizer.propose(text), rules)
            if (normal_quote(text[p.start : p.end]), p.label) not in rejected
        ]

    return match
