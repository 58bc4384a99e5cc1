"""The report's array computation against the definition, on generated documents.

``curator agreement`` computes every figure with :func:`compare_columns`
(columns of spans, tokens of all documents at once, clusters for overlap
matching); :func:`compare` measures one document at a time, span by span,
and is the definition. Both must give the same JSON, float for float: nested,
crossing and duplicated spans, spans reaching past the text, a label called
``"O"``, documents left out of the comparison, empty documents and sides.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.agreement.bulk import SpanColumns, TokenTable, compare_columns
from curator.core.agreement.measures import OUTSIDE, DocumentPair, Mention, compare, to_json

LABELS = ["therapy", "target", "outcome"]
TEXT = "Ruxolitinib (a JAK1/2 inhibitor) lowered CD19; overall response 81.8% at week 24. "
CHARS = st.sampled_from([*"aZ09_ .,;-/()%\n\tκé\u0301ß٣½漢–", "\U0001d6fc", "\u3000"])
TEXTS = st.one_of(st.just(TEXT * 2), st.just(""), st.lists(CHARS, max_size=90).map("".join))


@st.composite
def sides(draw: st.DrawFn) -> tuple[list[Mention], list[Mention]]:
    """Two curators' spans; B often repeats A's, so clusters of twins occur."""
    names = st.sampled_from([*LABELS, OUTSIDE]) if draw(st.booleans()) else st.just("target")
    a = []
    for _ in range(draw(st.integers(0, 14))):
        start = draw(st.integers(0, 70))
        a.append(Mention(start, start + draw(st.integers(1, 40)), draw(names)))
    b = [m for m in a if draw(st.integers(0, 9)) < 8]
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 70))
        b.append(Mention(start, start + draw(st.integers(1, 40)), draw(names)))
    return a, b


def _columns(docs: list[tuple[str, list[Mention]]], code: dict[str, int]) -> SpanColumns:
    rows = [
        (row, m.start, m.end, code[m.label]) for row, (_, spans) in enumerate(docs) for m in spans
    ]
    if not rows:
        return SpanColumns.empty()
    doc, start, end, label = np.array(rows, dtype=np.int64).T
    return SpanColumns(doc, start, end, label)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXTS, sides(), st.booleans()), min_size=1, max_size=5))
def test_columns_give_the_defined_report(
    docs: list[tuple[str, tuple[list[Mention], list[Mention]], bool]],
) -> None:
    uids = [f"d{i}" for i in range(len(docs))]
    chosen = [i for i, (_, _, kept) in enumerate(docs) if kept]
    expected = compare([DocumentPair(uids[i], docs[i][0], *docs[i][1]) for i in chosen], LABELS)
    names = sorted({*LABELS, OUTSIDE})
    code = {name: i for i, name in enumerate(names)}
    table = TokenTable([text for text, _, _ in docs])
    a = _columns([(text, pair[0]) for text, pair, _ in docs], code)
    b = _columns([(text, pair[1]) for text, pair, _ in docs], code)
    got = compare_columns(
        table, chosen, [uids[i] for i in chosen], a, b, names=names, labels=LABELS
    )
    assert to_json("a", "b", got) == to_json("a", "b", expected)


def test_every_document_compared_takes_the_same_path_as_a_subset() -> None:
    """All rows compared (tokens read in place) and a subset (tokens picked) agree."""
    text = TEXT * 3
    spans = [Mention(0, 11, "therapy"), Mention(15, 19, "target"), Mention(0, 40, "therapy")]
    other = [Mention(0, 11, "therapy"), Mention(14, 19, "target")]
    names = sorted({*LABELS, OUTSIDE})
    code = {name: i for i, name in enumerate(names)}
    table = TokenTable([text, text])
    a = _columns([(text, spans), (text, spans)], code)
    b = _columns([(text, other), (text, other)], code)
    both = compare_columns(table, [0, 1], ["x", "y"], a, b, names=names, labels=LABELS)
    one = compare_columns(table, [1], ["y"], a, b, names=names, labels=LABELS)
    assert to_json("a", "b", both)["documents"]["y"] == to_json("a", "b", one)["documents"]["y"]
    assert both.kappa is not None and 0 < both.kappa < 1


def test_spans_far_past_the_text_give_the_defined_report() -> None:
    """Ranks too wide for 32 bits, and too wide for one integer, order spans the same."""
    names = sorted({*LABELS, OUTSIDE})
    code = {name: i for i, name in enumerate(names)}
    for far in (2**20, 2**40):
        a = [Mention(0, far, "therapy"), Mention(0, 11, "target"), Mention(far, far + 9, "outcome")]
        b = [Mention(0, far, "target"), Mention(15, 19, "target"), Mention(3, far, "therapy")]
        expected = compare([DocumentPair("d", TEXT, a, b)], LABELS)
        table = TokenTable([TEXT])
        got = compare_columns(
            table,
            [0],
            ["d"],
            _columns([(TEXT, a)], code),
            _columns([(TEXT, b)], code),
            names=names,
            labels=LABELS,
        )
        assert to_json("a", "b", got) == to_json("a", "b", expected)
        assert got.kappa is not None and -1 < got.kappa < 1
