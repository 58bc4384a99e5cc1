"""Articles of known text for the import tests: the sentences, and how close a reading came."""

from __future__ import annotations

import difflib
import random

from benchmarks.generate import make_article
from benchmarks.pdf_samples import drawable

TITLE = "CD7-Directed CAR-T Cells Reshape Salvage Options in Relapsed T-ALL"
PARAGRAPHS = [
    "Relapsed or refractory T-cell acute lymphoblastic leukemia has long lacked the "
    "immunotherapy options that transformed B-lineage disease. Speakers reviewed how CAR-T "
    "cell therapy aimed at CD7 is beginning to close that gap.",
    "The central obstacle is that T-cell malignancies share most surface antigens with the "
    "healthy T cells used to manufacture the product. Engineered cells that recognise CD7 "
    "tend to attack one another, a problem called fratricide.",
    "Investigators reported complete remission in most patients within four weeks, with "
    "manageable cytokine release syndrome and neurotoxicity.",
]


def word_order_ratio(expected: str, got: str) -> float:
    """Share of words in the same order (difflib over whitespace-separated words)."""
    return difflib.SequenceMatcher(None, expected.split(), got.split(), autojunk=False).ratio()


def long_paragraphs(size: int, seed: int = 1) -> tuple[str, list[str]]:
    """A generated hematology article: its title and paragraphs (a few bold headings)."""
    text = drawable(make_article(random.Random(seed), size, 0).text)
    title, *paragraphs = text.split("\n\n")
    return title, ["# " + p if i % 7 == 3 and len(p) < 80 else p for i, p in enumerate(paragraphs)]
