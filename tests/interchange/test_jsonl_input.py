"""Importing JSONL written by others, and refusing bad lines with nothing imported."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from curator.core.articles import documents
from curator.core.articles.text import canonical_text, text_uid
from curator.core.errors import InputError
from curator.core.interchange.jsonl import export_jsonl, import_jsonl
from curator.core.spans import annotate
from curator.core.spans.annotate import list_labels
from curator.core.storage.db import Database

TEXT = "Ruxolitinib targets JAK/STAT.\nOverall response rate reached 81.8%.\n"


def _write(path: Path, *objs: Any) -> Path:
    path.write_text(
        "".join(
            (o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objs
        ),
        encoding="utf-8",
    )
    return path


def _span(source: str, phrase: str, label: str, **extra: Any) -> dict[str, Any]:
    start = source.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label, **extra}


def _stored(db: Database) -> list[tuple[str, str, int, int, str, str, str]]:
    return sorted(
        (s.curator, s.label, s.start, s.end, s.text, s.origin, s.document_uid)
        for d in documents.list_documents(db)
        for s in annotate.spans_for(db, d.uid)
    )


def test_minimal_span_jsonl(db: Database, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "prodigy.jsonl",
        {
            "text": TEXT,
            "spans": [
                _span(TEXT, "Ruxolitinib", "therapy", text="Ruxolitinib"),
                _span(TEXT, "JAK/STAT", "target", token_start=2),
                _span(TEXT, "Overall response rate reached 81.8%", "outcome", note="wk 26"),
            ],
            "meta": {"source": "pubmed"},
        },
    )
    report = import_jsonl(db, path, curator="ana")
    assert (report.documents_added, report.spans_added) == (1, 3)
    uid = text_uid(TEXT)
    info = documents.get_document(db, uid)
    assert info.text == TEXT and info.title == "Ruxolitinib targets JAK/STAT."
    assert info.meta == {"source": "pubmed"}
    spans = annotate.spans_for(db, uid)
    assert [(s.label, s.text, s.curator, s.origin) for s in spans] == [
        ("therapy", "Ruxolitinib", "ana", "imported"),
        ("target", "JAK/STAT", "ana", "imported"),
        ("outcome", "Overall response rate reached 81.8%", "ana", "imported"),
    ]
    assert spans[2].note == "wk 26"
    assert documents.list_documents(db)[0].status == {"ana": "in_progress"}
    # The same file again adds nothing; another curator gets their own spans.
    assert import_jsonl(db, path, curator="ana").spans_added == 0
    assert import_jsonl(db, path, curator="bo").spans_added == 3
    assert len(_stored(db)) == 6


def test_minimal_span_jsonl_takes_concepts_as_ids_or_objects(db: Database, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "linked.jsonl",
        {
            "text": TEXT,
            "spans": [
                _span(TEXT, "Ruxolitinib", "therapy", concepts=["DRUGBANK:DB08877"]),
                _span(
                    TEXT,
                    "JAK/STAT",
                    "target",
                    concepts=[
                        {"id": "HGNC:6190", "name": "JAK1"},
                        {"id": "HGNC:6192", "name": "JAK2"},
                    ],
                ),
                _span(TEXT, "Overall response rate reached 81.8%", "outcome"),
            ],
        },
    )
    import_jsonl(db, path, curator="ana")
    spans = annotate.spans_for(db, text_uid(TEXT))
    assert [[(c.id, c.name) for c in s.concepts] for s in spans] == [
        [("DRUGBANK:DB08877", "")],
        [("HGNC:6190", "JAK1"), ("HGNC:6192", "JAK2")],
        [],
    ]


def test_doccano_jsonl(db: Database, tmp_path: Path) -> None:
    a, b = TEXT.index("Ruxolitinib"), TEXT.index("JAK/STAT")
    path = _write(
        tmp_path / "doccano.jsonl",
        {"id": 7, "text": TEXT, "label": [[a, a + 11, "therapy"], [b, b + 8, "target"]]},
        {"id": 8, "text": "Second text without spans.", "label": []},
    )
    report = import_jsonl(db, path, curator="cy")
    assert (report.lines, report.documents_added, report.spans_added) == (2, 2, 2)
    assert [s[:5] for s in _stored(db)] == [
        ("cy", "target", b, b + 8, "JAK/STAT"),
        ("cy", "therapy", a, a + 11, "Ruxolitinib"),
    ]


def test_unknown_labels_need_add_labels(db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "x.jsonl", {"text": TEXT, "spans": [_span(TEXT, "81.8%", "measure")]})
    with pytest.raises(InputError, match=r"x\.jsonl:1: unknown label 'measure'.*--add-labels"):
        import_jsonl(db, path, curator="ana")
    assert documents.list_documents(db) == []
    report = import_jsonl(db, path, curator="ana", add_labels=True)
    assert report.labels_added == ["measure"]
    labels = list_labels(db)
    assert [lb.name for lb in labels][-1] == "measure"
    assert labels[-1].shortcut is None and labels[-1].color.startswith("#")
    assert _stored(db)[0][:2] == ("ana", "measure")


def test_spans_of_others_need_a_curator(db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "x.jsonl", {"text": TEXT, "spans": [_span(TEXT, "81.8%", "outcome")]})
    with pytest.raises(InputError, match="carry no curator"):
        import_jsonl(db, path)


def test_crlf_and_nfd_text_is_canonicalised_and_offsets_mapped(
    db: Database, tmp_path: Path
) -> None:
    raw = "Title line\r\nCafe\u0301 \U0001d6fc ruxolitinib\r\ncrosses\r\nlines"
    path = _write(
        tmp_path / "raw.jsonl",
        {
            "text": raw,
            "spans": [
                _span(raw, "ruxolitinib", "therapy", text="ruxolitinib"),
                _span(raw, "Cafe\u0301", "expert"),
                _span(raw, "ruxolitinib\r\ncrosses", "outcome"),
            ],
        },
    )
    import_jsonl(db, path, curator="ana")
    text = canonical_text(raw)
    assert text == "Title line\nCafé 𝛼 ruxolitinib\ncrosses\nlines"
    (doc,) = documents.list_documents(db)
    assert doc.uid == text_uid(text)
    spans = annotate.spans_for(db, doc.uid)
    assert {(s.text, text[s.start : s.end]) for s in spans} == {
        ("Café", "Café"),
        ("ruxolitinib", "ruxolitinib"),
        ("ruxolitinib\ncrosses", "ruxolitinib\ncrosses"),
    }


def test_bom_and_blank_lines_are_fine(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    line = json.dumps({"text": TEXT, "spans": [_span(TEXT, "81.8%", "outcome")]})
    path.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\r\n\r\n")
    assert import_jsonl(db, path, curator="ana").spans_added == 1


# --- bad lines: the file is refused at the first one, with file:line, nothing imported -------


def _own_line(db: Database, tmp_path: Path) -> dict[str, Any]:
    """One line of our own export, to spoil in one place."""
    from curator.core.articles import corpus

    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    (added,) = corpus.import_articles(db, [article]).added
    annotate.add_span(db, added.uid, "ana", annotate.NewSpan(0, 11, "therapy"))
    out = tmp_path / "own.jsonl"
    export_jsonl(db, out)
    line: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return line


def _spoil_span(**change: Any) -> Callable[[dict[str, Any]], Any]:
    def spoil(line: dict[str, Any]) -> Any:
        line["spans"][0].update(change)
        return line

    return spoil


def _spoil(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    def spoil(line: dict[str, Any]) -> Any:
        line[key] = value
        return line

    return spoil


def _crlf(line: dict[str, Any]) -> Any:
    line["text"] = line["text"].replace("\n", "\r\n")
    return line


def _duplicate(line: dict[str, Any]) -> Any:
    line["spans"].append(dict(line["spans"][0]))
    return line


def _uid_hiding_a_newline(line: dict[str, Any]) -> Any:
    """Two canonical ids joined by a newline: the line's ids are checked joined that way."""
    uid = line["spans"][0]["id"]
    line["spans"][0]["id"] = f"{uid}\n{uid}"
    return line


def _second_span(**change: Any) -> Callable[[dict[str, Any]], Any]:
    def spoil(line: dict[str, Any]) -> Any:
        second = dict(line["spans"][0], id="0f0e0d0c-0b0a-4908-8706-050403020100")
        second.update(change)
        line["spans"].append(second)
        return line

    return spoil


def _duplicate_then_bad_offset(line: dict[str, Any]) -> Any:
    line["spans"].append(dict(line["spans"][0]))
    line["spans"].append(dict(line["spans"][0], id=str(uuid.uuid4()), end=10_000))
    return line


BAD_LINES: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "not-json": (lambda _l: '{"text": "unfinished', "not valid JSON"),
    "not-an-object": (lambda _l: [1, 2], "expected a JSON object"),
    "sha-mismatch": (_spoil("text_sha256", "0" * 64), "not the SHA-256 of the text"),
    "non-canonical": (_crlf, "not in canonical form"),
    "newer-schema": (_spoil("schema", {"name": "heme-curator", "version": 9}), "newer version"),
    "out-of-range": (_spoil_span(end=10_000), "not inside the text"),
    "empty-span": (_spoil_span(end=0, start=0), "start before end"),
    "quote-mismatch": (_spoil_span(text="Ruxolitinix"), "not 'Ruxolitinix'"),
    "unknown-label": (_spoil_span(label="drug"), "unknown label 'drug'"),
    "bad-origin": (_spoil_span(origin="guessed"), "origin must be one of"),
    "naive-time": (_spoil_span(updated_at="2025-01-01T10:00:00"), "no time zone"),
    "bad-time": (_spoil_span(created_at="yesterday"), "not an ISO-8601 time"),
    "string-offset": (_spoil_span(start="0"), "'start' must be int"),
    "bool-offset": (_spoil_span(start=False), "'start' must be int"),
    "not-uuid": (_spoil_span(id="span-1"), "not a UUID"),
    "no-curator": (_spoil_span(curator=""), "curator name cannot be empty"),
    "zero-revision": (_spoil_span(revision=0), "revision must be at least 1"),
    "duplicate-id": (_duplicate, "appears twice"),
    "uid-hiding-a-newline": (_uid_hiding_a_newline, "span 1: id '"),
    "upper-case-uid": (_spoil_span(id="6513270E-269E-4D37-B2A7-4DE452E6B438"), "not a UUID"),
    "second-uid-not-canonical": (_second_span(id="{0f0e0d0c-0b0a-4908}"), "span 2: id '{"),
    "duplicate-before-bad-offset": (_duplicate_then_bad_offset, "appears twice"),
    "minimal-no-label": (lambda _l: {"text": TEXT, "spans": [{"start": 0, "end": 3}]}, "'label'"),
    "minimal-quote": (
        lambda _l: {
            "text": TEXT,
            "spans": [{"start": 0, "end": 3, "label": "target", "text": "X"}],
        },
        "the text at 0-3 is 'Rux', not 'X'",
    ),
    "concepts-not-list": (_spoil_span(concepts="HGNC:1633"), "'concepts' must be a list"),
    "concept-bad-id": (_spoil_span(concepts=["CD19"]), "'CD19' is not a prefixed id"),
    "minimal-concept-bad": (
        lambda _l: {
            "text": TEXT,
            "spans": [{"start": 0, "end": 3, "label": "target", "concepts": [{"name": "x"}]}],
        },
        "a concept must be an id string or an object with an 'id'",
    ),
    "doccano-shape": (lambda _l: {"text": TEXT, "label": [[0, "3", "target"]]}, "[start, end"),
    "doccano-unknown": (lambda _l: {"text": TEXT, "label": [[0, 3, "gene"]]}, "unknown label"),
    "no-text": (lambda _l: {"spans": []}, "missing 'text'"),
    "edge-inside-crlf": (
        lambda _l: {"text": "a\r\nb", "spans": [{"start": 0, "end": 2, "label": "target"}]},
        "span edge falls inside a changed sequence",
    ),
    "edge-inside-nfd": (
        lambda _l: {"text": "Cafe\u0301", "spans": [{"start": 0, "end": 4, "label": "target"}]},
        "span edge falls inside a changed sequence",
    ),
}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_bad_line_rejects_the_whole_file(db: Database, tmp_path: Path, case: str) -> None:
    line = _own_line(db, tmp_path)
    good = {
        "text": "A good first line about CD19.",
        "spans": [{"start": 24, "end": 28, "label": "target"}],
    }
    spoil, needle = BAD_LINES[case]
    bad = spoil(json.loads(json.dumps(line)))
    path = _write(tmp_path / "in.jsonl", good, bad)
    before = _stored(db), [d.uid for d in documents.list_documents(db)]

    with pytest.raises(InputError) as caught:
        import_jsonl(db, path, curator="ana")

    assert str(caught.value).startswith(f"{path}:2: ")
    assert needle in str(caught.value)
    assert (_stored(db), [d.uid for d in documents.list_documents(db)]) == before


def test_non_utf8_and_binary_files(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"latin\.jsonl:2: is not valid UTF-8"):
        import_jsonl(db, path, curator="ana")
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match="binary"):
        import_jsonl(db, path, curator="ana")
    path.write_bytes(b"\n\n")
    with pytest.raises(InputError, match="holds no JSON lines"):
        import_jsonl(db, path, curator="ana")
    assert documents.list_documents(db) == []


def test_span_uid_of_another_document_is_refused(db: Database, tmp_path: Path) -> None:
    line = _own_line(db, tmp_path)
    other = canonical_text("Another article entirely, about CD19 therapy.\n")
    line["text"] = other
    line["id"] = line["text_sha256"] = text_uid(other)
    line["spans"][0].update(start=0, end=7, text="Another", updated_at="2999-01-01T00:00:00Z")
    path = _write(tmp_path / "moved.jsonl", line)
    with pytest.raises(InputError, match="belongs to another document"):
        import_jsonl(db, path)
    assert len(documents.list_documents(db)) == 1
