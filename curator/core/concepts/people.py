"""The registry of people that ``expert`` spans link to, kept in the database.

Built as curators link: linking "Prof. Rong Fu" to a new person makes the
person, linking "Fu R" to that person later adds the spelling as a variant.
Each person's concept id is ``PERSON:`` and the uid's hex digits (``uid``
is global, so the id stays the same after a merge); the registry merges by uid like spans do.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from curator.core.concepts.vocabulary import Name
from curator.core.errors import CuratorError, NotFoundError
from curator.core.storage.db import Database
from curator.core.storage.models import Person, utcnow

PREFIX = "PERSON:"
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_TITLES = re.compile(r"^(?:(?:prof|professor|dr|mr|mrs|ms|sir)\.?\s+)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PersonInfo:
    uid: str
    name: str
    variants: tuple[str, ...]
    affiliation: str
    orcid: str | None
    revision: int

    @property
    def concept_id(self) -> str:
        return concept_id(self.uid)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


def concept_id(uid: str) -> str:
    """``PERSON:`` and the uid's 32 hex digits (no hyphens: brat ids are word characters)."""
    return PREFIX + uid.replace("-", "")


def uid_of(concept: str) -> str:
    """The registry uid a ``PERSON:`` concept id names."""
    try:
        return str(uuid.UUID(concept.removeprefix(PREFIX)))
    except ValueError:
        raise NotFoundError(f"{concept} is not an id of the people registry") from None


def bare_name(name: str) -> str:
    """A name without academic titles: "Prof. Rong Fu" -> "Rong Fu"."""
    return _TITLES.sub("", " ".join(name.split())).strip()


def _info(row: Person) -> PersonInfo:
    return PersonInfo(
        row.uid, row.name, tuple(json.loads(row.variants)), row.affiliation, row.orcid, row.revision
    )


def list_people(db: Database) -> list[PersonInfo]:
    """The live people of the registry, by name."""
    with db.read() as session:
        rows = session.scalars(
            select(Person).where(Person.deleted_at.is_(None)).order_by(Person.name, Person.uid)
        )
        return [_info(r) for r in rows]


def add_person(
    db: Database, name: str, *, affiliation: str = "", orcid: str | None = None
) -> PersonInfo:
    """A new person under *name* (titles removed); the spelling given is kept as a variant."""
    preferred = bare_name(name)
    if not preferred:
        raise CuratorError("a person needs a name")
    if orcid is not None and not _ORCID.fullmatch(orcid):
        raise CuratorError(f"ORCID {orcid!r} is not of the form 0000-0002-1825-0097")
    variants = [name.strip()] if name.strip() != preferred else []
    now = utcnow()
    row = Person(
        uid=str(uuid.uuid4()),
        name=preferred,
        variants=json.dumps(variants, ensure_ascii=False),
        affiliation=affiliation,
        orcid=orcid,
        created_at=now,
        updated_at=now,
        revision=1,
    )
    with db.write() as session:
        session.add(row)
        session.flush()
        return _info(row)


def add_variant(db: Database, uid: str, spelling: str) -> PersonInfo:
    """Record another spelling of a person (an edit: new revision), if it is new."""
    spelling = " ".join(spelling.split())
    with db.write() as session:
        row = session.scalar(select(Person).where(Person.uid == uid))
        if row is None:
            raise NotFoundError(f"no person with id {PREFIX}{uid}")
        variants = json.loads(row.variants)
        if spelling and spelling != row.name and spelling not in variants:
            row.variants = json.dumps([*variants, spelling], ensure_ascii=False)
            row.revision += 1
            row.updated_at = utcnow()
            session.flush()
        return _info(row)


def name_forms(name: str) -> list[str]:
    """Spellings of a name that articles use: "Rong Fu" also as "Fu R", "R. Fu", "R Fu"."""
    words = bare_name(name).replace(".", ". ").split()
    if len(words) < 2:
        return [bare_name(name)]
    given, family = words[:-1], words[-1]
    initials = "".join(w[0] for w in given)
    return [
        bare_name(name),
        f"{family} {initials}",
        f"{initials[0]}. {family}",
        f"{initials[0]} {family}",
    ]


def person_names(db: Database) -> list[Name]:
    """The registry as ranker names: each person's name, variants and their initialled forms."""
    out: list[Name] = []
    for p in list_people(db):
        seen: set[str] = set()
        for i, spelling in enumerate(p.names):
            for j, form in enumerate(dict.fromkeys([spelling, *name_forms(spelling)])):
                if form and form not in seen:
                    seen.add(form)
                    kind = "name" if i == j == 0 else "synonym"
                    out.append(Name(form, p.concept_id, p.name, kind))
    return out
