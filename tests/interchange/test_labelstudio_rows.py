"""Label Studio tasks read straight into rows store and refuse exactly as the general path.

Each file is imported twice into empty databases: as the import runs, and
with the shortcut (``labelstudio_rows.PlainTasks``) turned off, so every task
goes through span records. The stored rows (every column of every table the
import writes; uids, which are random, by their series) and the report or
refusal (file, line and message) must be the same, and the shortcut must
have been taken where the tasks allow it, or the comparison proves nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.interchange.labelstudio_tasks import (
    LATER,
    OTHER,
    PLAIN,
    SECOND,
    TEXT,
    add_x,
    annotation,
    both_ways,
    region,
    retire_expert,
    store_text,
    task,
)

GOOD: dict[str, tuple[list[Any], int, dict[str, Any]]] = {
    "plain": ([PLAIN, SECOND], 2, {}),
    "curators-come-back": (
        [
            task(
                [
                    annotation([region("JAK2")]),
                    annotation([region("JAK2"), region("CD19")], curator="zoe"),
                    annotation([region("CD19"), region("𝛼-thalassemia", "outcome")]),
                ]
            )
        ],
        1,
        {},
    ),
    "completed-by-and-the-importer": (
        [
            task(
                [
                    annotation([region("JAK2")], curator=None, completed_by=7),
                    annotation([region("CD19")], curator=None, completed_by={"email": "a@b.org"}),
                    annotation([region("CD19")], curator=None),
                ]
            )
        ],
        1,
        {"curator": "yan"},
    ),
    "no-times": (
        [task([annotation([region("JAK2")], created_at=None, updated_at=None)])],
        1,
        {"curator": "yan"},
    ),
    "times-in-a-zone-and-none": (
        [task([annotation([region("JAK2")], created_at=LATER, updated_at="2020-02-30")])],
        1,
        {},
    ),
    "completions-and-an-empty-result": (
        [{"data": {"text": TEXT}, "completions": [annotation([]), annotation([region("CD19")])]}],
        1,
        {},
    ),
    "no-annotations": ([task([]), SECOND], 2, {}),
    "pretty-printed": ([PLAIN, SECOND], 2, {"indent": 2}),
    "the-same-task-twice": ([PLAIN, SECOND, PLAIN], 2, {}),
    "a-document-held-before": ([PLAIN, SECOND], 1, {"prepare": store_text}),
    "a-general-task-first": (
        [task([annotation([region("JAK2", text=None)])]), SECOND, PLAIN],
        1,
        {},
    ),
    "a-span-twice-in-a-task": (
        [task([annotation([region("JAK2")]), annotation([region("JAK2")])]), SECOND],
        1,
        {},
    ),
    "two-labels-on-a-region": (
        [task([annotation([region("JAK2", labels=["target", "therapy"])])]), SECOND],
        1,
        {},
    ),
    "concepts": (
        [task([annotation([dict(region("JAK2"), meta={"concepts": ["HGNC:6192"]})])]), SECOND],
        1,
        {},
    ),
    "a-note-and-a-relation": (
        [
            task(
                [
                    annotation(
                        [
                            region("JAK2"),
                            region("Ruxolitinib", "therapy"),
                            {"type": "textarea", "id": "r22-target", "value": {"text": ["n"]}},
                            {
                                "type": "relation",
                                "from_id": "r0-therapy",
                                "to_id": "r22-target",
                                "labels": ["acts_on"],
                            },
                        ]
                    )
                ]
            ),
            SECOND,
        ],
        1,
        {},
    ),
    "predictions": (
        [task([], predictions=[{"model_version": "m1", "result": [region("JAK2")]}]), SECOND],
        1,
        {"curator": "yan"},
    ),
    "a-choice-allowed-to-go": (
        [task([annotation([{"type": "choices", "value": {"choices": ["yes"]}}])]), SECOND],
        1,
        {"allow_loss": True},
    ),
    "an-unknown-label-added": (
        [task([annotation([region("JAK2", "gene")])]), SECOND],
        1,
        {"add_labels": True},
    ),
    "a-quote-left-out": ([task([annotation([region("JAK2", text=None)])]), SECOND], 1, {}),
    "text-made-canonical": (
        [task([annotation([region("JAK2", within="JAK2 and\r\nCD19\n")])], "JAK2 and\r\nCD19\n")],
        0,
        {},
    ),
    "spans-that-share-a-start": (
        [
            task([annotation([region("CD19"), region("CD19 CAR-T cells")])]),
            task(
                [
                    annotation([region("JAK2", within=OTHER)]),
                    annotation([region("JAK2 and", within=OTHER)]),
                ],
                OTHER,
            ),
        ],
        2,
        {},
    ),
    "the-importer-named-with-spaces": (
        [task([annotation([region("JAK2")], curator=None)]), SECOND],
        1,
        {"curator": " yan "},
    ),
    "text-as-the-only-string": (
        [{"data": {"body": TEXT}, "annotations": [annotation([region("JAK2")])]}, SECOND],
        1,
        {},
    ),
}


@pytest.mark.parametrize("case", list(GOOD))
def test_good_files_store_the_same_rows_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    tasks, plain_tasks, options = GOOD[case]
    (said, tables), taken = both_ways(tmp_path, monkeypatch, tasks, **options)
    assert said.startswith("{"), said  # a report, not a refusal (FILE:LINE:)
    assert taken == plain_tasks
    assert tables["annotation"]


BAD: dict[str, tuple[list[Any], str, dict[str, Any]]] = {
    "bad-offsets": ([SECOND, task([annotation([region("JAK2", end=10_000)])])], "not inside", {}),
    "reversed-offsets": (
        [SECOND, task([annotation([region("JAK2", start=30, end=20)])])],
        "start before end",
        {},
    ),
    "bool-offset": (
        [SECOND, task([annotation([region("Ruxolitinib", start=True, text="uxolitinib")])])],
        "whole numbers",
        {},
    ),
    "a-fraction-for-an-end": (
        [SECOND, task([annotation([region("JAK2", end=26.0)])])],
        "whole numbers",
        {},
    ),
    "labels-as-a-name": (
        [SECOND, task([annotation([region("JAK2", labels="x")])])],
        "list of names",
        {"prepare": add_x},
    ),
    "wrong-quote": ([SECOND, task([annotation([region("JAK2", text="JAK3")])])], "JAK3", {}),
    "unknown-label": ([SECOND, task([annotation([region("JAK2", "gene")])])], "gene", {}),
    "retired-label": (
        [SECOND, task([annotation([region("JAK2", "expert")])])],
        "retired",
        {"prepare": retire_expert},
    ),
    "a-relation-not-allowed": (
        [SECOND, task([annotation([region("JAK2"), {"type": "choices", "value": {}}])])],
        "cannot hold",
        {},
    ),
    "no-curator": ([SECOND, task([annotation([region("JAK2")], curator=None)])], "curator", {}),
    "a-curator-too-long": (
        [SECOND, task([annotation([region("JAK2")], curator="x" * 500)])],
        "curator",
        {},
    ),
    "a-nul-in-the-text": (
        [SECOND, task([annotation([region("JAK2", within="JAK2\0")])], "JAK2\0")],
        "NUL",
        {},
    ),
    "an-edge-inside-a-crlf": (
        [SECOND, task([annotation([region("\n", within="a\r\nb")])], "a\r\nb")],
        "canonical",
        {},
    ),
    "an-empty-text": ([SECOND, task([], " \n")], "empty", {}),
    "a-result-not-a-list": ([SECOND, task([annotation(None)])], "'result' list", {}),
    "annotations-not-a-list": ([SECOND, task(5)], "'annotations' must be a list", {}),  # type: ignore[arg-type]
    "annotations-an-object": ([SECOND, task({"a": annotation([])})], "must be a list", {}),  # type: ignore[arg-type]
    "a-region-of-nothing": (
        [SECOND, task([annotation([region("JAK2", end=22, text="")])])],
        "start before end",
        {},
    ),
    "a-region-before-the-text": (
        [SECOND, task([annotation([region("JAK2", start=-3, end=0, text="%.\n")])])],
        "not inside",
        {},
    ),
    "a-short-quote": ([SECOND, task([annotation([region("JAK2", text="JAK")])])], "'JAK'", {}),
    "a-labelled-region-of-another-kind": (
        [SECOND, task([annotation([dict(region("JAK2"), type="hypertextlabels")])])],
        "a hypertextlabels result",
        {},
    ),
    "a-region-without-value": (
        [SECOND, task([annotation([{"type": "labels"}])])],
        "'value'",
        {},
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_refused_the_same_way_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    tasks, needle, options = BAD[case]
    (said, tables), _taken = both_ways(tmp_path, monkeypatch, tasks, **options)
    assert said.startswith("FOLDER/tasks.json:"), said
    assert needle in said, said
    assert len(tables["annotation"]) == len(tables["document"]) == 0  # all or nothing
