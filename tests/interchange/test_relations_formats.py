"""Relations in the field formats: written, read back by each format's own library, and
imported again; formats without relations refuse to drop them silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.interchange import importing
from curator.core.interchange.common import LossError
from curator.core.storage.db import Database
from tests.interchange import readers
from tests.interchange.conftest import Curated
from tests.interchange.interop import INTEROP
from tests.interchange.relation_support import links, relate, relation_rows


@pytest.fixture
def related(curated: Curated) -> Curated:
    relate(curated)
    return curated


def _without_notes(found: set) -> set:  # type: ignore[type-arg]
    return {(*link[:5], "") for link in found}


def test_brat_writes_r_lines_that_bratly_reads(related: Curated, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    report = interchange.export(related.db, "brat", out)
    expected = links(related.db)
    assert report.relations == len(expected) == 7 and report.lost_relations == []
    assert readers.read_brat_relations(out) == expected
    conf = (out / "ana" / "annotation.conf").read_text(encoding="utf-8")
    assert "[relations]\nacts_on Arg1:therapy, Arg2:target\n" in conf
    assert "reports Arg1:expert, Arg2:therapy|target|outcome\n" in conf


def test_brat_relations_come_back_to_their_curator(
    related: Curated, empty_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    interchange.export(related.db, "brat", out)
    report = importing.import_paths(empty_db, [out])
    assert sum(r.relations_added for r in report.jsonl) == 7
    # Documents keep their uids (the text), so the links compare whole.
    assert links(empty_db) == links(related.db)
    again = importing.import_paths(empty_db, [out])
    assert sum(r.relations_added for r in again.jsonl) == 0
    assert links(empty_db) == links(related.db)


@pytest.mark.parametrize("fmt", ["bioc-xml", "bioc-json"])
def test_bioc_relations_read_by_the_bioc_package_and_restored_exactly(
    related: Curated, empty_db: Database, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / ("all.xml" if fmt == "bioc-xml" else "all.json")
    report = interchange.export(related.db, fmt, out)
    assert report.relations == 7 and report.lost_relations == []
    assert readers.bioc_relations(out) == links(related.db)
    importing.import_paths(empty_db, [out])
    live = {r for r in relation_rows(related.db) if r[10] is None}
    live = {r for r in live if _ends_live(related, r)}
    assert relation_rows(empty_db) == live  # uids, curators, times and revisions kept


def _ends_live(curated: Curated, row: tuple) -> bool:  # type: ignore[type-arg]
    from curator.core.spans import annotate

    return not any(annotate.get_span(curated.db, uid).deleted for uid in row[4:6])


def test_labelstudio_relations_go_out_and_back(
    related: Curated, empty_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    with pytest.raises(LossError) as refused:
        interchange.export(related.db, "labelstudio", out)
    noted = [link for link in links(related.db) if link[5]]
    assert len(refused.value.report.lost_relations) == len(noted) == 3
    assert "has no place in Label Studio" in str(refused.value)
    assert not out.exists()
    report = interchange.export(related.db, "labelstudio", out, allow_loss=True)
    assert report.relations == 7
    readers.read_labelstudio(out, out.with_name("tasks.config.xml"))  # the SDK validates
    tasks = json.loads(out.read_text(encoding="utf-8"))
    results = [r for t in tasks for a in t["annotations"] for r in a["result"]]
    relations = [r for r in results if r["type"] == "relation"]
    assert len(relations) == 7
    assert all(r["direction"] == "right" and len(r["labels"]) == 1 for r in relations)
    importing.import_paths(empty_db, [out])
    assert links(empty_db) == _without_notes(links(related.db))


@pytest.mark.parametrize("fmt", ["spacy", "conll"])
def test_formats_without_relations_refuse_to_drop_them(
    related: Curated, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"all.{fmt}"
    with pytest.raises(LossError) as refused:
        interchange.export(related.db, fmt, out)
    assert "7 of 7 relations" in str(refused.value)
    lost = refused.value.report.lost_relations
    assert len(lost) == 7 and all(m.endswith(f"{fmt} holds no relations") for m in lost)
    assert not out.exists()
    report = interchange.export(related.db, fmt, out, allow_loss=True)
    assert len(report.lost_relations) == 7
    assert "7 relations left out" in report.summary()


def test_pubtator_relations_join_first_mentions_of_concepts(
    related: Curated, tmp_path: Path
) -> None:
    out = tmp_path / "ana.pubtator"
    with pytest.raises(LossError) as refused:
        interchange.export(related.db, "pubtator", out, curators=["ana"])
    # The outcome spans carry no concept id: has_outcome cannot be written; reports has notes.
    lost = refused.value.report.lost_relations
    assert any("carries no concept id" in m for m in lost)
    assert any("has no place in PubTator" in m for m in lost)
    report = interchange.export(related.db, "pubtator", out, curators=["ana"], allow_loss=True)
    lines = [x for x in out.read_text(encoding="utf-8").splitlines() if "\tacts_on\t" in x]
    assert len(lines) == report.relations == 2  # one document lost its target
    assert all(line.endswith("\tNCIT:C126102\tHGNC:1633") for line in lines)


def test_doccano_export_has_the_shape_of_its_relation_projects(
    db: Database, empty_db: Database, tmp_path: Path
) -> None:
    from curator.core.articles import corpus
    from curator.core.relations import add_relation
    from curator.core.spans import annotate
    from curator.core.spans.annotate import NewSpan

    article = tmp_path / "a.txt"
    article.write_text("Ruxolitinib inhibits JAK2 and led to remission.\n", encoding="utf-8")
    (doc,) = corpus.import_articles(db, [article]).added
    rux, jak, rem = annotate.add_spans(db, doc.uid, "ana", [
        NewSpan(0, 11, "therapy"), NewSpan(21, 25, "target"), NewSpan(37, 46, "outcome"),
    ])  # fmt: skip
    add_relation(db, doc.uid, "ana", "acts_on", rux.uid, jak.uid)
    add_relation(db, doc.uid, "ana", "has_outcome", rux.uid, rem.uid, note="in the abstract")
    out = tmp_path / "ana.jsonl"
    with pytest.raises(LossError) as refused:
        interchange.export(db, "doccano", out)
    assert "its note 'in the abstract' has no place in doccano" in str(refused.value)
    report = interchange.export(db, "doccano", out, allow_loss=True)
    assert (report.spans, report.relations, len(report.lost_relations)) == (3, 1, 1)
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    real = json.loads((INTEROP / "doccano" / "doccano_relation_example.jsonl").read_text())
    assert set(real) <= set(line) and line["user"] == "ana"
    assert [set(e) for e in line["entities"]] == [set(e) for e in real["entities"][:3]]
    assert set(line["relations"][0]) == set(real["relations"][0]) | {"id"}
    assert line["relations"] == [{"id": 1, "from_id": 1, "to_id": 2, "type": "acts_on"}]
    importing.import_paths(empty_db, [out])
    assert links(empty_db) == {link for link in links(db) if link[2] == "acts_on"}
