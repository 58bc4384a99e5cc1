"""Which documents a few typed words point to: by title, by text, or by id.

The document list's filter box asks this: a curator remembers a phrase of
the article as often as its title, and a reviewer's note names a document
by the first characters of its id. Case-insensitive substring match; the
database does the scan, so nothing but the matching ids comes back.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from curator.core.storage.db import Database
from curator.core.storage.models import Document


def documents_matching(db: Database, phrase: str) -> set[str]:
    """Uids of the documents whose title or text contains *phrase*, or whose id starts
    with it (ignoring case); every document for an empty phrase."""
    needle = " ".join(phrase.split()).lower()
    query = select(Document.uid)
    if needle:
        query = query.where(
            or_(
                func.lower(Document.title).contains(needle, autoescape=True),
                func.lower(Document.text).contains(needle, autoescape=True),
                Document.uid.startswith(needle, autoescape=True),
            )
        )
    with db.read() as session:
        return set(session.scalars(query))
