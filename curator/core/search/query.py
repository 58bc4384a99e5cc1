"""A search as typed: plain words, "quoted phrases" and field filters; and hits.

``label:therapy curator:ann concept:HGNC:11913 note:"check dose" bcma``:
filters choose spans (each filter must hold; words must be in the span's
quote); a query of only words and phrases searches the documents' text,
every word and phrase present, in any order.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass, field

from curator.core.errors import CuratorError

FIELDS = ("label", "curator", "concept", "note")
MAX_QUERY = 500


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[str, ...]  # words and phrases, as typed (a trailing * is a prefix)
    filters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: a document, where in it (when known), and the text around it."""

    document_uid: str
    title: str
    context: str  # plain text around the hit, "…" where cut
    marks: tuple[tuple[int, int], ...]  # the matched parts of *context*
    start: int | None = None  # the hit in the document (code points), when known
    end: int | None = None
    span_uid: str | None = None
    label: str | None = None
    curator: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "document": self.document_uid,
            "title": self.title,
            "context": self.context,
            "start": self.start,
            "end": self.end,
            "span": self.span_uid,
            "label": self.label,
            "curator": self.curator,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    kind: str  # "text" or "spans"
    hits: list[Hit]
    total: int  # matches in all, of which *hits* are the first


def parse(query: str) -> Query:
    """Split a search box's text; an empty one, or only filters' names, is an error."""
    query = query.strip()
    if not query:
        raise CuratorError("type something to search for")
    if len(query) > MAX_QUERY:
        raise CuratorError(f"a search has at most {MAX_QUERY} characters")
    try:
        parts = shlex.split(query)
    except ValueError:  # an unclosed quote: the words as they are
        parts = query.replace('"', " ").split()
    terms: list[str] = []
    filters: dict[str, str] = {}
    for part in parts:
        name, colon, value = part.partition(":")
        if colon and name.lower() in FIELDS:
            if not value:
                raise CuratorError(f"{name}: needs a value, e.g. {name}:therapy")
            filters[name.lower()] = value
        elif part.strip():
            terms.append(part.strip())
    if not terms and not filters:
        raise CuratorError("type something to search for")
    return Query(tuple(terms), filters)


def _fold(ch: str) -> str:
    """One character for one: lower case, accents off (so offsets stay the text's)."""
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    return "".join(_fold(ch) for ch in text)


def locate(text: str, terms: tuple[str, ...]) -> tuple[int, int] | None:
    """The first place in *text* where one of *terms* occurs (case and accents ignored)."""
    folded = fold(text)
    best: tuple[int, int] | None = None
    for term in terms:
        needle = fold(term.rstrip("*"))
        if not needle:
            continue
        at = folded.find(needle)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, at + len(needle))
    return best


Marks = tuple[tuple[int, int], ...]


def marked(snippet: str, open_mark: str, close_mark: str) -> tuple[str, Marks]:
    """A snippet with marker characters, as plain text and the marked ranges in it."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    inside = False
    for piece in re.split(f"([{re.escape(open_mark + close_mark)}])", snippet):
        if piece == open_mark:
            inside = True
        elif piece == close_mark:
            inside = False
        elif piece:
            if inside:
                marks.append((length, length + len(piece)))
            out.append(piece)
            length += len(piece)
    return "".join(out), tuple(marks)
