"""How many spans of a guideline-following set spaCy's tokens can hold, per tokenizer.

    .venv/bin/python -m benchmarks.spacy_loss

The set: the hand-made gold spans of the sample and corpus articles
(``benchmarks/gold``), every other whole-word occurrence of each gold quote
with the same label (as Annotate all tags them), every ``CD`` marker written
with a superscript sign (``CD34⁺``: an antigen, so a target), and a paragraph
of the notation papers use for names joined into one word (:data:`NOTATION`).

Figures: spans left out by spaCy's stock English tokenizer, by the export's
tokenizer with its hematology rules, and by the export itself (those rules
plus a split wherever a span edge still falls inside a token). Counting, not
timing: ``--smoke`` changes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._common import emit  # noqa: E402
from benchmarks.suggestions import GOLD, article_for, read_gold, read_text  # noqa: E402
from curator.core.spans.boundaries import occurrences  # noqa: E402

NOTATION = (
    "Bispecific BCMA×CD3 and CD20xCD3 antibodies, venetoclax+azacitidine, and CAR-T cells "
    "against GPRC5D. Leukemias with KMT2A::MLL or BCR::ABL1 fusions and the JAK2V617F "
    "mutation; IL-6R blockade with tocilizumab; CD8⁺ T cells, CD34⁺ progenitors and CD59⁻ "
    "clones; aminopeptidase N (APN/CD13)-mediated dysfunction.\n"
)
NOTATION_SPANS = {
    "target": [
        "BCMA", "CD3", "CD20", "GPRC5D", "KMT2A", "MLL", "BCR", "ABL1", "JAK2", "IL-6",
        "CD8", "CD34", "CD59", "APN/CD13", "CD13", "aminopeptidase N",
    ],
    "therapy": ["venetoclax", "azacitidine", "tocilizumab", "CAR-T cells"],
}  # fmt: skip
_MARKER = re.compile(r"CD\d+[a-z]?(?=[⁺⁻])")


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    spans: list[tuple[int, int, str]]
    """(start, end, label), sorted, no duplicates."""


def _notation() -> Article:
    spans = set()
    for label, quotes in NOTATION_SPANS.items():
        for quote in quotes:
            # Not "CD3" inside "CD34"; "IL-6" inside "IL-6R" on purpose.
            for match in re.finditer(rf"(?<![A-Z0-9]){re.escape(quote)}(?![0-9])", NOTATION):
                spans.add((match.start(), match.end(), label))
    return Article("notation", NOTATION, sorted(spans))


def guideline_set() -> list[Article]:
    """The articles and the spans a curator following the guidelines puts on them."""
    articles = []
    for gold in sorted(GOLD.glob("*.tsv")):
        text = read_text(article_for(gold))
        rows = read_gold(gold)
        spans = {(s, e, label) for s, e, label, _ in rows}
        for _s, _e, label, quote in rows:
            spans |= {(a, b, label) for a, b in occurrences(text, quote, case_sensitive=True)}
        spans |= {(m.start(), m.end(), "target") for m in _MARKER.finditer(text)}
        articles.append(Article(gold.stem, text, sorted(spans)))
    articles.append(_notation())
    return articles


def dropped(nlp: Any, articles: list[Article], *, cut: bool) -> list[str]:
    """The spans (as ``name: quote``) whose edges fall inside a token."""
    from curator.core.interchange.spacy_tokenizer import doc_with_cuts

    out = []
    for article in articles:
        edges = (p for s, e, _ in article.spans for p in (s, e))
        doc = doc_with_cuts(nlp, article.text, edges)[0] if cut else nlp.make_doc(article.text)
        for s, e, _label in article.spans:
            if doc.char_span(s, e, alignment_mode="strict") is None:
                out.append(f"{article.name}: {article.text[s:e]}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the same count (it is quick)")
    parser.parse_args(argv)
    import spacy

    from curator.core.interchange.spacy_tokenizer import hematology_nlp

    articles = guideline_set()
    total = sum(len(a.spans) for a in articles)
    runs = {
        "spacy_dropped[stock]": (spacy.blank("en"), False, None),
        "spacy_dropped[rules]": (hematology_nlp(spacy), False, None),
        "spacy_dropped[export]": (hematology_nlp(spacy), True, 0),
    }
    for name, (nlp, cut, target) in runs.items():
        lost = dropped(nlp, articles, cut=cut)
        emit(
            {
                "figure": name,
                "value": len(lost),
                "unit": "spans",
                "of": total,
                "target": target,
                "pass": None if target is None else len(lost) <= target,
                "spans": lost,
            }
        )


if __name__ == "__main__":
    main()
