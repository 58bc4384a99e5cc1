"""Agreement on relations between two curators: precision, recall and F1.

A relation is reduced to ``(head, tail, type)`` where each end is the
span's ``(start, end, label)``; relation ids and span ids differ between
curators, what they tagged does not. Two measures, with B measured against
A as for spans (``precision = m / n_b``, ``recall = m / n_a``, ``F1 = 2m /
(n_a + n_b)``, the same empty cases; see :mod:`.measures`):

- **exact**: a relation of B matches one of A of the same type whose head
  and tail have the same ``(start, end, label)`` (as multisets: a relation
  counted twice matches twice).
- **overlap**: the same type, and each end overlaps the other's end (one
  character at least) with the same label. One to one, greedy in text
  order: B's relations by their head then tail, each taking the first
  unmatched relation of A that fits (by A's head then tail).

Only live relations between live spans count, over the documents the span
measures use for the pair. The type is compared by uid, so a type renamed
in one database and merged still compares as one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from curator.core.agreement.measures import Counts, Mention
from curator.core.storage.models import Annotation, Label, Relation, RelationType


class RelationMention(NamedTuple):
    head: Mention
    tail: Mention
    type: str


def load_relations(
    session: Session, curators: dict[int, str], docs: dict[int, str]
) -> dict[tuple[str, str], list[RelationMention]]:
    """(curator, document uid) -> live relations between live spans."""
    head, tail = aliased(Annotation), aliased(Annotation)
    head_label, tail_label = aliased(Label), aliased(Label)
    query = (
        select(
            Relation.curator_id,
            Relation.document_id,
            RelationType.uid,
            head.start,
            head.end,
            head_label.name,
            tail.start,
            tail.end,
            tail_label.name,
        )
        .join(RelationType, RelationType.id == Relation.type_id)
        .join(head, head.uid == Relation.head_uid)
        .join(tail, tail.uid == Relation.tail_uid)
        .join(head_label, head_label.id == head.label_id)
        .join(tail_label, tail_label.id == tail.label_id)
        .where(
            Relation.deleted_at.is_(None),
            head.deleted_at.is_(None),
            tail.deleted_at.is_(None),
            Relation.curator_id.in_(list(curators)),
        )
    )
    out: dict[tuple[str, str], list[RelationMention]] = defaultdict(list)
    for cur, doc, kind, hs, he, hl, ts, te, tl in session.execute(query):
        out[(curators[cur], docs[doc])].append(
            RelationMention(Mention(hs, he, hl), Mention(ts, te, tl), kind)
        )
    return out


def exact_relation_matches(a: Sequence[RelationMention], b: Sequence[RelationMention]) -> int:
    return sum((Counter(a) & Counter(b)).values())


def _overlaps(x: Mention, y: Mention) -> bool:
    return x.label == y.label and x.start < y.end and y.start < x.end


def overlap_relation_matches(a: Sequence[RelationMention], b: Sequence[RelationMention]) -> int:
    free = sorted(a)
    matched = 0
    for rel in sorted(b):
        for i, other in enumerate(free):
            if (
                other.type == rel.type
                and _overlaps(other.head, rel.head)
                and _overlaps(other.tail, rel.tail)
            ):
                del free[i]
                matched += 1
                break
    return matched


def _figures(counts: Counts) -> dict[str, object]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "matched": counts.matched,
        "precision": rounded(counts.precision),
        "recall": rounded(counts.recall),
        "f1": rounded(counts.f1),
    }


def relation_agreement(
    a: str,
    b: str,
    documents: Iterable[str],
    relations: dict[tuple[str, str], list[RelationMention]],
) -> dict[str, object]:
    """The ``relations`` block of one pair in ``curator agreement --json``."""
    exact = overlap = Counts(0, 0, 0)
    for doc in documents:
        of_a, of_b = relations.get((a, doc), []), relations.get((b, doc), [])
        if not of_a and not of_b:
            continue
        n = (len(of_a), len(of_b))
        exact += Counts(exact_relation_matches(of_a, of_b), *n)
        overlap += Counts(overlap_relation_matches(of_a, of_b), *n)
    return {
        "n_a": exact.n_a,
        "n_b": exact.n_b,
        "exact": _figures(exact),
        "overlap": _figures(overlap),
    }
