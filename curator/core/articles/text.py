"""The one canonical form of an article's text, and its identity.

Every offset in the app indexes this canonical text, so two machines that
import the same file must produce exactly the same string: decode strictly as
UTF-8 (a BOM is dropped, nothing is guessed), turn CRLF and CR into LF, and
NFC-normalise. The document's id is the SHA-256 of that string's UTF-8 bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

from curator.core.errors import InputError


def canonical_text(text: str) -> str:
    """Return *text* with LF line ends and NFC normalisation."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_uid(text: str) -> str:
    """Return the document id: SHA-256 hex of the canonical text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_article(data: bytes, path: Path | str) -> str:
    """Decode the bytes of an article file into canonical text.

    Raises InputError naming the file (and the line of the first bad byte)
    for binary, undecodable or empty input, so nothing half-read is stored.
    """
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file (it contains NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        raise InputError(
            path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        ) from None
    text = canonical_text(raw)
    if not text.strip():
        raise InputError(path, "is empty")
    return text


def title_from_text(text: str, fallback: str, limit: int = 120) -> str:
    """Use the first non-empty line as the title.

    Articles pasted from the web often start with a whole paragraph; then the
    first sentence, or the first *limit* characters cut at a word, stands in.
    """
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if len(line) <= limit:
            return line
        sentence_end = line.find(". ", 20, limit)
        if sentence_end != -1:
            return line[: sentence_end + 1]
        return line[:limit].rsplit(" ", 1)[0] + "…"
    return fallback


_TYPOGRAPHY = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
        "\u00ad": "",  # soft hyphen: only a hint where a line may break
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)


def plain_typography(text: str) -> str:
    """Spell out ligatures and make no-break spaces plain, for text extracted from a layout.

    A PDF or web page stores "ﬁnal" with the ligature glyph and "10 mg" with
    a no-break space; curators search for and tag "final" and "10 mg". This
    is applied to extracted articles only, before :func:`canonical_text`: a
    ``.txt`` article keeps its characters, so its document id never changes.
    """
    return text.translate(_TYPOGRAPHY)
