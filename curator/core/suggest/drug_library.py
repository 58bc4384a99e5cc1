"""Optional therapy source: the ``drug-named-entity-recognition`` dictionary.

Installed with the ``drugs`` extra, or on first use (:mod:`curator.core.optional`);
it works offline (its DrugBank/MeSH/Wikipedia dictionary ships inside the
package; its web look-ups stay off). Used by ``curator suggest
--drug-library`` and the benchmark, not at the workspace's first open:
importing it costs 1-2 s, and on our gold articles every true drug it finds
is already in ``resources/lexicons/drugs.tsv``. It adds coverage of general
pharmacology for articles outside the lexicon's field.

Only entries with a DrugBank id count (its MeSH headings such as
"Receptors, Thrombopoietin" are targets or cell types, not drugs), and
matches that are short, contain a number, or name cells are dropped ("at 10"
is a brand of dihydrotachysterol; "NK cells" has a DrugBank entry).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from curator.core.optional import DRUG_LIBRARY, require
from curator.core.suggest.finding import Proposal

SOURCE = "library:drug-ner"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def available() -> bool:
    try:
        import drug_named_entity_recognition  # noqa: F401
    except ImportError:
        return False
    return True


def drug_library() -> Callable[[str], list[Proposal]]:
    """A matcher over the library's dictionary; a clear error when the extra is missing."""
    require(DRUG_LIBRARY, "--drug-library")
    from drug_named_entity_recognition import find_drugs

    finder = cast(Callable[..., list[tuple[dict[str, Any], int, int]]], find_drugs)

    def match(text: str) -> list[Proposal]:
        words = list(_WORD.finditer(text))
        if not words:
            return []
        out = []
        for entry, first, last in finder([w.group() for w in words], is_ignore_case=True):
            start, end = words[first].start(), words[last - 1].end()
            if _keep(entry, text[start:end]):
                out.append(Proposal(start, end, "therapy", SOURCE))
        return out

    return match


def _keep(entry: dict[str, Any], quote: str) -> bool:
    if not entry.get("drugbank_id") or len(quote) < 5:
        return False
    if any(c.isdigit() for c in quote):
        return False
    return "cell" not in quote.lower()
