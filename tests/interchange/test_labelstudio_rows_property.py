"""Label Studio tasks read straight into rows: any mix of plain and other regions, and the
edges (a task the file check refuses, a uid series at the end of its node), store and refuse
exactly as the general path."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.interchange import foreign_store, jsonl_store, labelstudio_rows, located_json
from curator.core.storage.db import open_database
from tests import fresh_db
from tests.interchange.labelstudio_tasks import (
    LATER,
    PLAIN,
    SECOND,
    TEXT,
    WHEN,
    annotation,
    both_ways,
    region,
    task,
)

# -- properties: any mix of plain and other regions, with or without one spoiled field -------

PHRASES = ("Ruxolitinib", "🩸", "JAK2", "𝛼-thalassemia", "CD19 CAR-T cells", "Response rate")
SPOILS: dict[str, Any] = {
    "end": 10_000,
    "text": "JAK3",
    "labels": ["gene"],
    "start": "1",
}
EXTRAS: list[dict[str, Any]] = [
    {"labels": ["outcome"]},
    {"labels": ["therapy", "outcome"]},
    {"labels": []},
    {"text": None},
]


@st.composite
def annotations_of_a_task(draw: st.DrawFn) -> list[dict[str, Any]]:
    made = []
    for who in draw(st.lists(st.sampled_from(["ana", "zoe", None]), max_size=3)):
        results = []
        for phrase in draw(st.lists(st.sampled_from(PHRASES), max_size=4)):
            extra = draw(st.sampled_from(EXTRAS)) if draw(st.booleans()) else {}
            results.append(region(phrase, **extra))
        if draw(st.integers(0, 5).map(lambda n: n == 0)):
            results.append({"type": "choices", "value": {"choices": ["yes"]}})
        when = draw(st.sampled_from([WHEN, LATER, None]))
        made.append(annotation(results, curator=who, created_at=when, updated_at=when))
    rarely = st.integers(0, 4).map(lambda n: n == 0)  # most files must be stored, and compared
    spoilable = [r for a in made for r in a["result"] if r["type"] == "labels"]
    if spoilable and draw(rarely):
        spoil = draw(st.sampled_from(sorted(SPOILS)))
        spoilable[draw(st.integers(0, len(spoilable) - 1))]["value"][spoil] = SPOILS[spoil]
    return made


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=annotations_of_a_task(),
    second=annotations_of_a_task(),
    indent=st.sampled_from([None, 1]),
    allow_loss=st.booleans(),
)
def test_any_file_gives_the_same_rows_or_refusal_both_ways(  # noqa: PLR0917 - hypothesis
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    first: list[dict[str, Any]],
    second: list[dict[str, Any]],
    indent: int | None,
    allow_loss: bool,
) -> None:
    folder = tmp_path_factory.mktemp("ls_rows")
    tasks = [task(json.loads(json.dumps(first))), SECOND, task(json.loads(json.dumps(second)))]
    both_ways(folder, monkeypatch, tasks, curator="yan", indent=indent, allow_loss=allow_loss)


@pytest.mark.parametrize(
    "spoil",
    [
        {"text": TEXT + "\0"},
        {"title": "Ruxolitinib \ud800"},
        {"text": TEXT, "meta": {"k\0": 1}},
    ],
)
def test_a_task_the_file_check_refuses_is_not_read_at_once(
    tmp_path: Path, spoil: dict[str, Any]
) -> None:
    """NUL and lone surrogates are refused as the file is read (located_json); should one
    come in a task all the same, the task goes the general way, which names it."""
    db = open_database(f"sqlite:///{fresh_db.fresh_path(tmp_path / 'db.sqlite')}")
    spoil = dict(spoil)
    try:
        with db.write() as session:
            store = jsonl_store.BulkStore(session, Path("tasks.json"), "yan", False)
            plain = labelstudio_rows.PlainTasks(store)
            good = located_json.values(Path("t.json"), json.dumps(task([annotation([])])))[0]
            assert plain(good) is not None
            meta = spoil.pop("meta", None)
            good["data"].update(spoil)
            if meta is not None:
                good["meta"] = meta
            assert plain(good) is None
    finally:
        db.dispose()


def test_a_uid_series_that_reaches_the_end_of_its_node_wraps_round_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uids count up in the last 48 bits, from a random start: past the top they wrap to 0."""
    series = iter(range(1, 1000))
    top = (1 << 48) - 1
    monkeypatch.setattr(
        foreign_store, "_uid_series", lambda: (f"{next(series):08x}-0000-4000-8000-", top - 1)
    )
    (said, _tables), taken = both_ways(tmp_path, monkeypatch, [PLAIN, SECOND])
    assert said.startswith("{"), said
    assert taken == 2
    with sqlite3.connect(tmp_path / "fast" / "db.sqlite") as con:
        uids = [uid for (uid,) in con.execute("SELECT uid FROM annotation ORDER BY id")]
    assert [uid[24:] for uid in uids[:4]] == [
        "fffffffffffe",
        "ffffffffffff",
        "000000000000",
        "fffffffffffe",
    ]
