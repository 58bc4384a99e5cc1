"""BioC XML in: our own export round-trips exactly; other BioC is read and checked like JSONL."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.articles import documents
from curator.core.errors import InputError
from curator.core.interchange import importing
from curator.core.interchange.bioc_import import read_documents
from curator.core.spans import annotate
from curator.core.storage.db import Database
from tests.interchange.conftest import Curated
from tests.reliability.helpers import curator_in_process, run_curator


def _jsonl(db: Database, path: Path) -> str:
    interchange.export(db, "jsonl", path)
    return path.read_text(encoding="utf-8")


def _richer(curated: Curated) -> None:
    """History a plain add does not have: a relabel (revision 2) and a finished document."""
    db = curated.db
    span = next(s for s in curated.live if s.label == "expert")
    annotate.relabel_span(db, span.uid, "target")
    documents.set_status(db, span.document_uid, "ana", "done")


def test_bioc_export_import_gives_the_same_jsonl(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    _richer(curated)
    original = _jsonl(curated.db, tmp_path / "original.jsonl")
    bioc = tmp_path / "spans.bioc.xml"
    interchange.export(curated.db, "bioc-xml", bioc)

    report = importing.import_paths(empty_db, [bioc])

    (read,) = report.jsonl
    assert (read.lines, read.documents_added, read.spans_added) == (3, 3, len(curated.live))
    assert _jsonl(empty_db, tmp_path / "again.jsonl") == original
    # Importing the same file again changes nothing.
    importing.import_paths(empty_db, [bioc])
    assert _jsonl(empty_db, tmp_path / "twice.jsonl") == original


def test_bioc_round_trip_through_the_command(
    curated: Curated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert curated.db.path is not None
    original = _jsonl(curated.db, tmp_path / "original.jsonl")
    curated.db.dispose()
    bioc, again, fresh = tmp_path / "x.xml", tmp_path / "again.jsonl", tmp_path / "new.sqlite"
    result = run_curator("--db", str(curated.db.path), "export", "-o", str(bioc))  # a real process
    assert result.returncode == 0, result.stderr
    for args in (  # the rest in this process (see curator_in_process)
        ("--db", str(fresh), "import", str(bioc)),
        ("--db", str(fresh), "export", "-o", str(again)),
    ):
        result = curator_in_process(monkeypatch, *args)
        assert result.returncode == 0, result.stderr
    assert (
        "bioc     "
        in curator_in_process(monkeypatch, "--db", str(fresh), "import", str(bioc)).stdout
    )
    assert again.read_text(encoding="utf-8") == original


PUBTATOR_LIKE = """<?xml version="1.0" encoding="UTF-8"?>
<collection><source>PubTator</source><date>2025</date><key>BioC.key</key>
<document><id>123</id>
<passage><infon key="type">title</infon><offset>0</offset><text>CD19 CAR-T in ALL</text>
<annotation id="1"><infon key="type">target</infon><infon key="curator">tool</infon>
<location offset="0" length="4"/><text>CD19</text></annotation></passage>
<passage><infon key="type">abstract</infon><offset>20</offset><text>Blinatumomab works.</text>
<annotation id="2"><infon key="label">therapy</infon>
<location offset="20" length="12"/><text>Blinatumomab</text></annotation></passage>
</document></collection>
"""


def test_foreign_bioc_joins_passages_at_their_offsets(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "pubtator.xml"
    path.write_text(PUBTATOR_LIKE, encoding="utf-8")

    importing.import_paths(db, [path], curator="ana")

    (doc,) = documents.list_documents(db)
    text = documents.get_document(db, doc.uid).text
    assert text == "CD19 CAR-T in ALL\n\n\nBlinatumomab works."
    spans = sorted(
        (s.curator, s.label, s.start, s.end, s.text, s.origin)
        for s in annotate.spans_for(db, doc.uid)
    )
    assert spans == [
        ("ana", "therapy", 20, 32, "Blinatumomab", "imported"),
        ("tool", "target", 0, 4, "CD19", "imported"),
    ]


BAD = {
    "not-a-collection": ("<document/>", 1, "expected a BioC <collection>"),
    # Two locations are a mention in pieces, whose text must be theirs.
    "two-locations-not-its-text": (
        PUBTATOR_LIKE.replace(
            '<location offset="20"', '<location offset="0" length="1"/><location offset="20"'
        ),
        8,
        "span 2: the text at its locations is",
    ),
    "offset-not-a-number": (
        PUBTATOR_LIKE.replace('offset="20"', 'offset="twenty"'),
        8,
        "the location offset must be a whole number, not 'twenty'",
    ),
    "quote-mismatch": (
        PUBTATOR_LIKE.replace("<text>Blinatumomab</text>", "<text>Blinatumomub</text>"),
        8,
        "span 2: the text at 20-32 is 'Blinatumomab', not 'Blinatumomub'",
    ),
    "no-label": (
        PUBTATOR_LIKE.replace('<infon key="label">therapy</infon>', ""),
        8,
        "with no type, which the app cannot hold",
    ),
    "unknown-label": (
        PUBTATOR_LIKE.replace(">therapy<", ">drug<"),
        3,
        "unknown label 'drug'",
    ),
    "passages-overlap": (
        PUBTATOR_LIKE.replace("<offset>20</offset>", "<offset>5</offset>"),
        7,
        "the passage at offset 5 overlaps the one before it (which ends at 17)",
    ),
    "no-documents": ("<collection><source>x</source></collection>", None, "holds no BioC"),
    "empty-file": ("", 1, "is not well-formed XML: no element found"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_bioc_is_refused_with_the_line(db: Database, tmp_path: Path, case: str) -> None:
    content, line, needle = BAD[case]
    good = tmp_path / "first.txt"
    good.write_text("A good article\nabout CD19.\n", encoding="utf-8")
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(InputError) as caught:
        importing.import_paths(db, [good, path], curator="ana")

    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(caught.value).startswith(where), str(caught.value)
    assert needle in str(caught.value)
    assert documents.list_documents(db) == []


def test_a_tampered_own_export_is_checked_like_our_jsonl(
    curated: Curated, empty_db: Database, tmp_path: Path
) -> None:
    bioc = tmp_path / "ours.xml"
    interchange.export(curated.db, "bioc-xml", bioc)
    content = bioc.read_text(encoding="utf-8")
    # The third document's first span gets a curator infon of spaces only.
    marker = '<infon key="curator">'
    at = content.index(marker, content.rindex("<document>")) + len(marker)
    tampered = content[:at] + "   " + content[content.index("<", at) :]
    bioc.write_text(tampered, encoding="utf-8")
    line = tampered[:at].count("\n") + 1
    (doc,) = [d for d in read_documents(bioc, tampered.encode()) if d.line < line][-1:]
    annotation_line = max(n for n in doc.span_lines if n <= line)

    with pytest.raises(InputError) as caught:
        importing.import_paths(empty_db, [bioc])

    assert str(caught.value).startswith(f"{bioc}:{annotation_line}: span ")
    assert "curator name cannot be empty" in str(caught.value)
    assert documents.list_documents(empty_db) == []
