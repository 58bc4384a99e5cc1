"""Read every export back with that format's own library, into comparable tuples.

Each reader returns {(document uid, curator, label, start, end, quote)} and
the documents' texts, so a test compares what the library sees with what the
database holds. Validation is the library's: BioC's validator, bratly's
grammar and text checks, Label Studio's label interface.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bioc
from bioc import biocjson, biocxml
from bratly.io import read_document_collection_from_folder
from label_studio_sdk.label_interface import LabelInterface
from spacy.tokens import DocBin
from spacy.vocab import Vocab

SpanTuple = tuple[str, str, str, int, int, str]


def read_spacy(path: Path) -> tuple[set[SpanTuple], dict[str, str]]:
    docbin = DocBin().from_disk(path)
    spans: set[SpanTuple] = set()
    texts: dict[str, str] = {}
    for doc in docbin.get_docs(Vocab()):
        uid = doc.user_data["heme_curator"]["id"]
        texts[uid] = doc.text
        for curator, group in doc.spans.items():
            for span in group:
                assert span.id_, "the span uid travels as span.id_"
                spans.add((uid, curator, span.label_, span.start_char, span.end_char, span.text))
    return spans, texts


def _bioc_spans(collection: bioc.BioCCollection) -> tuple[set[SpanTuple], dict[str, str]]:
    bioc.validate(collection)  # raises on any annotation whose text is not at its offsets
    spans: set[SpanTuple] = set()
    texts: dict[str, str] = {}
    for document in collection.documents:
        (passage,) = document.passages
        assert passage.offset == 0
        texts[document.id] = passage.text
        for ann in passage.annotations:
            (location,) = ann.locations
            spans.add(
                (
                    document.id,
                    ann.infons["curator"],
                    ann.infons["type"],
                    location.offset,
                    location.end,
                    ann.text,
                )
            )
            assert ann.infons["label"] == ann.infons["type"]
    return spans, texts


def read_bioc_xml(path: Path) -> tuple[set[SpanTuple], dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return _bioc_spans(biocxml.load(f))


def read_bioc_json(path: Path) -> tuple[set[SpanTuple], dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return _bioc_spans(biocjson.load(f))


def read_brat(
    folder: Path,
) -> tuple[set[SpanTuple], dict[str, str], dict[tuple[str, str, int, int], str]]:
    """Spans, texts, and notes keyed by (uid, curator, start, end), read by bratly."""
    from bratly import EntityAnnotation, NoteAnnotation

    spans: set[SpanTuple] = set()
    texts: dict[str, str] = {}
    notes: dict[tuple[str, str, int, int], str] = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        collection = read_document_collection_from_folder(
            str(sub), no_duplicates_ann=False, sort_ann=False, renumerotize_ann=False
        )
        assert collection is not None
        for document in collection.documents:
            assert document.check_ann_compatibility_with_txt()
            uid = Path(document.fullpath).stem
            text = document.get_txt_content()
            texts[uid] = text
            (annotations,) = document.annotation_collections
            by_id = {}
            for ann in annotations.get_annotations(descendant_type=EntityAnnotation):
                start, end = ann.fragments[0].start, ann.fragments[-1].end
                by_id[ann.id] = (start, end)
                spans.add((uid, sub.name, ann.label, start, end, text[start:end]))
            for note in annotations.get_annotations(descendant_type=NoteAnnotation):
                target = note.component.id if hasattr(note.component, "id") else note.component
                if target not in by_id:
                    continue  # a relation's note: read_brat_relations
                start, end = by_id[target]
                notes[(uid, sub.name, start, end)] = note.value
    return spans, texts, notes


def read_labelstudio(path: Path, config: Path) -> tuple[set[SpanTuple], dict[str, str]]:
    interface = LabelInterface(config.read_text(encoding="utf-8"))
    interface.validate()
    tasks = json.loads(path.read_text(encoding="utf-8"))
    spans: set[SpanTuple] = set()
    texts: dict[str, str] = {}
    for task in tasks:
        uid = task["data"]["document_id"]
        texts[uid] = task["data"]["text"]
        for annotation in task["annotations"]:
            errors = interface.validate_prediction(annotation, return_errors=True)
            assert errors == [], errors
            assert interface.validate_annotation(annotation)
            for region in annotation["result"]:
                if region["type"] != "labels":
                    continue
                value = region["value"]
                (label,) = value["labels"]
                spans.add(
                    (uid, annotation["curator"], label, value["start"], value["end"], value["text"])
                )
    return spans, texts


# (document uid, curator, type, (head start, end), (tail start, end), note)
LinkTuple = tuple[str, str, str, tuple[int, int], tuple[int, int], str]


def read_brat_relations(folder: Path) -> set[LinkTuple]:
    """Every ``R`` line as bratly reads it, with its AnnotatorNotes (curator = folder)."""
    from bratly import EntityAnnotation, NoteAnnotation, RelationAnnotation

    found: set[LinkTuple] = set()
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        collection = read_document_collection_from_folder(
            str(sub), no_duplicates_ann=False, sort_ann=False, renumerotize_ann=False
        )
        assert collection is not None
        for document in collection.documents:
            uid = Path(document.fullpath).stem
            (annotations,) = document.annotation_collections
            notes = {}
            for note in annotations.get_annotations(descendant_type=NoteAnnotation):
                target = note.component.id if hasattr(note.component, "id") else note.component
                notes[target] = note.value
            for rel in annotations.get_annotations(descendant_type=RelationAnnotation):
                assert isinstance(rel, RelationAnnotation)
                (role1, head), (role2, tail) = rel.argument1, rel.argument2
                assert (role1, role2) == ("Arg1", "Arg2")
                assert isinstance(head, EntityAnnotation) and isinstance(tail, EntityAnnotation)
                found.add((uid, sub.name, rel.label, _extent(head), _extent(tail),
                           notes.get(rel.id, "")))  # fmt: skip
    return found


def _extent(entity: Any) -> tuple[int, int]:
    return entity.fragments[0].start, entity.fragments[-1].end


def bioc_relations(path: Path) -> set[LinkTuple]:
    """Every ``<relation>`` as the bioc package reads it (XML or JSON), its ends' extents."""
    with path.open(encoding="utf-8") as f:
        collection = (biocxml if path.suffix == ".xml" else biocjson).load(f)
    bioc.validate(collection)
    found: set[LinkTuple] = set()
    for document in collection.documents:
        (passage,) = document.passages
        extents = {a.id: (a.locations[0].offset, a.locations[-1].end) for a in passage.annotations}
        for rel in passage.relations:
            roles = {n.role: n.refid for n in rel.nodes}
            assert sorted(roles) == ["head", "tail"] and len(rel.nodes) == 2
            found.add((document.id, rel.infons["curator"], rel.infons["type"],
                       extents[roles["head"]], extents[roles["tail"]],
                       rel.infons.get("note", "")))  # fmt: skip
    return found
