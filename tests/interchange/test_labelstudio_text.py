"""The Label Studio export spells each task out: the same text ``json.dumps`` gives.

``task`` (dicts) stays the definition; ``task_json`` builds the line as text,
and the two must agree character for character on any document: escapes,
non-ASCII, notes, concepts, relations, curators with a status and no spans.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.interchange.common import ExportDocument
from curator.core.interchange.labelstudio import task, task_json
from curator.core.storage.concepts import Concept
from curator.core.storage.records import RelationRecord, Span

CHARS = st.sampled_from([*'aZ 0\n\t"\\/κ–', "\x00", "\x01", "\x1f", "\x7f", "\u2028", "\U0001f600"])
TEXT = st.lists(CHARS, max_size=12).map("".join)
NAMES = st.sampled_from(["ana", 'o"hara', "back\\slash", "Zoë", "\U0001f600 x"])
LABELS = st.sampled_from(["therapy", "target", 'q"uote', "é\n"])
TIMES = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(dt.UTC)
)
CONCEPTS = st.lists(st.builds(Concept, TEXT, TEXT), max_size=2).map(tuple)


@st.composite
def documents(draw: st.DrawFn) -> ExportDocument:
    spans = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 50))
        created = draw(TIMES)
        spans.append(
            Span(
                f"u{i}{draw(TEXT)}",
                "doc",
                draw(NAMES),
                draw(LABELS),
                start,
                start + draw(st.integers(1, 9)),
                draw(TEXT),
                draw(st.sampled_from(["", "n\"o'te\n"])),
                "manual",
                1,
                created,
                created + dt.timedelta(seconds=draw(st.integers(0, 99))),
                None,
                draw(CONCEPTS),
            )
        )
    relations = [
        RelationRecord(
            f"r{i}",
            "doc",
            draw(NAMES),
            draw(LABELS),
            draw(TEXT),
            draw(TEXT),
            "manual",
            "",
            1,
            draw(TIMES),
            draw(TIMES),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    status = draw(st.dictionaries(NAMES, st.sampled_from(["new", "done"]), max_size=2))
    return ExportDocument(
        uid=draw(TEXT),
        title=draw(TEXT),
        text=draw(TEXT),
        meta={},
        status=status,
        spans=spans,
        relations=relations,
    )


@settings(max_examples=300, deadline=None)
@given(doc=documents(), curators=st.lists(NAMES, unique=True, max_size=4))
def test_task_json_is_json_dumps_of_the_task(doc: ExportDocument, curators: list[str]) -> None:
    assert task_json(doc, curators) == json.dumps(task(doc, curators), ensure_ascii=False)
