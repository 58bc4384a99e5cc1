"""Done when: the corpus's spans survive JSONL -> database -> every format, read by each library."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.articles.documents import get_document, list_documents
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.interchange.labelstudio import config_path
from curator.core.storage.db import Database
from tests.interchange import readers
from tests.interchange.conftest import Curated, tuples


def _texts(db: Database) -> dict[str, str]:
    return {d.uid: get_document(db, d.uid).text for d in list_documents(db)}


def _read(fmt: str, path: Path) -> tuple[set[readers.SpanTuple], dict[str, str]]:
    if fmt == "spacy":
        return readers.read_spacy(path)
    if fmt == "bioc-xml":
        return readers.read_bioc_xml(path)
    if fmt == "bioc-json":
        return readers.read_bioc_json(path)
    if fmt == "brat":
        spans, texts, _notes = readers.read_brat(path)
        return spans, texts
    assert fmt == "labelstudio"
    return readers.read_labelstudio(path, config_path(path))


def _out(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / f"export-{fmt}{interchange.FORMATS[fmt].suffix}"


@pytest.mark.parametrize("fmt", ["spacy", "bioc-xml", "bioc-json", "brat", "labelstudio"])
def test_corpus_spans_survive_jsonl_then_every_format(
    curated: Curated, empty_db: Database, tmp_path: Path, fmt: str
) -> None:
    expected = tuples(curated.live)
    labels = {s.label for s in curated.live}
    assert labels == {"therapy", "target", "outcome", "expert"}
    assert len({s.document_uid for s in curated.live}) == 3
    jsonl = tmp_path / "corpus.jsonl"
    export_jsonl(curated.db, jsonl)
    import_jsonl(empty_db, jsonl)

    out = _out(tmp_path, fmt)
    report = interchange.export(empty_db, fmt, out)

    assert report.problems == []
    assert report.documents == 3
    assert report.spans == len(expected)
    spans, texts = _read(fmt, out)
    assert spans == expected
    assert texts == _texts(curated.db)


def test_brat_keeps_notes_and_writes_fragments_across_newlines(
    curated: Curated, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    interchange.export(curated.db, "brat", out)
    _spans, _texts, notes = readers.read_brat(out)
    noted = [s for s in curated.live if s.note]
    assert noted
    assert notes == {(s.document_uid, s.curator, s.start, s.end): s.note for s in noted}
    assert sorted(p.name for p in out.iterdir()) == ["ana", "bo"]
    ann = (out / "bo" / f"{noted[0].document_uid}.ann").read_text(encoding="utf-8")
    line = next(x for x in ann.splitlines() if x.startswith("T"))
    assert ";" in line.split("\t")[1]  # the span across a newline became two fragments
    assert "\n" not in line.split("\t")[2]
    conf = (out / "ana" / "annotation.conf").read_text(encoding="utf-8")
    assert "[entities]\ntherapy\ntarget\noutcome\nexpert\n" in conf


def test_export_selects_curators_and_documents(curated: Curated, tmp_path: Path) -> None:
    doc = curated.live[0].document_uid
    out = tmp_path / "ana.json"
    interchange.export(curated.db, "bioc-json", out, curators=["ana"], documents=[doc])
    spans, texts = readers.read_bioc_json(out)
    assert list(texts) == [doc]
    assert spans == {t for t in tuples(curated.live) if t[1] == "ana" and t[0] == doc}


def test_labelstudio_has_one_annotation_per_curator(curated: Curated, tmp_path: Path) -> None:
    import json

    out = tmp_path / "tasks.json"
    report = interchange.export(curated.db, "labelstudio", out)
    assert report.files == [out, tmp_path / "tasks.config.xml"]
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 3
    for task in tasks:
        assert [a["curator"] for a in task["annotations"]] == ["ana", "bo"]
        notes = [r for a in task["annotations"] for r in a["result"] if r["type"] == "textarea"]
        assert [r["value"]["text"] for r in notes] == [["crosses a line break; check the PDF"]]


def test_deleted_spans_travel_only_in_jsonl(curated: Curated, tmp_path: Path) -> None:
    from curator.core.errors import CuratorError

    with pytest.raises(CuratorError, match="only be exported as JSONL"):
        interchange.export(curated.db, "spacy", tmp_path / "x.spacy", with_deleted=True)
    assert not (tmp_path / "x.spacy").exists()
    spans, _ = readers.read_bioc_json(_export(curated.db, "bioc-json", tmp_path))
    assert not {(s.document_uid, s.start, s.end) for s in curated.deleted} & {
        (t[0], t[3], t[4]) for t in spans
    }


def _export(db: Database, fmt: str, tmp_path: Path) -> Path:
    out = _out(tmp_path, fmt)
    interchange.export(db, fmt, out)
    return out


def test_spacy_keeps_a_half_word_span_by_splitting_its_token(
    curated: Curated, tmp_path: Path
) -> None:
    from curator.core.spans import annotate

    doc = get_document(curated.db, curated.live[0].document_uid)
    start = doc.text.index("ruxolitinib") if "ruxolitinib" in doc.text else doc.text.index("CAR")
    half = annotate.add_span(
        curated.db, doc.uid, "ana", annotate.NewSpan(start, start + 2, "therapy")
    )
    out = tmp_path / "x.spacy"
    assert interchange.export(curated.db, "spacy", out).problems == []
    spans, texts = readers.read_spacy(out)
    assert texts[doc.uid] == doc.text
    assert spans == tuples([*curated.live, half])  # nothing moved, nothing left out


def test_unknown_curator_or_document_is_an_error(curated: Curated, tmp_path: Path) -> None:
    from curator.core.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no curator named 'zed'"):
        interchange.export(curated.db, "jsonl", tmp_path / "a.jsonl", curators=["zed"])
    with pytest.raises(NotFoundError, match="no document with id"):
        interchange.export(curated.db, "jsonl", tmp_path / "a.jsonl", documents=["f" * 64])
    assert list(tmp_path.glob("a.jsonl*")) == []


def test_xml_refuses_control_characters_and_keeps_the_old_file(
    db: Database, tmp_path: Path
) -> None:
    from curator.core.articles import corpus
    from curator.core.errors import CuratorError

    article = tmp_path / "page.txt"
    article.write_text("Page one\n\x0cPage two about CD19\n", encoding="utf-8")
    corpus.import_articles(db, [article])
    out = tmp_path / "out.xml"
    out.write_text("previous export\n")
    with pytest.raises(CuratorError, match=r"U\+000C.*BioC JSON"):
        interchange.export(db, "bioc-xml", out)
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    _spans, texts = readers.read_bioc_json(_export(db, "bioc-json", tmp_path))
    assert list(texts.values()) == ["Page one\n\x0cPage two about CD19\n"]


def test_spacy_takes_articles_over_a_million_characters(db: Database, tmp_path: Path) -> None:
    from curator.core.articles import corpus
    from curator.core.spans import annotate

    article = tmp_path / "long.txt"
    article.write_text("Long\n" + "Ruxolitinib helps. " * 53_000, encoding="utf-8")
    (added,) = corpus.import_articles(db, [article]).added
    last = len("Long\n") + 52_999 * len("Ruxolitinib helps. ")
    annotate.add_span(db, added.uid, "ana", annotate.NewSpan(last, last + 11, "therapy"))
    out = tmp_path / "long.spacy"
    assert interchange.export(db, "spacy", out).problems == []
    spans, texts = readers.read_spacy(out)
    assert len(texts[added.uid]) > 1_000_000
    assert spans == {(added.uid, "ana", "therapy", last, last + 11, "Ruxolitinib")}


def _linked(curated: Curated) -> dict[tuple[str, str, int, int], list[str]]:
    found = {
        (s.document_uid, s.curator, s.start, s.end): [c.id for c in s.concepts]
        for s in curated.live
        if s.concepts
    }
    assert any(len(ids) > 1 for ids in found.values())  # two ids on one span too
    return found


def _brat_concepts(out: Path) -> dict[tuple[str, str, int, int], list[str]]:
    found: dict[tuple[str, str, int, int], list[str]] = {}
    for ann in out.glob("*/*.ann"):
        extent: dict[str, tuple[int, int]] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if line.startswith("T"):
                where = fields[1].split(" ", 1)[1]
                extent[fields[0]] = (int(where.split()[0]), int(where.split()[-1]))
            elif line.startswith("N"):
                kind, ref, cid = fields[1].split(" ")
                assert kind == "Reference" and fields[2]  # the concept's name is written
                start, end = extent[ref]
                found.setdefault((ann.stem, ann.parent.name, start, end), []).append(cid)
    return found


def test_concept_ids_travel_in_every_format(curated: Curated, tmp_path: Path) -> None:
    import json

    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    expected = _linked(curated)
    brat = tmp_path / "brat"
    interchange.export(curated.db, "brat", brat)
    readers.read_brat(brat)  # bratly's grammar accepts the N lines
    assert _brat_concepts(brat) == expected

    spacy_out = tmp_path / "out.spacy"
    interchange.export(curated.db, "spacy", spacy_out)
    found: dict[tuple[str, str, int, int], list[str]] = {}
    for doc in DocBin().from_disk(spacy_out).get_docs(Vocab()):
        uid = doc.user_data["heme_curator"]["id"]
        for curator, group in doc.spans.items():
            for span in group:
                if span.kb_id_:
                    key = (uid, curator, span.start_char, span.end_char)
                    found[key] = span.kb_id_.split(";")
                    names = doc.user_data["heme_curator"]["concepts"][span.id_]
                    assert [n["id"] for n in names] == found[key]
    assert found == expected

    ls_out = tmp_path / "tasks.json"
    interchange.export(curated.db, "labelstudio", ls_out)
    found = {}
    for task in json.loads(ls_out.read_text(encoding="utf-8")):
        for annotation in task["annotations"]:
            for region in annotation["result"]:
                if "meta" in region:
                    value = region["value"]
                    key = (task["meta"]["document_id"], annotation["curator"], value["start"],
                           value["end"])  # fmt: skip
                    found[key] = [c["id"] for c in region["meta"]["concepts"]]
    assert found == expected

    xml_out = tmp_path / "out.xml"
    interchange.export(curated.db, "bioc-xml", xml_out)
    import bioc
    from bioc import biocxml

    with xml_out.open(encoding="utf-8") as f:
        collection = biocxml.load(f)
    bioc.validate(collection)
    found = {}
    for document in collection.documents:
        for ann in document.passages[0].annotations:
            if "identifier" in ann.infons:
                (loc,) = ann.locations
                key = (document.id, ann.infons["curator"], loc.offset, loc.end)
                found[key] = ann.infons["identifier"].split(";")
    assert found == expected
