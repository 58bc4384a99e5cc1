"""Extent rules: where a suggested span starts and ends, after the sources have spoken.

The sources (lexicons, patterns, optional libraries, a model) find
candidates; these rules bring them in line with the annotation guidelines
(``resources/guidelines.md``), whatever source proposed them:

- defining words: a therapy takes the words that define it ("cellular
  immunotherapy", "allogeneic CD5 CAR-T therapy", "combined chemotherapy"),
  not the bare head ("immunotherapy");
- a target is the molecule, never the "anti-" prefix ("anti-CD19" -> "CD19");
- a target followed by a class of agents is a therapy ("BCMA agents");
- an abbreviation defined in parentheses after a suggested long form
  ("haploidentical hematopoietic stem cell transplantation (HID-HSCT)") is
  proposed wherever it appears, with the label of the long form;
- nothing is proposed inside a reference list (journal titles such as
  "Bone Marrow Transplant" are not therapies) or inside the name of a
  department or group ("Cellular Immunotherapy Group").

Pure functions over (text, proposals): no database, no Qt.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from curator.core.suggest.proposal import Proposal

# Words that define a kind of therapy when they stand before it. Words that
# only describe it ("traditional", "conventional", "novel") are not here.
DEFINING_WORDS = frozenset(
    {
        "allogeneic",
        "autologous",
        "haploidentical",
        "haplo-identical",
        "universal",
        "combined",
        "combination",
        "cellular",
        "adoptive",
        "intensive",
        "induction",
        "consolidation",
        "consolidative",
        "maintenance",
        "salvage",
        "myeloablative",
        "nonmyeloablative",
        "non-myeloablative",
        "reduced-intensity",
        "high-dose",
        "low-dose",
        "targeted",
        "bispecific",
        "tandem",
        "dual-target",
        "second-generation",
        "third-generation",
        "fourth-generation",
        "off-the-shelf",
    }
)
# Hyphenated modifiers ending so define the therapy too ("donor-derived",
# "base-edited", "gene-knockout", "CD19-directed", "venetoclax-based").
_DEFINING_SUFFIX = re.compile(
    r"-(?:derived|edited|knockout|modified|engineered|directed|targeted|based|resistant|specific)$",
    re.IGNORECASE,
)
# Heads a defining word may be added to: kinds of therapy, not single drugs
# ("combined cyclosporine" is two things, "combined chemotherapy" is one).
_KIND_HEAD = re.compile(
    r"(?:therap(?:y|ies)|immunotherap(?:y|ies)|chemotherap(?:y|ies)|chemoimmunotherapy|"
    r"transplant(?:ation)?s?|CAR[- ]?T(?:[- ]cells?)?|cells?|HSCT|HCT|SCT|treatments?|"
    r"antibod(?:y|ies)|agents?|regimens?|conditioning|infusions?)$",
    re.IGNORECASE,
)
_PREVIOUS_WORD = re.compile(r"(?P<word>\w[\w/⁺-]*)(?P<comma>,?)[ \t\u00a0]*\n?[ \t\u00a0]*$")
# Classes of agents that, after a target, name a therapy aimed at it.
_AGENT_CLASS = re.compile(
    r"[ \t\u00a0]+(?:agents?|drugs?|inhibitors?|antibod(?:y|ies)|therap(?:y|ies)|blockade)"
    r"(?![\w-])",
    re.IGNORECASE,
)
_PRODUCT_CODE = re.compile(r"[ \t\u00a0]+[A-Z]{1,3}-?\d{1,4}[A-Za-z]?(?![\w-])")
# A therapy named as the kind of a place or team is not given or studied there.
# So is one named in a patient's state ("transfusion dependent", "transfusion
# independence" is an outcome's name).
_PLACE_AFTER = re.compile(
    r"[ \t\u00a0]*-?(?:center|centre|centers|centres|unit|units|facility|facilities|team|teams|"
    r"(?:in)?dependen(?:t|ce|cy)|physicians?)\b",
    re.IGNORECASE,
)
_LONG_WINDOW = re.compile(r"[^.;:,()\n]+$")
_ANTI = re.compile(r"anti[-\s]?", re.IGNORECASE)

_REFERENCES_HEADING = re.compile(
    r"^[ \t]*(?:references?|bibliography|literature cited|works cited|citations)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_REFERENCE_ENTRY = re.compile(r"^\s*(?:\[?\d{1,3}[.\])\]]|\S[^\n]*\b(?:19|20)\d\d\b)")
_ORGANISATION_OF = re.compile(
    r"\b(?:Department|Division|Institute|Center|Centre|Laboratory|Unit|School)\s+of\s+"
    r"(?:[A-Z][\w-]*[ \t]+){0,4}[A-Z][\w-]*"
)
_ORGANISATION_HEAD = re.compile(
    r"\b(?:Group|Committee|Branch|Department|Society|Association|Center|Centre|Institute|"
    r"Laboratory|Program|Programme|Alliance|Congress|Network|Consortium)\b"
)
_CAPITALISED_BEFORE = re.compile(r"(?:[A-Z][\w-]*[ \t]+){1,4}$")
_ABBREVIATION = re.compile(r"\s?\((?P<abbr>[A-Za-z][\w-]{0,11}[A-Za-z0-9]|[A-Z]{2})\)")


def apply(text: str, proposals: Sequence[Proposal]) -> list[Proposal]:
    """Every extent rule, in the order that makes each one see the others' work."""
    found = [trim_anti(text, p) for p in proposals]
    found += axes(text, found)
    found += targeted_agents(text, found)
    targets = _Targets(found)
    found = [with_code(text, with_defining_words(text, p, targets)) for p in found]
    found = [p for p in found if not _PLACE_AFTER.match(text, p.end) or p.label != "therapy"]
    found += long_forms(text, found)
    found += abbreviations(text, found)
    found += surnames(text, found)
    found = [p for p in found if not _part_of_a_longer_name(text, p)]
    blocked = _Regions(excluded_regions(text))
    return [p for p in found if not blocked.holds(p.start, p.end)]


# --- defining words ---------------------------------------------------------------------


class _Targets:
    """Where target proposals are, to ask "is there a target inside this word?" fast."""

    def __init__(self, proposals: Iterable[Proposal]) -> None:
        spans = sorted((p.start, p.end) for p in proposals if p.label == "target")
        self.starts = [s for s, _e in spans]
        self.ends = [e for _s, e in spans]

    def inside(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.starts) and self.starts[i] < end:
            if self.ends[i] <= end:
                return True
            i += 1
        return False


def with_defining_words(
    text: str, p: Proposal, others: Sequence[Proposal] | _Targets = ()
) -> Proposal:
    """Widen a therapy of a kind ("immunotherapy") over the words before it that define it.

    A defining word is one of :data:`DEFINING_WORDS`, a hyphenated modifier
    ("donor-derived", "CD19-directed"), an "anti-" word, or a target proposed
    at that place ("CD7" in "CD7 CAR-T cell therapy"). A comma may separate
    two modifiers ("donor-derived, CD5 gene-knockout CD5 CAR-T therapy") but
    never ends the widening at a word that defines nothing.
    """
    if p.label != "therapy" or not _KIND_HEAD.search(text[p.start : p.end]):
        return p
    targets = others if isinstance(others, _Targets) else _Targets(others)
    start = p.start
    while True:
        m = _PREVIOUS_WORD.search(text, max(0, start - 80), start)
        if m is None or m.end() != start:
            break
        word = m.group("word")
        where = (m.start("word"), m.end("word"))
        if word.endswith("-") and where[1] == start:
            start = where[0]  # a prefix joined by its hyphen: "anti-CD20 antibody"
            continue
        target = targets.inside(*where)
        adjective = word.casefold() in DEFINING_WORDS or bool(_DEFINING_SUFFIX.search(word))
        anti = bool(re.match(r"anti-\w", word, re.IGNORECASE))
        if not (adjective or anti or target):
            break
        if m.group("comma") and not adjective:
            break
        if m.group("comma") and start == p.start:
            break  # "CD5, CAR-T therapy": a list, not a modifier
        start = where[0]
    return p if start == p.start else replace(p, start=start)


def with_code(text: str, p: Proposal) -> Proposal:
    """A drug followed by its product code is one therapy: "romiplostim N01"."""
    if p.label != "therapy" or _KIND_HEAD.search(text[p.start : p.end]):
        return p
    m = _PRODUCT_CODE.match(text, p.end)
    return replace(p, end=m.end()) if m else p


def targeted_agents(text: str, proposals: Sequence[Proposal]) -> list[Proposal]:
    """A target followed by a class of agents is a therapy span: "BCMA agents"."""
    therapies = {(p.start, p.end) for p in proposals if p.label == "therapy"}
    covered = [(p.start, p.end) for p in proposals if p.label == "therapy"]
    out = []
    for p in proposals:
        if p.label != "target":
            continue
        m = _AGENT_CLASS.match(text, p.end)
        if m is None:
            continue
        span = (p.start, m.end())
        if span in therapies or any(s <= span[0] and span[1] <= e for s, e in covered):
            continue
        out.append(Proposal(span[0], span[1], "therapy", "rule:target-agents"))
    return out


# --- targets ----------------------------------------------------------------------------

_JOIN = re.compile(r"[/–—-]")
_AXIS = re.compile(
    r"(?:[ \t\u00a0]+[a-z][\w-]*)?[ \t\u00a0]+(?:axis|pathway|signal(?:l)?ing\s+pathway)\b",
    re.IGNORECASE,
)


def axes(text: str, proposals: Sequence[Proposal]) -> list[Proposal]:
    """Two targets joined by a slash or dash before "axis" or "pathway" are one target.

    "NF-κB/NLRP3 axis", "USP22–NAP1L1 deubiquitination axis": the axis is
    the span (the guidelines' example); the molecules inside it stay
    proposed on their own and the widest-span rule keeps the axis.
    """
    targets = sorted((p for p in proposals if p.label == "target"), key=lambda p: p.start)
    by_start = {p.start: p for p in targets}
    out = []
    for a in targets:
        join = _JOIN.match(text, a.end)
        if join is None:
            continue
        b = by_start.get(join.end())
        if b is None:
            continue
        tail = _AXIS.match(text, b.end)
        if tail is not None:
            out.append(Proposal(a.start, tail.end(), "target", "rule:axis"))
    return out


def trim_anti(text: str, p: Proposal) -> Proposal:
    """A target is the molecule: "anti-CD20" proposes "CD20"."""
    if p.label != "target":
        return p
    m = _ANTI.match(text, p.start, p.end)
    if m is None or m.end() >= p.end or not text[m.end()].isalnum():
        return p
    # "antithrombin" is a molecule of its own: only a hyphen or space marks the prefix.
    if m.end() - p.start == 4:
        return p
    return replace(p, start=m.end())


# --- abbreviations ----------------------------------------------------------------------


def abbreviations(text: str, proposals: Sequence[Proposal]) -> list[Proposal]:
    """Propose an abbreviation defined after a proposal wherever it appears, with its label.

    "haploidentical hematopoietic stem cell transplantation (HID-HSCT)": when
    a therapy proposal ends just before the bracket and the letters of
    "HID-HSCT" can be read in order from its words (the first letter starting
    a word), every whole-word "HID-HSCT" of the document is proposed as a
    therapy too.
    """
    defined: dict[str, Proposal] = {}
    for p in proposals:
        m = _ABBREVIATION.match(text, p.end)
        if m is None:
            continue
        abbr = m.group("abbr")
        if abbr in defined or abbr.islower() or not _abbreviates(abbr, text[p.start : p.end]):
            continue
        defined[abbr] = p
    if not defined:
        return []
    have = {(p.start, p.end, p.label) for p in proposals}
    alternation = "|".join(re.escape(a) for a in sorted(defined, key=len, reverse=True))
    out = []
    for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text):
        long_form = defined[m.group()]
        key = (m.start(), m.end(), long_form.label)
        if key in have:
            continue
        have.add(key)
        out.append(Proposal(m.start(), m.end(), long_form.label, "rule:abbreviation"))
    return out


def _abbreviates(abbr: str, long_form: str) -> bool:
    """Schwartz and Hearst's test: the short form's letters, in order, from the long form.

    Read backwards; the short form's first letter must start a word of the
    long form. Digits and hyphens of the short form are skipped, and the long
    form must be longer than the short one.
    """
    letters = [c.lower() for c in abbr if c.isalpha()]
    if len(letters) < 2 or len(long_form) <= len(abbr):
        return False
    lf = long_form.lower()
    i = len(lf) - 1
    for k in range(len(letters) - 1, -1, -1):
        c = letters[k]
        while i >= 0 and (lf[i] != c or (k == 0 and i > 0 and (lf[i - 1].isalnum()))):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


def long_forms(text: str, proposals: Sequence[Proposal]) -> list[Proposal]:
    """The long form before a proposed abbreviation in brackets gets its label.

    "activin A receptor type 1 (ACVR1)": when "ACVR1" is a target, the words
    before the bracket from which its letters read in order (Schwartz and
    Hearst's test, at most min(n + 5, 2n) words for n letters) are a target
    too. Never across a sentence or a clause (. ; : or a comma).
    """
    ends = {(p.end, p.label) for p in proposals}
    out = []
    for p in proposals:
        if p.start < 2 or text[p.start - 1] != "(" or text[p.end : p.end + 1] != ")":
            continue
        abbr = text[p.start : p.end]
        letters = sum(c.isalpha() for c in abbr)
        if letters < 2:
            continue
        end = p.start - 1
        while end > 0 and text[end - 1] in " \t\u00a0":
            end -= 1
        if (end, p.label) in ends:
            continue  # the long form is proposed already
        window = _LONG_WINDOW.search(text, max(0, end - 200), end)
        if window is None:
            continue
        words = list(re.finditer(r"\S+", window.group()))[-min(letters + 5, 2 * letters) :]
        for w in reversed(words):  # the shortest long form that reads as the abbreviation
            start = window.start() + w.start()
            if text[start].casefold() != abbr[0].casefold():
                continue
            if _abbreviates(abbr, text[start:end]):
                out.append(Proposal(start, end, p.label, "rule:long-form"))
                break
    return out


def surnames(text: str, proposals: Sequence[Proposal]) -> list[Proposal]:
    """The surname of a named expert, alone later in the text, is that expert: "Lin said".

    The surname is the last word of a proposed name of two or more words
    ("Dr. Mei Lin" -> "Lin"); it is proposed where it stands alone, not as
    part of another capitalised name ("Lin Wei"). Names of one word (a
    citation's surname) add nothing: they may be anyone of that name.
    """
    names: dict[str, str] = {}
    for p in proposals:
        if p.label == "expert":
            words = text[p.start : p.end].split()
            if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) >= 2:
                names[words[-1]] = p.source
    if not names:
        return []
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    have = {(p.start, p.end) for p in proposals if p.label == "expert"}
    out = []
    for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text):
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 40]
        if re.search(r"[A-Z][\w-]*[ \t]$", before) and not re.search(
            r"[.!?:][ \t]*\S*[ \t]$", before
        ):
            continue  # inside a longer name, unless that capital only starts a sentence
        if re.match(r"[ \t]+[A-Z][a-z]", after):
            continue
        if (m.start(), m.end()) not in have:
            out.append(Proposal(m.start(), m.end(), "expert", "rule:surname"))
    return out


def _part_of_a_longer_name(text: str, p: Proposal) -> bool:
    """A one-word expert followed by a capitalised word names something longer ("Wu Zhou Award")."""
    if p.label != "expert" or " " in text[p.start : p.end].strip():
        return False
    return re.match(r"[ \t\u00a0]+[A-Z][a-z]", text[p.end : p.end + 3]) is not None


# --- where nothing is proposed ------------------------------------------------------------


def excluded_regions(text: str) -> list[tuple[int, int]]:
    """Reference lists and the names of departments and groups.

    A reference list runs from its heading ("References") over the
    paragraphs that look like entries (numbered, or holding a year); the
    article's text after it (an author note, a profile) is not excluded.
    """
    regions = [(m.start(), m.end()) for m in _ORGANISATION_OF.finditer(text)]
    for head in _ORGANISATION_HEAD.finditer(text):
        before = _CAPITALISED_BEFORE.search(text, max(0, head.start() - 120), head.start())
        if before is not None:
            regions.append((before.start(), head.end()))
    for heading in _REFERENCES_HEADING.finditer(text):
        end = heading.end()
        for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text[end:]):
            if not _REFERENCE_ENTRY.match(para.group()):
                break
            end = heading.end() + para.end()
        regions.append((heading.start(), end))
    return regions


class _Regions:
    """Excluded regions merged and sorted, so a containment test is one bisection."""

    def __init__(self, regions: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(regions):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _e in merged]
        self.ends = [e for _s, e in merged]

    def holds(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.ends[i]
