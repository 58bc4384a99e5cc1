"""Extent rules of suggestions: what the guidelines say a span covers (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from curator.core.suggest import confidence, extent
from curator.core.suggest.finding import Proposal, shipped_sources, suggest


def spans(text: str, label: str | None = None) -> list[str]:
    found = suggest(text, shipped_sources())
    return [text[p.start : p.end] for p in found if label is None or p.label == label]


# --- defining words -------------------------------------------------------------------


def test_a_kind_of_therapy_takes_the_words_that_define_it() -> None:
    text = (
        "Cellular immunotherapy, combined chemotherapy and an allogeneic CAR-T cell product "
        "were compared with conventional chemotherapy."
    )
    assert spans(text, "therapy") == [
        "Cellular immunotherapy",
        "combined chemotherapy",
        "allogeneic CAR-T cell",
        "chemotherapy",  # "conventional" describes, it does not define
    ]


def test_targets_and_hyphenated_modifiers_define_across_a_comma_between_modifiers() -> None:
    text = "They gave donor-derived, CD5 gene-knockout CD5 CAR-T therapy to 19 patients."
    assert spans(text, "therapy") == ["donor-derived, CD5 gene-knockout CD5 CAR-T therapy"]
    assert spans(text, "target") == ["CD5", "CD5"]


def test_a_list_of_targets_is_not_one_modifier() -> None:
    text = "CD19, CAR-T therapy and CD22 were discussed."
    assert spans(text, "therapy") == ["CAR-T therapy"]


def test_title_case_therapy_matches_the_lexicon_words_in_lower_case() -> None:
    text = "CD7 CAR-T Cell Therapy as a Bridge"
    assert spans(text, "therapy") == ["CD7 CAR-T Cell Therapy"]
    assert spans(text, "target") == ["CD7"]


def test_a_drug_names_a_product_code_after_it_but_a_kind_does_not() -> None:
    text = "Romiplostim N01 combined with cyclosporine; transplantation N2 staging."
    assert spans(text, "therapy") == ["Romiplostim N01", "cyclosporine", "transplantation"]


def test_a_therapy_naming_a_place_or_a_patients_state_is_not_proposed() -> None:
    text = "Patients far from a CAR-T center became transfusion dependent after chemotherapy."
    assert spans(text, "therapy") == ["chemotherapy"]


# --- targets: the molecule, not the anti- prefix -----------------------------------------


def test_anti_prefix_is_left_out_of_a_target() -> None:
    text = "anti-CD20 and anti CD38 antibodies, but antithrombin is a molecule."
    # Whatever source proposed "anti-CD20" as a target, the span is the molecule.
    raw = [Proposal(0, 9, "target", "learned"), Proposal(14, 23, "target", "learned")]
    trimmed = [extent.trim_anti(text, p) for p in raw]
    assert [text[p.start : p.end] for p in trimmed] == ["CD20", "CD38"]
    whole = Proposal(text.index("antithrombin"), text.index(" is a"), "target", "learned")
    assert extent.trim_anti(text, whole) == whole
    assert "CD20" in spans(text, "target") and "anti-CD20" not in spans(text, "target")


def test_a_target_before_a_class_of_agents_is_a_therapy_aimed_at_it() -> None:
    text = "BCMA agents and BCMA bispecific antibody; an FLT3 antibody-drug conjugate."
    assert spans(text, "therapy") == ["BCMA agents", "BCMA bispecific antibody"]


def test_two_targets_before_axis_are_one_axis() -> None:
    text = "by inhibiting the NF-κB/NLRP3 axis in monocytes"
    assert spans(text, "target") == ["NF-κB/NLRP3 axis"]


def test_gene_symbols_with_a_digit_or_a_gene_word_after_them() -> None:
    text = "USP22 stabilizes NAP1L1; TANK expression fell; a tank of water; CD34⁺ cells."
    assert spans(text, "target") == ["USP22", "NAP1L1", "TANK"]


# --- abbreviations defined in brackets ---------------------------------------------------


def test_an_abbreviation_after_a_long_form_is_proposed_everywhere_with_its_label() -> None:
    text = (
        "They offered haploidentical hematopoietic stem cell transplantation (HID-HSCT) "
        "in remission. After HID-HSCT, relapse was rare; HID-HSCTs and XHID-HSCT are other words."
    )
    found = [(text[p.start : p.end], p.label) for p in suggest(text, shipped_sources())]
    assert ("haploidentical hematopoietic stem cell transplantation", "therapy") in found
    assert [q for q, lab in found if q == "HID-HSCT"] == ["HID-HSCT", "HID-HSCT"]
    assert all(lab == "therapy" for q, lab in found if q == "HID-HSCT")


def test_the_abbreviation_takes_the_label_of_its_long_form() -> None:
    text = "tumour regression assessment (TRA) improved; TRA again, not TRAx."
    long_form = Proposal(0, 28, "outcome", "model:test")
    added = extent.abbreviations(text, [long_form])
    assert [(text[p.start : p.end], p.label, p.source) for p in added] == [
        ("TRA", "outcome", "rule:abbreviation"),
        ("TRA", "outcome", "rule:abbreviation"),
    ]


def test_a_bracket_that_does_not_abbreviate_the_span_is_not_an_abbreviation() -> None:
    text = "ruxolitinib (ORR) was given; ORR rose."
    drug = Proposal(0, 11, "therapy", "lexicon:drugs")
    assert extent.abbreviations(text, [drug]) == []


def test_a_long_form_before_a_proposed_abbreviation_gets_its_label() -> None:
    text = "Momelotinib also blocks activin A receptor type 1 (ACVR1). ACVR1 drives hepcidin."
    assert spans(text, "target") == ["activin A receptor type 1", "ACVR1", "ACVR1", "hepcidin"]


def test_schwartz_hearst_reads_the_letters_in_order_from_a_word_start() -> None:
    assert extent._abbreviates("HID-HSCT", "haploidentical hematopoietic stem cell transplantation")
    assert extent._abbreviates("IST", "immunosuppressive therapy")
    assert not extent._abbreviates("ORR", "ruxolitinib")
    assert not extent._abbreviates("TX", "X")


# --- citations and surnames as experts ---------------------------------------------------


def test_a_surname_in_a_citation_is_an_expert() -> None:
    text = (
        "Wu et al. showed it first; Xie and colleagues confirmed it, as did Zhang and co-workers."
    )
    assert spans(text, "expert") == ["Wu", "Xie", "Zhang"]


def test_a_named_experts_surname_alone_is_that_expert() -> None:
    text = 'Dr. Mei Lin of West China Hospital spoke. "It works," Lin said. Lin Wei disagreed.'
    assert spans(text, "expert") == ["Mei Lin", "Lin"]


def test_names_stop_before_an_institution_and_its_place() -> None:
    text = "Prof. Rong Fu Tianjin Medical University General Hospital"
    assert spans(text, "expert") == ["Rong Fu"]


# --- where nothing is proposed -----------------------------------------------------------


def test_nothing_is_proposed_inside_a_reference_list() -> None:
    text = (
        "Wu et al. reported rituximab results.\n\n"
        "References\n"
        "1. Wu X, Zhang Y, et al. Haploidentical transplantation after CAR-T cell therapy. "
        "Bone Marrow Transplant. 2023;58:412-419.\n"
        "2. Xie L, et al. CD7 CAR-T cells. Blood. 2024;143:1020.\n\n"
        "About the author: Dr. Mei Lin treats patients with rituximab."
    )
    refs = (text.index("References"), text.index("About the author"))
    found = suggest(text, shipped_sources())
    assert found, "the article's own text still gets suggestions"
    assert not [p for p in found if refs[0] <= p.start < refs[1]]
    assert [text[p.start : p.end] for p in found if p.start >= refs[1]] == ["Mei Lin", "rituximab"]


def test_a_department_or_group_name_is_not_a_therapy() -> None:
    text = (
        "Director, Department of Hematological Tumor Immunotherapy; "
        "Advisor, Cellular Immunotherapy Group. She studies cellular immunotherapy."
    )
    assert spans(text, "therapy") == ["cellular immunotherapy"]


# --- confidence --------------------------------------------------------------------------


def test_confidence_is_the_sources_own_score_or_its_prior() -> None:
    assert confidence.confidence("model:ner", "therapy", 0.42) == 0.42
    assert confidence.confidence("model:ner", "therapy", 1.7) == 1.0
    assert confidence.confidence("lexicon:drugs", "therapy") == confidence.PRIORS["lexicon:drugs"]
    assert confidence.prior("pattern:response", "outcome") == confidence.OUTCOME_PATTERN
    assert confidence.prior("somewhere:else") == confidence.UNKNOWN


def test_every_shipped_source_has_a_documented_prior() -> None:
    sources = shipped_sources()
    names = {lex.source for lex in sources.lexicons}
    names |= {p.source for p in sources.patterns if p.label != "outcome"}
    names |= {"rule:abbreviation", "rule:long-form", "rule:axis", "rule:gene-symbol"}
    names |= {"rule:target-agents", "rule:surname", "pattern:inn-stem", "learned"}
    assert names <= confidence.PRIORS.keys()
    outcome = {p.source for p in sources.patterns if p.label == "outcome"}
    assert {confidence.prior(s, "outcome") for s in outcome} == {confidence.OUTCOME_PATTERN}


@given(st.text(alphabet="ab (HID-HSCT)CARTcel,.\n", max_size=80))
def test_extent_rules_keep_every_proposal_a_non_empty_slice(text: str) -> None:
    for p in suggest(text, shipped_sources()):
        assert 0 <= p.start < p.end <= len(text)
