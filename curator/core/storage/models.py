"""The database tables, as a typed SQLAlchemy 2 ORM.

Integrity lives in the database as well as in the code: offsets are checked
(``0 <= start < end`` and the quote has ``end - start`` characters), uids are
unique, foreign keys are enforced, and every constraint has a stable name
(through the naming convention) so Alembic can alter it later.

No ``from __future__ import annotations`` here: with it every ``Mapped[...]``
is a string SQLAlchemy evaluates again when it maps the class, about 4 ms of
every command's start for these ten tables.
"""

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
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


# Labels and relation types created under the same name in two databases
# must be the same thing after a merge, so their uid is derived from the name
# they were created with (uuid5), not drawn at random. A rename keeps the uid.
_SCHEME_NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e89-9a0b-4c2d8e7f1a35")


def label_uid(name: str) -> str:
    """The uid a label created as ``name`` gets, equal in every database."""
    return str(uuid.uuid5(_SCHEME_NAMESPACE, "label:" + name))


def relation_type_uid(name: str) -> str:
    """The uid a relation type created as ``name`` gets, equal in every database."""
    return str(uuid.uuid5(_SCHEME_NAMESPACE, "relation_type:" + name))


def _label_uid_default(context: Any) -> str:
    return label_uid(context.get_current_parameters()["name"])


def _relation_type_uid_default(context: Any) -> str:
    return relation_type_uid(context.get_current_parameters()["name"])


class Label(Base):
    """One label of the set curators tag with; a register by ``uid``.

    A rename, recolour or new key is an edit (``updated_at``, ``revision``)
    that travels with merges like a span's; a retired label keeps its spans
    and is only hidden from the keys (``deleted_at``).
    """

    __tablename__ = "label"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=_label_uid_default)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    color: Mapped[str] = mapped_column(String(7))
    shortcut: Mapped[str | None] = mapped_column(String(20), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )


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
    # Active annotation time in whole seconds, idle gaps left out. Only ever
    # grows for one curator, so a merge keeps the larger of two values.
    active_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status_known"),
        CheckConstraint("active_seconds >= 0", name="active_seconds_not_negative"),
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
    # The source's own confidence in [0, 1] (a trained model's); NULL: the
    # source's documented prior stands for it (core/suggest/confidence.py).
    score: Mapped[float | None] = mapped_column(Float, default=None)
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


class RelationType(Base):
    """A kind of link between two spans, with the labels its ends may carry.

    ``head_labels`` and ``tail_labels`` are JSON lists of label *uids*, so a
    renamed label keeps its rules. A register by ``uid`` like a label.
    """

    __tablename__ = "relation_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=_relation_type_uid_default)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    head_labels: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    tail_labels: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    shortcut: Mapped[str | None] = mapped_column(String(20), default=None)
    color: Mapped[str] = mapped_column(String(7), default="#555555")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )


class Relation(Base):
    """A typed link from one span (head) to another (tail) of the same layer.

    A register by ``uid`` exactly like an annotation: edits bump ``revision``,
    deletion is a tombstone (``deleted_at``), and a merge keeps the later
    ``(updated_at, revision, digest)`` whole. Ends are annotation *uids*,
    global across databases, so a relation means the same after a merge.
    Deleting a span tombstones its relations in the same transaction.
    """

    __tablename__ = "relation"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    curator_id: Mapped[int] = mapped_column(ForeignKey("curator.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_type.id"))
    head_uid: Mapped[str] = mapped_column(
        String(36), ForeignKey("annotation.uid", ondelete="CASCADE"), index=True
    )
    tail_uid: Mapped[str] = mapped_column(
        String(36), ForeignKey("annotation.uid", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("head_uid <> tail_uid", name="ends_differ"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint(
            "origin IN ('manual', 'suggested', 'imported', 'adjudicated')", name="origin_known"
        ),
        Index("ix_relation_document_curator", "document_id", "curator_id"),
    )


DEFAULT_LABELS: tuple[tuple[str, str, str, str], ...] = (
    # Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
    ("therapy", "#0072B2", "1", "A named treatment or kind of treatment given or studied."),
    ("target", "#E69F00", "2", "The molecule, antigen, gene or pathway a therapy acts through."),
    ("outcome", "#009E73", "3", "A reported result of a treatment or study, with its measure."),
    ("expert", "#CC79A7", "4", "A named person quoted, interviewed or credited."),
)


DEFAULT_RELATION_TYPES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str, str], ...] = (
    # name, head labels, tail labels, key, description
    (
        "acts_on",
        ("therapy",),
        ("target",),
        "a",
        "The therapy acts on, binds or inhibits the target.",
    ),
    ("has_outcome", ("therapy",), ("outcome",), "o", "The therapy was followed by the outcome."),
    (
        "reports",
        ("expert",),
        ("therapy", "target", "outcome"),
        "r",
        "The expert reported or is credited with the finding.",
    ),
)

# Tables the database holds beside the ORM's: SQLite's full-text index of
# documents (an FTS5 table and its shadow tables, made by migration 0007).
DERIVED_TABLE_PREFIX = "document_search"


def described_by_orm(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: leave the derived search tables out of comparisons."""
    return not (type_ == "table" and name is not None and name.startswith(DERIVED_TABLE_PREFIX))
