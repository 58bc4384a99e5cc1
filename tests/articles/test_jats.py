"""PubMed Central JATS XML: title, abstract and sections in order, captions kept, references out."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core.articles import is_article, read_article
from curator.core.errors import InputError

JATS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article
  PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN"
  "JATS-archivearticle1-3.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:mml="http://www.w3.org/1998/Math/MathML" article-type="research-article">
  <front>
    <journal-meta>
      <journal-title-group><journal-title>Blood Advances</journal-title></journal-title-group>
    </journal-meta>
    <article-meta>
      <article-id pub-id-type="pmid">38012345</article-id>
      <article-id pub-id-type="pmc">10701234</article-id>
      <article-id pub-id-type="doi">10.1182/bloodadvances.2023011234</article-id>
      <title-group>
        <article-title>Eltrombopag with <italic>immunosuppressive</italic>
          therapy in severe aplastic anemia</article-title>
      </title-group>
      <pub-date pub-type="epub"><day>5</day><month>3</month><year>2024</year></pub-date>
      <abstract>
        <sec><title>Background</title>
          <p>Severe aplastic anemia is treated with immunosuppressive therapy.</p></sec>
        <sec><title>Results</title>
          <p>The overall response rate was 68%&#160;at six months.</p></sec>
      </abstract>
    </article-meta>
  </front>
  <body>
    <sec id="s1">
      <title>Introduction</title>
      <p>Eltrombopag is a thrombopoietin receptor agonist
         that restores trilineage hematopoiesis <xref ref-type="bibr" rid="r1">[1]</xref>.</p>
      <sec id="s1a">
        <label>1.1</label><title>Study design</title>
        <p>Patients were enrolled between 2019 and 2024.<fig id="f1"><label>Figure 1</label>
          <caption><title>Enrolment.</title><p>Flow of patients through the study.</p></caption>
          <graphic xlink:href="f1.jpg"/></fig></p>
      </sec>
    </sec>
    <sec id="s2">
      <title>Results</title>
      <p>Complete responses reached 40% with the ﬁrst regimen.</p>
      <table-wrap id="t1"><label>Table 1</label><caption><p>Baseline characteristics.</p></caption>
        <table><tr><td>Age</td><td>54</td></tr></table></table-wrap>
      <list list-type="bullet"><list-item><p>No clonal evolution.</p></list-item></list>
    </sec>
  </body>
  <back>
    <ack><title>Acknowledgements</title><p>We thank the patients.</p></ack>
    <ref-list><title>References</title>
      <ref id="r1"><mixed-citation>Smith J. Blood. 2020;1:1.</mixed-citation></ref>
      <ref id="r2"><mixed-citation>Chen W. Lancet. 2021;2:2.</mixed-citation></ref>
    </ref-list>
  </back>
</article>
"""

EXPECTED = "\n\n".join(
    [
        "Eltrombopag with immunosuppressive therapy in severe aplastic anemia",
        "Abstract",
        "Background",
        "Severe aplastic anemia is treated with immunosuppressive therapy.",
        "Results",
        "The overall response rate was 68% at six months.",
        "Introduction",
        "Eltrombopag is a thrombopoietin receptor agonist that restores trilineage "
        "hematopoiesis [1].",
        "1.1 Study design",
        "Patients were enrolled between 2019 and 2024.",
        "Figure 1. Enrolment. Flow of patients through the study.",
        "Results",
        "Complete responses reached 40% with the first regimen.",
        "Table 1. Baseline characteristics.",
        "No clonal evolution.",
        "Acknowledgements",
        "We thank the patients.",
    ]
)


@pytest.mark.parametrize("name", ["article.nxml", "article.xml"])
def test_jats_article_reads_in_order_with_captions_and_without_references(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(JATS, encoding="utf-8")
    assert is_article(path)
    article = read_article(path)
    assert article.text == EXPECTED
    assert article.title == "Eltrombopag with immunosuppressive therapy in severe aplastic anemia"
    assert article.meta == {
        "format": "jats",
        "pmid": "38012345",
        "pmcid": "PMC10701234",
        "doi": "10.1182/bloodadvances.2023011234",
        "journal": "Blood Advances",
        "published": "2024-03-05",
        "references_left_out": 2,
        "table_bodies_left_out": 1,
    }


def test_an_abstract_without_a_heading_gets_one(tmp_path: Path) -> None:
    path = tmp_path / "short.nxml"
    path.write_text(
        "<article><front><article-meta><title-group><article-title>T</article-title>"
        "</title-group><abstract><p>A short abstract.</p></abstract></article-meta></front>"
        "</article>",
        encoding="utf-8",
    )
    assert read_article(path).text == "T\n\nAbstract\n\nA short abstract."


def test_bioc_xml_is_still_a_span_file(tmp_path: Path) -> None:
    path = tmp_path / "spans.xml"
    path.write_text("<?xml version='1.0'?><!-- <article> --><collection/>", encoding="utf-8")
    assert not is_article(path)


def test_jats_declaring_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.nxml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY a "aaaaaaaaaa">]>\n'
        "<article><body><p>&a;</p></body></article>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"laughs\.nxml:2: declares the XML entity 'a'"):
        read_article(path)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("<article><body><p>cut", r"bad\.nxml:1: is not well-formed XML"),
        ("<collection/>", r"bad\.nxml:1: expected a JATS <article>, found <collection>"),
        ("<article><front/></article>", r"bad\.nxml:1: holds no article text"),
    ],
)
def test_bad_jats_is_refused_with_file_and_line(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.nxml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=needle):
        read_article(path)
