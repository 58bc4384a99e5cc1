"""Gene symbols as targets: the shipped HGNC table, read with care for English words.

A target lexicon cannot list every gene an article may name ("USP22",
"NAP1L1", "TANK"); the HGNC table shipped for linking (``resources/
vocabularies/hgnc.tsv.gz``) holds the approved symbols. A symbol is proposed
when it is written exactly as approved and either holds a digit (USP22,
NAP1L1: no English word does) or is followed by a word that says a gene or
its product is meant ("TANK gene", "TANK expression"): many symbols are
words too (SET, CAT, REST, TANK). CD antigens are left to their pattern,
which knows which of them are populations (CD34⁺).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from pathlib import Path

from curator.core.suggest.proposal import Proposal

SOURCE = "rule:gene-symbol"
_TOKEN = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{2,9}(?![\w-]|[⁺⁻])")
_GENE_CONTEXT = re.compile(
    r"[ \t\u00a0]+(?:genes?|expression|axis|pathway|signal(?:l)?ing|mRNA|proteins?|"
    r"knockdown|knockout|deficiency|mutations?|variants?|overexpression|deubiquitination)\b",
    re.IGNORECASE,
)


def read_symbols(path: Path) -> frozenset[str]:
    """Approved symbols of the HGNC table (its second column), CD antigens left out."""
    symbols = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f, None)  # the header
        for line in f:
            fields = line.split("\t")
            if len(fields) > 1 and not fields[1].startswith("CD"):
                symbols.add(fields[1])
    return frozenset(symbols)


def gene_matches(text: str, symbols: Iterable[str] | frozenset[str]) -> list[Proposal]:
    known = symbols if isinstance(symbols, frozenset) else frozenset(symbols)
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word not in known:
            continue
        digit = any(c.isdigit() for c in word) and len(word) >= 4
        if digit or _GENE_CONTEXT.match(text, m.end()):
            out.append(Proposal(m.start(), m.end(), "target", SOURCE))
    return out
