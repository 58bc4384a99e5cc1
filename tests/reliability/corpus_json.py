"""Bad-input samples in JSON: every field of our JSONL, span JSONL, doccano, Label Studio
and BioC JSON crossed with every value that broke a reader, and raw lines and bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.reliability.corpus_sample import Prepared, Sample
from tests.reliability.input_builders import (
    TEXT,
    own_line,
    write_jsonl,
)
from tests.reliability.span_files import good_line

HOLE = "@@value@@"

# JSON text, spliced in raw: NaN, deep nesting and huge numbers cannot come from json.dumps.
JSON_VALUES: dict[str, str] = {
    "null": "null",
    "false": "false",
    "zero": "0",
    "minus-one": "-1",
    "float": "1.5",
    "int-2-63": str(2**63),
    "int-10-12": "1000000000000",
    "int-4301-digits": "9" * 4301,
    "nan": "NaN",
    "minus-infinity": "-Infinity",
    "float-1e999": "1e999",
    "empty": '""',
    "blank": '"   "',
    "lone-surrogate": '"ab\\udfffc"',
    "surrogate-pair": '"\\ud83d\\ude00"',
    "nul": '"a\\u0000b"',
    "bell": '"a\\u0007b"',
    "long-300": json.dumps("x" * 300),
    "list": '["therapy"]',
    "object": '{"a": 1}',
    "nested-1000": "[" * 1000 + "]" * 1000,
    "nested-150": "[" * 150 + "]" * 150,
    "markup": '"<b>x</b> &amp;"',
    "time-past-9999": '"9999-12-31T23:59:59.999999-05:00"',
    "time-year-1": '"0001-01-01T00:00:00+05:00"',
    "time-naive": '"2024-01-01T00:00:00"',
}


def _splice(obj: dict[str, Any], value: str) -> str:
    return json.dumps(obj).replace(json.dumps(HOLE), value)


def _put(obj: Any, path: tuple[str | int, ...]) -> Any:
    """*obj* with the value at *path* replaced by the hole (created if missing)."""
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = HOLE
    return obj


def _jsonl_sample(
    name: str, make: Callable[[], dict[str, Any]], path: tuple[str | int, ...], value: str
) -> Sample:
    def build(folder: Path) -> Prepared:
        file, line = write_jsonl(folder / "in.jsonl", _splice(_put(make(), path), value))
        return Prepared(["import", "--add-labels", str(file)], file, line)

    return Sample(name, build)


STRING_VALUES = (
    "null", "empty", "blank", "lone-surrogate", "surrogate-pair", "nul", "bell",
    "long-300", "markup", "nan", "nested-1000", "int-4301-digits", "list",
)  # fmt: skip
"""For fields that hold text: what a text can carry that a file or column cannot."""
NUMBER_VALUES = (
    "null", "false", "minus-one", "float", "int-2-63", "int-4301-digits", "nan",
    "float-1e999", "empty", "lone-surrogate", "object", "nested-1000", "time-past-9999",
    "time-year-1", "time-naive",
)  # fmt: skip
"""For fields that hold numbers, times and structure: wrong types and values out of range."""

Fields = tuple[tuple[str | int, ...], ...]
OWN_TEXT_FIELDS: Fields = (
    ("title",),
    ("text",),
    ("meta", "k"),
    ("spans", 0, "label"),
    ("spans", 0, "text"),
    ("spans", 0, "curator"),
    ("spans", 0, "note"),
)
OWN_OTHER_FIELDS: Fields = (
    ("meta",),
    ("status", "ana"),
    ("spans", 0, "start"),
    ("spans", 0, "end"),
    ("spans", 0, "created_at"),
    ("spans", 0, "updated_at"),
    ("spans", 0, "deleted_at"),
    ("spans", 0, "revision"),
)
MINIMAL_FIELDS: Fields = (
    ("text",),
    ("meta", "k"),
    ("spans", 0, "label"),
    ("spans", 0, "note"),
    ("spans", 0, "start"),
)
DOCCANO_FIELDS: Fields = (("label", 0, 0), ("label", 0, 2))


def _minimal() -> dict[str, Any]:
    return {
        "text": TEXT,
        "meta": {"k": "v"},
        "spans": [{"start": 0, "end": 11, "label": "therapy", "text": "Ruxolitinib"}],
    }


def _doccano() -> dict[str, Any]:
    return {"text": TEXT, "label": [[0, 11, "therapy"]]}


def _own() -> dict[str, Any]:
    return own_line(meta={"k": "v"})


def _place(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def jsonl_samples() -> list[Sample]:
    samples = []
    for shape, make, fields, values in (
        ("own", _own, OWN_TEXT_FIELDS, STRING_VALUES),
        ("own", _own, OWN_OTHER_FIELDS, NUMBER_VALUES),
        ("span", _minimal, MINIMAL_FIELDS, STRING_VALUES),
        ("doccano", _doccano, DOCCANO_FIELDS, STRING_VALUES),
    ):
        for path in fields:
            for value_name in values:
                name = f"jsonl-{shape}-{_place(path)}-{value_name}"
                samples.append(_jsonl_sample(name, make, path, JSON_VALUES[value_name]))
    return samples


OTHER_JSON_VALUES = (
    "nan", "minus-infinity", "float-1e999", "lone-surrogate", "nul", "nested-1000",
    "int-4301-digits", "int-2-63", "int-10-12",
)  # fmt: skip
"""What the JSON of other tools (Label Studio, BioC JSON) is crossed with."""


def _labelstudio() -> list[Any]:
    region = {"start": 0, "end": 11, "text": "Ruxolitinib", "labels": ["therapy"]}
    result = {"value": region, "from_name": "label", "to_name": "text", "type": "labels"}
    return [{"data": {"text": "Ruxolitinib works."}, "annotations": [{"result": [result]}]}]


def _bioc_json() -> dict[str, Any]:
    annotation = {
        "id": "1",
        "infons": {"type": "therapy"},
        "locations": [{"offset": 0, "length": 11}],
        "text": "Ruxolitinib",
    }
    passage = {"offset": 0, "text": "Ruxolitinib works.", "annotations": [annotation]}
    return {"source": "tool", "documents": [{"id": "1", "passages": [passage]}]}


OTHER_JSON: tuple[tuple[str, str, Callable[[], Any], tuple[tuple[str | int, ...], ...]], ...] = (
    (
        "labelstudio",
        "tasks.json",
        _labelstudio,
        (
            (0, "data", "text"),
            (0, "annotations", 0, "result", 0, "value", "start"),
            (0, "annotations", 0, "result", 0, "value", "labels", 0),
        ),
    ),
    (
        "bioc-json",
        "doc.bioc.json",
        _bioc_json,
        (
            ("documents", 0, "passages", 0, "offset"),
            ("documents", 0, "passages", 0, "annotations", 0, "infons", "type"),
        ),
    ),
)


def _other_json(
    name: str, file_name: str, make: Callable[[], Any], path: tuple[str | int, ...], value: str
) -> Sample:
    def build(folder: Path) -> Prepared:
        file = folder / file_name
        text = json.dumps(_put(make(), path), indent=1).replace(json.dumps(HOLE), value)
        file.write_text(text, encoding="utf-8")
        return Prepared(["import", "--add-labels", str(file)], file)

    return Sample(name, build)


def other_json_samples() -> list[Sample]:
    return [
        _other_json(f"{shape}-{_place(path)}-{key}", file_name, make, path, JSON_VALUES[key])
        for shape, file_name, make, fields in OTHER_JSON
        for path in fields
        for key in OTHER_JSON_VALUES
    ]


def _raw_jsonl(name: str, last: str) -> Sample:
    def build(folder: Path) -> Prepared:
        file, line = write_jsonl(folder / "in.jsonl", last)
        return Prepared(["import", str(file)], file, line)

    return Sample(name, build)


RAW_LINES = {
    "not-an-object": "[1, 2]",
    "a-string": '"text"',
    "truncated": '{"text": "Ruxolitinib", "spans": [',
    "trailing-garbage": '{"text": "Ruxolitinib"} x',
    "nested-100000": "[" * 100_000 + "]" * 100_000,
    "unicode-escape-broken": '{"text": "\\u12"}',
    "bare-nan": "NaN",
    "duplicate-keys": '{"text": "Ruxolitinib", "text": "JAK2 V617F"}',
}


def raw_jsonl_samples() -> list[Sample]:
    samples = [_raw_jsonl(f"jsonl-raw-{k}", v) for k, v in RAW_LINES.items()]

    def raw_bytes(name: str, data: bytes) -> Sample:
        def build(folder: Path) -> Prepared:
            file = folder / "in.jsonl"
            file.write_bytes(json.dumps(good_line(0)).encode() + b"\n" + data + b"\n")
            return Prepared(["import", str(file)], file, 2)

        return Sample(name, build)

    samples += [
        raw_bytes("jsonl-bytes-latin1", '{"text": "café"}'.encode("latin-1")),
        raw_bytes("jsonl-bytes-encoded-surrogate", b'{"text": "a\xed\xbf\xbfb"}'),
        raw_bytes("jsonl-bytes-nul", b'{"text": "a\x00b"}'),
        raw_bytes("jsonl-bytes-utf16", '{"text": "x"}'.encode("utf-16")),
    ]
    return samples
