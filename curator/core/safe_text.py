"""What a string or a JSON value must be to be stored here and written back out.

A Python string can hold what no file can: a lone surrogate (a JSON
``"\\udfff"`` escape, or an argument, environment value or file name that
was not UTF-8) cannot be encoded as UTF-8, so a document holding one would
break every later JSONL, BioC and Label Studio export, and every database
that merges it. NaN and Infinity are not JSON, so a ``meta`` holding them
exports as lines no JSON reader takes. A NUL cuts names and file names short
and has no place in an article's text. A name longer than its column, or
holding control characters, cannot be shown or typed back.

Every importer and every name given on the command line or in the app is
checked here, once, at the door, so the refusal names the file and line
instead of an export failing later. Each check returns the problem as a
phrase (or None), and the caller raises the error its layer uses.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from typing import Any

MAX_LABEL = 100
"""Characters of a label name (``Label.name`` is ``String(100)``)."""
MAX_CURATOR = 200
"""Characters of a curator name (``Curator.name`` is ``String(200)``)."""
MAX_JSON_DEPTH = 100
"""Levels of nesting a ``meta`` value may have; deeper JSON is refused, not half-read."""
MAX_INT = 2**31 - 1
"""The largest integer column value every database here stores (PostgreSQL ``integer``)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class UnsafeJSONError(ValueError):
    """JSON that cannot be read safely; the message says why, for the caller to place."""


def shown(value: str, limit: int = 60) -> str:
    """*value* quoted for a message, cut short: a 10 MB label must not fill the terminal."""
    if len(value) <= limit:
        return repr(value)
    return repr(value[:limit]) + f"… ({len(value):,} characters)"


def text_problem(value: str) -> str | None:
    """Why *value* cannot be stored and exported (NUL, lone surrogate), or None."""
    if "\0" in value:
        return f"holds a NUL character (at character {value.index(chr(0)) + 1})"
    if not value.isascii():
        found = _SURROGATE.search(value)
        if found:
            return (
                f"holds a lone surrogate (U+{ord(found.group()):04X} at character "
                f"{found.start() + 1}), which is not Unicode text and no file can hold"
            )
    return None


def name_problem(name: str, what: str, limit: int) -> str | None:
    """Why *name* cannot be a name of its kind (curator, label), or None.

    A name is what it says after stripping spaces; blank, longer than its
    column, NUL, control characters and lone surrogates are refused.
    """
    stripped = name.strip()
    if not stripped:
        return f"a {what} cannot be empty (or only spaces)"
    if len(stripped) > limit:
        return f"a {what} can have at most {limit} characters, not {len(stripped):,}"
    problem = text_problem(stripped)
    if problem:
        return f"the {what} {shown(stripped)} {problem}"
    control = _CONTROL.search(stripped)
    if control:
        code = ord(control.group())
        return f"the {what} {shown(stripped)} holds the control character U+{code:04X}"
    if any(unicodedata.category(c) in ("Zl", "Zp") for c in stripped):
        return f"the {what} {shown(stripped)} holds a line break"
    return None


def _refuse_constant(name: str) -> Any:
    raise UnsafeJSONError(f"holds {name}, which is not JSON (only finite numbers are)")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def loads(text: str) -> Any:
    """Parse JSON as a file we write it could hold: finite numbers, bounded nesting.

    Raises :class:`UnsafeJSONError` for anything ``json.loads`` would refuse or
    would take but nothing could write back: NaN and Infinity, nesting deep
    enough to exhaust the stack, integers over Python's digit limit.
    """
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise UnsafeJSONError(f"is not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise UnsafeJSONError("is nested too deeply to be read as JSON") from None
    except ValueError as exc:
        if isinstance(exc, UnsafeJSONError):
            raise
        digits = sys.get_int_max_str_digits()
        raise UnsafeJSONError(f"holds a number with more than {digits} digits") from None


def _where(name: str, path: list[str | int]) -> str:
    """``meta["k"][0]``: the place of a value, spelled as JavaScript and Python both read it."""
    parts = [f"[{p}]" if isinstance(p, int) else f"[{json.dumps(p)}]" for p in path]
    if not name and path and isinstance(path[0], str) and path[0].isidentifier():
        parts[0] = path[0]
    return (name + "".join(parts)) or "the value"


def value_problem(value: Any, name: str = "", *, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """Why a parsed JSON value cannot be stored and exported as it came, or None.

    Every key and string is checked with :func:`text_problem`, every number
    must be finite (``1e999`` parses as infinity), and nesting is bounded by
    *max_depth*. The problem names its place, as ``meta["k"][0]``.
    """
    found = locate_problem(value, name, max_depth=max_depth)
    return found[0] if found else None


def locate_problem(
    value: Any, name: str = "", *, max_depth: int = MAX_JSON_DEPTH
) -> tuple[str, tuple[Any, ...]] | None:
    """:func:`value_problem`, with the containers (outermost first) that hold the problem.

    Walks without recursion: a hostile value is as deep as the parser let it
    be. The containers let a caller that knows where each object started in
    its file (``located_json``) name the line.
    """
    stack: list[tuple[Any, list[str | int], tuple[Any, ...]]] = [(value, [], ())]
    while stack:
        item, path, holders = stack.pop()
        children: list[tuple[Any, list[str | int], tuple[Any, ...]]] = []
        if len(path) > max_depth:
            return f"{name or 'the value'} is nested more than {max_depth} levels deep", holders
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return f"{_where(name, path)} {problem}", holders
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{_where(name, path)} is {item}, which is not JSON", holders
        elif isinstance(item, dict):
            inside = (*holders, item)
            for key, child in item.items():
                problem = text_problem(key)
                if problem:
                    return f"a key of {_where(name, path)} {problem}", inside
                children.append((child, [*path, key], inside))
        elif isinstance(item, list):
            inside = (*holders, item)
            children.extend((child, [*path, i], inside) for i, child in enumerate(item))
        stack.extend(reversed(children))  # the first problem in reading order comes out first
    return None
