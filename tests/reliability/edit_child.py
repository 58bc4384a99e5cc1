"""A curator in a separate process: a stream of span edits through the core.

``python -m tests.reliability.edit_child DB SEED CURATOR [LIMIT]`` prints
``ready``, then one JSON line per edit *after* the core function returned,
that is after the commit. The crash and concurrency tests kill or race this
process and compare what it reported with what the database holds.
"""

from __future__ import annotations

import json
import random
import sys

from curator.core.articles import documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import open_database
from curator.core.storage.records import Span

LABELS = ("therapy", "target", "outcome", "expert")


def report(op: str, span: Span) -> None:
    record = {
        "op": op,
        "uid": span.uid,
        "revision": span.revision,
        "label": span.label,
        "start": span.start,
        "end": span.end,
        "deleted": span.deleted,
    }
    print(json.dumps(record), flush=True)


def random_range(rng: random.Random, length: int) -> tuple[int, int]:
    start = rng.randrange(0, length - 1)
    return start, rng.randint(start + 1, min(length, start + 60))


def main(db_path: str, seed: int, curator: str, limit: int) -> None:
    rng = random.Random(seed)
    db = open_database(f"sqlite:///{db_path}")
    texts = {d.uid: documents.get_document(db, d.uid).text for d in documents.list_documents(db)}
    uids = sorted(texts)
    spans: dict[str, Span] = {}
    for doc in uids:
        spans.update((s.uid, s) for s in annotate.spans_for(db, doc, curator, include_deleted=True))
    print("ready", flush=True)
    for _ in range(limit):
        live = [s for s in spans.values() if not s.deleted]
        dead = [s for s in spans.values() if s.deleted]
        op = rng.choice(["add", "add", "relabel", "resize", "delete", "restore"])
        if op == "add" or not live or (op == "restore" and not dead):
            doc = rng.choice(uids)
            start, end = random_range(rng, len(texts[doc]))
            op, span = "add", annotate.add_span(db, doc, curator, NewSpan(start, end, "therapy"))
        elif op == "relabel":
            old = rng.choice(live)
            span = annotate.relabel_span(db, old.uid, rng.choice(LABELS), old.revision)
        elif op == "resize":
            old = rng.choice(live)
            start, end = random_range(rng, len(texts[old.document_uid]))
            span = annotate.resize_span(db, old.uid, start, end, old.revision)
        elif op == "delete":
            old = rng.choice(live)
            span = annotate.delete_span(db, old.uid, old.revision)
        else:
            old = rng.choice(dead)
            span = annotate.restore_span(db, old.uid, old.revision)
        spans[span.uid] = span
        report(op, span)
    db.dispose()


if __name__ == "__main__":
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], limit)
