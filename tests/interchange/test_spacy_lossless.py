"""Done when: the spaCy export of the corpus and samples with a guideline-following
span set drops nothing, read back by spaCy itself, and ships its tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from benchmarks.spacy_loss import NOTATION, dropped, guideline_set
from curator.core import interchange
from curator.core.articles import corpus
from curator.core.articles.documents import get_document
from curator.core.interchange.spacy_docbin import tokenizer_folder
from curator.core.interchange.spacy_tokenizer import doc_with_cuts, hematology_nlp
from curator.core.spans import annotate
from curator.core.storage.db import Database


def _load_guideline_set(db: Database, tmp_path: Path) -> dict[str, set[tuple[int, int, str, str]]]:
    """Every article in the database with its spans; returns {uid: {(start, end, label, quote)}}."""
    expected: dict[str, set[tuple[int, int, str, str]]] = {}
    for article in guideline_set():
        path = tmp_path / f"{article.name}.txt"
        path.write_text(article.text, encoding="utf-8")
        (added,) = corpus.import_articles(db, [path]).added
        assert get_document(db, added.uid).text == article.text
        items = [annotate.NewSpan(s, e, label) for s, e, label in article.spans]
        stored = annotate.add_spans(db, added.uid, "ana", items)
        expected[added.uid] = {(s.start, s.end, s.label, s.text) for s in stored}
    return expected


def test_corpus_and_samples_export_to_spacy_with_no_span_left_out(
    db: Database, tmp_path: Path
) -> None:
    expected = _load_guideline_set(db, tmp_path)
    assert sum(map(len, expected.values())) > 300
    out = tmp_path / "train.spacy"
    report = interchange.export(db, "spacy", out)  # no --allow-loss: a loss would raise
    assert report.problems == [] and report.spans == sum(map(len, expected.values()))

    found: dict[str, set[tuple[int, int, str, str]]] = {}
    for doc in DocBin().from_disk(out).get_docs(Vocab()):
        uid = doc.user_data["heme_curator"]["id"]
        assert doc.text == get_document(db, uid).text  # splitting tokens changed no character
        found[uid] = {(s.start_char, s.end_char, s.label_, s.text) for s in doc.spans["ana"]}
    assert found == expected


def test_stock_english_loses_the_notation_spans_the_export_keeps() -> None:
    articles = guideline_set()
    stock = dropped(spacy.blank("en"), articles, cut=False)
    rules = dropped(hematology_nlp(spacy), articles, cut=False)
    assert {"notation: BCMA", "notation: KMT2A", "03_myeloma_bcma: GPRC5D"} <= set(stock)
    assert len(rules) < len(stock) / 10
    assert dropped(hematology_nlp(spacy), articles, cut=True) == []


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("CD34⁺CD38⁻ cells", ["CD34", "⁺", "CD38", "⁻", "cells"]),
        ("BCMA×CD3", ["BCMA", "×", "CD3"]),
        ("CD20xCD3", ["CD20", "x", "CD3"]),
        ("venetoclax+azacitidine", ["venetoclax", "+", "azacitidine"]),
        ("BCR::ABL1.", ["BCR", "::", "ABL1", "."]),
        ("JAK2V617F", ["JAK2", "V617F"]),
        ("against GPRC5D.", ["against", "GPRC5D", "."]),
        ("(APN/CD13)-mediated", ["(", "APN", "/", "CD13", ")", "-", "mediated"]),
        # What English already does stays: units, abbreviations, exponents.
        (
            "10⁻⁵ or 2×10⁹/L, e.g. Dr. Fu",
            ["10⁻⁵", "or", "2", "×", "10⁹/L", ",", "e.g.", "Dr.", "Fu"],
        ),
    ],
)
def test_hematology_rules_cut_names_joined_into_one_word(text: str, tokens: list[str]) -> None:
    assert [t.text for t in hematology_nlp(spacy)(text)] == tokens


def test_a_span_edge_inside_a_token_splits_it_and_keeps_the_text() -> None:
    nlp = hematology_nlp(spacy)
    text = "IL-6R  blockade\nworks"
    doc, split = doc_with_cuts(nlp, text, [0, 4, 8, 15])
    assert split == 2 and doc.text == text
    assert [t.text for t in doc] == ["IL-6", "R", " ", "b", "lockade", "\n", "works"]
    assert doc_with_cuts(nlp, text, [0, 5])[1] == 0  # edges on token boundaries split nothing


def test_the_tokenizer_ships_beside_the_file_and_spacy_loads_it(
    db: Database, tmp_path: Path
) -> None:
    _load_guideline_set(db, tmp_path)
    out = tmp_path / "train.spacy"
    report = interchange.export(db, "spacy", out)
    folder = tokenizer_folder(out)
    assert folder == tmp_path / "train.tokenizer" and report.files == [out, folder]
    assert "spacy.load" in (folder / "README.txt").read_text(encoding="utf-8")
    loaded = spacy.load(folder)  # spaCy alone, none of our code
    new_text = NOTATION.replace("GPRC5D.", "CD38⁺ GPRC5D.")
    assert [t.text for t in loaded(new_text)] == [t.text for t in hematology_nlp(spacy)(new_text)]
    assert len(loaded(new_text)) > len(spacy.blank("en")(new_text))
    again = interchange.export(db, "spacy", out)  # the folder is replaced, not nested
    assert again.files == [out, folder] and not (folder / folder.name).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
