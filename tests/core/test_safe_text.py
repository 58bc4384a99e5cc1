"""The checks every importer shares: laws against what a JSON writer and UTF-8 can hold."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.core.safe_text import (
    MAX_JSON_DEPTH,
    UnsafeJSONError,
    loads,
    name_problem,
    shown,
    text_problem,
    value_problem,
)

# Every code point, lone surrogates and NUL included; no backslash, so that a
# NUL is found in the dumped JSON only as the escape json.dumps gives it.
TEXT = st.text(st.characters(codec=None, exclude_characters="\\"), max_size=12)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


def _writable(value: Any) -> bool:
    """What every export needs: JSON without NaN, encodable as UTF-8, and no NUL."""
    try:
        dumped = json.dumps(value, ensure_ascii=False, allow_nan=False)
        dumped.encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        return False
    return "\\u0000" not in dumped


@settings(max_examples=200)
@given(VALUES)
def test_a_value_passes_exactly_when_every_export_can_write_it(value: Any) -> None:
    assert (value_problem(value) is None) == _writable(value)


@settings(max_examples=200)
@given(VALUES)
def test_what_passes_reads_back_unchanged(value: Any) -> None:
    if value_problem(value) is None:
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        assert loads(data.decode("utf-8")) == value


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('{"k": NaN}', "NaN, which is not JSON"),
        ("[Infinity]", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ("9" * 4301, "more than 4300 digits"),
        ('{"k": ', "not valid JSON"),
    ],
)
def test_loads_refuses_what_no_writer_gives_back(text: str, needle: str) -> None:
    with pytest.raises(UnsafeJSONError, match=needle):
        loads(text)


def test_the_problem_names_its_place() -> None:
    assert value_problem({"a": [1, {"b": "x\udfff"}]}, "meta") == (
        'meta["a"][1]["b"] holds a lone surrogate (U+DFFF at character 2), which is not '
        "Unicode text and no file can hold"
    )
    assert value_problem({"spans": [{"note": "a\0"}]}) == (
        'spans[0]["note"] holds a NUL character (at character 2)'
    )
    deepest: Any = []  # {"k": [[...]]} with 100 lists: the innermost is 100 levels down
    for _ in range(MAX_JSON_DEPTH - 1):
        deepest = [deepest]
    assert value_problem({"k": deepest}, "meta") is None
    too_deep = {"k": [deepest]}
    assert value_problem(too_deep, "meta") == "meta is nested more than 100 levels deep"


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("", "cannot be empty"),
        (" \t ", "cannot be empty"),
        ("x" * 101, "at most 100 characters, not 101"),
        ("a\x00b", "NUL"),
        ("a\udcffb", "lone surrogate"),
        ("a\tb", "control character U+0009"),
        ("a\x85b", "control character U+0085"),
        ("a\u2029b", "line break"),
    ],
)
def test_names_refused(name: str, needle: str) -> None:
    problem = name_problem(name, "label", 100)
    assert problem is not None and needle in problem


@pytest.mark.parametrize("name", ["therapy", " therapy ", "x" * 100, "\U0001d518 drug", "<b>"])
def test_names_taken(name: str) -> None:
    assert name_problem(name, "label", 100) is None


def test_messages_quote_long_values_short() -> None:
    assert shown("abc") == "'abc'"
    assert shown("L" * 10_000_000) == repr("L" * 60) + "… (10,000,000 characters)"
    assert text_problem("plain") is None
