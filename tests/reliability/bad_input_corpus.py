"""A generated corpus of malformed inputs: every field of every format, times every bad value.

Each sample is built into a folder when its test runs and says what the
command is, which file the refusal must name and on which line. The oracle
(in ``test_bad_input_corpus``) does not need to know whether a sample is
bad: a refusal must be exact, and an accepted sample must export and
round-trip. So the corpus is made by crossing, not by hand: each place a
value can sit (a field of our own JSONL, of span JSONL, of doccano, an
XML slot, a name, an environment variable) with each value that has broken
a JSON reader, a database or an export somewhere.
"""

from __future__ import annotations

from tests.reliability.corpus_articles import article_samples
from tests.reliability.corpus_json import jsonl_samples, other_json_samples, raw_jsonl_samples
from tests.reliability.corpus_names import name_samples
from tests.reliability.corpus_sample import Prepared, Sample
from tests.reliability.corpus_xml import xml_samples

__all__ = ["Prepared", "Sample", "all_samples"]


def all_samples() -> list[Sample]:
    samples = (
        jsonl_samples()
        + raw_jsonl_samples()
        + other_json_samples()
        + xml_samples()
        + article_samples()
        + name_samples()
    )
    names = [s.name for s in samples]
    assert len(names) == len(set(names)), "two samples share a name"
    return samples
