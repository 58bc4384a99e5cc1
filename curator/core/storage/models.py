"""The database tables, as a typed SQLAlchemy 2 ORM.

Integrity lives in the database as well as in the code: offsets are checked
(``0 <= start < end`` and the quote has ``end - start`` characters), uids are
unique, foreign keys are enforced, and every constraint has a stable name
(through the naming convention) so Alembic can alter it later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ORIGINS = ("manual", "suggested", "imported", "adjudicated")
SUGGESTION_STATES = ("pending", "accepted", "rejected")
STATUSES = ("new", "in_progress", "done")


def utcnow() -> dt.datetime:
    """Timestamps are UTC with microseconds, so 'later edit wins' can compare them."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, returns aware UTC, on SQLite and PostgreSQL alike.

    SQLite has no time zones and PostgreSQL's would return local offsets;
    normalising here keeps comparisons and exports identical on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC timestamps")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("length(uid) = 64", name="uid_sha256"),)


class Curator(Base):
    __tablename__ = "curator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class Label(Base):
    __tablename__ = "label"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    color: Mapped[str] = mapped_column(String(7))
    shortcut: Mapped[str | None] = mapped_column(String(20), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class Annotation(Base):
    __tablename__ = "annotation"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    curator_id: Mapped[int] = mapped_column(ForeignKey("curator.id"))
    label_id: Mapped[int] = mapped_column(ForeignKey("label.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The concepts the span names, as canonical JSON text (curator.core.storage.concepts):
    # part of the span's content, so a change is an edit and merges like one.
    concepts: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # A mention in several pieces: JSON [[start, end], ...] (see core/storage/fragments.py);
    # NULL is one contiguous piece. start/end stay the overall extent, and the
    # quote is the pieces' texts joined by a single space.
    fragments: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        CheckConstraint("start >= 0", name="start_not_negative"),
        CheckConstraint('start < "end"', name="start_before_end"),
        CheckConstraint(
            'fragments IS NOT NULL OR length(text) = "end" - start', name="quote_length"
        ),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint(
            "origin IN ('manual', 'suggested', 'imported', 'adjudicated')", name="origin_known"
        ),
        Index("ix_annotation_document_curator", "document_id", "curator_id"),
    )


class DocumentStatus(Base):
    """Per (document, curator) progress, and when the curator last opened it."""

    __tablename__ = "document_status"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    curator_id: Mapped[int] = mapped_column(ForeignKey("curator.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status_known"),
    )


class Suggestion(Base):
    """A span the app proposes to one curator; never an annotation until accepted.

    Kept apart from ``annotation`` so counts, exports and agreement never see
    it by accident. One row per (document, curator, start, end, label): a
    rejected row stays, so the same proposal is never made twice.
    """

    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    curator_id: Mapped[int] = mapped_column(ForeignKey("curator.id"))
    label_id: Mapped[int] = mapped_column(ForeignKey("label.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    annotation_uid: Mapped[str | None] = mapped_column(String(36), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("start >= 0", name="start_not_negative"),
        CheckConstraint('start < "end"', name="start_before_end"),
        CheckConstraint('length(text) = "end" - start', name="quote_length"),
        CheckConstraint("state IN ('pending', 'accepted', 'rejected')", name="state_known"),
        UniqueConstraint("document_id", "curator_id", "start", "end", "label_id"),
    )


DECISIONS = ("accept", "reject", "edit")


class ReviewDecision(Base):
    """One reviewer's decision about one source span: an append-only log.

    Provenance lives here, one row per source span, rather than in a JSON
    column on the adjudicated annotation: rows merge by ``uid`` as a plain
    union (never a conflict, so merging stays commutative and nothing is
    lost), one adjudicated span can cite several source spans (all curators
    who agreed) and be found from either side with an index, and a JSON
    list on the span would be overwritten whole by the later edit in a merge.
    Re-deciding adds a row; the latest row per (reviewer, source span) is
    the current decision. ``source_uid`` and ``result_uid`` are annotation
    uids, global across databases, so they stay meaningful after a merge.
    """

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("curator.id"))
    source_uid: Mapped[str] = mapped_column(String(36), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    result_uid: Mapped[str | None] = mapped_column(String(36), index=True, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("decision IN ('accept', 'reject', 'edit')", name="decision_known"),
        CheckConstraint(
            "(decision = 'reject') = (result_uid IS NULL)", name="result_unless_rejected"
        ),
        Index("ix_review_decision_document_reviewer", "document_id", "reviewer_id"),
    )


class Person(Base):
    """One person of the local registry that ``expert`` spans link to.

    A register by ``uid`` like an annotation: the later ``(updated_at,
    revision, digest)`` wins whole in a merge, and a deletion is a tombstone.
    ``variants`` is a JSON list of the other spellings met in articles.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(Text)
    variants: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    affiliation: Mapped[str] = mapped_column(Text, default="")
    orcid: Mapped[str | None] = mapped_column(String(19), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )


DEFAULT_LABELS: tuple[tuple[str, str, str, str], ...] = (
    # Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
    ("therapy", "#0072B2", "1", "A named treatment or kind of treatment given or studied."),
    ("target", "#E69F00", "2", "The molecule, antigen, gene or pathway a therapy acts through."),
    ("outcome", "#009E73", "3", "A reported result of a treatment or study, with its measure."),
    ("expert", "#CC79A7", "4", "A named person quoted, interviewed or credited."),
)
