"""Bad-input samples in BioC XML: every slot of a foreign and of our own document crossed
with bad values, and whole files that are not BioC at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.reliability.corpus_sample import Prepared, Sample
from tests.reliability.input_builders import (
    BIOC_HEAD,
    bioc_document,
    own_bioc_document,
    write_bioc,
)

XML_VALUES: dict[str, str] = {
    "empty": "",
    "minus-one": "-1",
    "int-10-12": "1000000000000",
    "int-5000-digits": "9" * 5000,
    "word": "abc",
    "spaced": " 3 ",
    "char-ref-nul": "&#0;",
    "char-ref-surrogate": "&#xD800;",
    "raw-control": "\x01",
    "element": "<x/>",
    "astral": "\U0001d518",
    "long-300": "y" * 300,
}
JSON_IN_XML: dict[str, str] = {
    "nan": '{"k": NaN}',
    "nested-1000": "[" * 1000 + "]" * 1000,
    "lone-surrogate": '{"k": "\\udfff"}',
    "nul": '{"k": "\\u0000"}',
    "int-4301-digits": '{"k": ' + "9" * 4301 + "}",
    "not-json": "{k}",
    "list": "[1, 2]",
}


def _foreign_slots() -> dict[str, Callable[[str], str]]:
    def annotation(location: str, label: str = "target", quote: str = "CD19") -> str:
        return (
            "<document><id>9</id><passage><offset>0</offset><text>CD19 CAR-T works.</text>\n"
            f'<annotation id="1"><infon key="type">{label}</infon>{location}'
            f"<text>{quote}</text></annotation></passage></document>\n"
        )

    return {
        "passage-offset": lambda v: bioc_document(offset=v),
        "passage-text": lambda v: bioc_document(text=v),
        "location-offset": lambda v: annotation(f'<location offset="{v}" length="4"/>'),
        "location-length": lambda v: annotation(f'<location offset="0" length="{v}"/>'),
        "label": lambda v: annotation('<location offset="0" length="4"/>', label=v),
        "quote": lambda v: annotation('<location offset="0" length="4"/>', quote=v),
        "curator-infon": lambda v: bioc_document().replace(
            '<infon key="type">', f'<infon key="curator">{v}</infon><infon key="type">'
        ),
    }


def _own_slots() -> dict[str, Callable[[str], str]]:
    return {
        "own-revision": lambda v: own_bioc_document(revision=v),
        "own-updated-at": lambda v: own_bioc_document(updated_at=v),
        "own-title": lambda v: own_bioc_document().replace(
            '<infon key="title">t</infon>', f'<infon key="title">{v}</infon>'
        ),
    }


def _xml_sample(name: str, document: str, own: bool) -> Sample:
    def build(folder: Path) -> Prepared:
        file, _ = write_bioc(folder / "in.xml", document, own=own)
        return Prepared(["import", str(file)], file)

    return Sample(name, build)


def _whole_xml(name: str, text: str) -> Sample:
    def build(folder: Path) -> Prepared:
        file = folder / "in.xml"
        file.write_bytes(text.encode("utf-8", "surrogateescape"))  # "\udce9" is the byte 0xE9
        return Prepared(["import", str(file)], file)

    return Sample(name, build)


def xml_samples() -> list[Sample]:
    samples = []
    for own, slots in ((False, _foreign_slots()), (True, _own_slots())):
        for slot, make in slots.items():
            for value_name, value in XML_VALUES.items():
                samples.append(_xml_sample(f"xml-{slot}-{value_name}", make(value), own))
    for value_name, value in JSON_IN_XML.items():
        for key in ("meta", "status"):
            escaped = value.replace("&", "&amp;").replace("<", "&lt;")
            document = own_bioc_document()
            if key == "meta":
                document = own_bioc_document(meta=escaped)
            else:
                document = document.replace(
                    "<passage>", f'<infon key="status">{escaped}</infon><passage>'
                )
            samples.append(_xml_sample(f"xml-{key}-infon-{value_name}", document, True))
    collection = f"{BIOC_HEAD}<collection><source>tool</source>\n"
    samples += [
        _whole_xml("xml-empty-file", ""),
        _whole_xml("xml-truncated", collection + bioc_document()[:40]),
        _whole_xml("xml-wrong-root", f"{BIOC_HEAD}<article><p>CD19</p></article>\n"),
        _whole_xml("xml-no-documents", collection + "</collection>\n"),
        _whole_xml("xml-deep-elements", collection + "<a>" * 50_000 + "</a>" * 50_000),
        _whole_xml("xml-latin1-bytes-declared-utf8", collection + "<x>caf\udce9</x>"),
        _whole_xml(
            "xml-entity",
            f'{BIOC_HEAD}<!DOCTYPE c [<!ENTITY e "x">]>\n<collection>&e;</collection>\n',
        ),
        _whole_xml(
            "xml-sentences",
            collection
            + bioc_document().replace("<text>CD19 CAR-T works.</text>", "<sentence/>")
            + "</collection>\n",
        ),
    ]
    return samples
