"""Word snapping, edge steps and occurrences (curator.core.spans.boundaries)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from curator.core.spans.boundaries import close_brackets, is_word_char, occurrences, snap, step

PROPERTY = settings(
    max_examples=500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def snapped(text: str, start: int, end: int, *, words: bool = True) -> str:
    s, e = snap(text, start, end, words=words)
    return text[s:e]


def at(text: str, part: str, occurrence: int = 0) -> int:
    """Offset of *part* in *text* (the n-th occurrence)."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(part, pos + 1)
    return pos


# --- snap: whole words ---------------------------------------------------------


def test_partial_word_grows_to_whole_word() -> None:
    text = "treated with ruxolitinib daily"
    i = at(text, "ruxolitinib")
    assert snap(text, i + 3, i + 6) == (i, i + len("ruxolitinib"))


def test_selection_starting_mid_word_and_ending_mid_word_covers_both_words() -> None:
    text = "cell therapy was given"
    assert snapped(text, 2, 8) == "cell therapy"


def test_spaces_and_punctuation_around_are_trimmed() -> None:
    text = "treated with ruxolitinib, then"
    i = at(text, " ruxolitinib, ")
    assert snapped(text, i, i + len(" ruxolitinib, ")) == "ruxolitinib"
    assert snap(text, i, i + len(" ruxolitinib, ")) == (i + 1, i + 1 + len("ruxolitinib"))


def test_leading_quote_and_trailing_period_are_trimmed() -> None:
    text = 'said "eltrombopag." Later'
    i = at(text, '"')
    assert snapped(text, i, i + len('"eltrombopag."')) == "eltrombopag"


def test_superscript_plus_is_kept_when_selected_but_not_added() -> None:
    text = "destroy CD34⁺ cells"
    i = at(text, "CD34")
    assert snapped(text, i, i + 4) == "CD34"  # the marker CD34 is the target
    assert snapped(text, i + 1, i + 3) == "CD34"
    assert snapped(text, i, i + 6) == "CD34⁺"  # selected on purpose; the space is trimmed


def test_whole_word_search_finds_the_marker_before_a_superscript_sign() -> None:
    assert occurrences("CD34⁺ cells and CD340", "CD34") == [(0, 4)]


def test_percent_is_kept() -> None:
    text = "ORR was 81.8% at week 24"
    i = at(text, "81.8%")
    assert snapped(text, i, i + 5) == "81.8%"
    assert snapped(text, i - 1, i + 6) == "81.8%"


def test_nf_kappa_b_selected_whole_is_one_span() -> None:
    text = "via NF-κB signaling"
    i = at(text, "NF-κB")
    assert snapped(text, i, i + 5) == "NF-κB"
    assert snapped(text, i - 1, i + 6) == "NF-κB"


@pytest.mark.parametrize(
    ("text", "selected", "expected"),
    [
        ("via NF-κB signaling", "κ", "κB"),  # one side of the hyphen: that word
        ("via NF-κB signaling", "F-κ", "NF-κB"),  # across it: the whole term
        ("rich in IL-6 and", "L-6", "IL-6"),
        ("rich in TNF-𝛼 and", "NF-𝛼", "TNF-𝛼"),
        ("the BCMA-directed drugs", "BCM", "BCMA"),  # not "BCMA-directed"
        ("cell therapy (CAR-T) was", "AR-T", "CAR-T"),
    ],
)
def test_snapping_grows_words_and_crosses_a_hyphen_only_when_the_selection_does(
    text: str, selected: str, expected: str
) -> None:
    i = text.index(selected)
    assert snapped(text, i, i + len(selected)) == expected


def test_parenthesised_term_selected_with_brackets() -> None:
    text = "cell therapy (CAR-T) was"
    i = at(text, "(CAR-T)")
    # Brackets around the whole term are punctuation, not part of it.
    assert snapped(text, i, i + len("(CAR-T)")) == "CAR-T"
    # A bracket on one side only is dropped.
    assert snapped(text, i + 1, i + len("(CAR-T)")) == "CAR-T"
    assert snapped(text, i, i + len("(CAR-T")) == "CAR-T"
    # Spaces and brackets around the term are trimmed together.
    assert snapped(text, i - 1, i + len("(CAR-T) ")) == "CAR-T"


def test_balanced_brackets_inside_a_term_are_kept() -> None:
    text = "the t(9;22) translocation"
    i = at(text, "t(9;22)")
    assert snapped(text, i, i + len("t(9;22)")) == "t(9;22)"
    assert snapped(text, i, i + len("t(9;22) ")) == "t(9;22)"


def test_selection_of_only_spaces_and_punctuation_is_empty() -> None:
    text = "word , ; word"
    s, e = snap(text, 4, 9)
    assert s == e


def test_reversed_and_out_of_range_selection_is_normalised() -> None:
    text = "alpha beta"
    assert snap(text, 8, 6) == snap(text, 6, 8) == (6, 10)
    assert snap(text, -5, 100) == (0, 10)


@pytest.mark.parametrize(("start", "end"), [(5, 6), (6, 5), (-3, -1), (3, 9)])
def test_selection_beyond_the_text_is_clamped_into_it(start: int, end: int) -> None:
    # BUG: snap() clamps start only from below and end only from above, so a
    # range wholly past either end of the text comes back reversed and
    # outside it: snap("abc", 5, 6) == (5, 3), snap("abc", -3, -1) == (0, -1).
    s, e = snap("abc", start, end)
    assert 0 <= s <= e <= 3


def test_astral_character_is_a_word_character() -> None:
    text = "levels of 𝛼 rose"
    i = at(text, "𝛼")
    assert is_word_char("𝛼")
    assert snap(text, i, i + 1) == (i, i + 1)  # one code point
    assert snap(text, i - 1, i + 2) == (i, i + 1)  # the spaces trimmed


def test_combining_mark_is_part_of_the_word() -> None:
    text = "a cafe\u0301 b"  # NFD text is never stored, but marks must not split words
    assert snapped(text, 2, 4) == "cafe\u0301"


# --- snap: character precision ---------------------------------------------------


def test_char_precision_only_trims() -> None:
    text = "treated with ruxolitinib, then"
    i = at(text, "ruxolitinib")
    assert snap(text, i + 3, i + 6, words=False) == (i + 3, i + 6)
    assert snapped(text, i - 1, i + 6, words=False) == "ruxoli"
    assert snapped(text, i + 3, i + len("ruxolitinib, "), words=False) == "olitinib"


# --- step ---------------------------------------------------------------------


def test_step_by_char() -> None:
    text = "ab cd"
    assert step(text, 2, +1, words=False) == 3
    assert step(text, 2, -1, words=False) == 1
    assert step(text, 0, -1, words=False) == 0
    assert step(text, 5, +1, words=False) == 5


def test_step_by_word_forward() -> None:
    text = "alpha beta, gamma"
    assert step(text, 0, +1) == 5  # end of "alpha"
    assert step(text, 2, +1) == 5  # from inside a word: its end
    assert step(text, 5, +1) == 10  # over the space, to the end of "beta"
    assert step(text, 10, +1) == 17  # over ", ", to the end of "gamma"
    assert step(text, 17, +1) == 17  # the end stays the end


def test_step_by_word_backward() -> None:
    text = "alpha beta, gamma"
    assert step(text, 17, -1) == 12  # start of "gamma"
    assert step(text, 12, -1) == 6  # over ", ", to the start of "beta"
    assert step(text, 8, -1) == 6  # from inside a word: its start
    assert step(text, 6, -1) == 0
    assert step(text, 0, -1) == 0


# --- occurrences -----------------------------------------------------------------


def test_occurrences_whole_word_only() -> None:
    text = "CD7 and CD70 and CD7, then xCD7"
    assert occurrences(text, "CD7") == [(0, 3), (17, 20)]


def test_occurrences_case_insensitive_by_default() -> None:
    text = "Ruxolitinib or ruxolitinib or RUXOLITINIB"
    assert occurrences(text, "ruxolitinib") == [(0, 11), (15, 26), (30, 41)]
    assert occurrences(text, "ruxolitinib", case_sensitive=True) == [(15, 26)]


def test_occurrences_inside_words_when_asked() -> None:
    text = "CD7 and CD70"
    assert occurrences(text, "CD7", whole_word=False) == [(0, 3), (8, 11)]


def test_occurrences_needle_is_literal_not_a_regex() -> None:
    text = "t(9;22) and t(9;22)"
    assert occurrences(text, "t(9;22)") == [(0, 7), (12, 19)]
    assert occurrences("a.c abc", "a.c") == [(0, 3)]


def test_occurrences_of_empty_needle_is_empty() -> None:
    assert occurrences("anything", "") == []


def test_occurrences_offsets_slice_back_to_the_match_with_astral_text() -> None:
    text = "𝛼 BCMA, 𝛼𝛼 bcma."
    found = occurrences(text, "BCMA")
    assert [text[s:e].upper() for s, e in found] == ["BCMA", "BCMA"]
    assert found[0] == (2, 6)


# --- properties ----------------------------------------------------------------

_CHARS = st.sampled_from([*"ab1 \n,.;-()[]%⁺/'\"", "𝛼", "é", "\u0301", "\u00a0", "\t"])
_TEXT = st.lists(_CHARS, min_size=0, max_size=30).map("".join)


@st.composite
def text_and_range(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(_TEXT)
    a = draw(st.integers(min_value=-2, max_value=len(text) + 2))
    b = draw(st.integers(min_value=-2, max_value=len(text) + 2))
    return text, a, b


@PROPERTY
@given(text_and_range(), st.booleans())
@example(("( ab", 0, 4), True)
@example(("((ab", 0, 4), True)
def test_snap_result_is_within_text_and_ordered(case: tuple[str, int, int], words: bool) -> None:
    text, a, b = case
    s, e = snap(text, a, b, words=words)
    assert 0 <= s <= e <= len(text)


@PROPERTY
@given(text_and_range(), st.booleans())
@example(("( ab", 0, 4), True)
def test_snap_never_starts_or_ends_with_whitespace(case: tuple[str, int, int], words: bool) -> None:
    # BUG (found by this property): trim() drops one unpaired "(" with a
    # single `if` after its skip loop, so "( ab" snaps to " ab".
    text, a, b = case
    s, e = snap(text, a, b, words=words)
    if s < e:
        assert not text[s].isspace(), (text, s, e)
        assert not text[e - 1].isspace(), (text, s, e)


@PROPERTY
@given(text_and_range(), st.booleans())
@example(("((ab", 0, 4), True)
def test_snap_is_idempotent(case: tuple[str, int, int], words: bool) -> None:
    # BUG (found by this property): "((ab" snaps to "(ab", which snaps to "ab".
    text, a, b = case
    s, e = snap(text, a, b, words=words)
    assert snap(text, s, e, words=words) == (s, e), (text, a, b)


@PROPERTY
@given(text_and_range())
def test_word_snap_covers_every_selected_word_character(case: tuple[str, int, int]) -> None:
    text, a, b = case
    lo, hi = max(0, min(a, b)), min(len(text), max(a, b))
    s, e = snap(text, a, b)
    for i in range(lo, hi):
        if is_word_char(text[i]):
            assert s <= i < e, (text, a, b, s, e)


@PROPERTY
@given(_TEXT, st.integers(min_value=0, max_value=40), st.sampled_from([-1, 1]), st.booleans())
def test_step_moves_in_its_direction_within_the_text(
    text: str, pos: int, direction: int, words: bool
) -> None:
    pos = min(pos, len(text))
    new = step(text, pos, direction, words=words)
    assert 0 <= new <= len(text)
    if direction > 0:
        assert new >= pos
        assert new > pos or pos == len(text)
    else:
        assert new <= pos


@PROPERTY
@given(_TEXT, st.sampled_from(["a", "ab", "1", "𝛼", "b1"]), st.booleans())
def test_occurrences_match_the_needle(text: str, needle: str, case_sensitive: bool) -> None:
    for s, e in occurrences(text, needle, case_sensitive=case_sensitive):
        found = text[s:e]
        assert found == needle if case_sensitive else found.casefold() == needle.casefold()
        assert s == 0 or not (is_word_char(text[s - 1]) and is_word_char(text[s]))
        assert e == len(text) or not (is_word_char(text[e]) and is_word_char(text[e - 1]))


# --- brackets stay paired ------------------------------------------------------

_SAA = "Severe aplastic anemia (SAA) is an immune-mediated marrow failure."


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ("Severe aplastic anemia (SAA", "Severe aplastic anemia (SAA)"),
        ("Severe aplastic anemia (SA", "Severe aplastic anemia (SAA)"),
        ("SAA) is", "(SAA) is"),
        ("Severe aplastic anemia (", "Severe aplastic anemia"),  # an edge: dropped
        ("Severe aplastic anemia", "Severe aplastic anemia"),
    ],
)
def test_word_snap_closes_a_bracket_opened_in_the_selection(selected: str, expected: str) -> None:
    i = _SAA.index(selected)
    assert snapped(_SAA, i, i + len(selected)) == expected


def test_a_bracket_without_a_partner_in_its_paragraph_is_left_alone() -> None:
    text = "anemia (SAA\nis) rare"
    assert snapped(text, 0, len("anemia (SAA")) == "anemia (SAA"


def test_stepping_the_end_over_an_abbreviation_takes_its_closing_bracket() -> None:
    i = _SAA.index("anemia") + len("anemia")
    s, e = snap(_SAA, 0, step(_SAA, i, 1), words=False)
    assert _SAA[s:e] == "Severe aplastic anemia (SAA)"
    s, e = snap(_SAA, 0, step(_SAA, e, 1), words=False)
    assert _SAA[s:e] == "Severe aplastic anemia (SAA) is"


@PROPERTY
@given(text_and_range(), st.booleans())
def test_snap_leaves_no_bracket_unpaired_that_has_a_partner_nearby(
    case: tuple[str, int, int], words: bool
) -> None:
    text, a, b = case
    s, e = snap(text, a, b, words=words)
    assert close_brackets(text, s, e) == (s, e), (text, a, b, s, e)
