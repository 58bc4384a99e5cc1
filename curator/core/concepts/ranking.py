"""Ranking the concepts a span's text may name, with the reason for each.

One :class:`Ranker` per vocabulary. A query is compared with every name in
three ways, best first:

1. **exact**: the name as written (``BCMA`` is a previous symbol of
   TNFRSF17), then the same up to case, hyphens, spaces and Greek letters
   (``TNF-𝛼`` = ``TNFA``, ``IL-6`` = ``IL6``). Case rule for genes: a query
   written all in lower case does not match a symbol exactly ("tank" is a
   word, ``TANK`` a gene), it only comes up as a weaker candidate.
2. **prefix**: names that begin with the query (the picker's type-ahead).
3. **fuzzy**: names sharing most of the query's letter trigrams (typos).

Kinds of name break ties (a symbol before a previous symbol before an alias,
as HGNC assigns them). :meth:`Ranker.decide` says whether a text names one
concept unambiguously: some exact match, all of the best exact matches
naming the same concept. Prefix and fuzzy candidates are never linked
without a curator choosing them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from curator.core.concepts.vocabulary import KINDS, Name, source_of

EXACT = 85.0  # scores at or above: an exact match, which `curator link` may use
# Below EXACT and above every prefix match (at most 80): a name in another case.

_GREEK = str.maketrans(
    {"α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l", "μ": "m",
     "ω": "w", "ζ": "z", "θ": "th", "τ": "t", "σ": "s", "π": "p"}
)  # fmt: skip
_GREEK_WORDS = re.compile(r"(?<![a-z])(alpha|beta|gamma|delta|epsilon|kappa|lambda)(?![a-z])")
_NOT_ALNUM = re.compile(r"[\W_]+")
_LIST = re.compile(r",\s*(?:and\s+|plus\s+)?|\s+(?:and|plus)\s+")
_CASE_KINDS = frozenset({"symbol", "previous symbol", "alias"})


_ASCII_DROP = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalnum()))
_GREEK_HINT = re.compile(r"alpha|beta|gamma|delta|epsilon|kappa|lambda")


def fold(text: str) -> str:
    """The comparison key: case, punctuation, spaces and Greek spelling removed."""
    if text.isascii():  # most names: no normalisation needed
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).lower().translate(_GREEK)
    if _GREEK_HINT.search(text):
        text = _GREEK_WORDS.sub(lambda m: m.group(1)[0], text)
    if text.isascii():
        return text.translate(_ASCII_DROP)
    return _NOT_ALNUM.sub("", text)


def _file(index: dict[str, int | list[int]], key: str, i: int) -> None:
    held = index.get(key)
    if held is None:
        index[key] = i
    elif isinstance(held, int):
        index[key] = [held, i]
    else:
        held.append(i)


def _entries(index: dict[str, int | list[int]], key: str) -> Sequence[int]:
    held = index.get(key)
    if held is None:
        return ()
    return (held,) if isinstance(held, int) else held


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True, slots=True)
class Candidate:
    concept_id: str
    concept_name: str
    source: str
    matched: str
    kind: str
    why: str
    score: float


@dataclass(frozen=True, slots=True)
class Decision:
    """What :meth:`Ranker.decide` found: linked, ambiguous or no candidate."""

    outcome: str  # "linked", "ambiguous" or "none"
    candidates: tuple[Candidate, ...] = ()
    """Linked: the concepts to link (several for a list of drugs); else the nearest names."""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class Ranker:
    """An index over one vocabulary's names (see the module docstring)."""

    def __init__(self, names: Sequence[Name], *, case_rule: bool = False) -> None:
        # Columns rather than a Name per entry: the index loads from a cache in one
        # marshal call (see curator.core.concepts.vocabulary_index) and holds 200,000 names.
        self.case_rule = case_rule
        self._text = [n.text for n in names]
        self._cid = [n.concept_id for n in names]
        self._cname = [n.concept_name for n in names]
        self._kind = [n.kind for n in names]
        # A key names one entry (an int) far more often than several (a list):
        # ints load from the cache in a fraction of the time of one-item lists.
        self._exact: dict[str, int | list[int]] = {}
        self._folded: dict[str, int | list[int]] = {}
        for i, text in enumerate(self._text):
            _file(self._exact, text, i)
            _file(self._folded, fold(text), i)
        self._sorted_keys: list[str] | None = None
        self._grams: dict[str, list[str]] | None = None

    def state(self) -> tuple[object, ...]:
        """Everything the index holds, as plain values (for the on-disk cache)."""
        return (self.case_rule, self._text, self._cid, self._cname, self._kind,
                self._exact, self._folded)  # fmt: skip

    @classmethod
    def from_state(cls, state: Sequence[Any]) -> Ranker:
        self = cls.__new__(cls)
        (self.case_rule, self._text, self._cid, self._cname, self._kind,
         self._exact, self._folded) = state  # fmt: skip
        self._sorted_keys = None
        self._grams = None
        return self

    def __len__(self) -> int:
        return len(self._text)

    @property
    def _sorted(self) -> list[str]:
        if self._sorted_keys is None:  # only the picker's prefix search needs it
            self._sorted_keys = sorted(self._folded)
        return self._sorted_keys

    # -- scoring ---------------------------------------------------------------------------

    @staticmethod
    def _rank(kind: str) -> float:
        return KINDS.index(kind) * 0.5 if kind in KINDS else 3.0

    def _candidate(self, i: int, score: float, why: str) -> Candidate:
        cid = self._cid[i]
        return Candidate(cid, self._cname[i], source_of(cid), self._text[i], self._kind[i], why,
                         score)  # fmt: skip

    def _exact_matches(self, query: str) -> dict[str, Candidate]:
        best: dict[str, Candidate] = {}

        def offer(c: Candidate) -> None:
            held = best.get(c.concept_id)
            if held is None or c.score > held.score:
                best[c.concept_id] = c

        for i in _entries(self._exact, query):
            kind = self._kind[i]
            offer(self._candidate(i, 100 - self._rank(kind), f"exact {kind}"))
        lower = query == query.lower() and any(ch.isalpha() for ch in query)
        for i in _entries(self._folded, fold(query)):
            text, kind = self._text[i], self._kind[i]
            if text == query:
                continue
            if self.case_rule and lower and kind in _CASE_KINDS and text != text.lower():
                offer(self._candidate(i, 84 - self._rank(kind), f"{kind}, other case"))
            else:
                score = 90 - self._rank(kind)
                offer(self._candidate(i, score, f"{kind} up to case and punctuation"))
        return best

    def _prefix_matches(self, key: str, limit: int) -> list[Candidate]:
        out: list[Candidate] = []
        at = bisect.bisect_left(self._sorted, key)
        while at < len(self._sorted) and len(out) < limit * 4:
            found = self._sorted[at]
            if not found.startswith(key):
                break
            if found != key:
                score = 50 + 30 * len(key) / len(found)
                for i in _entries(self._folded, found)[:4]:
                    rank = self._rank(self._kind[i])
                    out.append(self._candidate(i, score - rank, "begins with"))
            at += 1
        return out

    def _fuzzy_matches(self, key: str, limit: int) -> list[Candidate]:
        if len(key) < 3:
            return []
        if self._grams is None:  # built on first use: the picker rarely needs it
            grams: dict[str, list[str]] = {}
            for found in self._sorted:
                for g in _trigrams(found):
                    grams.setdefault(g, []).append(found)
            self._grams = grams
        mine = _trigrams(key)
        shared: Counter[str] = Counter()
        for g in mine:
            postings = self._grams.get(g, ())
            if len(postings) < 20_000:  # a trigram that common says nothing
                shared.update(postings)
        out: list[Candidate] = []
        for found, n in shared.most_common(limit * 2):
            similarity = n / len(mine | _trigrams(found))
            if similarity < 0.45 or found == key:
                continue
            for i in _entries(self._folded, found)[:2]:
                why = f"similar spelling ({similarity:.0%})"
                rank = self._rank(self._kind[i])
                out.append(self._candidate(i, 40 * similarity - rank, why))
        return out

    # -- asking ----------------------------------------------------------------------------

    def candidates(self, query: str, limit: int = 20, *, fuzzy: bool = True) -> list[Candidate]:
        """Ranked candidates for *query*, one per concept, best first."""
        query = " ".join(query.split())
        if not query:
            return []
        best = self._exact_matches(query)
        key = fold(query)
        if key and len(best) < limit:
            for c in self._prefix_matches(key, limit):
                if c.concept_id not in best or best[c.concept_id].score < c.score:
                    best[c.concept_id] = c
        if fuzzy and key and len(best) < limit:
            for c in self._fuzzy_matches(key, limit):
                if c.concept_id not in best:
                    best[c.concept_id] = c
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.concept_name, c.concept_id))
        return ranked[:limit]

    def decide(self, text: str) -> Decision:
        """Whether *text* names one concept exactly (see the module docstring)."""
        text = " ".join(text.split())
        exact = [c for c in self._exact_matches(text).values() if c.score >= EXACT]
        if not exact and "/" in text:
            exact = self._all_parts(text)
        if not exact and _LIST.search(text):
            listed = self._listed(text)
            if listed:
                return Decision("linked", tuple(listed))
        if not exact:
            near = self.candidates(text, limit=5, fuzzy=False)
            return Decision("ambiguous" if near else "none", tuple(near))
        exact.sort(key=lambda c: (-c.score, c.concept_id))
        top = [c for c in exact if c.score == exact[0].score]
        if len({c.concept_id for c in top}) == 1:
            return Decision("linked", (top[0],))
        return Decision("ambiguous", tuple(exact))

    def _listed(self, text: str) -> list[Candidate]:
        """ "pomalidomide, bortezomib and dexamethasone": each item one concept, all linked."""
        found: list[Candidate] = []
        for part in (p.strip() for p in _LIST.split(text)):
            if not part:
                continue
            decision = self.decide(part)
            if decision.outcome != "linked" or decision.best is None:
                return []
            found.append(decision.best)
        return found if len({c.concept_id for c in found}) > 1 else []

    def _all_parts(self, text: str) -> list[Candidate]:
        """ "APN/CD13": every part an exact name of the same one concept."""
        parts = [p for p in (s.strip() for s in text.split("/")) if p]
        found: list[Candidate] = []
        for part in parts:
            matches = [c for c in self._exact_matches(part).values() if c.score >= EXACT]
            if not matches:
                return []
            matches.sort(key=lambda c: -c.score)
            found.append(matches[0])
        if len({c.concept_id for c in found}) != 1:
            return []
        first = found[0]
        why = f"each of {', '.join(repr(p) for p in parts)} names it"
        return [Candidate(first.concept_id, first.concept_name, first.source, text, first.kind,
                          why, EXACT)]  # fmt: skip
