"""Where the real files of other tools are kept, and how a test checks what came in."""

from __future__ import annotations

from sqlalchemy import select

from curator.core.storage.db import Database
from curator.core.storage.fragments import decode, quote
from curator.core.storage.models import Annotation, Document
from tests.conftest import REPO

INTEROP = REPO.parent / "shared" / "interop"


def stored(db: Database) -> list[tuple[str, int, int, str]]:
    """Every live span as (document text, start, end, quote), checked against the text
    (a mention in pieces says its pieces joined by a space)."""
    with db.read() as session:
        rows = session.execute(
            select(
                Document.text, Annotation.start, Annotation.end, Annotation.text,
                Annotation.fragments,
            ).join(Document, Document.id == Annotation.document_id)
        ).all()  # fmt: skip
    for text, start, end, quote_, raw in rows:
        assert quote(text, decode(raw), start, end) == quote_
    return [(r[0], r[1], r[2], r[3]) for r in rows]
