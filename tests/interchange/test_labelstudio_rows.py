"""Label Studio tasks read straight into rows store and refuse exactly as the general path.

Each file is imported twice into empty databases: as the import runs, and
with the shortcut (``labelstudio_rows.PlainTasks``) turned off, so every task
goes through span records. The stored rows (every column of every table the
import writes; uids, which are random, by their series) and the report or
refusal (file, line and message) must be the same, and the shortcut must
have been taken where the tasks allow it, or the comparison proves nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.errors import InputError
from curator.core.interchange import foreign_store, jsonl_store, labelstudio_rows, located_json
from curator.core.interchange.foreign_store import plain_spans
from curator.core.interchange.importing import import_paths
from curator.core.labels.editing import add_label, retire_label
from curator.core.storage.db import Database, open_database
from tests import fresh_db

TEXT = "Ruxolitinib 🩸 targets JAK2 in 𝛼-thalassemia; CD19 CAR-T cells.\nResponse rate 81.8%.\n"
OTHER = "A second article about JAK2 and CD19.\n"
WHEN = "2020-01-05T09:00:00.000000Z"
LATER = "2020-01-06T10:30:00.250000+02:00"
TABLES = {  # what an import writes; uids and the times of "now" normalised in _tables
    "annotation": "SELECT * FROM annotation ORDER BY id",
    "curator": "SELECT * FROM curator ORDER BY id",
    "document_status": "SELECT document_id, curator_id, status FROM document_status ORDER BY 1, 2",
    "label": "SELECT id, name, color, position, deleted_at IS NULL FROM label ORDER BY id",
    "relation": "SELECT r.type_id, h.id, t.id, r.curator_id, r.note FROM relation r "
    "JOIN annotation h ON h.uid = r.head_uid JOIN annotation t ON t.uid = r.tail_uid ORDER BY r.id",
    "suggestion": "SELECT id, document_id, curator_id, label_id, start, end, text, source, score "
    "FROM suggestion ORDER BY id",
    "document": "SELECT id, uid, title, text, meta FROM document ORDER BY id",
}


def region(phrase: str, label: str = "target", within: str = TEXT, **extra: Any) -> dict[str, Any]:
    start = within.index(phrase)
    value = {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}
    return {
        "id": f"r{start}-{label}",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {**value, **extra},
    }


def annotation(results: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"curator": "ana", "created_at": WHEN, "updated_at": WHEN, "result": results, **extra}


def task(annotations: list[dict[str, Any]], text: str = TEXT, **extra: Any) -> dict[str, Any]:
    return {
        "data": {"text": text, "title": f"Article {len(text)}"},
        "meta": {"source": "test"},
        "annotations": annotations,
        **extra,
    }


def _write(path: Path, tasks: list[Any], indent: int | None) -> Path:
    if indent is None:  # as our export writes it: a task a line
        body = "[\n" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n]\n"
    else:
        body = json.dumps(tasks, indent=indent, ensure_ascii=False)
    path.write_text(body, encoding="utf-8")
    return path


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as con:
        found = {name: con.execute(query).fetchall() for name, query in TABLES.items()}
    series: dict[str, tuple[int, int]] = {}  # a uid as (its series, its place in it)
    rows = []
    for row in found["annotation"]:
        uid = row[1]
        first = series.setdefault(uid[:24], (len(series), int(uid[24:], 16)))
        shape = (len(uid), first[0], int(uid[24:], 16) - first[1])
        times = tuple(t if t is None or t < "2025" else "now" for t in row[9:12])
        rows.append((row[0], shape, *row[2:9], *times, *row[12:]))
    found["annotation"] = rows
    return found


Outcome = tuple[str, dict[str, list[tuple[Any, ...]]]]


def _import(
    folder: Path,
    tasks: list[Any],
    *,
    general: bool,
    monkeypatch: pytest.MonkeyPatch,
    prepare: Callable[[Database], None] | None = None,
    indent: int | None = None,
    **options: Any,
) -> tuple[Outcome, int]:
    """What importing *tasks* into an empty database gives, and how many tasks came as rows.

    A task read at once whose document turns out not to be new is read again the
    general way: only those stored as rows (``plain_spans``) count.
    """
    folder.mkdir()
    source = _write(folder / "tasks.json", tasks, indent)
    db_path = folder / "db.sqlite"
    db = open_database(f"sqlite:///{fresh_db.fresh_path(db_path)}")
    taken = 0
    plain = labelstudio_rows.PlainTasks.__call__

    def turned_off(self: labelstudio_rows.PlainTasks, one: Any) -> Any:
        return None if general else plain(self, one)

    def counted(*args: Any) -> None:
        nonlocal taken
        taken += 1
        plain_spans(*args)

    try:
        if prepare is not None:
            prepare(db)
        with monkeypatch.context() as patch:
            patch.setattr(labelstudio_rows.PlainTasks, "__call__", turned_off)
            patch.setattr(jsonl_store, "plain_spans", counted)
            try:
                said = json.dumps(import_paths(db, [source], **options).to_json())
            except InputError as exc:
                said = str(exc)
    finally:
        db.dispose()
    return (said.replace(str(folder), "FOLDER"), _tables(db_path)), taken


def _both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tasks: list[Any], **options: Any
) -> tuple[Outcome, int]:
    """Both imports; *options* are the import's, and ``prepare`` and ``indent`` (see _import)."""
    fast, taken = _import(
        tmp_path / "fast", tasks, general=False, monkeypatch=monkeypatch, **options
    )
    general, none = _import(
        tmp_path / "general", tasks, general=True, monkeypatch=monkeypatch, **options
    )
    assert none == 0
    assert fast == general
    return fast, taken


def _store_text(db: Database) -> None:
    """The database holds TEXT's document before the import."""
    folder = Path(str(db.engine.url.database)).parent
    import_paths(db, [_write(folder / "first.json", [task([])], None)])


def _retire_expert(db: Database) -> None:
    retire_label(db, "expert")


def _add_x(db: Database) -> None:
    """A label named with one letter: a region's ``labels`` spelled as that name is no list."""
    add_label(db, "x", "#56B4E9")


PLAIN = task([annotation([region("JAK2"), region("Ruxolitinib", "therapy"), region("🩸")])])
SECOND = task([annotation([region("JAK2", within=OTHER)])], OTHER)

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
    "a-document-held-before": ([PLAIN, SECOND], 1, {"prepare": _store_text}),
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
    (said, tables), taken = _both(tmp_path, monkeypatch, tasks, **options)
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
        {"prepare": _add_x},
    ),
    "wrong-quote": ([SECOND, task([annotation([region("JAK2", text="JAK3")])])], "JAK3", {}),
    "unknown-label": ([SECOND, task([annotation([region("JAK2", "gene")])])], "gene", {}),
    "retired-label": (
        [SECOND, task([annotation([region("JAK2", "expert")])])],
        "retired",
        {"prepare": _retire_expert},
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
    (said, tables), _taken = _both(tmp_path, monkeypatch, tasks, **options)
    assert said.startswith("FOLDER/tasks.json:"), said
    assert needle in said, said
    assert len(tables["annotation"]) == len(tables["document"]) == 0  # all or nothing


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
    _both(folder, monkeypatch, tasks, curator="yan", indent=indent, allow_loss=allow_loss)


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
    (said, _tables), taken = _both(tmp_path, monkeypatch, [PLAIN, SECOND])
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
