"""Bad-input samples of names and settings: curator names (option, variable, inside a
file), size settings and document ids no command can use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.reliability.corpus_sample import Prepared, Sample
from tests.reliability.input_builders import (
    TEXT,
    own_line,
    own_span,
    write_jsonl,
)

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
