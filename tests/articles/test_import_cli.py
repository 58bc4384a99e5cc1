"""``curator import`` takes PDF, JATS and web pages with the text articles, all or nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.pdf_samples import Sample, expected_text, write_pdf
from tests.articles.samples import PARAGRAPHS, TITLE
from tests.articles.test_html import write_page
from tests.articles.test_jats import JATS
from tests.cli.helpers import REPO, call, run


def documents_in(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT title, json_extract(meta, '$.format') FROM document").fetchall()


def test_import_pdf_jats_and_web_page_in_one_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In this process (the command as a real process is the next test's)."""
    db = tmp_path / "c.sqlite"
    pdf = write_pdf(tmp_path / "paper.pdf", Sample(TITLE, PARAGRAPHS, header=None))
    jats = tmp_path / "pmc.nxml"
    jats.write_text(JATS, encoding="utf-8")
    page = write_page(tmp_path / "story.htm")

    code, out, err = call(capsys, "--db", str(db), "import", str(pdf), str(jats), str(page))

    assert code == 0, err
    # The web page carries exactly the PDF's text, so it is the same document:
    # the id is the SHA-256 of the text, whatever file it came from.
    assert "2 documents added, 1 already present" in err
    assert f"({page}: already imported)" in out
    assert sorted(documents_in(db)) == sorted(
        [
            (TITLE, "pdf"),
            ("Eltrombopag with immunosuppressive therapy in severe aplastic anemia", "jats"),
        ]
    )
    txt = tmp_path / "paper.txt"
    txt.write_text(expected_text(TITLE, PARAGRAPHS), encoding="utf-8")
    code, _, err = call(capsys, "--db", str(db), "import", str(txt))
    assert code == 0, err
    assert "0 documents added, 1 already present" in err


def test_a_scan_among_good_articles_stops_the_whole_import(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    db = tmp_path / "c.sqlite"
    good = write_pdf(tmp_path / "a_good.pdf", Sample(TITLE, PARAGRAPHS, header=None))
    scan = tmp_path / "b_scan.pdf"
    canvas = Canvas(str(scan))
    canvas.rect(40, 40, 500, 700, fill=1)
    canvas.save()
    assert run("--db", str(db), "list").returncode == 0  # the database exists, empty

    result = run("--db", str(db), "import", str(tmp_path))

    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {scan}: has no text layer")
    assert "Traceback" not in result.stderr
    assert documents_in(db) == []
    assert good.exists()


def test_a_missing_pdf_library_is_named_with_the_file(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "paper.pdf", Sample(TITLE, PARAGRAPHS, header=None))
    code = (
        "import sys; sys.modules['pdfminer'] = None\n"
        "from pathlib import Path\n"
        "from curator.core.articles import read_article\n"
        "from curator.core.errors import InputError\n"
        "try:\n"
        f"    read_article(Path({str(pdf)!r}))\n"
        "except InputError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == (
        f"{pdf}: needs the optional PDF library (pdfminer.six), not installed here; "
        f"install it with: {sys.executable} -m pip install 'pdfminer.six>=20231228'"
    )
