"""Loading what :mod:`curator.core.agreement.measures` compares, from the database.

A document counts for a pair of curators only when both worked on it (each
has a status row or any span there, even a deleted one): a document one of
them never opened would otherwise count as total disagreement. Only live
(not deleted) spans are compared. Without ``--curators``, the curators
compared are those with live spans of their own (not ``adjudicated``), in
name order, every pair once.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, combinations
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from curator.core.agreement.bulk import Ints, SpanColumns, TokenTable, compare_columns
from curator.core.agreement.concepts import concept_agreement, linked_spans
from curator.core.agreement.measures import to_json
from curator.core.agreement.relations import load_relations, relation_agreement
from curator.core.agreement.spans_process import SpansProcess
from curator.core.agreement.tokens import OUTSIDE
from curator.core.errors import NotFoundError
from curator.core.storage.concepts import EMPTY
from curator.core.storage.db import Database
from curator.core.storage.models import Annotation, Curator, Document, DocumentStatus, Label


def default_curators(db: Database) -> list[str]:
    """Curators with a live span of their own; EXISTS stops at the first one found.

    (A DISTINCT over the join read every span: 0.3 s at a million.)
    """
    own = (
        select(Annotation.id)
        .where(
            Annotation.curator_id == Curator.id,
            Annotation.deleted_at.is_(None),
            Annotation.origin != "adjudicated",
        )
        .exists()
    )
    with db.read() as session:
        return list(session.scalars(select(Curator.name).where(own).order_by(Curator.name)))


def label_names(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Label.name).order_by(Label.position, Label.name)))


_FLAGS = "((deleted_at IS NULL) << 2) | ((origin != 'adjudicated') << 1) | (concepts != '[]')"
_TWO_PER_ROW = f"""
SELECT (document_id << 32) | (curator_id << 16) | (label_id << 3) | {_FLAGS},
       CASE WHEN start < 2147483648 AND "end" < 2147483648 THEN (start << 31) | "end" END
FROM annotation WHERE curator_id IN ({{}})
"""
_MIN_OFFSET_BITS = 16  # below this, one integer a row would miss most long documents


def _one_per_row(curator_bits: int, label_bits: int, document_bits: int) -> str | None:
    """The span columns packed in one integer a row, when the ids leave room for the offsets.

    Start and end get what the ids and the three flags leave of 63 bits,
    half each; a span beyond that comes as NULL (and the read falls back).
    """
    offset_bits = _offset_bits(curator_bits, label_bits, document_bits)
    if offset_bits < _MIN_OFFSET_BITS:
        return None
    ids = (
        f"((((document_id << {curator_bits}) | curator_id) << {label_bits} | label_id) << 3"
        f" | {_FLAGS})"
    )
    return f"""
SELECT CASE WHEN start < {1 << offset_bits} AND "end" < {1 << offset_bits}
       THEN ({ids} << {2 * offset_bits}) | (start << {offset_bits}) | "end" END
FROM annotation WHERE curator_id IN ({{}})
"""


def _offset_bits(curator_bits: int, label_bits: int, document_bits: int) -> int:
    return (63 - document_bits - curator_bits - label_bits - 3) // 2


def _unpack_one(packed: Ints, curator_bits: int, label_bits: int, document_bits: int) -> list[Ints]:
    offset_bits = _offset_bits(curator_bits, label_bits, document_bits)
    offsets = (1 << offset_bits) - 1
    ids = packed >> (2 * offset_bits)
    label_at = 3
    curator_at = label_at + label_bits
    return [
        (ids >> curator_at) & ((1 << curator_bits) - 1),
        ids >> (curator_at + curator_bits),
        (packed >> offset_bits) & offsets,
        packed & offsets,
        (ids >> label_at) & ((1 << label_bits) - 1),
        (ids >> 2) & 1,
        (ids >> 1) & 1,
        ids & 1,
    ]


def _unpack_two(packed: Ints) -> list[Ints]:
    ids, offsets = packed.reshape(-1, 2).T
    return [
        (ids >> 16) & 0xFFFF,
        ids >> 32,
        offsets >> 31,
        offsets & 0x7FFFFFFF,
        (ids >> 3) & 0x1FFF,
        (ids >> 2) & 1,
        (ids >> 1) & 1,
        ids & 1,
    ]


def _packed(
    session: Session, curators: Sequence[int], helper: SpansProcess | None = None
) -> list[Ints] | None:
    """The span columns of :class:`_Rows` read on SQLite as one or two integers a row.

    The driver makes a Python integer of every value: seven a row were most
    of reading a million spans, so SQLite packs them: in one integer when the
    largest ids leave room for the offsets (a fifth less time than two), else
    in two (document, curator, label and the three flags in one, start and end
    in the other). None when the ids are too large to pack or an offset is
    (it comes as NULL), or off SQLite. *helper*, a pinned child process,
    reads the later half of the rows packed in one integer meanwhile.
    """
    connection = session.connection()
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection) or not curators:
        return None
    labels = session.scalar(select(func.max(Label.id))) or 0
    documents = session.scalar(select(func.max(Document.id))) or 0
    if max(curators) >= 2**13 or labels >= 2**13 or documents >= 2**31:
        return None
    listed = ", ".join(str(int(c)) for c in curators)
    bits = (max(curators).bit_length(), max(labels, 1).bit_length(), documents.bit_length())
    one = _one_per_row(*bits)
    if one is not None:
        query = one.format(listed)
        found = _read_ints(driver, query) if helper is None else _halves(session, query, helper)
        if found is not None:
            return _unpack_one(found, *bits)
    found = _read_ints(driver, _TWO_PER_ROW.format(listed))
    return None if found is None else _unpack_two(found)


def _halves(session: Session, query: str, helper: SpansProcess) -> Ints | None:
    """*query*'s values: the rows of the later half of the span ids read by *helper* meanwhile.

    In the order of one scan (by id); the rows of a helper that failed are
    read here; None when a row does not pack.
    """
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    low, high = session.execute(select(func.min(Annotation.id), func.max(Annotation.id))).one()
    if low is None:
        return _read_ints(driver, query)
    split = (int(low) + int(high)) // 2
    later = f"{query} AND id > {split}"
    if not helper.read(later):
        return _read_ints(driver, query)
    first = _read_ints(driver, f"{query} AND id <= {split}")
    theirs, unpacked = helper.values()
    if first is None or unpacked:
        return None
    if theirs is None:  # the child failed: its half is read here
        theirs = _read_ints(driver, later)
    return None if theirs is None else np.concatenate((first, theirs))


def _read_ints(driver: sqlite3.Connection, query: str) -> Ints | None:
    """Every value of *query*'s rows in one array; None when one is NULL."""
    try:
        return np.fromiter(chain.from_iterable(driver.execute(query)), dtype=np.int64)
    except TypeError:  # a NULL: an offset too large to pack
        return None


def _selected(session: Session, curators: Sequence[int]) -> list[Ints]:
    """The span columns of :class:`_Rows` read one value at a time: any database, any size."""
    table = Annotation.__table__.c
    query = select(
        table.curator_id,
        table.document_id,
        table.start,
        table.end,
        table.label_id,
        table.deleted_at.is_(None),
        table.origin != "adjudicated",
        table.concepts != EMPTY,
    ).where(table.curator_id.in_(list(curators)))
    flat = np.fromiter(chain.from_iterable(_rows(session, query)), dtype=np.int64)
    return list(flat.reshape(-1, 8).T)


class _Rows:
    """Every span of the compared curators, deleted ones too, as integer columns.

    One scan of the span table: deleted spans still say who worked on a
    document, the live ones are compared, a flag says whether any is linked
    to a concept (only then are the concepts read), and another whether it
    is the curator's own (not ``adjudicated``), which, read for every
    curator, says which are compared by default.
    """

    def __init__(
        self, session: Session, curators: Sequence[int], helper: SpansProcess | None = None
    ) -> None:
        columns = _packed(session, curators, helper) or _selected(session, curators)
        self.curator, self.document, self.start, self.end, self.label = columns[:5]
        self.live = columns[5].astype(bool)
        self._own = columns[6]
        self._linked = columns[7]

    def with_own_spans(self) -> set[int]:
        """The curators with a live span of their own."""
        return set(np.unique(self.curator[self.live & self._own.astype(bool)]).tolist())

    def keep(self, curators: Iterable[int]) -> None:
        """Only the spans of *curators*."""
        mine = np.isin(self.curator, np.fromiter(curators, dtype=np.int64))
        if not mine.all():
            self.curator, self.document = self.curator[mine], self.document[mine]
            self.start, self.end, self.label = self.start[mine], self.end[mine], self.label[mine]
            self.live, self._linked = self.live[mine], self._linked[mine]

    @property
    def linked(self) -> bool:
        """Whether any live span is linked to a concept."""
        return bool(np.any(self.live & self._linked.astype(bool)))

    def worked_pairs(self) -> Iterable[tuple[int, int]]:
        """(curator id, document id) of every span, once each."""
        if not len(self.curator):
            return []
        width = int(self.document.max()) + 1
        both = np.unique(self.curator * width + self.document)
        return zip((both // width).tolist(), (both % width).tolist(), strict=True)


def _worked_on(
    session: Session, curators: dict[int, str], docs: dict[int, str], rows: _Rows
) -> dict[str, set[str]]:
    """Curator name -> uids of the documents they worked on (a status, or any span)."""
    statuses = session.execute(select(DocumentStatus.curator_id, DocumentStatus.document_id))
    out: dict[str, set[str]] = {name: set() for name in curators.values()}
    for cur_id, doc_id in chain(statuses, rows.worked_pairs()):
        if cur_id in curators:
            out[curators[cur_id]].add(docs[doc_id])
    return out


class _Compared:
    """The live spans of each curator as :class:`SpanColumns` over the token table's rows."""

    def __init__(
        self,
        rows: _Rows,
        row_of: dict[int, int],
        label_ids: dict[int, str],
        names: list[str],
        label: str | None,
    ) -> None:
        code = {name: i for i, name in enumerate(names)}
        size = max(label_ids, default=0) + 1
        self.code_of = np.full(size, -1, dtype=np.int64)
        for id_, name in label_ids.items():
            self.code_of[id_] = code[name]
        size = max([*row_of, int(rows.document.max(initial=0))]) + 1
        self.row_of = np.full(size, -1, dtype=np.int64)
        for doc_id, row in row_of.items():
            self.row_of[doc_id] = row
        keep = rows.live & (self.row_of[rows.document] >= 0)
        if label is not None:
            keep &= self.code_of[rows.label] == code[label]
        self.rows = rows
        self.keep = keep
        self.names = names
        self._by_curator: dict[int, SpanColumns] = {}
        self._by_row: dict[int, tuple[Ints, SpanColumns]] = {}

    def of(self, curator: int) -> SpanColumns:
        found = self._by_curator.get(curator)
        if found is None:
            r = self.rows
            mine = np.flatnonzero(self.keep & (r.curator == curator))
            doc, label = self.row_of[r.document[mine]], self.code_of[r.label[mine]]
            found = SpanColumns(doc, r.start[mine], r.end[mine], label)
            self._by_curator[curator] = found
        return found

    def keys(self, curator: int, row: int) -> Counter[tuple[int, int, str]]:
        """A curator's live spans in one document, as ``(start, end, label)`` counts."""
        found = self._by_row.get(curator)
        if found is None:
            spans = self.of(curator)
            order = np.argsort(spans.doc, kind="stable")
            found = self._by_row[curator] = (spans.doc[order], spans.take(order))
        rows, spans = found
        lo, hi = np.searchsorted(rows, [row, row + 1]).tolist()
        names = self.names
        return Counter(
            (start, end, names[code])
            for start, end, code in zip(
                spans.start[lo:hi].tolist(),
                spans.end[lo:hi].tolist(),
                spans.label[lo:hi].tolist(),
                strict=True,
            )
        )


def _rows(session: Session, query: Select[Any]) -> Iterable[Sequence[Any]]:
    """The rows of an all-integer *query*; on SQLite as the driver's plain tuples.

    A million spans: SQLAlchemy's row objects cost a third of loading them.
    The query holds only integer and plain string parameters, so it is
    rendered with them inline.
    """
    connection = session.connection()
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        return session.execute(query)
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    return driver.execute(str(compiled))


@contextlib.contextmanager
def _pinned(db: Database, helper: SpansProcess | None) -> Iterator[None]:
    """The write lock held for a moment, so that the body's first read and *helper*'s
    read transaction begin on the same snapshot (nobody can commit meanwhile).

    No lock (another program writing, a file this process cannot write): the
    helper is not pinned, and not used.
    """
    if helper is None or db.path is None:
        yield
        return
    probe = None
    locked = False
    try:
        probe = sqlite3.connect(
            db.path.resolve().as_uri() + "?mode=rw", uri=True, timeout=0.25, isolation_level=None
        )
        probe.execute("BEGIN IMMEDIATE")
        locked = True
    except sqlite3.Error:
        pass
    try:
        yield
        if locked:
            helper.pin()
    finally:
        if probe is not None:
            with contextlib.suppress(sqlite3.Error):
                probe.execute("ROLLBACK")
            probe.close()


def _compared_curators(
    session: Session,
    known: dict[str, int],
    curators: Sequence[str] | None,
    where: str,
    helper: SpansProcess | None,
) -> tuple[list[str], _Rows]:
    """The curators compared, and their spans.

    Without *curators*, one read of every curator's spans says who has live
    spans of their own (an EXISTS per curator, with no index on the curator,
    read a growing part of the table for each).
    """
    if curators:
        names = list(curators)
        for name in names:
            if name not in known:
                raise NotFoundError(f"no curator called {name!r} in {where}")
        return names, _Rows(session, sorted({known[name] for name in names}), helper)
    rows = _Rows(session, sorted(known.values()), helper)
    own = rows.with_own_spans()
    names = sorted(name for name, id_ in known.items() if id_ in own)
    rows.keep(known[name] for name in names)
    return names, rows


def agreement_report(
    db: Database,
    curators: Sequence[str] | None = None,
    label: str | None = None,
    documents: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    helper: SpansProcess | None = None,
) -> dict[str, object]:
    """The ``curator agreement --json`` document; *progress* counts the pairs compared.

    *helper*: a child process that reads half the spans meanwhile
    (:func:`curator.core.agreement.spans_process.helper_for`).

    Computed by :func:`~curator.core.agreement.bulk.compare_columns`, which
    gives what :func:`~curator.core.agreement.measures.compare` (the
    definition) gives, from columns instead of a Python object per span.
    """
    labels = label_names(db)
    if label is not None and label not in labels:
        raise NotFoundError(f"unknown label {label!r} (labels: {', '.join(labels)})")
    chosen = None if documents is None else set(documents)
    with db.read() as session:
        with _pinned(db, helper):  # the session's first read begins its snapshot
            known = {name: id_ for id_, name in session.execute(select(Curator.id, Curator.name))}
        names, rows = _compared_curators(session, known, curators, db.display_name, helper)
        by_id = {known[name]: name for name in names}
        uids = {id_: uid for id_, uid in session.execute(select(Document.id, Document.uid))}
        label_ids = {id_: name for id_, name in session.execute(select(Label.id, Label.name))}
        worked = _worked_on(session, by_id, uids, rows)
        todo = list(combinations(names, 2))
        compared: dict[tuple[str, str], list[str]] = {}
        for a, b in todo:
            both = sorted(worked[a] & worked[b])
            compared[(a, b)] = both if chosen is None else [u for u in both if u in chosen]
        needed = sorted({uid for both in compared.values() for uid in both})
        row_of_uid = {uid: row for row, uid in enumerate(needed)}
        texts = [""] * len(needed)
        row_of: dict[int, int] = {}
        for id_, uid, text in session.execute(select(Document.id, Document.uid, Document.text)):
            row = row_of_uid.get(uid)
            if row is not None:
                texts[row] = text
                row_of[id_] = row
        linked = linked_spans(session, by_id, uids) if rows.linked else {}
        relations = load_relations(session, by_id, uids)
    codes = sorted(set(label_ids.values()) | {OUTSIDE})
    spans = _Compared(rows, row_of, label_ids, codes, label)
    del rows
    table = TokenTable(texts)

    def keys_of(who: str, uid: str) -> Counter[tuple[int, int, str]]:
        return spans.keys(known[who], row_of_uid[uid])

    pairs = []
    for done, (a, b) in enumerate(todo, 1):
        both = compared[(a, b)]
        id_a, id_b = known[a], known[b]
        measured = compare_columns(
            table,
            [row_of_uid[uid] for uid in both],
            both,
            spans.of(id_a),
            spans.of(id_b),
            names=codes,
            labels=[label] if label else labels,
        )
        pair = to_json(a, b, measured)
        rows_by_label: dict[str, dict[str, object]] = pair["labels"]  # type: ignore[assignment]
        exact_by_label = {name: measured.labels[name][0].matched for name in rows_by_label}
        agree = concept_agreement(
            a, b, both, matched=exact_by_label, keys_of=keys_of, linked=linked
        )
        for name, entry in rows_by_label.items():
            n, same = agree.get(name, (0, 0))
            entry["concepts_matched"] = n
            entry["concepts_agree"] = round(same / n, 4) if n else None
        pair["relations"] = relation_agreement(a, b, both, relations)
        pairs.append(pair)
        if progress:
            progress(done, len(todo))
    return {"pairs": pairs}
