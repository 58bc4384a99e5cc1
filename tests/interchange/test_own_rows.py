"""Our own lines' plain spans made rows at once store and refuse exactly as the general path.

Each file is imported twice into empty databases: as the import runs, and
with the shortcut (``BulkStore.plain_rows``) turned off, so every line goes
through span records. The stored rows (every column of every table the
import writes) and the refusal (file, line and message) must be the same,
and the shortcut must have been taken where the lines allow it, or the
comparison would prove nothing.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.articles.text import text_uid
from curator.core.errors import InputError
from curator.core.interchange.jsonl import import_jsonl
from curator.core.interchange.jsonl_shape import SCHEMA_NAME, SCHEMA_VERSION
from curator.core.interchange.jsonl_store import BulkStore
from curator.core.labels.editing import retire_label
from curator.core.storage.db import Database, open_database
from tests import fresh_db

TEXT = "Ruxolitinib 🩸 targets JAK2 in 𝛼-thalassemia; CD19 CAR-T cells.\nResponse rate 81.8%.\n"
WHEN = "2026-01-05T09:00:00.000000Z"
LATER = "2026-01-06T10:30:00.250000Z"
TABLES = {  # what an import writes; the times an import or a retirement stamps with "now" left out
    "annotation": "SELECT * FROM annotation ORDER BY id",
    "curator": "SELECT * FROM curator ORDER BY id",
    "document_status": "SELECT document_id, curator_id, status FROM document_status ORDER BY 1, 2",
    "label": "SELECT id, name, color, position, deleted_at IS NULL FROM label ORDER BY id",
    "relation": "SELECT * FROM relation ORDER BY id",
    "document": "SELECT id, uid, title, text, meta FROM document ORDER BY id",
}


def span(phrase: str, label: str = "target", within: str = TEXT, **extra: Any) -> dict[str, Any]:
    start = within.index(phrase)
    return {
        "id": str(uuid.uuid4()),
        "start": start,
        "end": start + len(phrase),
        "label": label,
        "text": phrase,
        "curator": "ana",
        "origin": "manual",
        "note": "",
        "created_at": WHEN,
        "updated_at": WHEN,
        "revision": 1,
        "concepts": [],
        **extra,
    }


def line(spans: list[dict[str, Any]], text: str = TEXT, **extra: Any) -> dict[str, Any]:
    uid = text_uid(text)
    return {
        "schema": {"name": SCHEMA_NAME, "version": SCHEMA_VERSION},
        "id": uid,
        "title": f"Article {uid[:6]}",
        "text": text,
        "text_sha256": uid,
        "meta": {},
        "status": {},
        "spans": spans,
        "relations": [],
        **extra,
    }


OTHER = "A second article about JAK2 and CD19.\n"


def _write(path: Path, lines: list[Any]) -> Path:
    body = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    path.write_text(body, encoding="utf-8")
    return path


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as con:
        return {name: con.execute(query).fetchall() for name, query in TABLES.items()}


Outcome = tuple[str, dict[str, list[tuple[Any, ...]]]]


def _import(
    folder: Path,
    lines: list[Any],
    *,
    general: bool,
    monkeypatch: pytest.MonkeyPatch,
    prepare: Callable[[Database], None] | None = None,
) -> tuple[Outcome, int]:
    """What importing *lines* into an empty database gives, and on how many lines rows came."""
    folder.mkdir()
    source = _write(folder / "in.jsonl", lines)
    db_path = folder / "db.sqlite"
    db = open_database(f"sqlite:///{fresh_db.fresh_path(db_path)}")
    taken = 0
    plain_rows = BulkStore.plain_rows

    def counted(store: BulkStore, raws: list[Any], text: str) -> Any:
        nonlocal taken
        rows = None if general else plain_rows(store, raws, text)
        taken += rows is not None
        return rows

    try:
        if prepare is not None:
            prepare(db)
        with monkeypatch.context() as patch:
            patch.setattr(BulkStore, "plain_rows", counted)
            try:
                said = import_jsonl(db, source).summary().replace(str(folder), "FOLDER")
            except InputError as exc:
                said = str(exc).replace(str(folder), "FOLDER")
    finally:
        db.dispose()
    return (said, _tables(db_path)), taken


def _both(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lines: list[Any],
    prepare: Callable[[Database], None] | None = None,
) -> tuple[Outcome, int]:
    fast, taken = _import(
        tmp_path / "fast", lines, general=False, monkeypatch=monkeypatch, prepare=prepare
    )
    general, none = _import(
        tmp_path / "general", lines, general=True, monkeypatch=monkeypatch, prepare=prepare
    )
    assert none == 0
    assert fast == general
    return fast, taken


def _retire_expert(db: Database) -> None:
    retire_label(db, "expert")


GOOD: dict[str, tuple[list[Any], int]] = {
    "plain": (
        [line([span("JAK2"), span("CD19", "therapy")]), line([span("JAK2", within=OTHER)], OTHER)],
        2,
    ),
    "non-bmp-quotes": ([line([span("🩸"), span("𝛼-thalassemia", "outcome")])], 1),
    "two-curators-and-a-status": (
        [
            line(
                [span("JAK2", curator="zoe"), span("CD19"), span("Ruxolitinib", curator="zoe")],
                status={"bob": "done", "ana": "in_progress"},
                active_seconds={"yan": 30},
            )
        ],
        1,
    ),
    "times-that-differ": ([line([span("JAK2", updated_at=LATER), span("CD19")])], 1),
    "a-later-revision": ([line([span("JAK2", revision=3), span("CD19")])], 0),
    "concepts": ([line([span("JAK2"), span("CD19", concepts=["HGNC:1633"])])], 0),
    "a-time-not-in-utc": (
        [line([span("JAK2", created_at="2026-01-05T09:00:00.000000+01:00"), span("CD19")])],
        0,
    ),
    "no-spans": ([line([])], 1),
    "a-note-and-a-later-revision": (
        [line([span("JAK2", note="check", revision=3)]), line([span("CD19", within=OTHER)], OTHER)],
        1,
    ),
    "deleted-concepts-pieces": (
        [
            line(
                [
                    span("JAK2", deleted_at=LATER),
                    span("CD19", concepts=["HGNC:1633"]),
                    span(
                        "Ruxolitinib 🩸 targets",
                        fragments=[[0, 11], [14, 21]],
                        text="Ruxolitinib targets",
                    ),
                ]
            )
        ],
        0,
    ),
    "the-same-line-twice": ([line([span("JAK2")])] * 2, 1),
    "a-relation": (
        [
            line(
                [s := span("JAK2"), t := span("CD19", "therapy")],
                relations=[
                    {
                        "uid": str(uuid.uuid4()),
                        "head": t["id"],
                        "tail": s["id"],
                        "type": "acts_on",
                        "curator": "ana",
                        "origin": "manual",
                        "note": "",
                        "revision": 1,
                        "created_at": WHEN,
                        "updated_at": WHEN,
                    }
                ],
            )
        ],
        0,
    ),
}


@pytest.mark.parametrize("case", list(GOOD))
def test_good_files_store_the_same_rows_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    lines, fast_lines = GOOD[case]
    (said, tables), taken = _both(tmp_path, monkeypatch, lines)
    assert said.startswith("FOLDER/in.jsonl: "), said  # a summary, not a refusal (FILE:LINE:)
    assert taken == fast_lines
    assert len(tables["annotation"]) == len({s["id"] for x in lines for s in x["spans"]})


def _spoiled(**change: Any) -> list[Any]:
    good = line([span("JAK2", within=OTHER)], OTHER)
    return [good, line([span("CD19"), span("JAK2", **change)])]


def _deep() -> str:
    spans = [span("CD19"), span("JAK2")]
    spans[1]["extra"] = "DEEP"
    return json.dumps(line(spans)).replace('"DEEP"', "[" * 300 + "]" * 300)


STORED = span("JAK2")


def _store_one(db: Database) -> None:
    """The database holds a span (STORED) before the import: the general path on both sides."""
    folder = Path(str(db.engine.url.database)).parent
    import_jsonl(db, _write(folder / "first.jsonl", [line([STORED])]))


def _twice_in_file() -> list[Any]:
    first = span("JAK2", within=OTHER)
    return [line([first], OTHER), line([span("CD19"), dict(span("JAK2"), id=first["id"])])]


BAD: dict[str, tuple[list[Any], str]] = {
    "bad-offsets": (_spoiled(end=10_000), "not inside the text"),
    "reversed-offsets": (_spoiled(start=30, end=20), "start before end"),
    "bool-offset": (_spoiled(start=True), "'start' must be int"),
    "bool-offset-that-quotes": (
        [line([span("JAK2"), dict(span("Ruxolitinib"), start=True, text="uxolitinib")])],
        "'start' must be int",
    ),
    "wrong-quote": (_spoiled(text="JAK3"), "not 'JAK3'"),
    "unknown-label": (_spoiled(label="gene"), "unknown label 'gene'"),
    "retired-label": (
        _spoiled(label="expert", created_at=LATER.replace("2026", "2999")),
        "retired",
    ),
    "duplicate-uid-in-line": (
        [line([s := span("CD19"), dict(span("JAK2"), id=s["id"])])],
        "appears twice",
    ),
    "duplicate-uid-in-file": (_twice_in_file(), "belongs to another document"),
    "duplicate-of-a-stored-uid": (
        [
            line(
                [span("CD19", within=OTHER), dict(span("JAK2", within=OTHER), id=STORED["id"])],
                OTHER,
            )
        ],
        "belongs to another document",
    ),
    "bad-uuid": (_spoiled(id="span-2"), "not a UUID"),
    "upper-case-uuid": (_spoiled(id=str(uuid.uuid4()).upper()), "not a UUID"),
    "too-deep": ([line([span("JAK2", within=OTHER)], OTHER), _deep()], "deep"),
    "not-a-time": (_spoiled(updated_at="2026-13-05T09:00:00.000000Z"), "ISO-8601"),
    "not-a-time-twice": (
        _spoiled(
            created_at="2026-02-30T09:00:00.000000Z", updated_at="2026-02-30T09:00:00.000000Z"
        ),
        "ISO-8601",
    ),
    "bad-curator": (_spoiled(curator=" ana"), "spaces around it"),
    "curator-not-a-string": (_spoiled(curator=5), "a curator name must be a string"),
    "bad-origin": (_spoiled(origin="guessed"), "origin must be one of"),
    "zero-revision": (_spoiled(revision=0), "revision must be at least 1"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_refused_the_same_way_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    lines, needle = BAD[case]
    prepare = {"retired-label": _retire_expert, "duplicate-of-a-stored-uid": _store_one}.get(case)
    (said, tables), _taken = _both(tmp_path, monkeypatch, lines, prepare)
    assert said.startswith("FOLDER/in.jsonl:"), said
    assert needle in said, said
    held = 1 if prepare is _store_one else 0
    assert len(tables["annotation"]) == len(tables["document"]) == held  # all or nothing


@pytest.mark.parametrize("key", ["created_at", "updated_at"])
def test_a_week_date_is_stored_as_the_calendar_date_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """``fromisoformat`` reads ISO week dates too; their spelling is not the stored one."""
    week = dict(span("JAK2"), **{key: "2026-W02-1T09:00:00.000000Z"})  # Monday 5 January
    (said, tables), taken = _both(tmp_path, monkeypatch, [line([week, span("CD19")])])
    assert taken == 0, said
    (row, _other) = tables["annotation"]
    assert "2026-01-05 09:00:00.000000" in row
    assert not any(
        "W" in str(value) for value in row if isinstance(value, str) and "09:00" in value
    )


def test_a_database_with_spans_takes_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = span("JAK2")

    def prepare(db: Database) -> None:
        source = _write(tmp_path / "first.jsonl", [line([stored])])
        import_jsonl(db, source)

    newer = dict(stored, updated_at=LATER, label="therapy", revision=2)
    (said, tables), taken = _both(tmp_path, monkeypatch, [line([newer, span("CD19")])], prepare)
    assert taken == 0
    assert "1 span added, 1 updated" in said or "1 updated" in said, said
    assert len(tables["annotation"]) == 2


# -- properties: any mix of plain and other spans, with or without one spoiled field --------

PHRASES = ("Ruxolitinib", "🩸", "JAK2", "𝛼-thalassemia", "CD19 CAR-T cells", "Response rate")
SPOILS: dict[str, Any] = {
    "end": 10_000,
    "text": "JAK3",
    "label": "gene",
    "id": "not-a-uuid",
    "curator": "",
    "created_at": "yesterday",
    "revision": 0,
    "origin": "guessed",
    "note": 5,
    "start": "1",
}


@st.composite
def spans_of_a_line(draw: st.DrawFn) -> list[dict[str, Any]]:
    made = []
    for phrase in draw(st.lists(st.sampled_from(PHRASES), max_size=6)):
        extra: dict[str, Any] = {}
        if draw(st.booleans()):
            extra = draw(
                st.sampled_from(
                    [
                        {"note": "n"},
                        {"revision": 2},
                        {"deleted_at": LATER},
                        {"concepts": ["HGNC:1633"]},
                        {"updated_at": LATER},
                        {"curator": "zoe"},
                        {"origin": "suggested"},
                        {"label": "outcome"},
                    ]
                )
            )
        made.append(span(phrase, **extra))
    rarely = st.integers(0, 4).map(lambda n: n == 0)  # most files must be stored, and compared
    if made and draw(rarely):
        spoil = draw(st.sampled_from(sorted(SPOILS)))
        made[draw(st.integers(0, len(made) - 1))][spoil] = SPOILS[spoil]
    if len(made) > 1 and draw(rarely):
        made[-1]["id"] = made[0]["id"]
    return made


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=spans_of_a_line(), second=spans_of_a_line())
def test_any_file_gives_the_same_rows_or_refusal_both_ways(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    first: list[dict[str, Any]],
    second: list[dict[str, Any]],
) -> None:
    folder = tmp_path_factory.mktemp("own_rows")
    lines = [line([dict(s) for s in first]), line([span("JAK2", within=OTHER)], OTHER)]
    lines.append(line([dict(s) for s in second]))  # the first article again: a later line
    _both(folder, monkeypatch, lines)
