"""Whether two curators link their matching spans to the same concepts.

Per pair and label: of the spans that match exactly (same start, end and
label, one to one), the share whose concepts are the same set of ids.
Spans that neither curator linked agree. Only linked spans are read from
the database (:func:`linked_spans`), and only when the span measures saw
one; the exact matches are the span measures' own counts, so only the
documents holding a linked span are looked at again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.core.storage.concepts import EMPTY, decode
from curator.core.storage.models import Annotation, Label

# (curator, document uid) -> (start, end, label) -> concept id sets of the linked spans there
Linked = dict[tuple[str, str], dict[tuple[int, int, str], list[frozenset[str]]]]


def linked_spans(session: Session, curators: Mapping[int, str], docs: Mapping[int, str]) -> Linked:
    table = Annotation.__table__.c
    query = (
        select(
            table.curator_id, table.document_id, table.start, table.end, Label.name, table.concepts
        )
        .join(Label, Label.id == table.label_id)
        .where(
            table.deleted_at.is_(None),
            table.concepts != EMPTY,
            table.curator_id.in_(list(curators)),
        )
    )
    out: Linked = defaultdict(lambda: defaultdict(list))
    for cur_id, doc_id, start, end, label, stored in session.execute(query):
        ids = frozenset(c.id for c in decode(stored))
        out[(curators[cur_id], docs[doc_id])][(start, end, label)].append(ids)
    return out


def concept_agreement(
    a: str,
    b: str,
    documents: Sequence[str],
    *,
    matched: Mapping[str, int],
    keys_of: Callable[[str, str], Counter[tuple[int, int, str]]],
    linked: Linked,
) -> dict[str, tuple[int, int]]:
    """Label -> (exactly matched spans, of which with the same concepts).

    *matched* holds the exact matches per label (the span measures count
    them); *keys_of(curator, uid)* counts a curator's ``(start, end, label)``
    in a document, asked only where a span is linked.
    """
    differ: Counter[str] = Counter()
    for uid in documents:
        la, lb = linked.get((a, uid)), linked.get((b, uid))
        if not la and not lb:
            continue
        la, lb = la or {}, lb or {}
        both = keys_of(a, uid) & keys_of(b, uid)
        for key in la.keys() | lb.keys():
            n = both.get(key, 0)
            if not n:
                continue
            ids_a = Counter(la.get(key, []))
            ids_b = Counter(lb.get(key, []))
            none = frozenset[str]()
            ids_a[none] += n - sum(ids_a.values())
            ids_b[none] += n - sum(ids_b.values())
            same = sum((ids_a & ids_b).values())
            differ[key[2]] += n - min(same, n)
    return {label: (n, n - differ[label]) for label, n in matched.items() if n}
