"""Finding suggested spans in a text: pure functions, no database.

Sources are data (``resources/lexicons/``): term lists matched on word
tokens, and regular expressions for what a list cannot hold (CD1-CD371,
outcome phrases with their values, names after a title). Keeping matching
pure lets it be unit-tested and timed on its own, and lets the CLI, the GUI
and the benchmark share exactly one implementation.

Lexicon matching walks the text's tokens once and looks candidates up by
their first token, so its cost grows with the text, not with the number of
terms (a regex alternation of hundreds of terms tries each at every
position).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from curator.core.storage import paths
from curator.core.suggest import extent, genes
from curator.core.suggest.proposal import Proposal

__all__ = ["Lexicon", "Matcher", "Pattern", "Proposal", "Sources", "suggest"]

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class _Term:
    tokens: tuple[str, ...]  # casefolded unless exact
    spaced: tuple[bool, ...]  # whitespace before token i (i >= 1)
    exact: tuple[bool, ...]  # token i must match its case
    label: str


@dataclass
class Lexicon:
    """Terms keyed by their first token; each term carries its own label."""

    source: str
    terms: dict[str, list[_Term]] = field(default_factory=dict)

    def add(self, term: str, label: str, *, exact: bool | None = None) -> None:
        """Add *term*; without *exact*, the case rule decides.

        The rule: a word written with a capital matches only so written ("IST",
        "CAR-T"); a word in lower case matches in any case, also inside a term
        with capitals, so "CAR-T cell therapy" finds "CAR-T Cell Therapy" in a
        title but never "Car-T".
        """
        found = list(_TOKEN.finditer(term))
        if not found:
            return
        if exact is None:
            cased = tuple(m.group() != m.group().lower() for m in found)
        else:
            cased = tuple(exact for _m in found)
        tokens = tuple(
            m.group() if c else m.group().casefold() for m, c in zip(found, cased, strict=True)
        )
        spaced = tuple(i > 0 and found[i].start() > found[i - 1].end() for i in range(len(found)))
        key = tokens[0].casefold()
        entry = _Term(tokens, spaced, cased, label)
        bucket = self.terms.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def __len__(self) -> int:
        return sum(len(b) for b in self.terms.values())


@dataclass(frozen=True)
class Pattern:
    label: str
    source: str
    regex: re.Pattern[str]
    max_number: int | None = None


@dataclass(frozen=True)
class Sources:
    lexicons: tuple[Lexicon, ...]
    patterns: tuple[Pattern, ...]
    name_pattern: re.Pattern[str]
    not_names: frozenset[str]
    genes: frozenset[str] = frozenset()
    drug_stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tokens:
    """A text's tokens and their casefolded forms, computed once for every lexicon."""

    matches: list[re.Match[str]]
    keys: list[str]

    @classmethod
    def of(cls, text: str) -> Tokens:
        matches = list(_TOKEN.finditer(text))
        return cls(matches, [m.group().casefold() for m in matches])


def lexicon_matches(text: str, lexicon: Lexicon, tokens: Tokens | None = None) -> list[Proposal]:
    """Whole-token matches; per label the longest wins and matches do not overlap."""
    tokens = tokens or Tokens.of(text)
    terms = lexicon.terms
    return _matches(tokens.matches, [i for i, k in enumerate(tokens.keys) if k in terms], lexicon)


def _matches(tokens: list[re.Match[str]], starts: list[int], lexicon: Lexicon) -> list[Proposal]:
    out: list[Proposal] = []
    free_from: dict[str, int] = {}  # label -> first token index not yet covered
    for i in starts:
        tok = tokens[i]
        bucket = lexicon.terms[tok.group().casefold()]
        best: dict[str, int] = {}  # label -> end token index (exclusive)
        for term in bucket:
            j = i + len(term.tokens)
            if j > len(tokens) or j <= best.get(term.label, 0):
                continue
            if _term_at(tokens, i, term):
                best[term.label] = j
        for label, j in best.items():
            if i >= free_from.get(label, 0):
                out.append(Proposal(tok.start(), tokens[j - 1].end(), label, lexicon.source))
                free_from[label] = j
    return out


def stem_matches(tokens: Tokens, stems: tuple[str, ...]) -> list[Proposal]:
    """Words of 7 letters or more ending in a drug-class stem ("revumenib": -menib)."""
    out = []
    for i, key in enumerate(tokens.keys):
        if len(key) >= 7 and key.endswith(stems) and key.isalpha():
            m = tokens.matches[i]
            out.append(Proposal(m.start(), m.end(), "therapy", "pattern:inn-stem"))
    return out


def _term_at(tokens: Sequence[re.Match[str]], i: int, term: _Term) -> bool:
    for k, want in enumerate(term.tokens):
        tok = tokens[i + k]
        got = tok.group() if term.exact[k] else tok.group().casefold()
        if got != want:
            return False
        if k and (tok.start() > tokens[i + k - 1].end()) != term.spaced[k]:
            return False
    return True


def pattern_matches(text: str, pattern: Pattern, sources: Sources) -> list[Proposal]:
    """Regex matches; a ``span`` group narrows the span, a ``list`` group holds names."""
    out: list[Proposal] = []
    for m in pattern.regex.finditer(text):
        groups = m.groupdict()
        number = groups.get("n")
        if pattern.max_number is not None and number and int(number) > pattern.max_number:
            continue
        if groups.get("list") is not None:
            base = m.start("list")
            for name in sources.name_pattern.finditer(m.group("list")):
                out.append(
                    _name(base + name.start(), base + name.end(), text, pattern, sources, cut=False)
                )
        elif groups.get("span") is not None:
            out.append(_name(m.start("span"), m.end("span"), text, pattern, sources))
        else:
            out.append(
                Proposal(
                    m.start(), _close_paren(text, m.start(), m.end()), pattern.label, pattern.source
                )
            )
    return [p for p in out if p.start < p.end]


def _name(
    start: int, end: int, text: str, pattern: Pattern, sources: Sources, *, cut: bool = True
) -> Proposal:
    """A name span, cut before the words of an institution or a title that follow it.

    "Prof. Rong Fu Tianjin Medical University": the name stops before
    "Medical", and the capitalised word just before an institution word is
    the institution's place ("Tianjin"), so it goes too while two words
    remain. A name left with fewer than two words is dropped (an empty
    span), and so is every name of a list (*cut* false: "including Tianjin
    Science Popularization Ambassador" names an award, and a list gives no
    title that says a person follows).
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    at = next((i for i, w in enumerate(words) if w.group() in sources.not_names), None)
    if at is not None:
        if not cut:
            return Proposal(start, start, pattern.label, pattern.source)
        keep = at - 1 if at >= 3 else at
        if keep < 2:
            return Proposal(start, start, pattern.label, pattern.source)
        end = start + words[keep - 1].end()
    return Proposal(start, end, pattern.label, pattern.source)


def _close_paren(text: str, start: int, end: int) -> int:
    """Take the closing bracket of "(90%)" when the span opened it."""
    quote = text[start:end]
    if quote.count("(") > quote.count(")") and text[end : end + 1] == ")":
        return end + 1
    return end


def learned_lexicon(tagged: Iterable[tuple[str, str, int]]) -> Lexicon:
    """From (quote, label, times given) of the team's spans elsewhere: one label per quote.

    The label most often given wins; a tie goes to the label first in
    alphabetical order, so the choice never depends on query order.
    """
    votes: dict[str, dict[str, int]] = {}
    for quote, label, count in tagged:
        phrase = " ".join(quote.split())
        if len(phrase) < 2 or not any(c.isalpha() for c in phrase):
            continue
        per = votes.setdefault(phrase, {})
        per[label] = per.get(label, 0) + count
    lexicon = Lexicon("learned")
    for phrase, per in sorted(votes.items()):
        label = min(per, key=lambda lab: (-per[lab], lab))
        lexicon.add(phrase, label)
    return lexicon


Matcher = Callable[[str], list[Proposal]]


def suggest(
    text: str,
    sources: Sources,
    learned: Lexicon | None = None,
    labels: Iterable[str] = (),
    extra: Sequence[Matcher] = (),
) -> list[Proposal]:
    """Every proposal for *text*, once per (start, end, label), in text order.

    Earlier sources win a duplicate: shipped lexicons, then patterns, then
    *extra* matchers (an optional library), then learned strings; of nested
    proposals of one label the widest stays. *labels*, when given, keeps only
    those labels. The extent rules of :mod:`.extent` (defining words,
    abbreviations, no suggestion in a reference list) apply to every source.
    """
    found: list[Proposal] = []
    tokens = Tokens.of(text)
    for lexicon in sources.lexicons:
        found += lexicon_matches(text, lexicon, tokens)
    for pattern in sources.patterns:
        found += pattern_matches(text, pattern, sources)
    if sources.genes:
        found += genes.gene_matches(text, sources.genes)
    if sources.drug_stems:
        found += stem_matches(tokens, sources.drug_stems)
    for matcher in extra:
        found += matcher(text)
    if learned is not None:
        found += lexicon_matches(text, learned, tokens)
    found = extent.apply(text, found)
    keep = set(labels)
    seen: set[tuple[int, int, str]] = set()
    unique: list[Proposal] = []
    for p in found:
        key = (p.start, p.end, p.label)
        if key in seen or (keep and p.label not in keep):
            continue
        seen.add(key)
        unique.append(p)
    return _drop_contained(unique)


def _drop_contained(proposals: list[Proposal]) -> list[Proposal]:
    """Keep the widest of nested proposals of one label ("CD7 CAR-T cells", not "CAR-T").

    Nesting across labels stays: the target "CD7" inside that therapy is right.
    """
    out: list[Proposal] = []
    reach: dict[str, int] = {}  # label -> furthest end of a kept proposal so far
    for p in sorted(proposals, key=lambda p: (p.start, -p.end, p.label)):
        if p.end <= reach.get(p.label, -1):
            continue
        reach[p.label] = p.end
        out.append(p)
    out.sort(key=lambda p: (p.start, p.end, p.label))
    return out


# --- loading the shipped sources ------------------------------------------------------


def read_term_file(path: Path) -> list[str]:
    """Terms of a TSV lexicon: first column, ``#`` lines are comments."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        terms.append(line.split("\t", 1)[0].strip())
    return terms


def expand(regex: str, fragments: Mapping[str, str]) -> str:
    """Replace ``{name}`` by its fragment until none is left (fragments nest)."""
    ref = re.compile(r"\{([a-z_]+)\}")
    for _ in range(10):
        new = ref.sub(lambda m: fragments.get(m.group(1), m.group(0)), regex)
        if new == regex:
            return new
        regex = new
    return regex


LEXICON_FILES = (
    ("drugs.tsv", "therapy", "lexicon:drugs"),
    ("targets.tsv", "target", "lexicon:targets"),
)
# Curated vocabularies shipped for linking that double as lexicons: their
# names and other names (columns from the second on, "|" between).
VOCABULARY_FILES = (
    ("therapy_kinds.tsv", "therapy", "lexicon:therapy-kinds", 1),
    ("target_names.tsv", "target", "lexicon:target-names", 0),
)


def read_vocabulary_names(path: Path, first_column: int) -> list[str]:
    """Names of a vocabulary TSV: every column from *first_column* on, "|"-separated."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if first_column == 0:
            fields = fields[:1]  # name<TAB>symbol: the symbol is not a name here
        for field_ in fields[first_column:]:
            names += [n.strip() for n in field_.split("|") if n.strip()]
    return names


def load_sources(directory: Path | None = None, vocabularies: Path | None = None) -> Sources:
    folder = directory or paths.resources_dir() / "lexicons"
    vocab = vocabularies or paths.resources_dir() / "vocabularies"
    lexicons = []
    for name, label, source in LEXICON_FILES:
        lexicon = Lexicon(source)
        for term in read_term_file(folder / name):
            lexicon.add(term, label)
        lexicons.append(lexicon)
    for name, label, source, column in VOCABULARY_FILES:
        if (vocab / name).is_file():
            lexicon = Lexicon(source)
            for term in read_vocabulary_names(vocab / name, column):
                lexicon.add(term, label)
            lexicons.append(lexicon)
    gene_table = vocab / "hgnc.tsv.gz"
    symbols = genes.read_symbols(gene_table) if gene_table.is_file() else frozenset()
    spec = json.loads((folder / "patterns.json").read_text(encoding="utf-8"))
    fragments: dict[str, str] = {}
    for key, value in spec["fragments"].items():
        fragments[key] = expand(value, fragments)
    patterns = tuple(
        Pattern(
            p["label"],
            p["source"],
            re.compile(
                expand(p["regex"], fragments), re.IGNORECASE if "i" in p.get("flags", "") else 0
            ),
            p.get("max_number"),
        )
        for p in spec["patterns"]
    )
    return Sources(
        tuple(lexicons),
        patterns,
        re.compile(fragments["name"]),
        frozenset(spec["not_names"]),
        symbols,
        tuple(spec.get("drug_stems", {}).get("stems", ())),
    )


@functools.cache
def shipped_sources() -> Sources:
    """The sources in resources/lexicons, read once per process."""
    return load_sources()
