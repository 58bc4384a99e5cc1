"""Export and import speed: one 1 MB article with 20,000 spans, every format.

Prints JSON: seconds per export format and for importing the JSONL into an
empty database and again into the same one. Run: .venv/bin/python benchmarks/interchange_speed.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from curator.core import annotate, corpus, migrate
from curator.core.annotate import NewSpan
from curator.core.db import open_database
from curator.core.interchange import FORMATS, export
from curator.core.interchange.jsonl import import_jsonl

SENTENCE = "Ruxolitinib therapy lowered CD19 in most patients. "
SPANS = 20_000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'a.sqlite'}")
        migrate.upgrade(db)
        text = "Benchmark\n" + SENTENCE * SPANS  # about 1 MB
        (folder / "big.txt").write_text(text, encoding="utf-8")
        (article,) = corpus.import_articles(db, [folder / "big.txt"]).added
        items = []
        for i in range(SPANS):
            start = len("Benchmark\n") + i * len(SENTENCE)
            items.append(NewSpan(start, start + len("Ruxolitinib"), "therapy"))
        annotate.add_spans(db, article.uid, "ana", items)
        figures: dict[str, object] = {"text_chars": len(text), "spans": SPANS}
        for name, fmt in FORMATS.items():
            began = time.perf_counter()
            report = export(db, name, folder / f"out-{name}{fmt.suffix}")
            figures[f"export_{name}_s"] = round(time.perf_counter() - began, 3)
            assert report.spans == SPANS, (name, report.problems[:3])
        target = open_database(f"sqlite:///{folder / 'b.sqlite'}")
        migrate.upgrade(target)
        for run in ("import_jsonl_s", "reimport_jsonl_s"):
            began = time.perf_counter()
            import_jsonl(target, folder / "out-jsonl.jsonl")
            figures[run] = round(time.perf_counter() - began, 3)
        db.dispose()
        target.dispose()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
