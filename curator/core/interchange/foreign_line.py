"""Spans of other tools' lines: minimal span JSONL and doccano, checked and made canonical.

Other tools may write CRLF or NFD text; their offsets index that raw text,
so they are mapped onto the canonical text, and a span whose edge falls
inside a sequence that canonicalisation merges (a CR LF pair, a letter and
its combining accent) is refused, never moved.
"""

from __future__ import annotations

import itertools
from typing import Any

from curator.core.articles.text import canonical_text, text_uid, title_from_text
from curator.core.interchange.incoming import (
    IncomingDocument,
    IncomingSpan,
    check_offsets,
    checked_label,
    label_problem,
    parse_concepts,
    typed,
    whole,
)
from curator.core.interchange.line_error import LineError
from curator.core.storage.fragments import FragmentError, extent, normalise
from curator.core.storage.fragments import quote as join_quote


def minimal_span(raw: Any, i: int) -> IncomingSpan:
    if type(raw) is dict and len(raw) <= 4:  # {start, end, label[, text]} only, checked fast
        get = raw.get  # four plain calls: a generator here cost a tenth of a minimal import
        start, end, label, quote = get("start"), get("end"), get("label"), get("text")
        if (
            len(raw) == (3 if quote is None else 4)
            and type(start) is int
            and type(end) is int
            and type(label) is str
            and (quote is None or type(quote) is str)
            and not label_problem(label)
        ):
            return IncomingSpan(
                start, end, label, quote or "", "", None, None, "imported", quoted=quote is not None
            )
    where = f"span {i}"
    if not isinstance(raw, dict):
        raise LineError(f"{where}: expected an object with start, end and label")
    quote = typed(raw, "text", str, where) if "text" in raw else None
    note = typed(raw, "note", str, where) if "note" in raw else ""
    return IncomingSpan(
        start=whole(raw, "start", where),
        end=whole(raw, "end", where),
        label=checked_label(raw, where),
        text=quote if quote is not None else "",
        note=note,
        quoted=quote is not None,
        concepts=parse_concepts(raw.get("concepts"), where),
        fragments=_given_pieces(raw, where),
    )


def _given_pieces(raw: dict[str, Any], where: str) -> tuple[tuple[int, int], ...] | None:
    """The ``fragments`` of a span of another tool, as given (checked against the text later)."""
    if "fragments" not in raw:
        return None
    given = raw["fragments"]
    if not (
        isinstance(given, list)
        and len(given) >= 2
        and all(
            isinstance(p, list | tuple) and len(p) == 2 and all(type(v) is int for v in p)
            for p in given
        )
    ):
        raise LineError(f"{where}: fragments must be two or more [start, end] pairs")
    return tuple((p[0], p[1]) for p in given)


def _checked_pieces(
    text: str, span: IncomingSpan, where: str
) -> tuple[tuple[int, int], ...] | None:
    """A foreign span's pieces, ordered and apart, spanning start-end and saying its quote."""
    assert span.fragments is not None
    try:
        pieces = normalise(span.fragments, len(text))
    except FragmentError as exc:
        raise LineError(f"{where}: {exc}") from None
    if pieces is not None and extent(pieces) != (span.start, span.end):
        raise LineError(f"{where}: start and end must be the first and last fragment's edges")
    joined = join_quote(text, pieces, span.start, span.end)
    if span.quoted and joined != span.text:
        raise LineError(f"{where}: the fragments' text is {joined!r}, not {span.text!r}")
    return pieces


def doccano_span(raw: Any, i: int) -> IncomingSpan:
    where = f"label {i}"
    ok = isinstance(raw, list) and len(raw) == 3
    if not ok or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw[:2]):
        raise LineError(f'{where}: expected [start, end, "label"], found {raw!r}')
    if not isinstance(raw[2], str) or not raw[2].strip():
        raise LineError(f"{where}: the label must be a non-empty string")
    problem = label_problem(raw[2])
    if problem:
        raise LineError(f"{where}: {problem}")
    return IncomingSpan(start=raw[0], end=raw[1], label=raw[2], text="", quoted=False)


def foreign_document(
    obj: dict[str, Any], raw_text: str, spans: list[IncomingSpan]
) -> IncomingDocument:
    """Check spans against the raw text, then map them onto the canonical text."""
    pieces: list[tuple[tuple[int, int], ...] | None] = []
    size = len(raw_text)
    for i, span in enumerate(spans, 1):
        start, end, found = span.start, span.end, None
        if span.fragments is not None:
            check_offsets(raw_text, start, end, None, f"span {i}")
            found = _checked_pieces(raw_text, span, f"span {i}")
        elif not 0 <= start < end <= size or (
            span.quoted
            and not (len(span.text) == end - start and raw_text.startswith(span.text, start))
        ):  # the quote compared in place, without a copy of the text at the offsets
            check_offsets(raw_text, start, end, span.text if span.quoted else None, f"span {i}")
        pieces.append(found)
    text = canonical_text(raw_text)
    if not text.strip():
        raise LineError("'text' is empty")
    if text != raw_text and spans:
        edges = [p for s in spans for p in (s.start, s.end)]
        edges += [p for found in pieces if found for piece in found for p in piece]
        mapping = map_offsets(raw_text, text, edges)
        if mapping is None:
            raise LineError(
                "the text changes when its line ends and Unicode form are made canonical "
                "(CRLF to LF, NFC), and a span edge falls inside a changed sequence; "
                "fix the offsets or write the text in NFC with LF line ends"
            )
    else:
        mapping = None
    mapped = []
    for span, found in zip(spans, pieces, strict=True):
        if mapping is None and found is None:  # the common case: the span stays where it is
            # Its quote from the text, in place: the spans of parse_line are its own, and
            # every other field is already what a new IncomingSpan would hold. (A quote
            # the line gave is that text already: checked above, and the text is canonical.)
            if not span.quoted:
                span.text = text[span.start : span.end]
                span.quoted = True
            mapped.append(span)
            continue
        start = mapping[span.start] if mapping else span.start
        end = mapping[span.end] if mapping else span.end
        moved = tuple((mapping[a], mapping[b]) for a, b in found) if found and mapping else found
        quote = join_quote(text, moved, start, end)
        mapped.append(
            IncomingSpan(
                start,
                end,
                span.label,
                quote,
                note=span.note,
                concepts=span.concepts,
                fragments=moved,
            )
        )
    title = obj.get("title")
    return IncomingDocument(
        own=False,
        uid=text_uid(text),
        title=title if isinstance(title, str) and title.strip() else title_from_text(text, ""),
        text=text,
        meta=obj["meta"] if isinstance(obj.get("meta"), dict) else {},
        spans=mapped,
    )


def map_offsets(raw: str, canonical: str, points: list[int]) -> dict[int, int] | None:
    """Map offsets in *raw* to offsets in its canonical form, or None if one can't be.

    Cutting the raw text at every offset and canonicalising the pieces one by
    one must give the canonical text; then each cut is a boundary that
    canonicalisation keeps, and its new offset is the length of the pieces
    before it. One pass over the text, whatever the number of spans.
    """
    cuts = sorted({0, len(raw), *points})
    pieces = [canonical_text(raw[a:b]) for a, b in itertools.pairwise(cuts)]
    if "".join(pieces) != canonical:
        return None
    mapping = {0: 0}
    total = 0
    for cut, piece in zip(cuts[1:], pieces, strict=True):
        total += len(piece)
        mapping[cut] = total
    return mapping
