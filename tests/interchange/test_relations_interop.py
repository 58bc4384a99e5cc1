"""Relations in other tools' real files, and every relation the app cannot hold refused by
its file and line with the database left byte for byte as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.core import interchange
from curator.core.interchange import importing
from curator.core.storage.db import Database
from tests.interchange.interop import INTEROP
from tests.interchange.relation_support import add_type, live_links, refused_in_place


def test_doccano_relations_become_relations_when_the_types_exist(db: Database) -> None:
    add_type(db, "foundedAt", ["ORG"], ["DATE"])
    add_type(db, "foundedBy", ["ORG"], ["PERSON"])
    path = INTEROP / "doccano" / "doccano_relation_example.jsonl"
    report = importing.import_paths(db, [path], curator="ana")
    assert (report.jsonl[0].relations_added, report.dropped) == (3, [])
    assert live_links(db) == {
        ("foundedAt", "ana", "Google", "September 4, 1998", "imported"),
        ("foundedBy", "ana", "Google", "Larry Page", "imported"),
        ("foundedBy", "ana", "Google", "Sergey Brin", "imported"),
    }
    again = importing.import_paths(db, [path], curator="ana").jsonl[0]
    assert (again.relations_added, again.relations_unchanged) == (0, 3)


def test_pubtator_cid_relates_the_first_mentions_of_its_concepts(
    db: Database, empty_db: Database, tmp_path: Path
) -> None:
    add_type(db, "CID", ["Chemical"], ["Disease"])
    path = INTEROP / "pubtator" / "CDR_sample_3docs.pubtator"
    report = importing.import_paths(db, [path], curator="ana")
    assert report.jsonl[0].relations_added == 4 and report.dropped == []
    found = live_links(db)
    # Line 14, 26094 CID D008750 D003866: "methyl dopa" (567) to the first "depression" (27).
    assert ("CID", "ana", "methyl dopa", "depression", "imported") in found
    out = tmp_path / "ana.pubtator"
    written = interchange.export(db, "pubtator", out, curators=["ana"])
    assert written.relations == 4 and written.lost_relations == []
    assert "26094\tCID\tMESH:D008750\tMESH:D003866\n" in out.read_text(encoding="utf-8")
    add_type(empty_db, "CID", ["Chemical"], ["Disease"])
    importing.import_paths(empty_db, [out], curator="ana")
    assert live_links(empty_db) == found


def test_brat_relations_of_a_declared_type_keep_their_notes(db: Database) -> None:
    add_type(db, "Part-of", ["Protein"], ["Complex"])
    folder = INTEROP / "brat" / "note-annotation"
    report = importing.import_paths(db, [folder], curator="ana", add_labels=True, allow_loss=True)
    assert report.jsonl[0].relations_added == 2
    assert live_links(db) == {
        ("Part-of", "ana", "c-Rel", "NF-kappa B", "imported"),
    }  # R1 and R2 link two equal pairs of mentions, at different places
    from curator.core.articles import documents
    from curator.core.relations import relations_for

    (doc,) = documents.list_documents(db)
    notes = sorted(r.note for r in relations_for(db, doc.uid))
    assert notes[0] == "" and notes[1].startswith("Should this be annotated?")
    assert not any("R1" in item or ":12:" in item for item in report.dropped)


# -- what cannot be held, by file and line ----------------------------------------------

TEXT = "Ruxolitinib inhibits JAK2 and led to remission, said Dr Rong Fu."


def _brat(folder: Path, relation: str) -> Path:
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    ann = folder / "doc.ann"
    ann.write_text(
        "T1\ttherapy 0 11\tRuxolitinib\nT2\ttarget 21 25\tJAK2\n" + relation + "\n",
        encoding="utf-8",
    )
    return ann


def _bioc(folder: Path, relation: str) -> Path:
    path = folder / "doc.xml"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n<collection><source>tool</source>\n"
        "<document><id>1</id><passage><offset>0</offset>\n"
        f"<text>{TEXT}</text>\n"
        '<annotation id="a"><infon key="type">therapy</infon>'
        '<location offset="0" length="11"/><text>Ruxolitinib</text></annotation>\n'
        '<annotation id="b"><infon key="type">target</infon>'
        '<location offset="21" length="4"/><text>JAK2</text></annotation>\n'
        f"{relation}\n</passage></document></collection>\n",
        encoding="utf-8",
    )
    return path


def _labelstudio(folder: Path, relation: dict) -> Path:  # type: ignore[type-arg]
    regions = [
        {"id": "r1", "type": "labels", "value": {"start": 0, "end": 11, "text": "Ruxolitinib",
                                                 "labels": ["therapy"]}},
        {"id": "r2", "type": "labels", "value": {"start": 21, "end": 25, "text": "JAK2",
                                                 "labels": ["target"]}},
    ]  # fmt: skip
    task = {"data": {"text": TEXT}, "annotations": [{"result": [*regions, relation]}]}
    path = folder / "tasks.json"
    path.write_text(json.dumps([task], indent=1), encoding="utf-8")
    return path


def _doccano(folder: Path, relation: dict) -> Path:  # type: ignore[type-arg]
    line = {
        "text": TEXT,
        "entities": [
            {"id": 1, "start_offset": 0, "end_offset": 11, "label": "therapy"},
            {"id": 2, "start_offset": 21, "end_offset": 25, "label": "target"},
        ],
        "relations": [relation],
    }
    path = folder / "doccano.jsonl"
    path.write_text(json.dumps({"text": "An earlier line.", "label": []}) + "\n" + json.dumps(line)
                    + "\n", encoding="utf-8")  # fmt: skip
    return path


def _pubtator(folder: Path, relation: str) -> Path:
    path = folder / "doc.pubtator"
    path.write_text(
        f"1|t|{TEXT}\n1|a|An abstract.\n1\t0\t11\tRuxolitinib\ttherapy\tMESH:D000077\n"
        f"1\t21\t25\tJAK2\ttarget\tNCBIGene:3717\n{relation}\n\n",
        encoding="utf-8",
    )
    return path


CASES = [
    ("brat", lambda f: _brat(f, "R1\tacts_on Arg1:T2 Arg2:T1"), 3,
     ["a 'acts_on' relation from target to therapy",
      "a acts_on relation goes from therapy to target"]),
    ("brat", lambda f: _brat(f, "R1\ttreats Arg1:T1 Arg2:T2"), 3,
     ["a 'treats' relation from therapy to target", "unknown relation type 'treats'"]),
    ("brat", lambda f: _brat(f, "R1\tacts_on Arg1:T1 Arg2:T9"), 3,
     ["a 'acts_on' relation to T9, which is not a span kept"]),
    ("brat", lambda f: _brat(f, "E1\tacts_on:T1 Theme:T2"), 3, ["an event (E1)"]),
    ("brat", lambda f: _brat(f, "A1\tNegated T1"), 3, ["an attribute (A1)"]),
    ("bioc", lambda f: _bioc(f, '<relation id="R1"><infon key="type">acts_on</infon>'
                                '<node refid="a" role="role1"/><node refid="b" role="role2"/>'
                                "</relation>"), 7,
     ["relation R1 acts_on with nodes that are not one head and one tail"]),
    ("bioc", lambda f: _bioc(f, '<relation id="R1"><infon key="type">reports</infon>'
                                '<node refid="a" role="head"/><node refid="b" role="tail"/>'
                                "</relation>"), 7,
     ["a 'reports' relation from therapy to target", "reports relation goes from expert"]),
    ("labelstudio", lambda f: _labelstudio(f, {"type": "relation", "from_id": "r2",
                                               "to_id": "r1", "labels": ["acts_on"]}), 33,
     ["a 'acts_on' relation from target to therapy"]),
    ("labelstudio", lambda f: _labelstudio(f, {"type": "relation", "from_id": "r1",
                                               "to_id": "r2", "labels": []}), 33,
     ["a relation r1 - r2 with no label"]),
    ("doccano", lambda f: _doccano(f, {"id": 7, "from_id": 1, "to_id": 5, "type": "acts_on"}),
     2, ["a 'acts_on' relation to 5, which is not a span kept"]),
    ("doccano", lambda f: _doccano(f, {"id": 7, "from_id": 1, "to_id": 2, "type": "CID"}),
     2, ["a 'CID' relation from therapy to target", "unknown relation type 'CID'"]),
    ("pubtator", lambda f: _pubtator(f, "1\tacts_on\tD000077\tHGNC:6192"), 5,
     ["a acts_on relation of HGNC:6192, which no one mention carries"]),
    ("pubtator", lambda f: _pubtator(f, "1\tCID\tD000077\t3717"), 5,
     ["a 'CID' relation from therapy to target", "unknown relation type 'CID'"]),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_relation_the_app_cannot_hold_is_refused_by_file_and_line(
    db: Database,
    tmp_path: Path,
    case: tuple,  # type: ignore[type-arg]
) -> None:
    fmt, make, line, needles = case
    path = make(tmp_path)
    message = refused_in_place(db, [path], f"{path}:{line}:", *needles, curator="ana")
    assert "--allow-loss" in message, fmt
    report = importing.import_paths(db, [path], curator="ana", allow_loss=True)
    assert len(report.dropped) == 1 and report.dropped[0].startswith(f"{path}:{line}:")
    assert report.spans_added == 2 and live_links(db) == set()
