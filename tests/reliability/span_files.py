"""Bad span files, one builder a case: the file, and what the refusal must say.

Each builder writes its file into a folder and returns it with the pieces
the message must hold: always ``FILE:LINE:`` of the offending line (or XML
element) and the reason. Every case has good lines before the bad one, so a
half-done import would leave documents behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEXT = "Ruxolitinib targets JAK/STAT.\nOverall response rate reached 81.8%.\n"
Case = Callable[[Path], tuple[Path, list[str]]]


def good_line(i: int) -> dict[str, Any]:
    """A distinct document (its own text, so its own id) with one target span."""
    text = f"Article {i} on CD19 therapy.\n"
    start = text.index("CD19")
    return {"text": text, "spans": [{"start": start, "end": start + 4, "label": "target"}]}


def _jsonl(folder: Path, bad: Any, good: int = 2) -> tuple[Path, int]:
    path = folder / "spans.jsonl"
    lines = [json.dumps(good_line(i)) for i in range(good)]
    lines.append(bad if isinstance(bad, str) else json.dumps(bad, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(lines)


def _span_case(span: dict[str, Any], *needles: str) -> Case:
    def build(folder: Path) -> tuple[Path, list[str]]:
        path, line = _jsonl(folder, {"text": TEXT, "spans": [span]})
        return path, [f"{path}:{line}: ", *needles]

    return build


def _broken_json(folder: Path) -> tuple[Path, list[str]]:
    path, line = _jsonl(folder, '{"text": "Ruxolitinib", "spans": [')
    return path, [f"{path}:{line}: ", "not valid JSON"]


def _missing_text(folder: Path) -> tuple[Path, list[str]]:
    path, line = _jsonl(folder, {"spans": [{"start": 0, "end": 3, "label": "target"}]})
    return path, [f"{path}:{line}: ", "missing 'text'"]


def _after_many_good(folder: Path) -> tuple[Path, list[str]]:
    bad = {"text": TEXT, "spans": [{"start": 0, "end": 11, "label": "therapy", "text": "Rux"}]}
    path, line = _jsonl(folder, bad, good=500)
    return path, [f"{path}:{line}: ", "not 'Rux'"]


JSONL_CASES: dict[str, Case] = {
    "broken-json": _broken_json,
    "missing-text": _missing_text,
    "missing-label": _span_case({"start": 0, "end": 11}, "span 1: missing 'label'"),
    "string-offset": _span_case(
        {"start": "0", "end": 11, "label": "therapy"}, "'start' must be int, not str"
    ),
    "label-not-a-string": _span_case(
        {"start": 0, "end": 11, "label": 7}, "'label' must be str, not int"
    ),
    "out-of-range": _span_case(
        {"start": 60, "end": 9000, "label": "outcome"}, "offsets 60-9000 are not inside the text"
    ),
    "negative-start": _span_case(
        {"start": -3, "end": 11, "label": "therapy"}, "not inside the text"
    ),
    "start-equals-end": _span_case(
        {"start": 5, "end": 5, "label": "therapy"}, "offsets 5-5", "start before end"
    ),
    "start-after-end": _span_case(
        {"start": 11, "end": 2, "label": "therapy"}, "offsets 11-2", "start before end"
    ),
    "quote-mismatch": _span_case(
        {"start": 0, "end": 11, "label": "therapy", "text": "Ruxolitinix"},
        "the text at 0-11 is 'Ruxolitinib', not 'Ruxolitinix'",
    ),
    "unknown-label": _span_case(
        {"start": 0, "end": 11, "label": "drug"}, "unknown label 'drug'", "--add-labels"
    ),
    "bad-line-after-500-good": _after_many_good,
}


# --- XML -----------------------------------------------------------------------------------

_COLLECTION = """<collection><source>tool</source><date>2025</date><key>k</key>
<document><id>1</id><passage><offset>0</offset><text>{text}</text></passage></document>
</collection>
"""


def _laughs(folder: Path) -> tuple[Path, list[str]]:
    """Ten levels of ten: a billion 'lol's if the parser expanded them."""
    levels = ['  <!ENTITY lol0 "lol">']
    for i in range(1, 10):
        refs = f"&lol{i - 1};" * 10
        levels.append(f'  <!ENTITY lol{i} "{refs}">')
    path = folder / "laughs.bioc.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE collection [\n'
        + "\n".join(levels)
        + "\n]>\n"
        + _COLLECTION.format(text="&lol9;"),
        encoding="utf-8",
    )
    return path, [f"{path}:3: ", "declares the XML entity 'lol0'", "billion laughs"]


def _external(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "external.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE collection [\n'
        '  <!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
        + _COLLECTION.format(text="&secret;"),
        encoding="utf-8",
    )
    return path, [f"{path}:3: ", "declares the XML entity 'secret'", "read other files"]


def _parameter_entity(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "parameter.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE collection [\n'
        '  <!ENTITY % remote SYSTEM "file:///etc/passwd">\n  %remote;\n]>\n'
        + _COLLECTION.format(text="text"),
        encoding="utf-8",
    )
    return path, [f"{path}:3: ", "declares the XML entity 'remote'"]


def _not_well_formed(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "broken.xml"
    path.write_text(_COLLECTION.format(text="a < b"), encoding="utf-8")
    return path, [f"{path}:2: ", "is not well-formed XML"]


def _bioc_out_of_range(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "range.xml"
    text = _COLLECTION.format(text="CD19 therapy").replace(
        "</passage>",
        '\n<annotation id="a1"><infon key="type">target</infon>\n'
        '<location offset="0" length="4"/><text>CD19</text></annotation>\n'
        '<annotation id="a2"><infon key="type">target</infon>\n'
        '<location offset="5" length="400"/></annotation>\n</passage>',
    )
    path.write_text(text, encoding="utf-8")
    return path, [f"{path}:5: ", "span 2: offsets 5-405 are not inside the text"]


XML_CASES: dict[str, Case] = {
    "billion-laughs": _laughs,
    "external-entity": _external,
    "parameter-entity": _parameter_entity,
    "xml-not-well-formed": _not_well_formed,
    "bioc-out-of-range": _bioc_out_of_range,
}
SPAN_FILE_CASES: dict[str, Case] = {**JSONL_CASES, **XML_CASES}
