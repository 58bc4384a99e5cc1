"""Each real file of another tool imports, every span's quote matching the file's own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.interchange import importing
from curator.core.interchange.common import LossError
from curator.core.storage.db import Database
from tests.interchange.conftest import Curated
from tests.interchange.interop import INTEROP, stored

# file, spans imported, items left out with --allow-loss
CASES = [
    ("brat/ncbi-disease", 34, 34),
    ("brat/note-annotation", 14, 5),  # 2 events, 2 relations (one with its note), 1 note
    ("doccano/doccano_label_export.jsonl", 4, 0),
    ("doccano/doccano_labels_v1.jsonl", 5, 0),
    ("doccano/doccano_relation_example.jsonl", 4, 3),
    ("pubtator/CDR_sample_3docs.pubtator", 41, 4),  # relations; identifiers are concepts
    ("bioc/bioc_everything.xml", 0, 7),
    ("conll/NCBI-disease-IOB_test_first12.tsv", 29, 0),
    ("conll/doccano_labeling.conll2003", 11, 0),
]


@pytest.mark.parametrize(("name", "spans", "dropped"), CASES)
def test_real_file_imports_and_a_second_import_changes_nothing(
    db: Database, name: str, spans: int, dropped: int
) -> None:
    path = INTEROP / name
    report = importing.import_paths(db, [path], curator="ana", add_labels=True, allow_loss=True)
    assert report.spans_added == spans
    assert len(report.dropped) == dropped
    assert all(item.startswith(str(path)) and ":" in item for item in report.dropped)
    before = stored(db)
    again = importing.import_paths(db, [path], curator="ana", add_labels=True, allow_loss=True)
    assert (again.spans_added, again.documents_added) == (0, 0)
    assert stored(db) == before


def test_pubtator_identifiers_become_concepts_and_go_out_again(
    db: Database, tmp_path: Path
) -> None:
    from curator.core.articles import documents
    from curator.core.spans import annotate

    path = INTEROP / "pubtator" / "CDR_sample_3docs.pubtator"
    importing.import_paths(db, [path], curator="ana", add_labels=True, allow_loss=True)
    linked = {
        (s.text, tuple(c.id for c in s.concepts))
        for d in documents.list_documents(db)
        for s in annotate.spans_for(db, d.uid)
    }
    assert ("depression", ("MESH:D003866",)) in linked
    out = tmp_path / "again.pubtator"
    interchange.export(db, "pubtator", out)
    assert "\tdepression\tDisease\tMESH:D003866\n" in out.read_text(encoding="utf-8")


def test_pubtator_offsets_run_over_title_and_abstract(db: Database) -> None:
    path = INTEROP / "pubtator" / "CDR_sample_3docs.pubtator"
    importing.import_paths(db, [path], curator="ana", add_labels=True, allow_loss=True)
    quotes = {quote for _, _, _, quote in stored(db)}
    assert {"depression", "methyl dopa", "Lidocaine"} <= quotes


def test_brat_notes_become_span_notes(db: Database) -> None:
    from sqlalchemy import select

    from curator.core.storage.models import Annotation

    importing.import_paths(
        db, [INTEROP / "brat" / "note-annotation"], curator="ana", add_labels=True,
        allow_loss=True,
    )  # fmt: skip
    with db.read() as session:
        notes = {tuple(row) for row in session.execute(select(Annotation.text, Annotation.note))}
    assert ("IgG", "Check: is this a Protein or a Complex?") in notes


def test_our_exports_come_back(curated: Curated, empty_db: Database, tmp_path: Path) -> None:
    """brat, BioC JSON and Label Studio exports import back to the same spans and curators."""
    want = {(s.curator, s.label, s.text) for s in curated.live}
    for fmt, out in (
        ("brat", tmp_path / "brat"),
        ("bioc-json", tmp_path / "x.bioc.json"),
        ("labelstudio", tmp_path / "x.ls.json"),
    ):
        interchange.export(curated.db, fmt, out, allow_loss=True)
        importing.import_paths(empty_db, [out], add_labels=True)
        got = set()
        with empty_db.read() as session:
            from sqlalchemy import select

            from curator.core.storage.models import Annotation, Curator, Label

            got = {
                tuple(r)
                for r in session.execute(
                    select(Curator.name, Label.name, Annotation.text)
                    .join(Curator, Curator.id == Annotation.curator_id)
                    .join(Label, Label.id == Annotation.label_id)
                    .where(Annotation.deleted_at.is_(None))
                )
            }
        assert got == want, fmt
        stored(empty_db)


def test_pubtator_and_conll_round_trip(db: Database, tmp_path: Path) -> None:
    path = INTEROP / "pubtator" / "CDR_sample_3docs.pubtator"
    importing.import_paths(db, [path], curator="ana", add_labels=True, allow_loss=True)
    first = sorted((s, e, q) for _, s, e, q in stored(db))
    out = tmp_path / "again.pubtator"
    interchange.export(db, "pubtator", out)
    assert out.read_text(encoding="utf-8").startswith("26094|t|Antihypertensive")
    conll_out = tmp_path / "x.conll"
    report = interchange.export(db, "conll", conll_out, allow_loss=True)
    assert report.problems and all("have no place in IOB" in p for p in report.problems)
    text = conll_out.read_text(encoding="utf-8")
    assert text.startswith("-DOCSTART-\tO\n\n") and "methyl\tB-Chemical\ndopa\tI-Chemical" in text
    db2_path = tmp_path / "b.sqlite"
    from curator.core.storage import migrate
    from curator.core.storage.db import open_database

    other = open_database(f"sqlite:///{db2_path}")
    migrate.upgrade(other)
    try:
        importing.import_paths(other, [out], curator="ana", add_labels=True)
        assert sorted((s, e, q) for _, s, e, q in stored(other)) == first
    finally:
        other.dispose()


def test_iob_refuses_overlapping_spans_unless_allowed(curated: Curated, tmp_path: Path) -> None:
    out = tmp_path / "x.conll"
    with pytest.raises(LossError, match="conll cannot hold"):
        interchange.export(curated.db, "conll", out)
    assert not out.exists()
    report = interchange.export(curated.db, "conll", out, allow_loss=True)
    assert report.problems and report.spans + len(
        [p for p in report.problems if "IOB holds one span a token" in p]
    ) == len(curated.live)


BAD_BIOC_JSON = """{"source": "PubTator", "key": "BioC.key", "documents": [
 {"id": "111", "infons": {}, "passages": [
  {"offset": 0, "infons": {"type": "title"}, "text": "Patients' CD19 study"},
  {"offset": 26, "infons": {"type": "abstract"}, "text": "CD19 CAR-T works.",
   "annotations": [
    {"id": "1", "infons": {"type": "target"},
     "locations": [{"offset": 26, "length": 4}], "text": "CD19"}]}]},
 {"id": "222", "infons": {}, "passages": [
  {"offset": 0, "infons": {"type": "title"}, "text": "Patients&apos; CD19 study"},
  {"offset": 26, "infons": {"type": "abstract"}, "text": "CD19 CAR-T works.",
   "annotations": [
    {"id": "2", "infons": {"type": "target"},
     "locations": [{"offset": 31, "length": 4}], "text": "CD19"}]}]}]}
"""


def test_bioc_json_offsets_that_miss_their_text_are_refused_or_skipped(
    db: Database, tmp_path: Path
) -> None:
    from curator.core.errors import InputError

    path = tmp_path / "cdr.json"
    path.write_text(BAD_BIOC_JSON, encoding="utf-8")
    with pytest.raises(InputError, match=rf"{path}:12: span 1: the text at 31-35"):
        importing.import_paths(db, [path], curator="ana")
    assert stored(db) == []
    report = importing.import_paths(db, [path], curator="ana", skip_bad_documents=True)
    assert report.spans_added == 1 and report.skipped[0].startswith("document 222 skipped")
    ((_text, start, end, quote),) = stored(db)
    assert (start, end, quote) == (26, 30, "CD19")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("brat", "brat"), ("bioc-json", "x.bioc.json"), ("bioc-xml", "x.xml"),
     ("labelstudio", "x.ls.json"), ("pubtator", "x.pubtator")],
)  # fmt: skip
def test_our_exports_bring_the_concepts_back(
    curated: Curated, empty_db: Database, tmp_path: Path, fmt: str, name: str
) -> None:
    from curator.core.articles import documents
    from curator.core.spans import annotate

    curators = ["ana"] if fmt == "pubtator" else None  # PubTator holds one curator
    want = {
        (s.curator, s.label, s.text, tuple(c.id for c in s.concepts))
        for s in curated.live
        if curators is None or s.curator in curators
    }
    assert any(ids for *_, ids in want)
    out = tmp_path / name
    interchange.export(curated.db, fmt, out, curators=curators, allow_loss=True)
    importing.import_paths(empty_db, [out], curator="ana", add_labels=True)
    got = {
        (s.curator, s.label, s.text, tuple(c.id for c in s.concepts))
        for d in documents.list_documents(empty_db)
        for s in annotate.spans_for(empty_db, d.uid)
    }
    assert got == want
