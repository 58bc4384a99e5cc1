"""The ranker: exact before prefix before fuzzy, case rules, and why each candidate came up."""

from __future__ import annotations

import pytest

from curator.core.concepts.ranking import Ranker, fold
from curator.core.concepts.vocabulary import Name
from curator.core.concepts.vocabulary_index import shipped_ranker

GENES = [
    Name("TNFRSF17", "HGNC:11913", "TNFRSF17", "symbol"),
    Name("BCMA", "HGNC:11913", "TNFRSF17", "previous symbol"),
    Name("CD269", "HGNC:11913", "TNFRSF17", "alias"),
    Name("TANK", "HGNC:11562", "TANK", "symbol"),
    Name("ANPEP", "HGNC:500", "ANPEP", "symbol"),
    Name("CD13", "HGNC:500", "ANPEP", "previous symbol"),
    Name("APN", "HGNC:500", "ANPEP", "alias"),
    Name("TNF", "HGNC:11892", "TNF", "symbol"),
    Name("TNFA", "HGNC:11892", "TNF", "alias"),
    Name("IL6", "HGNC:6018", "IL6", "symbol"),
    Name("X1", "HGNC:1", "ONE", "alias"),
    Name("X1", "HGNC:2", "TWO", "alias"),
]


@pytest.fixture
def genes() -> Ranker:
    return Ranker(GENES, case_rule=True)


def test_fold_ignores_case_punctuation_and_greek_spelling() -> None:
    assert fold("TNF-𝛼") == fold("TNF-alpha") == fold("tnfa") == "tnfa"
    assert fold("IL-6") == "il6" and fold("NF-κB") == "nfkb"


def test_exact_names_link_and_say_why(genes: Ranker) -> None:
    decision = genes.decide("BCMA")
    assert decision.outcome == "linked" and decision.best is not None
    assert (decision.best.concept_id, decision.best.why) == ("HGNC:11913", "exact previous symbol")
    assert genes.decide("TNF-𝛼").best.concept_id == "HGNC:11892"  # type: ignore[union-attr]
    assert genes.decide("IL-6").outcome == "linked"
    assert genes.decide("APN/CD13").best.concept_id == "HGNC:500"  # type: ignore[union-attr]


def test_lower_case_word_is_not_a_gene_symbol(genes: Ranker) -> None:
    assert genes.decide("TANK").outcome == "linked"
    lowered = genes.decide("tank")
    assert lowered.outcome == "ambiguous"  # a candidate, never linked
    assert lowered.best is not None and lowered.best.why == "symbol, other case"


def test_two_concepts_with_one_name_are_ambiguous(genes: Ranker) -> None:
    decision = genes.decide("X1")
    assert decision.outcome == "ambiguous"
    assert {c.concept_id for c in decision.candidates} == {"HGNC:1", "HGNC:2"}
    assert genes.decide("nothing like it").outcome == "none"


def test_type_ahead_prefix_then_fuzzy(genes: Ranker) -> None:
    ranked = genes.candidates("TNFR")
    assert ranked[0].concept_id == "HGNC:11913" and ranked[0].why == "begins with"
    typo = genes.candidates("TNFRSF71")
    assert typo and typo[0].concept_id == "HGNC:11913" and typo[0].why.startswith("similar")
    assert genes.candidates("") == []


def test_shipped_vocabularies_link_names_brands_and_lists() -> None:
    therapy = shipped_ranker("therapy")
    assert therapy.decide("Tecvayli").best.concept_id == "DRUGBANK:DB16655"  # type: ignore[union-attr]
    assert therapy.decide("teclistamab").best.concept_id == "DRUGBANK:DB16655"  # type: ignore[union-attr]
    assert therapy.decide("HSCT").best.concept_id == "NCIT:C15431"  # type: ignore[union-attr]
    regimen = therapy.decide("pomalidomide, bortezomib and dexamethasone")
    assert regimen.outcome == "linked" and len(regimen.candidates) == 3
    target = shipped_ranker("target")
    for name in ("BCMA", "B-cell maturation antigen", "TNFRSF17", "CD269"):
        assert target.decide(name).best.concept_id == "HGNC:11913", name  # type: ignore[union-attr]
    for cd, symbol in (("CD19", "CD19"), ("CD123", "IL3RA"), ("CD13", "ANPEP"), ("CD7", "CD7")):
        assert target.decide(cd).best.concept_name == symbol  # type: ignore[union-attr]
    assert shipped_ranker("outcome").decide("EFS").best.concept_id == "HEMEOUT:efs"  # type: ignore[union-attr]
