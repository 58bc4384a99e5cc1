"""Merge two curators' databases of N spans each and print the timings as JSON.

Usage: python benchmarks/merge.py [N] [--portable]   (default N = 500000)

Each database holds the same 50 documents; half of the second's spans are
copies of the first's (some edited later), half are new, so the merge does
inserts, updates and no-ops, then a second merge checks idempotence.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

from curator.core import migrate
from curator.core.db import open_database
from curator.core.merge import merge_databases

TEXT = "Ruxolitinib reduced spleen volume. " * 400


def build(path: Path, curator: str, uids: list[str], edited: set[str]) -> None:
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db, backup=False)
    db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO curator(name) VALUES (?)", (curator,))
        for d in range(50):
            text = f"{d} {TEXT}"
            uid = f"{d:064d}"
            conn.execute(
                "INSERT INTO document(uid, title, source, text, meta, created_at) "
                "VALUES (?, ?, '', ?, '{}', '2026-01-01 00:00:00.000000')",
                (uid, f"doc {d}", text),
            )
        rows = []
        for i, uid in enumerate(uids):
            start = (i * 7) % 10000
            stamp = "2026-01-03 00:00:00.000000" if uid in edited else "2026-01-02 00:00:00.000000"
            rows.append(
                (
                    uid,
                    1 + i % 50,
                    1,
                    1 + i % 4,
                    start,
                    start + 11,
                    f"{i % 50} {TEXT}"[start : start + 11],
                    stamp,
                    stamp,
                )
            )
        conn.executemany(
            'INSERT INTO annotation(uid, document_id, curator_id, label_id, start, "end", text, '
            "note, origin, created_at, updated_at, deleted_at, revision) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '', 'manual', ?, ?, NULL, 1)",
            rows,
        )
        conn.commit()


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "500000"))
    method = "portable" if "--portable" in sys.argv else "auto"
    shared = [str(uuid.uuid4()) for _ in range(n // 2)]
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder, "a.sqlite"), Path(folder, "b.sqlite")
        build(a, "alice", shared + [str(uuid.uuid4()) for _ in range(n - n // 2)], set())
        build(b, "alice", shared + [str(uuid.uuid4()) for _ in range(n - n // 2)],
              set(shared[: n // 10]))  # fmt: skip
        target, source = open_database(f"sqlite:///{a}"), open_database(f"sqlite:///{b}")
        t0 = time.perf_counter()
        report = merge_databases(target, [source], method=method)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = merge_databases(target, [source], method=method)
        second = time.perf_counter() - t0
        target.dispose()
        source.dispose()
    print(json.dumps({
        "spans_per_side": n, "method": method,
        "merge_seconds": round(first, 2), "remerge_seconds": round(second, 2),
        "added": report.spans_added, "updated": report.spans_updated,
        "remerge_changed": again.changed,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
