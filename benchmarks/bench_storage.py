"""Storage floors and the JSONL export and import figures.

Floors, measured in this run on a synthetic database (10,000 documents,
1,000,000 spans by default):

- ``sqlite3_cli_json_dump``: rows per second of the ``sqlite3`` command-line
  shell dumping the spans an export carries as JSON (``-json``). Without the
  shell the floor, and the export ratio, are reported as missing; on Debian or
  Ubuntu: ``apt-get install sqlite3``.
- ``raw_executemany``: spans per second of the generator's bulk load (raw
  ``executemany`` into the migrated schema, secondary index rebuilt after).
- ``raw_committed_insert``: one row inserted and committed with the app's
  pragmas (WAL, ``synchronous=FULL``), the floor under adding a span.

Figures: ``jsonl_export`` at least 0.5x the CLI dump's rows per second, and
``jsonl_import`` at least 140,000 spans per second, through
``curator.core.interchange.jsonl.export_jsonl`` / ``import_jsonl`` where this
code base has them. Reported without a target: ``jsonl_reimport`` (the same
file imported again: every span looked up, none written) and ``export[FORMAT]``,
seconds to export one 1 MB article with 20,000 spans in every format.

    python -m benchmarks.bench_storage [--smoke] [--docs N] [--spans N]
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import (
    absolute,
    committed_insert_ms,
    emit,
    floor,
    machine,
    parser,
    ratio_min,
    unavailable,
)
from benchmarks.generate import make_article, make_corpus, write_database
from curator.core.storage import migrate
from curator.core.storage.db import open_database

# The spans an export carries, with their document, curator and label.
EXPORT_ROWS = """
SELECT d.uid AS document, a.uid AS id, a.start, a."end", l.name AS label, a.text,
       c.name AS curator, a.origin, a.note, a.created_at, a.updated_at
FROM annotation a
JOIN document d ON d.id = a.document_id
JOIN curator c ON c.id = a.curator_id
JOIN label l ON l.id = a.label_id
WHERE a.deleted_at IS NULL
ORDER BY a.document_id, a.start, a."end", a.uid
"""
SQLITE3_MISSING = "the sqlite3 shell is not installed (Debian/Ubuntu: apt-get install sqlite3)"


def cli_dump(path: Path, out: Path) -> float | None:
    """Rows per second of ``sqlite3 -json`` writing the export rows to *out*."""
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    with sqlite3.connect(path) as con:
        (rows,) = con.execute(f"SELECT count(*) FROM ({EXPORT_ROWS})").fetchone()
    with out.open("wb") as sink:
        began = time.perf_counter()
        subprocess.run([shell, "-json", str(path), EXPORT_ROWS], stdout=sink, check=True)
        seconds = time.perf_counter() - began
    return rows / seconds


def export_import(path: Path, folder: Path, cli_rate: float | None, spans: int) -> None:
    try:
        from curator.core.interchange.jsonl import export_jsonl
    except ImportError:
        unavailable("jsonl_export", "curator.core.interchange.jsonl.export_jsonl")
        unavailable("jsonl_import", "curator.core.interchange.jsonl.import_jsonl")
        return
    db = open_database(f"sqlite:///{path}")
    out = folder / "export.jsonl"
    began = time.perf_counter()
    export_jsonl(db, out)
    seconds = time.perf_counter() - began
    db.dispose()
    rate = spans / seconds
    extra: dict[str, Any] = {"spans": spans, "seconds": round(seconds, 3)}
    if cli_rate is None:
        absolute("jsonl_export", rate, "rows/s", floor_missing=SQLITE3_MISSING, **extra)
    else:
        ratio_min("jsonl_export", rate, cli_rate, "rows/s", 0.5, **extra)
    try:
        from curator.core.interchange.jsonl import import_jsonl
    except ImportError:
        try:
            from curator.core.interchange.jsonl_import import import_jsonl
        except ImportError:
            unavailable("jsonl_import", "curator.core.interchange.jsonl.import_jsonl")
            return
    target = open_database(f"sqlite:///{folder / 'imported.sqlite'}")
    migrate.upgrade(target, backup=False)
    began = time.perf_counter()
    import_jsonl(target, out)
    seconds = time.perf_counter() - began
    with sqlite3.connect(folder / "imported.sqlite") as con:
        (imported,) = con.execute("SELECT count(*) FROM annotation").fetchone()
    absolute(
        "jsonl_import",
        imported / seconds,
        "spans/s",
        at_least=140_000,
        spans=imported,
        seconds=round(seconds, 3),
    )
    began = time.perf_counter()
    report = import_jsonl(target, out)
    seconds = time.perf_counter() - began
    target.dispose()
    absolute(
        "jsonl_reimport",
        imported / seconds,
        "spans/s",
        spans=imported,
        unchanged=report.spans_unchanged,
        seconds=round(seconds, 3),
    )


def export_formats(folder: Path, size: int, spans: int) -> None:
    """Seconds to export one large article in every format (reported).

    The synthetic spans cross line breaks, which brat and PubTator cannot
    hold: the benchmark times the export of what each format holds and
    reports how many spans it left out.
    """
    from curator.core.interchange import FORMATS, export

    path = folder / "article.sqlite"
    write_database(path, [make_article(random.Random(3), size, spans)], "alice")
    db = open_database(f"sqlite:///{path}")
    try:
        for name, fmt in FORMATS.items():
            began = time.perf_counter()
            report = export(db, name, folder / f"article-{name}{fmt.suffix}", allow_loss=True)
            seconds = time.perf_counter() - began
            absolute(
                f"export[{name}]", seconds, "s", spans=report.spans, left_out=len(report.problems)
            )
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=10_000)
    p.add_argument("--spans", type=int, default=1_000_000)
    args = p.parse_args(argv)
    docs, spans = (20, 2_000) if args.smoke else (args.docs, args.spans)
    emit(machine())
    with tempfile.TemporaryDirectory(prefix="curator-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "corpus.sqlite"
        stats = write_database(path, make_corpus(7, docs, spans), "alice")
        extra = {"documents": stats.documents, "spans": stats.spans}
        floor("raw_executemany", stats.spans_per_second, "spans/s", **extra)
        cli_rate = cli_dump(path, folder / "dump.json")
        if cli_rate is None:
            emit({"figure": "sqlite3_cli_json_dump", "kind": "floor", "status": SQLITE3_MISSING})
        else:
            floor("sqlite3_cli_json_dump", cli_rate, "rows/s", **extra)
        floor("raw_committed_insert", committed_insert_ms(folder, 5 if args.smoke else 50), "ms")
        export_import(path, folder, cli_rate, stats.spans)
        export_formats(folder, *((20_000, 400) if args.smoke else (1_000_000, 20_000)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
