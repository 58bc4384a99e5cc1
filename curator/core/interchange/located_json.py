"""JSON parsed with the line of every object, so other tools' files get ``FILE:LINE`` errors.

Label Studio, doccano and BioC JSON files are pretty-printed: one task or
document spans many lines, and a bad span must be named by the line its
object starts on, not by the file alone. The standard decoder gives no
positions, so objects are built by its pure-Python scanner with a hook that
records where each ``{`` was.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from pathlib import Path
from typing import Any

from curator.core.errors import InputError
from curator.core.safe_text import locate_problem


class LocatedDict(dict[str, Any]):
    """A JSON object that knows the line it starts on."""

    line: int = 1


def line_of(obj: object, default: int = 1) -> int:
    return obj.line if isinstance(obj, LocatedDict) else default


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (only finite numbers are)")


class _Decoder(json.JSONDecoder):
    def __init__(self, text: str) -> None:
        super().__init__(parse_constant=_refuse_constant)
        self._starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.parse_object = self._object
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def _object(self, s_and_end: tuple[str, int], *args: Any) -> tuple[LocatedDict, int]:
        pairs, end = json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        located = LocatedDict(pairs)
        located.line = bisect.bisect_right(self._starts, s_and_end[1] - 1)
        return located, end


def loads(path: Path, text: str, first_line: int = 1) -> Any:
    """Parse *text*; a syntax error names the file and line, as every input error does."""
    try:
        value = _Decoder(text).decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"is not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno + first_line - 1
        ) from None
    except RecursionError:
        raise InputError(path, "nests JSON too deeply to read") from None
    except ValueError as exc:  # integers beyond the conversion limit
        raise InputError(path, f"is not valid JSON: {exc}") from None
    if first_line != 1:
        _shift(value, first_line - 1)
    _check(path, value, first_line)
    return value


def _check(path: Path, value: Any, default_line: int) -> None:
    """Refuse what no export could write back (see ``safe_text``), at its object's line."""
    found = locate_problem(value)
    if found:
        problem, holders = found
        line = next((h.line for h in reversed(holders) if isinstance(h, LocatedDict)), None)
        raise InputError(path, problem, line or default_line)


def _shift(value: Any, by: int) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, LocatedDict):
            item.line += by
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def values(path: Path, text: str) -> list[Any]:
    """Every JSON value in *text*, one after another: JSON lines, or pretty-printed objects."""
    decoder = _Decoder(text)
    found: list[Any] = []
    index = 0
    while True:
        while index < len(text) and text[index] in " \t\r\n\ufeff":
            index += 1
        if index >= len(text):
            return found
        try:
            value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise InputError(
                path, f"is not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno
            ) from None
        except RecursionError:
            raise InputError(path, "nests JSON too deeply to read") from None
        except ValueError as exc:
            raise InputError(path, f"is not valid JSON: {exc}") from None
        _check(path, value, 1)
        found.append(value)
