"""Matching suggestions in text: lexicons, patterns, learned strings (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from curator.core.suggest.finding import (
    Lexicon,
    Proposal,
    learned_lexicon,
    lexicon_matches,
    shipped_sources,
    suggest,
)


def quotes(text: str, found: list[Proposal], label: str | None = None) -> list[str]:
    return [text[p.start : p.end] for p in found if label is None or p.label == label]


def lexicon(*terms: str, label: str = "therapy") -> Lexicon:
    lex = Lexicon("test")
    for term in terms:
        lex.add(term, label)
    return lex


def test_lexicon_matches_whole_words_only() -> None:
    text = "ruxolitinib, not ruxolitinibX or preruxolitinib; Ruxolitinib again."
    found = lexicon_matches(text, lexicon("ruxolitinib"))
    assert quotes(text, found) == ["ruxolitinib", "Ruxolitinib"]


def test_capitalised_terms_match_exactly_lower_case_terms_in_any_case() -> None:
    text = "IST and ist and Ist; Eltrombopag and ELTROMBOPAG"
    found = lexicon_matches(text, lexicon("IST", "eltrombopag"))
    assert quotes(text, found) == ["IST", "Eltrombopag", "ELTROMBOPAG"]


def test_longest_term_wins_and_whitespace_may_be_a_line_break() -> None:
    text = "horse antithymocyte\nglobulin, then antithymocyte globulin"
    found = lexicon_matches(text, lexicon("antithymocyte globulin", "horse antithymocyte globulin"))
    assert quotes(text, found) == ["horse antithymocyte\nglobulin", "antithymocyte globulin"]


def test_punctuation_inside_a_term_must_match_its_spacing() -> None:
    text = "R-CHOP, R - CHOP, CAR-T and CAR7 T cells"
    found = lexicon_matches(text, lexicon("R-CHOP", "CAR-T"))
    assert quotes(text, found) == ["R-CHOP", "CAR-T"]


def test_offsets_are_code_points_after_astral_characters() -> None:
    text = "TNF-𝛼 and 𝛼 then BCMA"
    (found,) = lexicon_matches(text, lexicon("BCMA", label="target"))
    assert text[found.start : found.end] == "BCMA"


def test_shipped_sources_cover_the_four_labels() -> None:
    text = (
        "Prof. Helen Marsh: in a trial led by Jing Pan, donor-derived CD7 CAR-T cells and "
        "ruxolitinib acting on the JAK/STAT pathway gave an overall response rate of 81.8%, "
        "and median progression-free survival was 8.8 months. R-CHOP and VRd were compared."
    )
    found = suggest(text, shipped_sources())
    assert quotes(text, found, "expert") == ["Helen Marsh", "Jing Pan"]
    assert quotes(text, found, "therapy") == [
        "donor-derived CD7 CAR-T cells",
        "ruxolitinib",
        "R-CHOP",
        "VRd",
    ]
    assert quotes(text, found, "target") == ["CD7", "JAK/STAT pathway"]
    assert quotes(text, found, "outcome") == [
        "overall response rate of 81.8%",
        "median progression-free survival was 8.8 months",
    ]


def test_cd_antigens_by_pattern_within_the_known_range() -> None:
    text = "CD1a, CD19, CD371 and CD38 but not CD999, CDC or ABCD19."
    found = suggest(text, shipped_sources(), labels=["target"])
    assert quotes(text, found) == ["CD1a", "CD19", "CD371", "CD38"]


def test_outcome_takes_the_value_chain_its_population_and_a_closing_bracket() -> None:
    text = (
        "Complete response at 3 months rose from 10% to 22%. "
        "CAR-T cells produced complete remission in 18 of 20 patients (90%), with CRS. "
        "MRD negativity was reached in 64% of responders."
    )
    found = suggest(text, shipped_sources(), labels=["outcome"])
    assert quotes(text, found) == [
        "Complete response at 3 months rose from 10% to 22%",
        "complete remission in 18 of 20 patients (90%)",
        "MRD negativity was reached in 64% of responders",
    ]


def test_expert_names_leave_out_titles_and_institutions() -> None:
    text = (
        "Dr. Kenji Arai presented; investigators including Robert Chiesa and Waseem Qasim "
        "at Great Ormond Street Hospital agreed. First author: Régis Peffault de Latour. "
        "Jing Pan's group reported it, led by National Institutes of Health staff."
    )
    found = suggest(text, shipped_sources(), labels=["expert"])
    assert quotes(text, found) == [
        "Kenji Arai",
        "Robert Chiesa",
        "Waseem Qasim",
        "Régis Peffault de Latour",
        "Jing Pan",
    ]


def test_nested_proposals_of_one_label_keep_the_widest_across_labels_both() -> None:
    text = "allogeneic CD5 CAR-T cells"
    found = suggest(text, shipped_sources())
    assert [(text[p.start : p.end], p.label) for p in found] == [
        ("allogeneic CD5 CAR-T cells", "therapy"),
        ("CD5", "target"),
    ]


def test_learned_label_is_the_one_most_often_given_ties_alphabetical() -> None:
    lex = learned_lexicon(
        [
            ("Xiaofan  Zhu", "expert", 3),
            ("Xiaofan Zhu", "target", 1),
            ("NAP1L1", "target", 2),
            ("NAP1L1", "therapy", 2),
            ("%", "outcome", 5),  # no letters: never learned
        ]
    )
    text = "Xiaofan Zhu studied NAP1L1; 5 %."
    found = lexicon_matches(text, lex)
    assert [(text[p.start : p.end], p.label, p.source) for p in found] == [
        ("Xiaofan Zhu", "expert", "learned"),
        ("NAP1L1", "target", "learned"),
    ]


def test_shipped_lexicons_hold_a_few_hundred_terms() -> None:
    sources = shipped_sources()
    assert sum(len(lex) for lex in sources.lexicons) >= 400


@given(st.text(alphabet=st.sampled_from("CD7 ab-𝛼R\nIST%.1,"), max_size=80))
def test_every_proposal_is_a_non_empty_slice_of_the_text(text: str) -> None:
    for p in suggest(text, shipped_sources(), lexicon("CD7", "IST", "R-a")):
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start : p.end].strip() == text[p.start : p.end]
