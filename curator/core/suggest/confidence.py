"""How sure a suggestion is, so a curator can review the most uncertain first.

A source with its own probability (a trained model) gives it in
:attr:`.Proposal.score`. The rule and lexicon sources have none per span, so
each gets a prior: the share of its suggestions a curator following the
guidelines keeps unchanged. The priors below are set from what each kind of
rule can get wrong, and checked against the benchmark's per-source exact
precision (``benchmarks/suggestions.py`` prints ``per_source``, leave one
document out over every gold article):

- curated names of one thing (a drug, a CAR-T product, a target, a title
  before a name) rarely mean anything else: high;
- kinds of therapy ("transplantation", "maintenance"), CD numbers (also
  cell populations), gene symbols and strings the team tagged elsewhere
  depend on context: middle;
- outcomes are phrases whose extent (the endpoint, the value, the
  population) curators most often adjust, and names taken from loose cues
  ("including", "said") can be places or awards: lower.

The suggestion table keeps a source's own score (``suggestion.score``) when
it gave one; otherwise a stored suggestion's confidence is its source's
prior, and a source missing from the table counts as 0.5 (knowing nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

UNKNOWN = 0.5

PRIORS: dict[str, float] = {
    "lexicon:drugs": 0.9,
    "lexicon:targets": 0.9,
    "lexicon:target-names": 0.85,
    "lexicon:therapy-kinds": 0.75,
    "pattern:car-t": 0.9,
    "pattern:cd-antigen": 0.8,
    "pattern:based-regimen": 0.7,
    "pattern:directed": 0.7,
    "pattern:inhibitor-class": 0.75,
    "pattern:inn-stem": 0.8,
    "pattern:title": 0.9,
    "pattern:first-author": 0.9,
    "pattern:degree": 0.85,
    "pattern:possessive": 0.75,
    "pattern:citation": 0.7,
    "pattern:credited": 0.65,
    "pattern:said": 0.65,
    "rule:abbreviation": 0.8,
    "rule:long-form": 0.7,
    "rule:surname": 0.75,
    "rule:axis": 0.75,
    "rule:gene-symbol": 0.7,
    "rule:target-agents": 0.6,
    "learned": 0.6,
    "library:drug-ner": 0.7,
}
# Every outcome pattern: the extent is the usual correction.
OUTCOME_PATTERN = 0.55

T = TypeVar("T")


def prior(source: str, label: str = "") -> float:
    """The documented prior of *source* for *label* (0.5 when unknown)."""
    if source in PRIORS:
        return PRIORS[source]
    if label == "outcome" and source.startswith("pattern:"):
        return OUTCOME_PATTERN
    return UNKNOWN


def confidence(source: str, label: str = "", score: float | None = None) -> float:
    """The source's own score when it gave one, clipped to [0, 1]; its prior otherwise."""
    if score is None:
        return prior(source, label)
    return min(1.0, max(0.0, score))


def uncertain_first(items: Iterable[T], key: Callable[[T], tuple[float, int, int, int]]) -> list[T]:
    """Least confident first; ties in reading order (*key*: confidence, start, end, id)."""
    return sorted(items, key=key)
