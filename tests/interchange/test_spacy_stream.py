"""The streamed DocBin decodes to the message spaCy's own DocBin writes, and loads as one."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import spacy
import srsly
from spacy.tokens import DocBin

from curator.core.interchange.spacy_stream import StreamingDocBin

TEXTS = [
    "Ruxolitinib targets JAK2 in myelofibrosis.",
    "",
    "BCMA CAR-T cells gave a 73% response rate, as Anna Rossi noted.\n\nSecond paragraph.",
]


def _docs() -> list[object]:
    nlp = spacy.blank("en")
    docs = []
    for i, text in enumerate(TEXTS):
        doc = nlp(text)
        doc.user_data["heme_curator"] = {"id": f"doc{i}", "concepts": {}}
        if len(doc) >= 2:
            span = doc[0:2]
            span.id_ = f"uid-{i}"
            span.kb_id_ = "HGNC:6192"
            doc.spans["alice"] = [span]
            doc.spans["bob"] = [doc[1:2]]
        docs.append(doc)
    return docs


def test_streamed_bytes_hold_the_same_message_as_docbin(tmp_path: Path) -> None:
    expected = DocBin(store_user_data=True)
    streamed = StreamingDocBin()
    for doc in _docs():
        expected.add(doc)
        streamed.add(doc)
    out = io.BytesIO()
    streamed.write(out)
    streamed.close()
    ours = srsly.msgpack_loads(zlib.decompress(out.getvalue()))
    theirs = srsly.msgpack_loads(zlib.decompress(expected.to_bytes()))
    assert ours == theirs
    path = tmp_path / "x.spacy"
    path.write_bytes(out.getvalue())
    loaded = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    assert [d.text for d in loaded] == TEXTS
    assert [s.id_ for s in loaded[0].spans["alice"]] == ["uid-0"]
    assert loaded[2].user_data["heme_curator"]["id"] == "doc2"


def test_an_empty_stream_is_an_empty_docbin() -> None:
    streamed = StreamingDocBin()
    out = io.BytesIO()
    streamed.write(out)
    streamed.close()
    assert list(DocBin().from_bytes(out.getvalue()).get_docs(spacy.blank("en").vocab)) == []
