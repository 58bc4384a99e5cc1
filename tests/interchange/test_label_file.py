"""The label set travels beside a JSONL export (``NAME.labels.json``) and merges like a database."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.errors import InputError
from curator.core.interchange import export
from curator.core.interchange.importing import import_paths
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.interchange.labels_file import read_label_file
from curator.core.interchange.labels_text import label_file
from curator.core.labels.editing import (
    add_label,
    label_set,
    move_label,
    recolour_label,
    rename_label,
    restore_label,
    retire_label,
    set_label_key,
)
from curator.core.merge.engine import merge_databases
from curator.core.merge.sources import merge_sources
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from tests.cli.helpers import assert_user_error, call
from tests.core.merge_support import copy_db, dump, new_db, put_span

TEXT = "Ruxolitinib reduced spleen volume in CD19 patients, said Rong Fu."
U1, U2, U3 = (f"00000000-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))


def _set(db: Database) -> list[tuple[object, ...]]:
    """The label set as it travels: order, uid, name, colour, key, retired, revision."""
    return [
        (e.uid, e.name, e.color, e.shortcut, e.description, e.retired, e.revision)
        for e in label_set(db)
    ]


def _state(db: Database) -> bytes:
    """Every row of the tables an import writes, to show a refused import wrote nothing."""
    assert db.path is not None
    with contextlib.closing(sqlite3.connect(db.path)) as conn:
        rows = [
            f"{table}: {sorted(map(str, conn.execute(f'SELECT * FROM {table}')))}"
            for table in ("label", "document", "annotation", "document_status", "curator")
        ]
    return "\n".join(rows).encode()


def _edited(tmp_path: Path) -> Database:
    """A database whose set was edited every way, with spans on the labels first."""
    a = new_db(tmp_path / "a.sqlite")
    put_span(a, U1, TEXT, "ann", "therapy", 0, 11)
    put_span(a, U2, TEXT, "ann", "expert", 57, 64)
    add_label(a, "dose", "#111111", "5", "how much, how often")
    recolour_label(a, "therapy", "#222222")
    rename_label(a, "outcome", "response")
    move_label(a, "dose", 0)
    set_label_key(a, "target", "T")
    retire_label(a, "expert")
    return a


def test_export_writes_the_set_beside_and_an_import_into_a_new_database_carries_it(
    tmp_path: Path,
) -> None:
    a = _edited(tmp_path)
    out = tmp_path / "a.jsonl"
    report = export_jsonl(a, out)
    assert report.files == [out, tmp_path / "a.labels.json"]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all("color" not in json.loads(line) for line in lines)  # the lines are as before
    b = new_db(tmp_path / "b.sqlite")
    imported = import_jsonl(b, out)
    assert _set(b) == _set(a)  # colours, keys, order, retirement, uids and revisions
    assert [e.position for e in label_set(b)] == [e.position for e in label_set(a)]
    assert json.loads(dump(b))["spans"] == json.loads(dump(a))["spans"]  # expert's span too
    assert "added dose" in imported.labels_merged and "updated expert" in imported.labels_merged
    # Importing it again changes nothing, and says nothing about the set.
    assert import_jsonl(b, out).labels_merged == []
    again = tmp_path / "b.jsonl"
    export_jsonl(b, again)
    assert again.read_bytes() == out.read_bytes()
    assert read_label_file(label_file(again)) == read_label_file(label_file(out))


def test_a_rename_arrives_as_a_rename_and_the_lines_follow_the_uid(tmp_path: Path) -> None:
    a = new_db(tmp_path / "a.sqlite")
    put_span(a, U1, TEXT, "ann", "therapy", 0, 11)
    b = copy_db(a, tmp_path / "b.sqlite")
    put_span(b, U2, TEXT, "bob", "therapy", 37, 41)
    rename_label(a, "therapy", "treatment")
    export_jsonl(a, tmp_path / "a.jsonl")
    import_jsonl(b, tmp_path / "a.jsonl")
    names = [e.name for e in label_set(b)]
    assert "treatment" in names and "therapy" not in names
    spans = {row[0]: row[3] for row in json.loads(dump(b))["spans"]}
    assert spans == {U1: "treatment", U2: "treatment"}  # b's own span followed
    # A later rename here wins over the file's; the file's "treatment" lines still land on it.
    c = copy_db(a, tmp_path / "c.sqlite")
    put_span(a, U3, TEXT, "ann", "treatment", 20, 26)
    export_jsonl(a, tmp_path / "a2.jsonl")
    rename_label(c, "treatment", "drug")
    import_jsonl(c, tmp_path / "a2.jsonl")
    assert "drug" in [e.name for e in label_set(c)]
    assert {row[3] for row in json.loads(dump(c))["spans"]} == {"drug"}


@pytest.mark.parametrize("method", ["attach", "portable"])
def test_conflicting_edits_resolve_as_a_merge_of_the_databases_does(
    tmp_path: Path, method: str
) -> None:
    a = new_db(tmp_path / "a.sqlite")
    b = new_db(tmp_path / "b.sqlite")
    put_span(a, U1, TEXT, "ann", "therapy", 0, 11)
    put_span(b, U2, TEXT, "bob", "target", 37, 41)
    recolour_label(a, "therapy", "#111111")
    add_label(a, "dose", "#333333", "5")
    recolour_label(b, "therapy", "#222222")  # later: wins
    add_label(b, "route", "#444444", "5")  # later: keeps key 5
    rename_label(b, "outcome", "dose")  # b's outcome wants a's dose's name, edited later
    export_jsonl(a, tmp_path / "a.jsonl")
    imported, merged = copy_db(b, tmp_path / "bi.sqlite"), copy_db(b, tmp_path / "bm.sqlite")
    report = import_jsonl(imported, tmp_path / "a.jsonl")
    merge_databases(merged, [a], method=method)
    assert _set(imported) == _set(merged)
    colours = {e.name: (e.color, e.shortcut) for e in label_set(imported)}
    assert colours["therapy"] == ("#222222", "1") and colours["route"] == ("#444444", "5")
    assert any(change.startswith("renamed dose -> dose-") for change in report.labels_merged)
    # And the other way round: the file's later edits win over the database's.
    export_jsonl(b, tmp_path / "b.jsonl")
    other, merged = copy_db(a, tmp_path / "ai.sqlite"), copy_db(a, tmp_path / "am.sqlite")
    import_jsonl(other, tmp_path / "b.jsonl")
    merge_databases(merged, [b], method=method)
    assert _set(other) == _set(merged) == _set(imported)


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["recolour", "rename", "key", "retire", "restore", "move", "add"]),
        st.sampled_from(["therapy", "target", "outcome", "expert"]),
        st.integers(0, 5),
    ),
    max_size=6,
)
COLOURS = ["#010101", "#0A0B0C", "#ABCDEF", "#123456", "#FEDCBA", "#777777"]


def _apply(db: Database, edits: list[tuple[str, str, int]], tag: str) -> None:
    for op, base, n in edits:
        names = {e.name: e for e in label_set(db)}
        name = next((x for x in names if x.startswith(base)), None)
        if name is None:
            continue
        if op == "recolour":
            recolour_label(db, name, COLOURS[n])
        elif op == "rename" and f"{base}_{tag}{n}" not in names:
            rename_label(db, name, f"{base}_{tag}{n}")
        elif op == "key" and not names[name].retired:
            key = "56789"[n % 5]
            holder = next((e for e in names.values() if e.shortcut == key), None)
            if holder is None:
                set_label_key(db, name, key)
        elif op == "retire":
            retire_label(db, name)
        elif op == "restore":
            restore_label(db, name)
        elif op == "move":
            move_label(db, name, n)
        elif op == "add" and f"new_{tag}{n}" not in names:
            add_label(db, f"new_{tag}{n}", COLOURS[n])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mine=EDITS, theirs=EDITS)
def test_importing_an_export_gives_the_set_a_merge_gives(
    tmp_path_factory: pytest.TempPathFactory,
    mine: list[tuple[str, str, int]],
    theirs: list[tuple[str, str, int]],
) -> None:
    """The law: importing B's export into A = merging B into A, for the label set."""
    folder = tmp_path_factory.mktemp("law")
    a, b = new_db(folder / "a.sqlite"), new_db(folder / "b.sqlite")
    put_span(b, U2, TEXT, "bob", "target", 37, 41)  # an export holds at least one document
    _apply(a, mine, "a")
    _apply(b, theirs, "b")
    export_jsonl(b, folder / "b.jsonl")
    fresh = new_db(folder / "fresh.sqlite")
    import_jsonl(fresh, folder / "b.jsonl")
    assert _set(fresh) == _set(b)  # a round trip into an empty database
    imported, merged = copy_db(a, folder / "ai.sqlite"), copy_db(a, folder / "am.sqlite")
    import_jsonl(imported, folder / "b.jsonl")
    merge_databases(merged, [b], method="portable")
    assert _set(imported) == _set(merged)
    for db in (a, b, fresh, imported, merged):
        db.dispose()


# -- a bad label file: refused by line, nothing written -------------------------------------


def _break(label: dict[str, object], field: str, value: object) -> dict[str, object]:
    broken = dict(label)
    if value is KeyError:
        del broken[field]
    else:
        broken[field] = value
    return broken


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("color", "red", "label 3: colour 'red': give it as #rrggbb"),
        ("name", "a\u0007b", "label 3: the label name 'a\\x07b' holds the control character"),
        ("name", "therapy", "label 3: name 'therapy' is also the name of the label on line 4"),
        ("key", "A", "label 3: key 'A' is taken by the app"),
        ("key", "1", "label 3: key '1' is also the key of the label on line 4"),
        ("uid", "not-a-uid", "label 3: uid 'not-a-uid' is not a lowercase UUID"),
        ("revision", 0, "label 3: 'revision' is 0, outside 1-"),
        ("position", True, "label 3: 'position' must be a whole number, not bool"),
        ("updated_at", "yesterday", "label 3: 'updated_at' is not an ISO-8601 time"),
        ("deleted_at", "2026-01-01T00:00:00", "label 3: 'deleted_at' has no time zone"),
        ("revision", KeyError, "label 3: missing 'revision'"),
        ("shade", "#000000", "label 3: unknown key 'shade'"),
    ],
)
def test_a_bad_label_file_is_refused_by_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: object, needle: str
) -> None:
    a = new_db(tmp_path / "a.sqlite")
    put_span(a, U1, TEXT, "ann", "therapy", 0, 11)
    out = tmp_path / "a.jsonl"
    export_jsonl(a, out)
    sidecar = label_file(out)
    text = sidecar.read_text(encoding="utf-8").splitlines()
    assert text[3].lstrip().startswith('{"uid"')  # label 1 on line 4, label 3 on line 6
    label = json.loads(text[5].strip().rstrip(","))
    text[5] = "    " + json.dumps(_break(label, field, value)) + ","
    sidecar.write_text("\n".join(text) + "\n", encoding="utf-8")
    b = new_db(tmp_path / "b.sqlite")
    recolour_label(b, "target", "#654321")
    before = _state(b)
    b.dispose()
    code, _, err = call(capsys, "--db", str(tmp_path / "b.sqlite"), "import", str(out))
    assert_user_error(code, err, f"error: {sidecar}:6: {needle}")
    assert _state(open_database(f"sqlite:///{tmp_path / 'b.sqlite'}")) == before


HEAD = '{"schema": {"name": "heme-curator-labels", "version": 1},\n'


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (HEAD + '  "labels": [\n', ":3: is not valid JSON"),
        (HEAD.replace("1", "2") + '"labels": []}', ":1: was written by a newer app"),
        ('{"schema": {"name": "other"}, "labels": []}', ':1: is not a label file: no "schema"'),
        ("[1, 2]", ":1: expected a JSON object, found list"),
        (HEAD + '"labels": {}}', ':1: "labels" must be a list'),
    ],
)
def test_a_label_file_that_is_not_one_is_refused(tmp_path: Path, text: str, needle: str) -> None:
    a = new_db(tmp_path / "a.sqlite")
    put_span(a, U1, TEXT, "ann", "therapy", 0, 11)
    out = tmp_path / "a.jsonl"
    export_jsonl(a, out)
    label_file(out).write_text(text, encoding="utf-8")
    b = new_db(tmp_path / "b.sqlite")
    before = _state(b)
    with pytest.raises(InputError) as caught:
        import_jsonl(b, out)
    assert f"{label_file(out)}{needle}" in str(caught.value)
    assert _state(b) == before


def test_a_folder_reads_the_label_file_with_its_jsonl_and_refuses_it_alone(
    tmp_path: Path,
) -> None:
    a = _edited(tmp_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    export(a, "jsonl", folder / "team.jsonl")
    b = new_db(tmp_path / "b.sqlite")
    report = import_paths(b, [folder])
    assert [r.path.name for r in report.jsonl] == ["team.jsonl"]
    assert _set(b) == _set(a)
    with pytest.raises(InputError, match="is the label set of a JSONL export"):
        import_paths(b, [folder / "team.labels.json"])


def test_a_jsonl_named_like_a_label_file_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    a = new_db(tmp_path / "a.sqlite")
    with pytest.raises(Exception, match=r"something other than \*\.labels\.json"):
        export_jsonl(a, tmp_path / "x.labels.json")
    assert list(tmp_path.glob("x*")) == []


def test_an_export_without_a_label_file_still_imports_as_before(tmp_path: Path) -> None:
    a = _edited(tmp_path)
    out = tmp_path / "a.jsonl"
    export_jsonl(a, out)
    label_file(out).unlink()
    b = new_db(tmp_path / "b.sqlite")
    report = import_jsonl(b, out, add_labels=True)
    assert report.labels_merged == [] and "dose" not in report.labels_added  # no spans on dose
    assert ("dose", "#111111") not in [(e.name, e.color) for e in label_set(b)]


def test_postgres_import_carries_the_label_set(tmp_path: Path, pg_url: str) -> None:
    a = _edited(tmp_path)
    out = tmp_path / "a.jsonl"
    export_jsonl(a, out)
    team = open_database(pg_url)
    migrate.upgrade(team)
    import_jsonl(team, out)
    assert _set(team) == _set(a)
    assert json.loads(dump(team))["spans"] == json.loads(dump(a))["spans"]
    recolour_label(team, "dose", "#0F0F0F")  # edited on the server after: the file loses
    report = import_jsonl(team, out)
    assert report.labels_merged == [] and label_set(team)[0].color == "#0F0F0F"
    team.dispose()


def test_merging_an_export_brings_the_set_merging_its_database_brings(tmp_path: Path) -> None:
    a = _edited(tmp_path)
    export_jsonl(a, tmp_path / "a.jsonl")
    b = new_db(tmp_path / "b.sqlite")
    put_span(b, U3, TEXT, "bob", "target", 37, 41)
    rename_label(b, "therapy", "drug")  # later than a's recolour: the name and colour stay
    from_file, from_db = copy_db(b, tmp_path / "bf.sqlite"), copy_db(b, tmp_path / "bd.sqlite")
    merge_sources(from_file, [tmp_path / "a.jsonl"])
    merge_sources(from_db, [tmp_path / "a.sqlite"])
    assert _set(from_file) == _set(from_db)
    assert json.loads(dump(from_file))["spans"] == json.loads(dump(from_db))["spans"]
    assert ("drug", "#0072B2") in [(e.name, e.color) for e in label_set(from_file)]
    assert ("dose", "#111111", "5") in [(e.name, e.color, e.shortcut) for e in label_set(from_file)]
