"""The concepts a span names: ids with a registry prefix, and their names.

A span's concepts are part of its content. They are stored on the span as
canonical JSON text, spelled exactly as the JSONL export writes them
(``[{"id": "HGNC:11913", "name": "TNFRSF17"}]``, ``", "`` and ``": "``
separators, non-ASCII kept), so the export copies the column as it is, two
databases compare them as plain strings in a merge, and an unlinked span
holds ``[]``.

Ids are CURIEs: a registry prefix, a colon and the registry's local id
(``HGNC:11913``, ``DRUGBANK:DB16655``, ``MESH:D000077269``, ``NCIT:C15431``,
``ORCID:0000-0002-1825-0097``, and ``PERSON:<uuid hex>`` for people of this
database's registry).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from curator.core.errors import CuratorError

_CURIE = re.compile(r"[A-Za-z][A-Za-z0-9_.]*:[^\s;|]+")
EMPTY = "[]"


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    name: str


NO_CONCEPTS: tuple[Concept, ...] = ()


def check_id(value: str) -> str:
    """*value* if it is a CURIE (``PREFIX:local``, no spaces, ``;`` or ``|``), else an error."""
    if not _CURIE.fullmatch(value):
        raise CuratorError(
            f"concept id {value!r} is not a prefixed id such as HGNC:11913 or DRUGBANK:DB16655"
        )
    return value


def encode(concepts: Iterable[Concept]) -> str:
    """The stored (and exported) spelling of *concepts*, in their order, without repeats."""
    seen: set[str] = set()
    items = []
    for c in concepts:
        if c.id in seen:
            continue
        seen.add(c.id)
        items.append({"id": c.id, "name": c.name})
    if not items:
        return EMPTY
    return json.dumps(items, ensure_ascii=False, separators=(", ", ": "))


def decode(text: str | None) -> tuple[Concept, ...]:
    """Concepts from their stored spelling (``[]`` or ``None``: none)."""
    if not text or text == EMPTY:
        return NO_CONCEPTS
    return tuple(Concept(str(o["id"]), str(o.get("name", ""))) for o in json.loads(text))


def parse(value: Any, where: str) -> tuple[Concept, ...]:
    """Concepts given in an input file: a list of ids, or of ``{"id", "name"}`` objects.

    Raises ``ValueError`` naming *where* and what is wrong; the caller adds the file.
    """
    if value is None:
        return NO_CONCEPTS
    if not isinstance(value, list):
        raise ValueError(f"{where}: 'concepts' must be a list of ids or of {{id, name}} objects")
    out: list[Concept] = []
    for item in value:
        if isinstance(item, str):
            cid, name = item, ""
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            cid = item["id"]
            name = item.get("name", "")
            if not isinstance(name, str):
                raise ValueError(f"{where}: the name of concept {cid!r} must be a string")
        else:
            raise ValueError(f"{where}: a concept must be an id string or an object with an 'id'")
        try:
            check_id(cid)
        except CuratorError as exc:
            raise ValueError(f"{where}: {exc}") from None
        out.append(Concept(cid, name))
    return decode(encode(out))


def ids(concepts: Sequence[Concept]) -> str:
    """The ids joined by ``;``, as BioC and PubTator write several ids of one mention."""
    return ";".join(c.id for c in concepts)


def from_ids(joined: str, where: str) -> tuple[Concept, ...]:
    """Concepts from ids joined by ``;`` (names unknown: empty)."""
    parts = [p.strip() for p in joined.split(";") if p.strip()]
    return parse(parts, where)


_MESH = re.compile(r"[CD]\d{6,9}")


def from_foreign_ids(joined: str) -> tuple[Concept, ...]:
    """Ids as other tools write them (PubTator, BioC ``identifier``), as CURIEs.

    PubTator joins several ids with ``;`` or ``|``, writes ``-`` for none and
    leaves the registry out of MeSH (``D003866``) and NCBI Gene (``7157``)
    ids; those get their prefix back. Anything else that is not a CURIE keeps
    its spelling under ``LOCAL:``, so nothing is dropped.
    """
    out = []
    for part in re.split(r"[;|,]", joined):
        value = part.strip()
        if not value or value == "-":
            continue
        if _CURIE.fullmatch(value):
            out.append(Concept(value, ""))
        elif _MESH.fullmatch(value):
            out.append(Concept("MESH:" + value, ""))
        elif value.isdigit():
            out.append(Concept("NCBIGene:" + value, ""))
        else:
            out.append(Concept("LOCAL:" + "_".join(value.split()), ""))
    return decode(encode(out))


def describe(concepts: Sequence[Concept]) -> str:
    """One line for a tooltip or a table cell: ``TNFRSF17 (HGNC:11913)``."""
    return "; ".join(f"{c.name} ({c.id})" if c.name else c.id for c in concepts)
