"""Mentions in pieces through the formats: brat and BioC hold them; the others name them."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.articles import corpus
from curator.core.interchange import importing
from curator.core.interchange.common import LossError
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.db import Database
from tests.interchange import readers
from tests.interchange.interop import stored

TEXT = "Trial\nCD19- and CD22-directed CAR-T cells were given.\n"
CD19_CART = ((6, 10), (30, 41))  # "CD19" + "CAR-T cells"


def _tagged(db: Database, tmp_path: Path) -> str:
    path = tmp_path / "trial.txt"
    path.write_text(TEXT, encoding="utf-8")
    (added,) = corpus.import_articles(db, [path]).added
    annotate.add_span(db, added.uid, "ana", NewSpan(0, 1, "therapy", fragments=CD19_CART))
    annotate.add_span(db, added.uid, "ana", NewSpan(16, 41, "therapy"))
    return added.uid


def _pieces(db: Database) -> set[tuple[str, tuple[tuple[int, int], ...] | None]]:
    return {
        (s.text, s.fragments)
        for d in interchange.common.load_documents(db, interchange.common.Selection())
        for s in d.spans
    }


WANT = {("CD19 CAR-T cells", CD19_CART), ("CD22-directed CAR-T cells", None)}


@pytest.mark.parametrize(
    ("fmt", "name"), [("brat", "brat"), ("bioc-xml", "x.xml"), ("bioc-json", "x.json")]
)
def test_brat_and_bioc_write_the_pieces_and_read_them_back(
    db: Database, empty_db: Database, tmp_path: Path, fmt: str, name: str
) -> None:
    _tagged(db, tmp_path)
    out = tmp_path / name
    assert interchange.export(db, fmt, out).problems == []
    importing.import_paths(empty_db, [out], add_labels=True)
    assert _pieces(empty_db) == WANT
    stored(empty_db)
    again = importing.import_paths(empty_db, [out], add_labels=True)
    assert again.spans_added == 0


def test_brat_writes_fragments_as_brat_does(db: Database, tmp_path: Path) -> None:
    _tagged(db, tmp_path)
    interchange.export(db, "brat", tmp_path / "brat")
    (ann,) = (tmp_path / "brat" / "ana").glob("*.ann")
    lines = ann.read_text(encoding="utf-8").splitlines()
    assert "T1\ttherapy 6 10;30 41\tCD19 CAR-T cells" in lines
    _, texts, _notes = readers.read_brat(tmp_path / "brat")  # bratly's grammar and text checks
    assert list(texts.values()) == [TEXT]


def test_bioc_xml_locations_pass_the_bioc_validator(db: Database, tmp_path: Path) -> None:
    import bioc
    from bioc import biocxml

    _tagged(db, tmp_path)
    out = tmp_path / "x.xml"
    interchange.export(db, "bioc-xml", out)
    with out.open(encoding="utf-8") as f:
        collection = biocxml.load(f)
    bioc.validate(collection)
    (passage,) = collection.documents[0].passages
    pieces = sorted((len(a.locations), a.text) for a in passage.annotations)
    # The text of a mention in pieces is its whole extent, as the validator checks.
    assert pieces == [(1, "CD22-directed CAR-T cells"), (2, "CD19- and CD22-directed CAR-T cells")]


def test_bioc_text_of_the_pieces_joined_is_read_too_and_other_text_refused(
    empty_db: Database, tmp_path: Path
) -> None:
    from curator.core.errors import InputError

    def write(quote: str) -> Path:
        path = tmp_path / "x.xml"
        path.write_text(
            '<?xml version="1.0"?><collection><source/><date/><key/><document><id>1</id>'
            f"<passage><offset>0</offset><text>{TEXT}</text>"
            '<annotation id="a"><infon key="type">therapy</infon>'
            '<location offset="6" length="4"/><location offset="30" length="11"/>'
            f"<text>{quote}</text></annotation></passage></document></collection>",
            encoding="utf-8",
        )
        return path

    with pytest.raises(InputError, match=r"x.xml:3: span 1: the text at its locations is"):
        importing.import_paths(empty_db, [write("CD19 cells")], curator="ana")
    importing.import_paths(empty_db, [write("CD19 CAR-T cells")], curator="ana", add_labels=True)
    assert _pieces(empty_db) == {("CD19 CAR-T cells", CD19_CART)}


def test_a_brat_file_with_a_mention_in_pieces_imports_it(
    empty_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\ttherapy 6 10;30 41\tCD19 CAR-T cells\nT2\ttherapy 16 41\tCD22-directed CAR-T cells\n",
        encoding="utf-8",
    )
    importing.import_paths(empty_db, [tmp_path / "a.ann"], curator="ana", add_labels=True)
    assert _pieces(empty_db) == WANT


@pytest.mark.parametrize(
    ("fmt", "name", "holds"),
    [
        ("spacy", "x.spacy", "spaCy holds one stretch"),
        ("conll", "x.conll", "IOB holds one stretch"),
        ("labelstudio", "x.json", "a Label Studio region holds one stretch"),
        ("pubtator", "x.pubtator", "a PubTator mention holds one stretch"),
    ],
)
def test_formats_without_pieces_name_the_mention_and_refuse_unless_allowed(
    db: Database, tmp_path: Path, fmt: str, name: str, holds: str
) -> None:
    _tagged(db, tmp_path)
    out = tmp_path / name
    with pytest.raises(
        LossError, match=f"cannot hold 1 of 2 spans: .*'CD19 CAR-T cells' is in 2 pieces; {holds}"
    ):
        interchange.export(db, fmt, out)
    assert not out.exists()
    report = interchange.export(db, fmt, out, allow_loss=True)
    assert (report.spans, len(report.problems)) == (1, 1)
