"""JSON parsed with the line of every object, so other tools' files get ``FILE:LINE`` errors.

Label Studio, doccano and BioC JSON files are pretty-printed: one task or
document spans many lines, and a bad span must be named by the line its
object starts on, not by the file alone. The standard decoder gives no
positions, so objects are built by its pure-Python scanner with a hook that
records where each ``{`` was.

That scanner reads about a tenth as fast as the C one, which matters for the
files our own exports write (200,000 spans of Label Studio tasks took a
minute). Those put each task or document on a line of its own, so an array
is read element by element by the C decoder, and an element that sits on one
line has every object in it on that line: the objects are made by the C
decoder too, and stamped with that line by the walk that checks their depth.
An element that spans lines, or whose text could hold what the safety
check refuses (a ``\\u`` escape of a NUL or surrogate, a number too large
to be finite, nesting deeper than the limit), sends the whole value to the
exact, slow path, so lines and refusals are the same either way.
"""

from __future__ import annotations

import bisect
import itertools
import json
import json.decoder
import json.scanner
import re
from pathlib import Path
from typing import Any

from curator.core.errors import InputError
from curator.core.safe_text import MAX_JSON_DEPTH, locate_problem


class LocatedDict(dict[str, Any]):
    """A JSON object that knows the line it starts on.

    Slotted: a file of 200,000 regions makes 400,000 of them, and an
    attribute dictionary for each was a tenth of reading the file. Both
    readers below set the line as they make one.
    """

    __slots__ = ("line",)
    line: int


def line_of(obj: object, default: int = 1) -> int:
    return obj.line if isinstance(obj, LocatedDict) else default


_INFINITE = (float("inf"), float("-inf"))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (only finite numbers are)")


class _Decoder(json.JSONDecoder):
    def __init__(self, text: str) -> None:
        super().__init__(parse_constant=_refuse_constant)
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]
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


# What could make the safety check refuse an element: escapes of a NUL or a surrogate.
# (Numbers that overflow a float are caught as they are decoded: _FastReader._float.)
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_SPACE = re.compile(r"[ \t\r\n]*")


_CONTAINERS = (LocatedDict, list)  # what the fast reader's decoder makes
_from_iterable = itertools.chain.from_iterable


def _stamp_shallow(value: Any, line: int) -> bool:
    """Stamp every object in *value* with *line*; whether nothing in it is too deep.

    *value* is an element of the file's top array, on one line, as the C
    decoder built it (objects made by ``LocatedDict`` itself, no Python call
    each). The exact check refuses an item (a container or not) whose path
    from the top array is longer than MAX_JSON_DEPTH; the element's own path
    is one long, so a container at its MAX_JSON_DEPTH-th level must be empty.
    (A value that is the whole file may nest one level more: this stricter
    rule only sends it to the exact path.) Walked one level of containers at
    a time (a comprehension per level, not a stack entry per container): no
    pass over the strings is needed.
    """
    level = [value] if type(value) in _CONTAINERS else []
    for _depth in range(MAX_JSON_DEPTH - 1):
        objects = [item for item in level if type(item) is LocatedDict]
        for obj in objects:
            obj.line = line
        children = _from_iterable(map(dict.values, objects))
        if len(objects) != len(level):
            lists = [item for item in level if type(item) is list]
            children = itertools.chain(children, _from_iterable(lists))
        level = [child for child in children if type(child) in _CONTAINERS]
        if not level:
            return True
    for item in level:
        if type(item) is LocatedDict:
            item.line = line
    return not any(level)  # the deepest allowed containers hold nothing


class _FastReader:
    """The C decoder over *text*, element by element, each object stamped with its line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._pos, self._line = 0, 1  # the last position counted, and its line
        self._decoder = json.JSONDecoder(
            parse_constant=_refuse_constant, object_pairs_hook=LocatedDict, parse_float=self._float
        )
        self._overflowed = False

    def _float(self, spelled: str) -> float:
        """A number with a fraction or exponent; one too large to be finite is noted.

        Called only for such numbers (few in a task file): a pattern over
        every element's text, looking for them, cost a tenth of an import.
        """
        value = float(spelled)
        if value in _INFINITE:
            self._overflowed = True
        return value

    def _line_at(self, pos: int) -> int:
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line

    def element(self, start: int) -> tuple[Any, int] | None:
        """The value at *start*, if it is on one line and nothing in it needs the exact path."""
        line = self._line_at(start)
        self._overflowed = False
        text = self.text
        value, end = self._decoder.raw_decode(text, start)
        if self._overflowed or text.count("\n", start, end):
            return None
        if text.find("\\u", start, end) >= 0 and _RISKY_ESCAPE.search(text, start, end):
            return None
        if not _stamp_shallow(value, line):
            return None
        return value, end

    def value(self, start: int) -> tuple[Any, int] | None:
        """An array read element by element, or one element; None: read it the exact way."""
        text = self.text
        if text[start] != "[":
            return self.element(start)
        items: list[Any] = []
        index = _SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
        if text.startswith("]", index):
            return items, index + 1
        while True:
            found = self.element(index)
            if found is None:
                return None
            item, index = found
            items.append(item)
            index = _SPACE.match(text, index).end()  # type: ignore[union-attr]
            if text.startswith(",", index):
                index = _SPACE.match(text, index + 1).end()  # type: ignore[union-attr]
            elif text.startswith("]", index):
                return items, index + 1
            else:
                return None  # not JSON: the exact path says where


def _fast(reader: _FastReader, index: int) -> tuple[Any, int] | None:
    try:
        return reader.value(index)
    except (ValueError, RecursionError, IndexError):  # bad JSON: the exact path names it
        return None


def values(path: Path, text: str) -> list[Any]:
    """Every JSON value in *text*, one after another: JSON lines, or pretty-printed objects."""
    decoder: _Decoder | None = None
    reader = _FastReader(text)
    found: list[Any] = []
    index = 0
    while True:
        while index < len(text) and text[index] in " \t\r\n\ufeff":
            index += 1
        if index >= len(text):
            return found
        fast = _fast(reader, index)
        if fast is not None:
            found.append(fast[0])
            index = fast[1]
            continue
        decoder = decoder or _Decoder(text)
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
