"""Code-point <-> UTF-16 conversion against a brute-force reference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from curator.gui.offsets import Utf16Index

# Latin, Greek, a mathematical alpha and an emoji (both astral), space, newline.
TEXTS = st.text(alphabet=st.sampled_from("ab κ𝛼\n😀"), max_size=60)


def reference(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@given(TEXTS)
def test_to_utf16_matches_the_encoded_length(text: str) -> None:
    index = Utf16Index(text)
    for cp in range(len(text) + 1):
        assert index.to_utf16(cp) == reference(text, cp)
    assert index.utf16_length == reference(text, len(text))


@given(TEXTS)
def test_round_trip_and_surrogate_halves_round_down(text: str) -> None:
    index = Utf16Index(text)
    for cp in range(len(text) + 1):
        u16 = index.to_utf16(cp)
        assert index.to_codepoint(u16) == cp
        if cp < len(text) and ord(text[cp]) > 0xFFFF:
            assert index.to_codepoint(u16 + 1) == cp  # inside the pair


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF), max_size=40))
def test_bmp_text_is_identity(text: str) -> None:
    index = Utf16Index(text)
    assert index.is_identity
    assert index.utf16_length == len(text)
    assert [index.to_codepoint(index.to_utf16(i)) for i in range(len(text) + 1)] == list(
        range(len(text) + 1)
    )


def test_counts_match_qt_positions() -> None:
    text = "TNF-𝛼 and 😀😀 κ\nend"
    index = Utf16Index(text)
    assert index.utf16_length == len(text.encode("utf-16-le")) // 2
    assert index.to_utf16(text.index("and")) == text.index("and") + 1
    assert index.to_utf16(text.index("end")) == text.index("end") + 3
    assert index.to_codepoint(index.to_utf16(text.index("κ"))) == text.index("κ")


def test_one_megabyte_text() -> None:
    """A large article with astral characters spread through it stays exact at the end."""
    chunk = "Patients on ruxolitinib (JAK2 inhibitor) showed a κ-light-chain response. " * 10
    text = (chunk + "𝛼\n") * (1_000_000 // len(chunk))
    index = Utf16Index(text)
    probe = len(text) - 5
    assert index.to_utf16(probe) == reference(text, probe)
    assert index.to_codepoint(index.to_utf16(probe)) == probe
    assert index.utf16_length == len(text) + text.count("𝛼")
