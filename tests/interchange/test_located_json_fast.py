"""Reading an array element by element with the C decoder gives what the exact reader gives.

Our exports put a task or document on each line, and those files are read
the fast way; every object must still carry the line it starts on, and
whatever the safety check refuses must be refused the same way, at the same
line, as when the file is read by the pure-Python scanner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from curator.core.errors import InputError
from curator.core.interchange import located_json
from curator.core.interchange.located_json import LocatedDict


def _exact(path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``values`` with the fast path turned off: the pure-Python reader alone."""
    with monkeypatch.context() as patch:
        patch.setattr(located_json, "_fast", lambda reader, index: None)
        return located_json.values(path, text)


def _lines(value: Any) -> list[tuple[str, int]]:
    """Every object's keys and line, in reading order."""
    out: list[tuple[str, int]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            assert isinstance(item, LocatedDict)
            out.append((",".join(item), item.line))
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return out


def _task(i: int, extra: str = "") -> str:
    region = {"value": {"start": 0, "end": 4, "text": "JAK2", "labels": ["target"]}}
    task = {"data": {"text": f"JAK2 {i}"}, "annotations": [{"result": [region]}]}
    return json.dumps(task, ensure_ascii=False).replace('"JAK2 ', f'"JAK2{extra} ', 1)


ONE_A_LINE = "[\n" + ",\n".join(_task(i) for i in range(4)) + "\n]\n"
PRETTY = json.dumps(json.loads(ONE_A_LINE), indent=2)


@pytest.mark.parametrize(
    "text",
    [
        ONE_A_LINE,
        PRETTY,
        "[]",
        '[{"a": 1}, {"b": [1, 2, {"c": 3}]}]',
        '{"x": 1}\n{"y": {"z": 2}}\n',
        "[\n" + _task(0) + ",\n" + json.dumps(json.loads(_task(1)), indent=1) + "\n]",
    ],
)
def test_values_and_lines_match_the_exact_reader(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tasks.json"
    fast = located_json.values(path, text)
    exact = _exact(path, text, monkeypatch)
    assert fast == exact
    assert [_lines(v) for v in fast] == [_lines(v) for v in exact]


@pytest.mark.parametrize(
    ("bad", "line"),
    [("\\ud800", ":4:"), ("\\u0000", ":4:"), ("1e999", ":4:"), ("[" * 120 + "]" * 120, ":"),
     ("NaN", ":"), ("x", ":4:")],
)  # fmt: skip
def test_a_refusal_names_the_same_line_either_way(
    tmp_path: Path, bad: str, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tasks.json"
    lines = [_task(i) for i in range(4)]
    if bad.startswith("\\u"):
        lines[2] = lines[2].replace('"JAK2 ', f'"JAK2{bad} ', 1)
    else:
        lines[2] = lines[2][:-1] + f', "extra": {bad}}}'
    text = "[\n" + ",\n".join(lines) + "\n]\n"
    with pytest.raises(InputError) as fast:
        located_json.values(path, text)
    with pytest.raises(InputError) as exact:
        _exact(path, text, monkeypatch)
    assert str(fast.value) == str(exact.value)
    assert str(fast.value).startswith(f"{path}{line}")


def test_one_task_a_line_is_read_without_the_exact_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the pure-Python reader ran")

    monkeypatch.setattr(located_json._Decoder, "__init__", refuse)
    tasks = located_json.values(Path("t.json"), ONE_A_LINE)[0]
    assert [t.line for t in tasks] == [2, 3, 4, 5]
    assert [t["annotations"][0]["result"][0].line for t in tasks] == [2, 3, 4, 5]


def test_hex_ids_and_many_regions_stay_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """An id such as "3fe412" is no exponent, and 300 regions are not deep nesting."""
    region = {"id": "3fe412ab", "value": {"start": 0, "end": 4, "text": "JAK2", "labels": ["t"]}}
    task = {"data": {"text": "JAK2 e100"}, "annotations": [{"result": [region] * 300}]}
    text = "[\n" + ",\n".join(json.dumps(task) for _ in range(3)) + "\n]\n"

    def no_slow_reader(*_args: Any) -> None:
        raise AssertionError("the pure-Python reader was used")

    monkeypatch.setattr(located_json, "_Decoder", no_slow_reader)
    [tasks] = located_json.values(Path("tasks.json"), text)
    assert [task["annotations"][0]["result"][299]["id"] for task in tasks] == ["3fe412ab"] * 3
    assert [task.line for task in tasks] == [2, 3, 4]


def test_a_large_number_outside_strings_still_takes_the_exact_path() -> None:
    text = '[\n{"id": "x", "score": 1e400}\n]\n'
    with pytest.raises(InputError, match=r"tasks\.json:2"):
        located_json.values(Path("tasks.json"), text)


@pytest.mark.parametrize(
    "number",
    ["1" + "0" * 400, "1" + "0" * 400 + ".5", "-2.5e-400", "12345678901234567890", "1.5"],
)
def test_long_numbers_read_the_same_either_way(
    tmp_path: Path, number: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long whole number is read as it is; a float too large to be finite is refused alike."""
    path = tmp_path / "tasks.json"
    text = "[\n" + _task(0)[:-1] + f', "score": {number}}}' + ",\n" + _task(1) + "\n]\n"
    try:
        fast: Any = located_json.values(path, text)
    except InputError as exc:
        fast = str(exc)
    try:
        exact: Any = _exact(path, text, monkeypatch)
    except InputError as exc:
        exact = str(exc)
    assert fast == exact
    overflows = len(number) > 300 and "." in number
    assert isinstance(fast, str) == overflows
    if overflows:
        assert fast.startswith(f"{path}:2: ") and "inf" in fast


def test_an_overflowing_float_in_a_later_task_names_that_task(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    tasks = [_task(i) for i in range(3)]
    tasks[2] = tasks[2][:-1] + ', "score": 1' + "0" * 400 + ".0}"
    with pytest.raises(InputError, match=r"tasks\.json:4: .*inf"):
        located_json.values(path, "[\n" + ",\n".join(tasks) + "\n]\n")


@pytest.mark.parametrize("levels", [98, 99, 100])
@pytest.mark.parametrize("leaf", ["", "1"])
def test_nesting_at_the_limit_is_read_the_same_either_way(
    tmp_path: Path, levels: int, leaf: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items 100 levels below the top array are read; one level more is refused, either way."""
    path = tmp_path / "tasks.json"
    deep = "[" * levels + leaf + "]" * levels
    text = '[\n{"data": {"text": "x"}, "deep": ' + deep + "}\n]\n"
    outcomes = []
    for read in (located_json.values, lambda p, t: _exact(p, t, monkeypatch)):
        try:
            outcomes.append(read(path, text))
        except InputError as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    refused = levels + (1 if leaf else 0) > 99
    assert isinstance(outcomes[0], str) == refused


def test_nesting_within_the_limit_stays_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    text = '[\n{"data": {"text": "x"}, "deep": ' + "[" * 98 + "1" + "]" * 98 + "}\n]\n"
    monkeypatch.setattr(located_json, "_Decoder", None)  # the exact reader would fail here
    [tasks] = located_json.values(Path("tasks.json"), text)
    assert tasks[0].line == 2
