"""Inputs that would import but could never be written back out: refused at the door.

Lone surrogates, NaN, NUL, nesting and numbers past what a column holds, and names
beyond their columns: each refused with a message naming the file and line, and
the database byte for byte as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.helpers import (
    fingerprint,
)
from tests.reliability.input_builders import (
    TEXT,
    bioc_document,
    environment,
    own_bioc_document,
    own_line,
    own_span,
    run_main,
    write_bioc,
    write_jsonl,
)

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


# --- inputs that would import but could never be written back out ----------------------
#
# Each builder returns the arguments after ``--db DB`` (and the environment) for
# one case, and the pieces the refusal must hold. Run in this process: the
# command is the same code, and a hundred cases stay fast.

InputCase = Callable[[Path], tuple[list[str], dict[str, str], list[str]]]


def _jsonl_case(last: dict[str, Any] | str, *needles: str, add_labels: bool = False) -> InputCase:
    def build(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
        path, line = write_jsonl(folder / "spans.jsonl", last)
        flags = ["--add-labels"] if add_labels else []
        return ["import", *flags, str(path)], {}, [f"{path}:{line}: ", *needles]

    return build


def _bioc_case(document: str, *needles: str, own: bool = False, span: bool = False) -> InputCase:
    def build(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
        path, line = write_bioc(folder / "tool.xml", document, own=own)
        line += span  # the annotation is on the line after its document's
        return ["import", str(path)], {}, [f"{path}:{line}: ", *needles]

    return build


def _name_case(argv: list[str], env: dict[str, str], *needles: str) -> InputCase:
    return lambda folder: (argv, env, list(needles))


def _badly_named(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
    path = folder / "caf\udce9.txt"  # the Latin-1 byte 0xE9: what a non-UTF-8 name decodes to
    path.write_text("An article\nwith a Latin-1 file name\n", encoding="utf-8")
    return ["import", str(path)], {}, ["caf\\xe9.txt", "not valid UTF-8"]


NUL_TEXT = "Ruxolitinib\u0000 targets JAK/STAT.\n"
LONE = "\udfff"
DEEP = "[" * 1000 + "]" * 1000

UNWRITABLE_CASES: dict[str, InputCase] = {
    # lone surrogates, anywhere a string is stored
    "meta-surrogate": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": "\\udfff"}, "spans": []}',
        'meta["k"] holds a lone surrogate (U+DFFF',
    ),
    "meta-key-surrogate": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"\\ud800": 1}, "spans": []}', "lone surrogate"
    ),
    "text-surrogate": _jsonl_case(
        {"text": "Ruxolitinib " + LONE, "spans": []}, "text holds a lone surrogate"
    ),
    "title-surrogate": _jsonl_case(own_line(title="T" + LONE), "title holds a lone surrogate"),
    "label-surrogate": _jsonl_case(
        own_line(span=own_span(label="therapy" + LONE)),
        '["label"] holds a lone surrogate',
        add_labels=True,
    ),
    "note-surrogate": _jsonl_case(own_line(span=own_span(note=LONE)), '["note"] holds a lone'),
    "curator-surrogate": _jsonl_case(own_line(span=own_span(curator="an" + LONE)), "surrogate"),
    "status-name-surrogate": _jsonl_case(own_line(status={LONE: "done"}), "surrogate"),
    "bioc-meta-surrogate": _bioc_case(
        own_bioc_document('{"k": "\\udfff"}'), "the 'meta' infon[\"k\"] holds a lone", own=True
    ),
    "option-curator-surrogate": _name_case(
        ["--curator", "an\udcffa", "list"], {}, "--curator: ", "lone surrogate"
    ),
    "env-curator-surrogate": _name_case(
        ["list"], {"CURATOR_NAME": "an\udcffa"}, "CURATOR_NAME: ", "lone surrogate"
    ),
    "file-name-not-utf8": _badly_named,
    # NaN and Infinity are not JSON
    "meta-nan": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": NaN}, "spans": []}', "NaN, which is not JSON"
    ),
    "meta-infinity": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": [-Infinity]}}', "-Infinity, which is not"
    ),
    "meta-overflowing-float": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": 1e999}}', 'meta["k"] is inf'
    ),
    "bioc-meta-nan": _bioc_case(own_bioc_document('{"k": NaN}'), "NaN", own=True),
    # NUL in names, quotes and text
    "curator-nul": _jsonl_case(own_line(span=own_span(curator="a\u0000na")), "NUL"),
    "label-nul": _jsonl_case(
        {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "the\u0000rapy"}]}, "NUL"
    ),
    "quote-nul": _jsonl_case(
        own_line(NUL_TEXT, own_span(end=12, text="Ruxolitinib\u0000")), "holds a NUL"
    ),
    "option-curator-nul": _name_case(["--curator", "a\u0000na", "list"], {}, "--curator: ", "NUL"),
    # what the parser or the database gave up on with a traceback
    "jsonl-nested-1000": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"k": ' + DEEP + "}}", "nested too deeply"
    ),
    "meta-nested-101": _jsonl_case(
        {"text": "Ruxolitinib study", "meta": {"k": json.loads("[" * 101 + "]" * 101)}},
        "meta is nested more than 100 levels deep",
    ),
    "bioc-meta-nested-1000": _bioc_case(own_bioc_document(DEEP), "nested too deeply", own=True),
    "integer-4301-digits": _jsonl_case(
        '{"text": "Ruxolitinib study", "meta": {"n": ' + "7" * 4301 + "}}",
        "a number with more than 4300 digits",
    ),
    "revision-2-to-the-63": _jsonl_case(
        own_line(span=own_span(revision=2**63)), "revision must be at most 2147483647"
    ),
    "bioc-revision-2-to-the-63": _bioc_case(
        own_bioc_document(revision=str(2**63)), "revision must be at most", own=True, span=True
    ),
    "updated-at-past-9999": _jsonl_case(
        own_line(span=own_span(updated_at="9999-12-31T23:59:59.999999-05:00")),
        "'updated_at' is out of range in UTC",
    ),
    "created-at-before-year-1": _jsonl_case(
        own_line(span=own_span(created_at="0001-01-01T00:00:00+05:00")),
        "'created_at' is out of range in UTC",
    ),
    "bioc-offset-10-to-the-12": _bioc_case(
        bioc_document(offset="1000000000000"), "the passage offset 1000000000000 is past"
    ),
    # names and labels beyond their columns, blank or holding control characters
    "option-curator-blank": _name_case(
        ["--curator", "   ", "list"], {}, "--curator: ", "cannot be empty"
    ),
    "option-curator-tab": _name_case(["--curator", "a\tb", "list"], {}, "control character U+0009"),
    "option-curator-line-separator": _name_case(
        ["--curator", "a\u2028b", "list"], {}, "line break"
    ),
    "env-curator-escape": _name_case(
        ["list"], {"CURATOR_NAME": "ana\x1b[31m"}, "CURATOR_NAME: ", "U+001B"
    ),
    "label-101-characters": _jsonl_case(
        {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "L" * 101}]},
        "a label can have at most 100 characters, not 101",
        add_labels=True,
    ),
    "label-10-mb": _jsonl_case(
        {"text": TEXT, "label": [[0, 11, "L" * 10_000_000]]},
        "at most 100 characters, not 10,000,000",
        add_labels=True,
    ),
}


@pytest.mark.parametrize("case", list(UNWRITABLE_CASES))
def test_input_no_export_could_write_is_refused(
    populated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    argv, env, needles = UNWRITABLE_CASES[case](tmp_path)
    before = fingerprint(populated)

    with environment(monkeypatch, env):
        code, _, err = run_main("--db", str(populated), *argv)

    assert code == 1, err
    assert err.startswith("error: "), err
    assert len(err) < 1000, err[:1000]  # a 10 MB value is not echoed back
    for needle in needles:
        assert needle in err, (needle, err)
    assert fingerprint(populated) == before


def test_refusals_keep_every_export_working(populated: Path, tmp_path: Path) -> None:
    """After the surrogate line of the report is refused, each export still writes."""
    UNWRITABLE_CASES["meta-surrogate"](tmp_path)
    run_main("--db", str(populated), "import", str(tmp_path / "spans.jsonl"))
    for name in ("out.jsonl", "out.xml"):
        code, _, err = run_main("--db", str(populated), "export", "-o", str(tmp_path / name))
        assert code == 0, err
