"""Annotate all across documents: tag a searched phrase in every document the search finds.

The in-document "annotate all" for a whole corpus. The documents are every
one the text search finds (all of them, not only the first ones it lists);
within each, the occurrences follow the in-document rules
(:func:`curator.core.spans.boundaries.occurrences`: whole words, case
ignored unless asked), so both find the same places.

An occurrence is judged against the curator's own live spans only: another
curator's span of the same words is their independent reading (agreement
is measured on exactly that), not a reason to skip. One that this curator
already tagged with the label is never tagged twice; one that overlaps a
span of theirs is offered but left out unless chosen.

Applying writes one transaction per document, so each document's batch is
one unit (the app's one undo step for that document); a document that fails
is rolled back whole and named, the others keep their batch.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select

from curator.core.errors import CuratorError
from curator.core.search.documents import found_documents
from curator.core.search.query import parse
from curator.core.spans.annotate import NewSpan, add_spans_in
from curator.core.spans.boundaries import occurrences
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, Label
from curator.core.storage.records import Span
from curator.core.storage.retry import retried
from curator.core.wording import counted

CONTEXT = 40  # characters of context each side, as the in-document dialog shows

NEW, TAGGED, OVERLAPS = "new", "tagged", "overlaps"


def phrase_of(query: str) -> str:
    """The phrase a text search looks for: its words and phrases, as typed, as one phrase.

    ``"bone marrow"`` and ``bone marrow`` both mean the phrase "bone marrow".
    A span search (``label:``…) or a prefix (``word*``) names no one phrase:
    refused with the reason.
    """
    parsed = parse(query)
    if parsed.filters:
        names = ", ".join(f"{name}:" for name in parsed.filters)
        raise CuratorError(
            f"annotate all tags a phrase of the text; {names} searches spans: "
            "search for words or a “quoted phrase” instead"
        )
    prefixed = [term for term in parsed.terms if term.endswith("*")]
    if prefixed:
        raise CuratorError(
            f"annotate all tags one exact phrase; “{prefixed[0]}” is a prefix: "
            "remove the * to tag that word"
        )
    return " ".join(" ".join(term.split()) for term in parsed.terms)


@dataclass(frozen=True, slots=True)
class Options:
    """How occurrences are found: the in-document dialog's two checkboxes."""

    case_sensitive: bool = False
    whole_word: bool = True


class MySpan(NamedTuple):
    """A live span of the curator's that crosses an occurrence."""

    label: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int
    end: int
    before: str  # plain text, on one line
    quote: str
    after: str
    mine: tuple[MySpan, ...] = ()
    """The curator's live spans that overlap it."""

    @property
    def key(self) -> tuple[int, int]:
        return self.start, self.end

    def status(self, label: str) -> str:
        """TAGGED: the curator has this very span; OVERLAPS: a span of theirs crosses it."""
        if any((m.label, m.start, m.end) == (label, *self.key) for m in self.mine):
            return TAGGED
        return OVERLAPS if self.mine else NEW

    def reason(self, label: str) -> str:
        """Why it is not offered as a plain new span ("" when it is)."""
        status = self.status(label)
        if status == TAGGED:
            return f"already tagged as {label}"
        if status == OVERLAPS:
            parts = [
                f"{m.label} “{_flat(m.quote)}”"
                for m in self.mine
                if (m.label, m.start, m.end) != (label, *self.key)
            ]
            return "overlaps " + ", ".join(parts)
        return ""

    def context(self) -> str:
        """The occurrence in its context, as both dialogs show it: "…before [quote] after…"."""
        return f"…{self.before} [{self.quote}] {self.after}…"


@dataclass(frozen=True, slots=True)
class DocumentOccurrences:
    document_uid: str
    title: str
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True, slots=True)
class Counts:
    occurrences: int
    documents: int
    tagged: int  # already tagged with the label by this curator
    overlapping: int  # crossing a span of this curator's

    @property
    def offered(self) -> int:
        return self.occurrences - self.tagged

    def summary(self, label: str) -> str:
        """ "37 occurrences in 12 documents; 5 already tagged as target, 2 overlap a span"."""
        text = f"{counted(self.occurrences, 'occurrence')} in {counted(self.documents, 'document')}"
        extra = []
        if self.tagged:
            extra.append(f"{self.tagged} already tagged" + (f" as {label}" if label else ""))
        if self.overlapping:
            extra.append(
                f"{self.overlapping} {'overlaps' if self.overlapping == 1 else 'overlap'} "
                "a span of yours"
            )
        return text + ("; " + ", ".join(extra) if extra else "")


@dataclass(frozen=True, slots=True)
class Plan:
    """What a search's annotate all would do: the occurrences per document, as found."""

    phrase: str
    options: Options
    documents: tuple[DocumentOccurrences, ...]
    searched: int  # documents the search found; some may hold no occurrence (title only…)

    def counts(self, label: str) -> Counts:
        every = [o for d in self.documents for o in d.occurrences]
        return Counts(
            len(every),
            len(self.documents),
            sum(o.status(label) == TAGGED for o in every),
            sum(o.status(label) == OVERLAPS for o in every),
        )

    def default_label(self) -> str | None:
        """The label the curator gave the phrase wherever they tagged exactly it, if one.

        As the in-document dialog takes the selection's own span's label: the
        phrase's own label, never the one used last; none (the curator
        chooses) when it is untagged or tagged with several labels.
        """
        labels = {
            m.label
            for d in self.documents
            for o in d.occurrences
            for m in o.mine
            if m[1:3] == o.key
        }
        return labels.pop() if len(labels) == 1 else None

    def default_choice(
        self, label: str, *, include_overlapping: bool = False
    ) -> dict[str, list[tuple[int, int]]]:
        """The occurrences ticked at first: new ones (and overlapping ones if asked)."""
        wanted = {NEW, OVERLAPS} if include_overlapping else {NEW}
        chosen = {
            d.document_uid: [o.key for o in d.occurrences if o.status(label) in wanted]
            for d in self.documents
        }
        return {uid: keys for uid, keys in chosen.items() if keys}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _occurrence(text: str, start: int, end: int) -> Occurrence:
    before = _flat(text[max(0, start - CONTEXT) : start])
    return Occurrence(start, end, before, _flat(text[start:end]), _flat(text[end : end + CONTEXT]))


_MINE = (
    select(Document.uid, Label.name, Annotation.start, Annotation.end, Annotation.text)
    .join(Document, Document.id == Annotation.document_id)
    .join(Curator, Curator.id == Annotation.curator_id)
    .join(Label, Label.id == Annotation.label_id)
    .where(Annotation.deleted_at.is_(None))
)
_CHUNK = 500  # documents per query of their spans


def _spans_of(db: Database, curator: str, uids: Sequence[str]) -> dict[str, list[MySpan]]:
    """The curator's live spans in the documents *uids*."""
    spans: dict[str, list[MySpan]] = {}
    with db.read() as session:
        for at in range(0, len(uids), _CHUNK):
            query = _MINE.where(Curator.name == curator, Document.uid.in_(uids[at : at + _CHUNK]))
            for uid, label, start, end, quote in session.execute(query):
                spans.setdefault(uid, []).append(MySpan(label, start, end, quote))
    return spans


def _with_mine(found: Sequence[Occurrence], spans: list[MySpan]) -> tuple[Occurrence, ...]:
    """The occurrences, each with the curator's spans that cross it.

    Spans are looked up by start (bisect), within the longest span's reach:
    an article may hold thousands of spans and the phrase a hundred times.
    """
    if not spans:
        return tuple(found)
    spans.sort(key=lambda m: (m.start, m.end))
    starts = [m.start for m in spans]
    reach = max(m.end - m.start for m in spans)
    marked = []
    for o in found:
        near = spans[bisect_left(starts, o.start - reach) : bisect_left(starts, o.end)]
        mine = tuple(sorted(m for m in near if o.start < m.end))
        marked.append(Occurrence(o.start, o.end, o.before, o.quote, o.after, mine) if mine else o)
    return tuple(marked)


def find_occurrences(db: Database, curator: str, query: str, options: Options = Options()) -> Plan:
    """Every occurrence of the searched phrase in every document the search finds."""
    phrase = phrase_of(query)
    found: list[tuple[str, str, list[Occurrence]]] = []
    searched = 0
    for uid, title, text in found_documents(db, parse(query)):
        searched += 1
        places = occurrences(
            text, phrase, case_sensitive=options.case_sensitive, whole_word=options.whole_word
        )
        if places:
            found.append((uid, title, [_occurrence(text, s, e) for s, e in places]))
    spans = _spans_of(db, curator, [uid for uid, _t, _o in found])
    documents = tuple(
        DocumentOccurrences(uid, title, _with_mine(occ, spans.get(uid, [])))
        for uid, title, occ in found
    )
    return Plan(phrase, options, documents, searched)


@dataclass(frozen=True, slots=True)
class Skipped:
    start: int
    end: int
    reason: str


@dataclass(slots=True)
class Applied:
    """One document's batch: the spans written, and the occurrences left out and why."""

    document_uid: str
    title: str
    spans: list[Span] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    error: str = ""  # the document's transaction failed: nothing of it was written


@retried
def apply_document(
    db: Database,
    curator: str,
    label: str,
    document: DocumentOccurrences,
    *,
    chosen: Sequence[tuple[int, int]],
    plan: Plan,
) -> Applied:
    """Tag the *chosen* occurrences of one document in one transaction.

    What changed since the preview is checked again inside it: a place that
    is not an occurrence of the phrase (by the plan's rules) is refused, and
    one the curator has meanwhile tagged with the label is skipped, named.
    """
    result = Applied(document.document_uid, document.title)
    with db.write() as session:
        row = session.execute(
            select(Document.id, Document.text).where(Document.uid == document.document_uid)
        ).first()
        if row is None:
            raise CuratorError(f"document “{document.title}” is no longer in the database")
        doc_id, text = row
        valid = set(
            occurrences(
                text,
                plan.phrase,
                case_sensitive=plan.options.case_sensitive,
                whole_word=plan.options.whole_word,
            )
        )
        have = {
            (s, e)
            for s, e in session.execute(
                select(Annotation.start, Annotation.end)
                .join(Curator, Curator.id == Annotation.curator_id)
                .join(Label, Label.id == Annotation.label_id)
                .where(
                    Annotation.document_id == doc_id,
                    Annotation.deleted_at.is_(None),
                    Curator.name == curator,
                    Label.name == label,
                )
            )
        }
        items = []
        for start, end in sorted(set(chosen)):
            if (start, end) not in valid:
                result.skipped.append(Skipped(start, end, f"not an occurrence of “{plan.phrase}”"))
            elif (start, end) in have:
                result.skipped.append(Skipped(start, end, f"already tagged as {label}"))
            else:
                items.append(NewSpan(start, end, label))
        if items:
            result.spans = add_spans_in(session, document.document_uid, curator, items)
    return result


def apply_plan(
    db: Database,
    curator: str,
    label: str,
    plan: Plan,
    chosen: Mapping[str, Sequence[tuple[int, int]]],
) -> list[Applied]:
    """Tag the chosen occurrences, one transaction per document, in the plan's order.

    A document whose transaction fails is reported (``error``) and the
    others still go ahead: each document's batch stands on its own.
    """
    results = []
    for document in plan.documents:
        keys = chosen.get(document.document_uid)
        if not keys:
            continue
        try:
            results.append(apply_document(db, curator, label, document, chosen=keys, plan=plan))
        except CuratorError as exc:
            results.append(Applied(document.document_uid, document.title, error=str(exc)))
    return results


def outcome(label: str, results: Sequence[Applied]) -> str:
    """What happened, in one sentence: "Tagged 32 occurrences as target in 12 documents"."""
    tagged = [r for r in results if r.spans]
    n = sum(len(r.spans) for r in tagged)
    text = f"Tagged {counted(n, 'occurrence')} as {label} in {counted(len(tagged), 'document')}"
    skipped = sum(len(r.skipped) for r in results)
    if skipped:
        text += f"; {skipped} skipped"
    failed = [r for r in results if r.error]
    if failed:
        text += f"; {counted(len(failed), 'document')} failed, nothing written there"
    return text
