"""Canonical text, document identity and titles (curator.core.articles.text)."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from curator.core.articles.text import canonical_text, decode_article, text_uid, title_from_text
from curator.core.errors import InputError

PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# --- canonical_text ------------------------------------------------------------


def test_crlf_and_lone_cr_become_lf() -> None:
    assert canonical_text("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_cr_cr_lf_is_two_line_ends() -> None:
    # "\r\r\n" is a lone CR followed by CRLF: two line ends, never one, never three.
    assert canonical_text("a\r\r\nb") == "a\n\nb"


def test_nfd_becomes_nfc() -> None:
    assert canonical_text("caf" + "e\u0301") == "café"
    assert len(canonical_text("e\u0301")) == 1
    assert canonical_text("e\u0301") == "\u00e9"


def test_astral_characters_are_kept() -> None:
    text = "TNF-𝛼 and 🧬 stay\n"
    assert canonical_text(text) == text
    assert len(canonical_text("𝛼")) == 1  # one code point, not a surrogate pair


def test_bom_character_inside_text_is_not_touched_by_canonical_text() -> None:
    # Only decode_article drops a leading BOM (it is a property of the file).
    assert canonical_text("\ufeffx") == "\ufeffx"


# --- text_uid ------------------------------------------------------------------


def test_uid_is_sha256_of_utf8_canonical_text() -> None:
    text = canonical_text("Ruxolitinib 𝛼\r\nline two")
    expected = hashlib.sha256("Ruxolitinib 𝛼\nline two".encode()).hexdigest()
    assert text_uid(text) == expected
    assert len(text_uid(text)) == 64
    assert set(text_uid(text)) <= set("0123456789abcdef")


def test_uid_is_stable_known_value() -> None:
    # Pinned: the same article imported on two machines, or two versions of the
    # app, must get the same id.
    assert text_uid("hello\n") == (
        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
    )


def test_uid_differs_for_different_text() -> None:
    assert text_uid("a") != text_uid("b")


# --- decode_article ------------------------------------------------------------


def test_decode_drops_bom_and_canonicalises() -> None:
    data = codecs.BOM_UTF8 + "Title\r\ncafe\u0301\rend".encode()
    assert decode_article(data, "x.txt") == "Title\ncafé\nend"


def test_decode_keeps_astral_characters() -> None:
    assert decode_article("TNF-𝛼\n".encode(), "x.txt") == "TNF-𝛼\n"


def test_decode_binary_is_refused_naming_the_file() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    with pytest.raises(InputError) as info:
        decode_article(png, "/data/figure.txt")
    assert info.value.path == "/data/figure.txt"
    assert str(info.value).startswith("/data/figure.txt")
    assert "binary" in str(info.value)


def test_decode_latin1_names_file_and_line() -> None:
    data = "first line\nsecond line\ncaf\u00e9 au lait\n".encode("latin-1")
    with pytest.raises(InputError) as info:
        decode_article(data, "notes.txt")
    assert info.value.line == 3
    assert info.value.path == "notes.txt"
    assert str(info.value).startswith("notes.txt:3:")
    assert "UTF-8" in str(info.value)


def test_decode_error_line_counts_crlf_line_ends() -> None:
    data = b"one\r\ntwo\r\n\xe9three"
    with pytest.raises(InputError) as info:
        decode_article(data, "f.txt")
    assert info.value.line == 3


def test_decode_error_line_counts_lone_cr_line_ends() -> None:
    # BUG: a lone CR is a line end for the app (canonical_text turns it into
    # LF), but the line of the bad byte is counted with b"\n" only, so a file
    # with classic-Mac line ends always reports line 1.
    data = b"one\rtwo\r\xe9three"
    with pytest.raises(InputError) as info:
        decode_article(data, "f.txt")
    assert info.value.line == 3


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b" \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n"],
    ids=["empty", "spaces", "whitespace-lines", "bom-only", "bom-and-newlines"],
)
def test_decode_empty_or_whitespace_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_article(data, "blank.txt")
    assert str(info.value) == "blank.txt: is empty"


# --- titles --------------------------------------------------------------------


def test_title_is_first_non_empty_line_stripped() -> None:
    assert title_from_text("\n  \n  CD7 CAR-T in T-ALL  \nbody text", "fallback") == (
        "CD7 CAR-T in T-ALL"
    )


def test_title_falls_back_to_file_name() -> None:
    assert title_from_text("\n \n\t\n", "01_car_t") == "01_car_t"
    assert title_from_text("", "name") == "name"


def test_long_first_line_is_cut_at_first_sentence() -> None:
    first = "Ruxolitinib improved spleen response in most patients."
    line = first + " " + "More words follow here without end " * 10
    assert len(line) > 120
    assert title_from_text(line + "\nbody", "f") == first


def test_long_line_without_sentence_is_cut_at_a_word_with_ellipsis() -> None:
    words = [f"word{i}" for i in range(60)]
    line = " ".join(words)
    title = title_from_text(line, "f", limit=120)
    assert title.endswith("…")
    kept = title[:-1]
    assert len(kept) <= 120
    assert line.startswith(kept)
    assert line[len(kept)] == " "  # cut between words, never inside one
    assert kept.split() == words[: len(kept.split())]


def test_sentence_end_too_early_is_not_used() -> None:
    # "Dr. " at the start is not a sentence end worth a title (< 20 chars).
    line = "Dr. Smith and colleagues reported " + "long results " * 12
    title = title_from_text(line, "f")
    assert title != "Dr."
    assert title.startswith("Dr. Smith")
    assert title.endswith("…")


def test_title_of_exactly_limit_characters_is_kept_whole() -> None:
    line = "x" * 120
    assert title_from_text(line, "f") == line


# --- properties ----------------------------------------------------------------

_PIECES = st.sampled_from(
    [*"ab é\r\n\t.", "\r\n", "e\u0301", "\u0301", "𝛼", "🧬", "\ufeff", "\u212b", "Å"]
)
_TEXT = st.lists(_PIECES | st.characters(), max_size=40).map("".join)


@PROPERTY
@given(_TEXT)
@example("\r\r\n\r")
@example("e\u0301\r\u0301")
def test_canonical_text_is_idempotent_and_has_no_cr(text: str) -> None:
    once = canonical_text(text)
    assert "\r" not in once
    assert canonical_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


# Lone surrogates cannot be in a file (nor in UTF-8): exclude them explicitly,
# since exclude_characters alone lets them in.
_LINE = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00"),
    max_size=20,
)


@PROPERTY
@given(st.lists(_LINE, min_size=1, max_size=6))
def test_uid_same_for_crlf_cr_and_lf_variants(lines: list[str]) -> None:
    lf = text_uid(canonical_text("\n".join(lines)))
    assert text_uid(canonical_text("\r\n".join(lines))) == lf
    assert text_uid(canonical_text("\r".join(lines))) == lf


@PROPERTY
@given(st.lists(_LINE, min_size=1, max_size=6))
def test_decode_article_of_crlf_file_equals_lf_file(lines: list[str]) -> None:
    lf = "\n".join(lines)
    assume(canonical_text(lf).strip())
    crlf_bytes = codecs.BOM_UTF8 + "\r\n".join(lines).encode()
    assert decode_article(crlf_bytes, "b.txt") == decode_article(lf.encode(), "a.txt")
