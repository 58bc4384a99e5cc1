"""The spaCy pipeline a recognizer is: the export's tokenizer and a span categorizer.

Why a span categorizer and not ``ner``: the team's spans nest across labels
(the target "CD7" inside the therapy "CD7-Directed CAR-T Cells"), which
``ner`` cannot hold, and a span categorizer gives each span a probability,
which becomes the suggestion's score. The single-label one
(``spancat_singlelabel``: one softmax over the labels and "none") is used
because its loss can weigh the "none" class down: a sentence holds about a
hundred candidates for one or two spans, and at full weight a model trained
on a few documents learns to propose nothing. At a tenth, leave-one-out
recall on the gold articles went from 0.13 to 0.38 at the same precision.

Its cost is in the candidates it scores. All n-grams up to 16 tokens (long
enough for outcome phrases with their values) would be 16 per token; the
candidates here only start on a word that is neither punctuation nor a
function word, end on one that is not a function word (a closing bracket or
a per cent sign may end one), and never run across a full stop, colon,
semicolon or line break. On the gold articles that keeps 28% of the n-grams
and 257 of the 260 gold spans (the three others are outcomes over 16 tokens).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from curator.core.interchange.spacy_tokenizer import hematology_nlp

SPANS_KEY = "sc"
CANDIDATES = "heme_curator.candidates.v1"
MAX_TOKENS = 16
THRESHOLD = 0.5
"""Proposals below this probability are not made."""
NEGATIVE_WEIGHT = 0.1
"""How much a wrong "not a span" counts against a wrong label (see the module's text)."""

_BREAKS = frozenset({".", ";", ":"})
_MAY_END = frozenset({")", "]", "%"})


def spacy_module() -> Any:
    """spaCy itself, with the candidate function registered (idempotent)."""
    import spacy
    from spacy.util import registry

    if CANDIDATES not in registry.misc:
        registry.misc.register(CANDIDATES, func=_make_candidates)
    return spacy


def _may_start(token: Any) -> bool:
    if token.is_space or token.is_stop:
        return False
    return not token.is_punct or token.text in "(["


def _may_end(token: Any) -> bool:
    if token.is_space or token.is_stop:
        return False
    return not token.is_punct or token.text in _MAY_END


def _breaks(token: Any) -> bool:
    return token.text in _BREAKS or (token.is_space and "\n" in token.text)


def candidate_spans(doc: Any, max_tokens: int) -> list[tuple[int, int]]:
    """(start, end) token indices of the spans worth scoring in *doc*."""
    out: list[tuple[int, int]] = []
    n = len(doc)
    for i in range(n):
        if not _may_start(doc[i]):
            continue
        for j in range(i + 1, min(n, i + max_tokens) + 1):
            last = doc[j - 1]
            if j - 1 > i and _breaks(last):
                break
            if _may_end(last):
                out.append((i, j))
    return out


def _make_candidates(max_size: int) -> Callable[..., Any]:
    def candidates(docs: Iterable[Any], *, ops: Any = None) -> Any:
        from thinc.api import get_current_ops
        from thinc.types import Ragged

        ops = ops or get_current_ops()
        spans: list[tuple[int, int]] = []
        lengths: list[int] = []
        for doc in docs:
            # Training shows each document once per epoch: find its candidates once.
            key = ("heme_curator.candidates", max_size)
            found = doc.user_data.get(key)
            if found is None:
                found = doc.user_data[key] = candidate_spans(doc, max_size)
            spans += found
            lengths.append(len(found))
        lengths_array = ops.asarray1i(lengths)
        if spans:
            return Ragged(ops.asarray2i(spans), lengths_array)
        return Ragged(ops.xp.zeros((0, 0), dtype="i"), lengths_array)

    return candidates


def _tok2vec(width: int) -> dict[str, Any]:
    return {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": width,
            "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [2000, 1000, 1000, 1000],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": width,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    }


def blank_pipeline(labels: Iterable[str], width: int = 64) -> Any:
    """An untrained pipeline: the export's tokenizer, then a span categorizer for *labels*."""
    spacy = spacy_module()
    nlp = hematology_nlp(spacy)
    config = {
        "spans_key": SPANS_KEY,
        "negative_weight": NEGATIVE_WEIGHT,
        "allow_overlap": True,
        "suggester": {"@misc": CANDIDATES, "max_size": MAX_TOKENS},
        "model": {
            "@architectures": "spacy.SpanCategorizer.v1",
            "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": width},
            "scorer": {"@layers": "Softmax.v2"},
            "tok2vec": _tok2vec(width),
        },
    }
    categorizer = nlp.add_pipe("spancat_singlelabel", name="spancat", config=config)
    categorizer.cfg["threshold"] = THRESHOLD
    for label in labels:
        categorizer.add_label(label)
    return nlp
