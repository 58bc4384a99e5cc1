"""The optional drug-library source (the ``drugs`` extra, installed by ``dev``)."""

from __future__ import annotations

from curator.core.suggest import drug_library
from curator.core.suggest.finding import shipped_sources, suggest


def test_library_adds_drugs_outside_the_shipped_lexicon_as_therapy() -> None:
    assert drug_library.available()
    text = "Patients on atorvastatin and ruxolitinib; at 10 weeks NK cells rose."
    shipped = suggest(text, shipped_sources(), labels=["therapy"])
    assert [text[p.start : p.end] for p in shipped] == ["ruxolitinib"]
    found = suggest(
        text, shipped_sources(), labels=["therapy"], extra=[drug_library.drug_library()]
    )
    assert [(text[p.start : p.end], p.source) for p in found] == [
        ("atorvastatin", drug_library.SOURCE),
        ("ruxolitinib", "lexicon:drugs"),
    ]
