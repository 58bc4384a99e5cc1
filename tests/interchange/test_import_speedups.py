"""What the import's shortcuts must not change: the collector, errors by line, the format told."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from curator.core import collector
from curator.core.errors import InputError
from curator.core.interchange import importing
from curator.core.storage.db import Database

LINE = {
    "text": "Ruxolitinib inhibits JAK2.",
    "spans": [{"start": 0, "end": 11, "label": "therapy"}],
}


def _count(db: Database) -> int:
    with db.read() as session:
        return int(session.connection().exec_driver_sql("SELECT count(*) FROM annotation").scalar())


def test_the_collector_runs_again_after_an_import_and_after_a_refused_one(
    db: Database, tmp_path: Path
) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    bad.write_text(json.dumps(LINE) + "\n{not json\n", encoding="utf-8")
    assert gc.isenabled()
    importing.import_paths(db, [good], curator="ana")
    assert gc.isenabled()
    with pytest.raises(InputError, match=r"bad\.jsonl:2:"):
        importing.import_paths(db, [bad], curator="ana")
    assert gc.isenabled()
    assert _count(db) == 1


def test_a_paused_collector_stays_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("later", "needle"),
    [(b"\x00", "binary"), (b'{"text": "caf\xe9"}', "not valid UTF-8")],
)
def test_jsonl_told_by_its_first_line_still_refuses_a_bad_later_line_by_number(
    db: Database, tmp_path: Path, later: bytes, needle: str
) -> None:
    path = tmp_path / "spans.json"  # not named .jsonl: told from the content
    path.write_bytes(json.dumps(LINE).encode() + b"\n\n" + later + b"\n")
    assert importing.kind_of(path, path.read_bytes())[0] == "jsonl"
    with pytest.raises(InputError, match=rf"spans\.json:3: .*{needle}"):
        importing.import_paths(db, [path], curator="ana")
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xef\xbb\xbf\n\n" + json.dumps(LINE).encode() + b"\n", "jsonl"),
        (b'{"schema": {"name": "x"}}', "jsonl"),
        (b'{"data": {"text": "JAK2"}}', "labelstudio"),
        (b'{\n "data": {"text": "JAK2"}\n}\n', "labelstudio"),
        (b'[{"data": {"text": "JAK2"}}]', "labelstudio"),
    ],
)
def test_the_format_is_still_told_from_the_content(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "file.json"
    assert importing.kind_of(path, data)[0] == kind
