"""Synthetic hematology corpora for the benchmarks, written with fast bulk inserts.

Why synthetic: the figures need sizes no real article has (a 1 MB article
carrying 20,000 spans, 10,000 documents, 1,000,000 spans in one database),
reproducible from a seed on any machine. The text reads like the articles
curators tag (therapies with targets nested inside, outcomes with their
measures, named experts), and the spans come from the sentence templates, so
they nest and overlap the way real annotations do; paragraph-long spans are
mixed in so every length tier of the view's span index is exercised.

Databases are the real migrated schema filled with raw ``executemany`` (the
DESIGN's bulk path: the secondary index dropped during the load and rebuilt
after), so every other figure can build its input in seconds.

Run ``python -m benchmarks.generate --help``; it prints JSON like the others.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from curator.core.articles.text import text_uid
from curator.core.storage import migrate
from curator.core.storage.db import open_database

TARGETS = (
    "CD19", "CD7", "CD5", "BCMA", "CD3", "CD22", "CD13/APN", "GPRC5D", "JAK2", "MPL",
    "BCR-ABL1", "FLT3", "IDH1", "NPM1", "TP53", "USP22", "NAP1L1", "MHC II", "NF-κB/NLRP3 axis",
    "JAK/STAT pathway", "thrombopoietin receptor", "complement C5", "BTK", "BCL-2",
)  # fmt: skip
DRUGS = (
    "ruxolitinib", "blinatumomab", "luspatercept", "cyclosporine", "eltrombopag", "romiplostim",
    "venetoclax", "imatinib", "ibrutinib", "teclistamab", "daratumumab", "azacitidine",
    "hetrombopag", "avatrombopag", "eculizumab", "rituximab", "inotuzumab ozogamicin",
)  # fmt: skip
TARGETED_FORMS = (
    "{t} CAR-T cell therapy", "allogeneic {t} CAR-T cells", "{t}-directed bispecific antibody",
    "anti-{t} monoclonal antibody", "{t} inhibitor therapy",
)  # fmt: skip
REGIMENS = (
    "immunosuppressive therapy", "haploidentical hematopoietic stem cell transplantation",
    "intensive chemotherapy", "HSCT", "IST", "a mindfulness-based rehabilitation program",
    "reduced-intensity conditioning", "maintenance therapy",
)  # fmt: skip
ENDPOINTS = (
    "overall response rate", "complete response rate", "5-year event-free survival",
    "2-year overall survival", "MRD negativity", "platelet response", "transfusion independence",
    "relapse-free survival", "hematologic improvement",
)  # fmt: skip
FIRST = ("Xiaofan", "Jing", "Rong", "Wei", "Mei", "Anna", "David", "Lucia", "Hiroshi", "Priya")
LAST = ("Zhu", "Pan", "Fu", "Chen", "Wang", "Rossi", "Müller", "Tanaka", "Okafor", "Sharma")
DISEASES = (
    "relapsed T-ALL", "severe aplastic anemia", "immune thrombocytopenia", "multiple myeloma",
    "myelofibrosis", "B-cell ALL", "myelodysplastic syndromes", "chronic myeloid leukemia",
)  # fmt: skip
FILLER = (
    "Patients with {d} were enrolled between 2019 and 2024 at {n} centres.",
    "Baseline characteristics were balanced across arms, with a median age of {n} years.",
    "Adverse events were mostly grade 1–2 and resolved without sequelae.",
    "The panel discussed how these data should change practice in {d}.",
)  # fmt: skip
# Each template: text with {T}herapy, tar{G}et, {O}utcome and {E}xpert slots.
TEMPLATES = (
    "In the phase {n} cohort with {d}, {T} achieved the {O}.",
    "{E} reported that {T} targeting {G} improved the {O} in {d}.",
    "Compared with {T}, the {O} after {T} was higher, as {E} noted.",
    "Signalling through {G} was suppressed by {T}, and the {O} followed.",
    "According to {E}, the {O} with {T} supports earlier use in {d}.",
)  # fmt: skip
LABELS = ("therapy", "target", "outcome", "expert")
EPOCH = dt.datetime(2026, 1, 5, 9, 0, 0)


@dataclass(frozen=True, slots=True)
class SynthSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class SynthArticle:
    title: str
    text: str
    spans: list[SynthSpan]


class _Writer:
    """Appends text and records where each slot's fill landed."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[SynthSpan] = []

    def put(self, piece: str, label: str | None = None) -> None:
        if label is not None:
            self.spans.append(SynthSpan(self.pos, self.pos + len(piece), label))
        self.parts.append(piece)
        self.pos += len(piece)


def _therapy(rng: random.Random, w: _Writer) -> None:
    if rng.random() < 0.4:  # a target nested inside the therapy span
        form = rng.choice(TARGETED_FORMS)
        before, after = form.split("{t}")
        start = w.pos
        w.put(before)
        w.put(rng.choice(TARGETS), "target")
        w.put(after)
        w.spans.append(SynthSpan(start, w.pos, "therapy"))
    else:
        w.put(rng.choice(DRUGS + REGIMENS), "therapy")


def _outcome(rng: random.Random, w: _Writer) -> None:
    value = f"{rng.uniform(5, 95):.1f}%"
    w.put(f"{rng.choice(ENDPOINTS)} of {value} at week {rng.choice((13, 26, 52))}", "outcome")


def _sentence(rng: random.Random, w: _Writer) -> None:
    start, first_span = w.pos, len(w.spans)
    if rng.random() < 0.25:
        body = rng.choice(FILLER)
        w.put(body.format(d=rng.choice(DISEASES), n=rng.randint(2, 60)))
        return
    template = rng.choice(TEMPLATES)
    for i, chunk in enumerate(template.replace("{", "}").split("}")):
        if i % 2 == 0:
            w.put(chunk)
        elif chunk == "T":
            _therapy(rng, w)
        elif chunk == "G":
            w.put(rng.choice(TARGETS), "target")
        elif chunk == "O":
            _outcome(rng, w)
        elif chunk == "E":
            w.put(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "expert")
        elif chunk == "d":
            w.put(rng.choice(DISEASES))
        else:
            w.put(str(rng.randint(1, 3)))
    if rng.random() < 0.3 and len(w.spans) > first_span:
        # An outcome read as the whole claim: overlaps the therapy and nests the rest.
        w.spans.append(SynthSpan(w.spans[first_span].start, w.pos - 1, "outcome"))
    if rng.random() < 0.05:
        w.spans.append(SynthSpan(start, w.pos, "expert"))


def make_article(
    rng: random.Random, size: int, n_spans: int, *, paragraphs: bool = True, title: str = ""
) -> SynthArticle:
    """An article of about *size* characters carrying exactly *n_spans* spans.

    With ``paragraphs=False`` the body is one line without any line break
    (text pasted from a PDF), the worst case for a text layout.
    """
    w = _Writer()
    title = title or f"{rng.choice(TARGETS)} and {rng.choice(DRUGS)} in {rng.choice(DISEASES)}"
    w.put(title + "\n\n")
    while w.pos < size:
        para_start, sentences = w.pos, rng.randint(4, 10)
        for i in range(sentences):
            if i:
                w.put(" ")
            _sentence(rng, w)
        if rng.random() < 0.1:  # a paragraph-long span: the index's long tiers
            w.spans.append(SynthSpan(para_start, w.pos, rng.choice(LABELS)))
        if w.pos < size:
            w.put("\n\n" if paragraphs else " ")
    text = "".join(w.parts)
    spans = _fit(rng, text, w.spans + _crossing(rng, text, w.spans), n_spans)
    return SynthArticle(title, text, spans)


def _crossing(rng: random.Random, text: str, spans: list[SynthSpan]) -> list[SynthSpan]:
    """Spans that cross others: from the last word of a span to the end of the next.

    Curators disagree on edges ("Rossi reported" against "Jing Rossi"), so
    real layers hold spans that overlap without nesting, not only nested ones.
    """
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    out: list[SynthSpan] = []
    for a, b in itertools.pairwise(ordered):
        if rng.random() >= 0.08:
            continue
        cut = text.rfind(" ", a.start, a.end)
        if cut > a.start and a.start < b.start and b.end > a.end and b.end - cut < 120:
            out.append(SynthSpan(cut + 1, b.end, a.label))
    return out


def _fit(rng: random.Random, text: str, spans: list[SynthSpan], n: int) -> list[SynthSpan]:
    """Keep *n* of the template spans, or add word-window spans until there are *n*."""
    if len(spans) >= n:
        return sorted(rng.sample(spans, n), key=lambda s: (s.start, s.end))
    extra = list(spans)
    size = len(text)
    while len(extra) < n:
        start = rng.randrange(0, max(size - 40, 1))
        end = min(size, start + rng.randint(3, 40))
        if text[start:end].strip():
            extra.append(SynthSpan(start, end, rng.choice(LABELS)))
    return sorted(extra, key=lambda s: (s.start, s.end))


def make_corpus(
    seed: int, n_docs: int, total_spans: int, *, doc_size: int = 4000
) -> Iterator[SynthArticle]:
    """*n_docs* articles of about *doc_size* characters sharing *total_spans* spans."""
    rng = random.Random(seed)
    per_doc, remainder = divmod(total_spans, max(n_docs, 1))
    for i in range(n_docs):
        n = per_doc + (1 if i < remainder else 0)
        size = max(doc_size, n * 45)  # room for the spans at a realistic density
        yield make_article(rng, size, n, title=f"Synthetic article {i:05d}")


def variant(rng: random.Random, article: SynthArticle, agreement: float) -> SynthArticle:
    """The same article as a second curator tagged it: most spans equal, some not.

    For the merge and agreement figures: a fraction ``1 - agreement`` of spans
    gets another label, a shifted edge, or is dropped.
    """
    spans: list[SynthSpan] = []
    for s in article.spans:
        roll = rng.random()
        if roll < agreement:
            spans.append(s)
        elif roll < agreement + (1 - agreement) / 3:
            spans.append(SynthSpan(s.start, s.end, rng.choice(LABELS)))
        elif roll < agreement + 2 * (1 - agreement) / 3 and s.end < len(article.text):
            spans.append(SynthSpan(s.start, s.end + 1, s.label))
    return SynthArticle(article.title, article.text, spans)


@dataclass(frozen=True)
class WriteStats:
    documents: int
    spans: int
    seconds: float  # inserting the spans (executemany) and rebuilding the index

    @property
    def spans_per_second(self) -> float:
        return self.spans / self.seconds if self.seconds else 0.0


def _stamp(seconds: int) -> str:
    return (EPOCH + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S.%f")


def write_database(
    path: Path,
    articles: Iterable[SynthArticle],
    curator: str = "alice",
    *,
    seed: int = 7,
    batch: int = 50_000,
) -> WriteStats:
    """Create (or extend) a migrated database holding *articles* tagged by *curator*.

    Uids are drawn from *seed*, so the same call gives the same database;
    timestamps are fixed so two runs compare equal.
    """
    db = open_database(f"sqlite:///{path}")
    try:
        migrate.upgrade(db, backup=False)
    finally:
        db.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA cache_size = -262144")  # 256 MB while loading
        labels = dict(con.execute("SELECT name, id FROM label"))
        con.execute("INSERT OR IGNORE INTO curator (name) VALUES (?)", (curator,))
        (cur_id,) = con.execute("SELECT id FROM curator WHERE name = ?", (curator,)).fetchone()
        con.execute("BEGIN")
        con.execute("DROP INDEX IF EXISTS ix_annotation_document_curator")
        n_docs = n_spans = 0
        seconds = 0.0
        rows: list[tuple[object, ...]] = []

        def flush() -> None:
            nonlocal seconds
            began = time.perf_counter()
            con.executemany(
                "INSERT INTO annotation (uid, document_id, curator_id, label_id, start, "
                '"end", text, note, origin, created_at, updated_at, deleted_at, revision) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, '', 'manual', ?, ?, NULL, 1)",
                rows,
            )
            seconds += time.perf_counter() - began
            rows.clear()

        for article in articles:
            uid = text_uid(article.text)
            con.execute(
                "INSERT OR IGNORE INTO document (uid, title, source, text, meta, created_at) "
                "VALUES (?, ?, 'synthetic', ?, '{}', ?)",
                (uid, article.title, article.text, _stamp(0)),
            )
            (doc_id,) = con.execute("SELECT id FROM document WHERE uid = ?", (uid,)).fetchone()
            n_docs += 1
            text = article.text
            for s in article.spans:
                when = _stamp(n_spans)
                span_uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                rows.append(
                    (span_uid, doc_id, cur_id, labels[s.label], s.start, s.end,
                     text[s.start : s.end], when, when)
                )  # fmt: skip
                n_spans += 1
            if len(rows) >= batch:
                flush()
        flush()
        began = time.perf_counter()
        con.execute(
            "CREATE INDEX ix_annotation_document_curator ON annotation (document_id, curator_id)"
        )
        con.execute("COMMIT")
        seconds += time.perf_counter() - began
    finally:
        con.close()
    return WriteStats(n_docs, n_spans, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="SQLite file to create or extend")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=1_000_000, help="spans in all documents")
    parser.add_argument("--big", action="store_true", help="also a 1 MB article, 20,000 spans")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--curator", default="alice")
    args = parser.parse_args(argv)
    articles: Iterable[SynthArticle] = make_corpus(args.seed, args.docs, args.spans)
    if args.big:
        rng = random.Random(args.seed + 1)
        big = make_article(rng, 1_000_000, 20_000, title="Synthetic 1 MB article")
        articles = [big, *articles]
    stats = write_database(args.out, articles, args.curator, seed=args.seed)
    import json

    print(
        json.dumps(
            {
                "figure": "generate",
                "database": str(args.out),
                "documents": stats.documents,
                "spans": stats.spans,
                "spans_per_second": round(stats.spans_per_second),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
