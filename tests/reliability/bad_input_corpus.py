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

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.reliability.input_builders import (
    BIOC_HEAD,
    TEXT,
    bioc_document,
    own_bioc_document,
    own_line,
    own_span,
    write_bioc,
    write_jsonl,
)
from tests.reliability.span_files import good_line


@dataclass
class Prepared:
    argv: list[str]
    """After ``--db DB``."""
    file: Path | None = None
    """The file a refusal must name (None: a name or a setting, named by *needle*)."""
    line: int | None = None
    """The line a refusal must name, when the file has lines that matter."""
    env: dict[str, str] = field(default_factory=dict)
    needle: str = ""
    """What a refusal must say when there is no file (the option or variable)."""


@dataclass(frozen=True)
class Sample:
    name: str
    build: Callable[[Path], Prepared]


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


# --- BioC XML ---------------------------------------------------------------------------

XML_VALUES: dict[str, str] = {
    "empty": "",
    "minus-one": "-1",
    "int-10-12": "1000000000000",
    "int-5000-digits": "9" * 5000,
    "word": "abc",
    "spaced": " 3 ",
    "char-ref-nul": "&#0;",
    "char-ref-surrogate": "&#xD800;",
    "raw-control": "\x01",
    "element": "<x/>",
    "astral": "\U0001d518",
    "long-300": "y" * 300,
}
JSON_IN_XML: dict[str, str] = {
    "nan": '{"k": NaN}',
    "nested-1000": "[" * 1000 + "]" * 1000,
    "lone-surrogate": '{"k": "\\udfff"}',
    "nul": '{"k": "\\u0000"}',
    "int-4301-digits": '{"k": ' + "9" * 4301 + "}",
    "not-json": "{k}",
    "list": "[1, 2]",
}


def _foreign_slots() -> dict[str, Callable[[str], str]]:
    def annotation(location: str, label: str = "target", quote: str = "CD19") -> str:
        return (
            "<document><id>9</id><passage><offset>0</offset><text>CD19 CAR-T works.</text>\n"
            f'<annotation id="1"><infon key="type">{label}</infon>{location}'
            f"<text>{quote}</text></annotation></passage></document>\n"
        )

    return {
        "passage-offset": lambda v: bioc_document(offset=v),
        "passage-text": lambda v: bioc_document(text=v),
        "location-offset": lambda v: annotation(f'<location offset="{v}" length="4"/>'),
        "location-length": lambda v: annotation(f'<location offset="0" length="{v}"/>'),
        "label": lambda v: annotation('<location offset="0" length="4"/>', label=v),
        "quote": lambda v: annotation('<location offset="0" length="4"/>', quote=v),
        "curator-infon": lambda v: bioc_document().replace(
            '<infon key="type">', f'<infon key="curator">{v}</infon><infon key="type">'
        ),
    }


def _own_slots() -> dict[str, Callable[[str], str]]:
    return {
        "own-revision": lambda v: own_bioc_document(revision=v),
        "own-updated-at": lambda v: own_bioc_document(updated_at=v),
        "own-title": lambda v: own_bioc_document().replace(
            '<infon key="title">t</infon>', f'<infon key="title">{v}</infon>'
        ),
    }


def _xml_sample(name: str, document: str, own: bool) -> Sample:
    def build(folder: Path) -> Prepared:
        file, _ = write_bioc(folder / "in.xml", document, own=own)
        return Prepared(["import", str(file)], file)

    return Sample(name, build)


def _whole_xml(name: str, text: str) -> Sample:
    def build(folder: Path) -> Prepared:
        file = folder / "in.xml"
        file.write_bytes(text.encode("utf-8", "surrogateescape"))  # "\udce9" is the byte 0xE9
        return Prepared(["import", str(file)], file)

    return Sample(name, build)


def xml_samples() -> list[Sample]:
    samples = []
    for own, slots in ((False, _foreign_slots()), (True, _own_slots())):
        for slot, make in slots.items():
            for value_name, value in XML_VALUES.items():
                samples.append(_xml_sample(f"xml-{slot}-{value_name}", make(value), own))
    for value_name, value in JSON_IN_XML.items():
        for key in ("meta", "status"):
            escaped = value.replace("&", "&amp;").replace("<", "&lt;")
            document = own_bioc_document()
            if key == "meta":
                document = own_bioc_document(meta=escaped)
            else:
                document = document.replace(
                    "<passage>", f'<infon key="status">{escaped}</infon><passage>'
                )
            samples.append(_xml_sample(f"xml-{key}-infon-{value_name}", document, True))
    collection = f"{BIOC_HEAD}<collection><source>tool</source>\n"
    samples += [
        _whole_xml("xml-empty-file", ""),
        _whole_xml("xml-truncated", collection + bioc_document()[:40]),
        _whole_xml("xml-wrong-root", f"{BIOC_HEAD}<article><p>CD19</p></article>\n"),
        _whole_xml("xml-no-documents", collection + "</collection>\n"),
        _whole_xml("xml-deep-elements", collection + "<a>" * 50_000 + "</a>" * 50_000),
        _whole_xml("xml-latin1-bytes-declared-utf8", collection + "<x>caf\udce9</x>"),
        _whole_xml(
            "xml-entity",
            f'{BIOC_HEAD}<!DOCTYPE c [<!ENTITY e "x">]>\n<collection>&e;</collection>\n',
        ),
        _whole_xml(
            "xml-sentences",
            collection
            + bioc_document().replace("<text>CD19 CAR-T works.</text>", "<sentence/>")
            + "</collection>\n",
        ),
    ]
    return samples


# --- article files ----------------------------------------------------------------------

ARTICLE_BYTES: dict[str, tuple[bytes, int | None]] = {
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", None),
    "latin1-line-3": ("Title\nline two\ncafé\n".encode("latin-1"), 3),
    "empty": (b"", None),
    "blank": (b" \n\t\n  \r\n", None),
    "bom-only": (b"\xef\xbb\xbf", None),
    "nul-in-middle": (b"Title\nab\x00cd\n", None),
    "utf16": ("Title\nbody\n".encode("utf-16"), None),
    "overlong-utf8": (b"Title\n\xc0\x80\n", 2),
    "encoded-surrogate": (b"Title\n\n\xed\xa0\x80\n", 3),
    "truncated-utf8": (b"Title\n\xe2\x82", 2),
    "cr-only": (b"Title\rbody\rmore\r", None),
    "control-chars": (b"Title\x07\nbody\x1b[31m red\n", None),
    "astral-and-nfd": ("\U0001d518 Title\nCafe\u0301\n".encode(), None),
    "long-line": (b"Ruxolitinib " * 5000, None),
    "markup-title": (b"<font color=red size=6>RETRACTED</font>\nbody\n", None),
}


def _article(name: str, data: bytes, line: int | None) -> Sample:
    def build(folder: Path) -> Prepared:
        file = folder / "in.txt"
        file.write_bytes(data)
        return Prepared(["import", str(file)], file, line)

    return Sample(f"txt-{name}", build)


def _special(name: str, make: Callable[[Path], Path]) -> Sample:
    return Sample(f"txt-{name}", lambda folder: Prepared(["import", str(p := make(folder))], p))


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder / "pipe.txt"


def _link(target: str, name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).symlink_to(target)
        return folder / name

    return make


def _folder_named_txt(folder: Path) -> Path:
    (folder / "dir.txt" / "inner").mkdir(parents=True)
    (folder / "dir.txt" / "inner" / "x.txt").symlink_to("/dev/null")
    return folder / "dir.txt"


def _bad_name(folder: Path) -> Path:
    path = folder / "na\udcefme.txt"
    path.write_text("Title\nbody\n", encoding="utf-8")
    return path


def _oversized(folder: Path) -> Prepared:
    file = folder / "big.txt"
    file.write_text("Big\n" + "ruxolitinib " * 200, encoding="utf-8")
    return Prepared(["import", str(file)], file, env={"CURATOR_MAX_FILE_MB": "0.001"})


def article_samples() -> list[Sample]:
    samples = [_article(k, data, line) for k, (data, line) in ARTICLE_BYTES.items()]
    samples += [
        _special("fifo", _fifo),
        _special("link-dev-zero", _link("/dev/zero", "zero.txt")),
        _special("link-dev-null", _link("/dev/null", "null.txt")),
        _special("link-dangling", _link("/nonexistent/x.txt", "gone.txt")),
        _special("link-loop", _link("loop.txt", "loop.txt")),
        _special("folder-with-dev-null", _folder_named_txt),
        _special("name-not-utf8", _bad_name),
        Sample("txt-oversized", _oversized),
        _special("jsonl-fifo", lambda f: (os.mkfifo(f / "p.jsonl"), f / "p.jsonl")[1]),
        _special("xml-dev-zero", _link("/dev/zero", "zero.xml")),
        _article("pubtator-nul", b"12345|t|Ruxolitinib\x00 trial\n12345|a|In MF.\n\n", 1),
    ]
    return samples


# --- names and settings -----------------------------------------------------------------

NAMES: dict[str, str] = {
    "blank": "   ",
    "empty": "",
    "tab": "a\tb",
    "newline": "a\nb",
    "escape": "ana\x1b[2J",
    "del": "ana\x7f",
    "c1-control": "ana\x85",
    "line-separator": "a\u2028b",
    "lone-surrogate": "an\udcffa",
    "nul": "a\x00b",
    "201-characters": "n" * 201,
    "200-characters": "n" * 200,
    "astral": "\U0001d518na",
    "spaces-around": "  ana  ",
    "rtl-override": "ana\u202e",
    "markup": "<b>ana</b>",
}
SETTINGS: dict[str, tuple[str, ...]] = {
    "CURATOR_MAX_SPAN_FILE_MB": ("abc", "-1", "0", "inf", "nan", "1e400", "0x10", "1e-12"),
    "CURATOR_MAX_LINE_MB": ("abc", "-5", "0", "inf", "nan", "  ", "1e-12", "9" * 5000),
}


def _named(name: str, argv: list[str], env: dict[str, str], needle: str) -> Sample:
    def build(folder: Path) -> Prepared:
        file, _ = write_jsonl(folder / "in.jsonl", {"text": TEXT, "spans": []})
        return Prepared([*argv, "import", str(file)], None, None, env, needle)

    return Sample(name, build)


def name_samples() -> list[Sample]:
    samples = []
    for key, value in NAMES.items():
        if "\x00" not in value:  # no environment can hold a NUL
            env = {"CURATOR_NAME": value}
            samples.append(_named(f"env-name-{key}", [], env, "CURATOR_NAME"))
        samples.append(_named(f"option-name-{key}", ["--curator", value], {}, "--curator"))
    for variable, values in SETTINGS.items():
        for value in values:
            samples.append(
                _named(f"setting-{variable}-{value[:10]}", [], {variable: value}, variable)
            )
    for key, value in {
        "surrogate": "a\udcff",
        "percent": "%",
        "underscore": "_",
        "empty": "",
    }.items():
        for command in (["export", "-o", "out.jsonl"], ["suggest"], ["agreement"]):
            name = f"document-id-{command[0]}-{key}"
            samples.append(_command(name, [*command, "--document", value], "no document with id"))
    # names inside files go where a span's curator does
    for key, value in NAMES.items():
        line = own_line(span=own_span(curator=value), status={value: "done"})
        samples.append(
            Sample(f"jsonl-curator-{key}", _fixed_jsonl(line)),
        )
    return samples


def _command(name: str, argv: list[str], needle: str) -> Sample:
    def build(folder: Path) -> Prepared:
        args = [str(folder / a) if a.endswith(".jsonl") else a for a in argv]
        return Prepared(args, None, None, {}, needle)

    return Sample(name, build)


def _fixed_jsonl(line: dict[str, Any]) -> Callable[[Path], Prepared]:
    def build(folder: Path) -> Prepared:
        file, number = write_jsonl(folder / "in.jsonl", line)
        return Prepared(["import", str(file)], file, number)

    return build


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
