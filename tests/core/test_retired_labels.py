"""A retired label takes no new spans, through the core API, the CLI and every import.

The spans it had stay, can be edited, deleted and restored, and still export.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete

from curator.core.errors import InputError
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.interchange.labels_text import label_file
from curator.core.labels.editing import restore_label, retire_label
from curator.core.labels.retired import RetiredLabelError
from curator.core.merge.engine import merge_databases
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from curator.core.storage.models import Suggestion
from curator.core.suggest import stored as suggestions
from tests.cli.helpers import assert_user_error, call
from tests.core.merge_support import copy_db, new_db, put_document, put_span

TEXT = "Ruxolitinib reduced spleen volume in CD19 patients, said Rong Fu."
U1, U2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"


def _state(path: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = [
            f"{table}: {sorted(map(str, conn.execute(f'SELECT * FROM {table}')))}"
            for table in ("label", "document", "annotation", "document_status", "curator")
        ]
    return "\n".join(rows).encode()


@pytest.fixture
def retired(tmp_path: Path) -> Database:
    """A database whose expert label is retired, with one expert span made before."""
    db = new_db(tmp_path / "mine.sqlite")
    put_span(db, U1, TEXT, "ann", "expert", 57, 64)
    retire_label(db, "expert")
    return db


def test_the_core_refuses_a_new_span_or_a_relabel_and_writes_nothing(
    retired: Database, tmp_path: Path
) -> None:
    doc = put_document(retired, TEXT)
    before = _state(tmp_path / "mine.sqlite")
    with pytest.raises(RetiredLabelError, match=r"label 'expert' is retired since \d{4}-"):
        annotate.add_span(retired, doc, "ann", NewSpan(0, 11, "expert"))
    with pytest.raises(RetiredLabelError, match="curator labels restore expert"):  # all or none
        annotate.add_spans(
            retired, doc, "ann", [NewSpan(0, 11, "therapy"), NewSpan(37, 41, "expert")]
        )
    live = annotate.add_span(retired, doc, "ann", NewSpan(37, 41, "target"))
    with pytest.raises(RetiredLabelError, match="'expert' is retired"):
        annotate.relabel_span(retired, live.uid, "expert")
    assert annotate.get_span(retired, live.uid).label == "target"
    annotate.delete_span(retired, live.uid)
    assert _state(tmp_path / "mine.sqlite") != before  # only the target span, now deleted
    # The span the label had stays: it can be edited, deleted, restored and relabelled away.
    annotate.set_note(retired, U1, "retired, kept")
    annotate.delete_span(retired, U1)
    annotate.restore_span(retired, U1)
    annotate.relabel_span(retired, U1, "expert")  # the same label: no new span on it
    assert annotate.get_span(retired, U1).label == "expert"
    restore_label(retired, "expert")
    assert annotate.add_span(retired, doc, "ann", NewSpan(0, 11, "expert")).label == "expert"


def test_the_spans_of_a_retired_label_still_export_and_restore(
    retired: Database, tmp_path: Path
) -> None:
    out = tmp_path / "mine.jsonl"
    export_jsonl(retired, out)
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert [s["label"] for s in json.loads(line)["spans"]] == ["expert"]
    fresh = new_db(tmp_path / "fresh.sqlite")
    assert import_jsonl(fresh, out).spans_added == 1  # made before the retirement: history
    # Without the label file too: the fresh database's expert is not retired.
    label_file(out).unlink()
    other = new_db(tmp_path / "other.sqlite")
    assert import_jsonl(other, out).spans_added == 1


def test_the_cli_import_of_another_tools_file_is_refused_by_line(
    retired: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tool.jsonl"
    lines = [
        {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "therapy"}]},
        {"text": TEXT, "spans": [{"start": 37, "end": 41, "label": "target"},
                                 {"start": 57, "end": 64, "label": "expert"}]},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    retired.dispose()
    db = tmp_path / "mine.sqlite"
    before = _state(db)
    code, _, err = call(capsys, "--db", str(db), "--curator", "bob", "import", str(path))
    assert_user_error(code, err, f"error: {path}:2: span 2: label 'expert' is retired since")
    assert _state(db) == before


def test_a_pubtator_file_is_refused_at_the_span_line(
    retired: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tool.pubtator"
    path.write_text(
        "1|t|Ruxolitinib works\n1|a|Said Rong Fu.\n"
        "1\t0\t11\tRuxolitinib\ttherapy\t\n1\t23\t30\tRong Fu\texpert\t\n\n",
        encoding="utf-8",
    )
    retired.dispose()
    db = tmp_path / "mine.sqlite"
    before = _state(db)
    code, _, err = call(capsys, "--db", str(db), "--curator", "bob", "import", str(path))
    assert_user_error(code, err, f"error: {path}:4: span 2: label 'expert' is retired")
    assert _state(db) == before


def test_our_own_lines_made_after_the_retirement_are_refused_unless_the_file_restores_it(
    retired: Database, tmp_path: Path
) -> None:
    theirs = copy_db(retired, tmp_path / "theirs.sqlite")
    restore_label(theirs, "expert")
    doc = put_document(theirs, TEXT)
    annotate.add_span(theirs, doc, "bob", NewSpan(0, 11, "expert"))  # made after
    out = tmp_path / "theirs.jsonl"
    export_jsonl(theirs, out)
    # Without its label file the line is a new span on a label retired here: refused.
    sidecar = label_file(out).read_bytes()
    label_file(out).unlink()
    before = _state(tmp_path / "mine.sqlite")
    with pytest.raises(InputError, match=rf"{out}:1: span \d: label 'expert' is retired"):
        import_jsonl(retired, out)
    assert _state(tmp_path / "mine.sqlite") == before
    # With it, the later restore travels and the span comes in with it.
    label_file(out).write_bytes(sidecar)
    report = import_jsonl(retired, out)
    assert report.spans_added == 1 and "updated expert" in report.labels_merged
    assert not next(lab for lab in annotate.list_labels(retired) if lab.name == "expert").retired


def test_a_retirement_the_file_brings_does_not_refuse_the_files_own_spans(
    retired: Database, tmp_path: Path
) -> None:
    """A reviewer's database can hold a span made after a retirement it merged in later."""
    x, y = new_db(tmp_path / "x.sqlite"), new_db(tmp_path / "y.sqlite")
    retire_label(x, "expert")
    annotate.add_span(y, put_document(y, TEXT), "bob", NewSpan(57, 64, "expert"))
    merge_databases(x, [y])
    out = tmp_path / "x.jsonl"
    export_jsonl(x, out)
    fresh = new_db(tmp_path / "fresh.sqlite")
    assert import_jsonl(fresh, out).spans_added == 1
    assert next(lab for lab in annotate.list_labels(fresh) if lab.name == "expert").retired
    # Here expert was retired before that span was made: the same file is refused.
    with pytest.raises(InputError, match=rf"{out}:1: span 1: label 'expert' is retired"):
        import_jsonl(retired, out)


def test_no_suggestion_is_proposed_with_a_retired_label(retired: Database) -> None:
    doc = put_document(retired, TEXT)
    restore_label(retired, "expert")
    proposed = suggestions.compute(retired, doc, "ann")
    assert proposed.get("target", 0) >= 1  # CD19
    retire_label(retired, "target")
    with retired.write() as session:
        session.execute(delete(Suggestion))
    proposed = suggestions.compute(retired, doc, "ann")
    assert "target" not in proposed and sum(proposed.values()) >= 1
