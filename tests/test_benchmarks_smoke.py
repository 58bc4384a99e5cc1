"""The benchmark scripts run and print their figures (tiny sizes, no timing asserted).

Speed targets are judged by the scripts themselves on full sizes (see
benchmarks/README.md); here each script runs with ``--smoke`` in its own
process, as a developer would run it, and must print one JSON object per
line naming every figure it promises, with a value and a verdict or a reason
why it is not measured.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import make_article, make_corpus, variant, write_database
from benchmarks.table import table
from curator.core.interchange import FORMATS
from tests.conftest import REPO

LAYOUTS = ("paragraphs", "one_paragraph")
VIEW = [f"{name}[{layout}]" for layout in LAYOUTS for name in (
    "bare_first_frame", "open_first_frame", "bare_repaint", "repaint",
    "bare_scroll_page", "scroll_page",
)]  # fmt: skip
EXPECTED = {
    "bench_view": ["machine", *VIEW],
    "bench_window": ["machine"]
    + [
        f"{name}[{layout}]"
        for layout in LAYOUTS
        for name in ("open_document", "memory", "raw_committed_insert", "add_span", "delete_span")
    ]
    + [
        f"{name}[paragraphs+relations]"
        for name in (
            "open_document", "memory", "raw_committed_insert", "add_span", "delete_span",
            "bare_repaint", "repaint", "repaint_without_relations", "repaint_relations_drawn",
            "relate_key", "sqlite3_read_relations", "relations_for",
        )
    ],
    "bench_storage": [
        "machine", "raw_executemany", "sqlite3_cli_json_dump", "raw_committed_insert",
        "jsonl_export", "jsonl_import", "jsonl_reimport",
        *(f"export[{name}]" for name in FORMATS),
    ],
    "bench_io": [
        "machine", "raw_executemany", "import_cli[minimal]", "import_step[minimal]",
        "import_cli[jsonl]", "import_step[jsonl]", "sqlite3_json_annotation",
        "export_cli[jsonl]", "export_step[jsonl]", "export_cli[labelstudio]",
        *(f"export_rss[{name}]" for name in FORMATS),
    ],
    "bench_merge": [
        "machine", "sqlite3_attach_insert", "merge", "merge_cli", "remerge",
        "sqlite3_read_spans", "agreement", "agreement_cli",
    ],
    "bench_start": [
        "machine", "bare_editor_painted", "gui_text_painted", "import_floor", "cli_list",
        "import_floor", "import_floor_frozen", "cli_full[progress]",
        "cli_full[relation-types]", "start_few_documents", "start_many_documents",
        "open_article_1x", "open_article_5x",
    ],
    "bench_articles": [
        "machine", "pdftotext_layout", "pdfminer_bare", "pdf_import",
        *(f"library[{name}]" for name in ("pypdf", "pdfplumber", "pymupdf")),
        *(f"word_order[{name}]" for name in (
            "pdf_import", "pdftotext_layout", "pdfminer_bare", "pypdf", "pdfplumber", "pymupdf",
        )),
    ],
    "bench_link": [
        "machine", "accuracy[target]", "accuracy[drug_name]", "accuracy[kind]",
        "update_floor", "link_20k", "candidates_p95",
    ],
    "bench_search": [
        "machine", "fts5_floor[common]", "search[common]", "fts5_floor[phrase]", "search[phrase]",
        "search_spans",
    ],
    "bench_training": ["machine", "train_100_documents"],
    "spacy_loss": ["spacy_dropped[stock]", "spacy_dropped[rules]", "spacy_dropped[export]"],
}  # fmt: skip


def run_script(module: str, *args: str) -> list[dict[str, object]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # a wait, not a speed check: the slowest takes ~35 s at a load of 5
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def check_figure(record: dict[str, object]) -> None:
    if record["figure"] == "machine":
        assert {"nproc", "cpu", "python", "sqlite"} <= record.keys()
    elif "status" in record:  # a feature or tool this checkout lacks, said so
        assert isinstance(record["status"], str) and record["status"]
    elif record.get("kind") == "floor":
        assert isinstance(record["value"], int | float) and record["value"] > 0
        assert isinstance(record["unit"], str)
    else:
        assert isinstance(record["value"], int | float) and record["value"] >= 0
        assert {"unit", "target", "pass"} <= record.keys()
        if record["target"] is not None:
            assert isinstance(record["pass"], bool)
        if "floor" in record:
            assert record["ratio"] == pytest.approx(
                float(record["value"]) / float(record["floor"]), rel=0.02, abs=0.01
            )


@pytest.mark.parametrize("module", sorted(EXPECTED))
def test_script_prints_every_figure_as_json(module: str) -> None:
    records = run_script(module, "--smoke")
    assert [r["figure"] for r in records] == EXPECTED[module]
    for record in records:
        check_figure(record)
    if module == "bench_window":  # its edit figures also give their parts
        window_edits_are_split_into_parts(records)


def window_edits_are_split_into_parts(records: list[dict[str, object]]) -> None:
    names = ("add_span[paragraphs]", "delete_span[paragraphs]")
    edits = {r["figure"]: r for r in records if r["figure"] in names}
    assert sorted(edits) == sorted(names)
    for record in edits.values():
        parts = record["parts_ms"]
        assert isinstance(parts, dict)
        assert {"core_commit", "span_table", "view_update", "repaint"} <= parts.keys()


def test_generated_article_has_nested_and_overlapping_spans_inside_its_text() -> None:
    article = make_article(random.Random(3), 30_000, 600)
    text = article.text
    assert 30_000 <= len(text) < 32_000
    assert len(article.spans) == 600
    assert all(
        0 <= s.start < s.end <= len(text) and text[s.start : s.end].strip() for s in article.spans
    )
    pairs = zip(article.spans, article.spans[1:], strict=False)
    nested = any(a.start <= b.start and b.end <= a.end for a, b in pairs)
    crossing = any(
        a.start < b.start < a.end < b.end
        for a, b in zip(article.spans, article.spans[1:], strict=False)
    )
    assert nested and crossing


def test_one_paragraph_article_has_no_line_break_after_its_title() -> None:
    article = make_article(random.Random(3), 20_000, 100, paragraphs=False)
    body = article.text.split("\n\n", 1)[1]
    assert "\n" not in body and len(body) > 19_000


def test_generated_database_holds_the_spans_of_two_curators(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.sqlite"
    corpus = list(make_corpus(5, 4, 200))
    other = [variant(random.Random(6), a, agreement=0.5) for a in corpus]
    first = write_database(path, corpus, "alice", seed=1)
    second = write_database(path, other, "bob", seed=2)
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT c.name, count(*) FROM annotation a JOIN curator c ON c.id = a.curator_id "
            "GROUP BY c.name ORDER BY c.name"
        ).fetchall()
        (documents,) = con.execute("SELECT count(*) FROM document").fetchone()
        bad = con.execute(
            "SELECT count(*) FROM annotation a JOIN document d ON d.id = a.document_id "
            'WHERE substr(d.text, a.start + 1, a."end" - a.start) != a.text'
        ).fetchone()[0]
    assert rows == [("alice", 200), ("bob", second.spans)]
    assert (first.documents, documents, bad) == (4, 4, 0)


def test_figures_become_a_markdown_table() -> None:
    lines = [
        json.dumps({"figure": "machine", "nproc": 2}),
        json.dumps({"figure": "bare_repaint", "kind": "floor", "value": 2.0, "unit": "ms"}),
        json.dumps(
            {
                "figure": "repaint",
                "value": 3.0,
                "floor": 2.0,
                "unit": "ms",
                "ratio": 1.5,
                "target": "<= 2.0x",
                "pass": True,
            }
        ),
        json.dumps({"figure": "merge", "status": "not available on this branch"}),
    ]
    assert table(iter(lines)).splitlines()[2:] == [
        "| bare_repaint | 2 ms | floor |  |  |  |",
        "| repaint | 3 ms | 2 ms | 1.5x | <= 2.0x | pass |",
        "| merge | — | — | — | — | not available on this branch |",
    ]
