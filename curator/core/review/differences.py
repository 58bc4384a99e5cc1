"""Where curators differ on one document: pure classification, no database.

Spans of all compared curators are first grouped by ``(start, end, label)``
into *candidates* (one candidate may be backed by several curators). Two
candidates are counterparts when they have the same label and overlapping
ranges (a boundary question) or the same range and different labels (a
label question); nested spans of different labels, such as a target inside
a therapy, are not counterparts. Each connected group of counterparts is one
*difference* for the reviewer:

- ``agreement``: one candidate, backed by every compared curator;
- ``missing``: one candidate that some curators do not have;
- ``boundary``: several candidates, all with the same label;
- ``label``: several candidates with different labels;
- ``concept``: several candidates with the same range and label that link
  different concepts (a span's concepts are part of what is compared, so
  spans that differ only there are separate candidates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from curator.core.storage.concepts import Concept
from curator.core.storage.records import Labelled

KINDS = ("agreement", "boundary", "label", "missing", "concept")


class SourceSpan(Labelled, Protocol):
    @property
    def uid(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    label: str
    curators: tuple[str, ...]
    uids: tuple[str, ...]
    concepts: tuple[Concept, ...] = ()


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str
    candidates: tuple[Candidate, ...]
    missing: tuple[str, ...]  # compared curators without any candidate here

    @property
    def start(self) -> int:
        return min(c.start for c in self.candidates)

    @property
    def end(self) -> int:
        return max(c.end for c in self.candidates)

    @property
    def uids(self) -> tuple[str, ...]:
        return tuple(uid for c in self.candidates for uid in c.uids)


def _counterparts(x: Candidate, y: Candidate) -> bool:
    if x.label == y.label:
        return x.start < y.end and y.start < x.end
    return (x.start, x.end) == (y.start, y.end)


_Key = tuple[int, int, str, tuple[str, ...]]  # start, end, label, concept ids


def _candidates(spans: Mapping[str, Sequence[SourceSpan]]) -> list[Candidate]:
    groups: dict[_Key, list[tuple[str, str]]] = {}
    linked: dict[_Key, tuple[Concept, ...]] = {}
    for curator, items in spans.items():
        for span in items:
            concepts: tuple[Concept, ...] = tuple(getattr(span, "concepts", ()))
            key = (span.start, span.end, span.label, tuple(c.id for c in concepts))
            groups.setdefault(key, []).append((curator, span.uid))
            linked.setdefault(key, concepts)
    return [
        Candidate(
            key[0],
            key[1],
            key[2],
            tuple(sorted({c for c, _ in backing})),
            tuple(uid for _, uid in sorted(backing)),
            linked[key],
        )
        for key, backing in sorted(groups.items())
    ]


def differences(spans: Mapping[str, Sequence[SourceSpan]]) -> list[Difference]:
    """Every difference among the curators' spans, in text order."""
    cands = _candidates(spans)
    parent = list(range(len(cands)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidates are sorted by start: only those starting before x ends can touch it.
    for i, x in enumerate(cands):
        for j in range(i + 1, len(cands)):
            y = cands[j]
            if y.start >= x.end:
                break
            if _counterparts(x, y):
                parent[root(j)] = root(i)
    components: dict[int, list[Candidate]] = {}
    for i, cand in enumerate(cands):
        components.setdefault(root(i), []).append(cand)
    everyone = set(spans)
    out = []
    for group in components.values():
        backed = {c for cand in group for c in cand.curators}
        missing = tuple(sorted(everyone - backed))
        if len(group) > 1:
            if len({c.label for c in group}) > 1:
                kind = "label"
            elif len({(c.start, c.end) for c in group}) == 1:
                kind = "concept"
            else:
                kind = "boundary"
        elif len(everyone) > 1 and not missing:
            kind = "agreement"
        else:
            kind = "missing"
        out.append(Difference(kind, tuple(group), missing))
    out.sort(key=lambda d: (d.start, d.end, d.candidates[0].label))
    return out
