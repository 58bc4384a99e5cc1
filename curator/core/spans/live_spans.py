"""The live spans of one document for one curator, as the open editor keeps them.

Separate from :func:`curator.core.spans.annotate.spans_for` because the editor holds
every span of the open article (20,000 in a long one) for as long as it is
open: the query leaves out the quote and the timestamps (the quote is cut from
the text on demand, nothing on screen shows the timestamps), and the strings
that every row repeats are shared.
"""

from __future__ import annotations

import sys

from sqlalchemy import select

from curator.core.spans.annotate import stored_concepts
from curator.core.storage.concepts import EMPTY, NO_CONCEPTS
from curator.core.storage.db import Database
from curator.core.storage.fragments import decode
from curator.core.storage.models import Annotation, Curator, Document, Label
from curator.core.storage.records import LiveSpan, SpanSource

_LIVE = (
    select(
        Annotation.uid,
        Label.name,
        Annotation.start,
        Annotation.end,
        Annotation.note,
        Annotation.origin,
        Annotation.revision,
        Annotation.concepts,
        Annotation.fragments,
    )
    .join(Document, Document.id == Annotation.document_id)
    .join(Curator, Curator.id == Annotation.curator_id)
    .join(Label, Label.id == Annotation.label_id)
    .where(Annotation.deleted_at.is_(None))
    .order_by(Annotation.start, Annotation.end, Annotation.uid)
)


def live_spans(db: Database, source: SpanSource) -> list[LiveSpan]:
    """The live spans of *source*'s document by its curator, in text order."""
    query = _LIVE.where(Document.uid == source.document_uid, Curator.name == source.curator)
    intern = sys.intern
    names: dict[str, str] = {}  # label and origin names: a handful, shared by every row
    with db.read() as session:
        result = session.connection().execute(query)
        return [
            LiveSpan(
                uid,
                names.get(label) or names.setdefault(label, intern(label)),
                start,
                end,
                note=note,
                origin=names.get(origin) or names.setdefault(origin, intern(origin)),
                revision=revision,
                source=source,
                concepts=NO_CONCEPTS if linked == EMPTY else stored_concepts(linked),
                fragments=None if pieces is None else decode(pieces),
            )
            for batch in result.partitions(2000)
            for uid, label, start, end, note, origin, revision, linked, pieces in batch
        ]
