"""The tokenizer of the spaCy export: English, plus the notation of hematology papers.

spaCy's English tokenizer keeps ``CD34⁺``, ``BCMA×CD3``, ``BCR::ABL1``,
``venetoclax+azacitidine``, ``GPRC5D.`` and ``CD13)-mediated`` whole, so a
span on ``CD34``, ``BCMA`` or ``GPRC5D`` ends inside a token and a DocBin
cannot hold it. A handful of extra rules cut this notation where curators
cut it:

- suffixes: superscript ``⁺``/``⁻`` after a name (``CD34⁺``); a full stop
  after a digit and a capital (``GPRC5D.``; English already cuts ``CD3.``);
- infixes: ``⁺``/``⁻`` between two markers (``CD34⁺CD38⁻``); ``×``
  (``BCMA×CD3``); ``x`` between two capitalised names (``CD20xCD3``); ``::``
  (``BCR::ABL1``); ``+`` between names (``venetoclax+azacitidine``); ``)``
  before ``-`` and that ``-`` (``CD13)-mediated``); a protein change after
  a gene (``JAK2V617F``).

The rules are plain regular expressions inside a stock spaCy tokenizer, so
spaCy serialises them: the export writes the pipeline beside the ``.spacy``
file (:func:`write_pipeline`) and ``spacy.load`` of that folder tokenizes new
text exactly as the export did, with no code of ours installed.

Where a span edge still falls inside a token (``IL-6`` in ``IL-6R``),
:func:`doc_with_cuts` splits that token there; the text is unchanged, and
new text has no span edges, so this is the only difference a model trained
on the export meets.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

_NAME = "A-Za-z0-9"

EXTRA_SUFFIXES = [
    r"(?<=[A-Za-z0-9])[⁺⁻]+",
    r"(?<=[0-9][A-Z])\.",
]

EXTRA_INFIXES = [
    rf"(?<=[{_NAME}])[⁺⁻]+(?=[{_NAME}])",
    r"×",
    r"(?<=[A-Z0-9]{2})x(?=[A-Z]{2})",
    r"::",
    rf"(?<=[{_NAME}])\+(?=[A-Za-z])",
    r"\)(?=-)",
    r"(?<=\))-(?=[A-Za-z])",
    r"(?<=[A-Z][0-9])(?=[A-Z][0-9]{2,4}[A-Z](?![A-Za-z0-9]))",
]

LOADER = """\
The tokenizer used for the .spacy file beside this folder, as a blank spaCy
pipeline. Load it with

    import spacy
    nlp = spacy.load("{folder}")

or train on it with these lines in the training config:

    [initialize.before_init]
    @callbacks = "spacy.copy_from_base_model.v1"
    tokenizer = "{folder}"
    vocab = "{folder}"
"""


def hematology_nlp(spacy: Any) -> Any:
    """A blank English pipeline whose tokenizer also cuts hematology notation."""
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = spacy.blank("en")
    suffixes = [*EXTRA_SUFFIXES, *nlp.Defaults.suffixes]
    infixes = [*nlp.Defaults.infixes, *EXTRA_INFIXES]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def doc_with_cuts(nlp: Any, text: str, cuts: Iterable[int]) -> tuple[Any, int]:
    """Tokenize *text*, then split every token a position in *cuts* falls inside.

    Returns the doc and the number of tokens split. The doc's text is *text*,
    character for character: only token boundaries are added.
    """
    from spacy.tokens import Doc

    doc = nlp.make_doc(text)
    edges = {t.idx for t in doc} | {t.idx + len(t.text) for t in doc}
    inside = sorted(c for c in set(cuts) if c not in edges and 0 < c < len(text))
    if not inside:
        return doc, 0
    words: list[str] = []
    spaces: list[bool] = []
    split = 0
    points = iter(inside)
    cut = next(points, None)
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        while cut is not None and cut <= start:
            cut = next(points, None)
        piece_start = start
        while cut is not None and cut < end:
            words.append(text[piece_start:cut])
            spaces.append(False)
            piece_start = cut
            cut = next(points, None)
        if piece_start != start:
            split += 1
        words.append(text[piece_start:end])
        spaces.append(bool(token.whitespace_))
    rebuilt = Doc(nlp.vocab, words=words, spaces=spaces)
    if rebuilt.text != text:  # pragma: no cover - Doc keeps words and spaces as given
        raise AssertionError("splitting tokens changed the text")
    return rebuilt, split


def write_pipeline(nlp: Any, folder: Path, name: str) -> None:
    """Save *nlp* into *folder*, with a README on loading it under the name *name*."""
    nlp.to_disk(folder)
    (folder / "README.txt").write_text(LOADER.format(folder=name), encoding="utf-8")
