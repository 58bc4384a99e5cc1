"""One suggested span, as every source hands it over (lexicons, patterns, libraries, models)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Proposal:
    """One suggested span; offsets are code points, end exclusive.

    *score* is the source's own confidence in [0, 1] when it has one (a
    trained model's probability); ``None`` lets :mod:`.confidence` give the
    source's documented prior instead (the rule and lexicon sources).
    """

    start: int
    end: int
    label: str
    source: str
    score: float | None = None
