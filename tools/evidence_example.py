"""Tag a small evidence chain in the sample myeloma article, for the README's example.

Usage: ``python tools/evidence_example.py DB`` (a database the sample
articles in ``data/`` were imported into), then ``curator --db DB evidence``.
Everything goes through the same core API the app uses.
"""

from __future__ import annotations

import sys

from curator.core import relations
from curator.core.articles.documents import get_document, list_documents
from curator.core.concepts.linking import link_span
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage.concepts import Concept
from curator.core.storage.db import open_database
from curator.core.storage.paths import database_url

CURATOR = "alice"


def main(path: str) -> None:
    db = open_database(database_url(path))
    (doc,) = [d.uid for d in list_documents(db) if d.title.startswith("BCMA-Directed")]
    text = get_document(db, doc).text

    def tag(term: str, label: str, after: str = "") -> str:
        start = text.index(term, text.index(after) if after else 0)
        return annotate.add_span(db, doc, CURATOR, NewSpan(start, start + len(term), label)).uid

    teclistamab = tag("teclistamab", "therapy")
    bcma = tag("BCMA", "target", "Bispecific antibodies that link")
    cd3 = tag("CD3", "target")
    orr = tag("overall response rate of 63.0%", "outcome")
    cr = tag("39.4% of patients reached a complete response or better", "outcome")
    link_span(db, teclistamab, [Concept("DRUGBANK:DB16655", "Teclistamab")])
    link_span(db, bcma, [Concept("HGNC:11913", "TNFRSF17")])
    link_span(db, cd3, [Concept("HGNC:1674", "CD3E")])
    for kind, head, tail in (
        ("acts_on", teclistamab, bcma),
        ("acts_on", teclistamab, cd3),
        ("has_outcome", teclistamab, orr),
        ("has_outcome", teclistamab, cr),
    ):
        relations.add_relation(db, doc, CURATOR, kind, head, tail)
    again = tag("teclistamab", "therapy", "48 patients receiving")
    pfs = tag("12-month progression-free survival in that cohort was 58.3%", "outcome")
    ortega = tag("Luis Ortega", "expert")
    relations.add_relation(db, doc, CURATOR, "has_outcome", again, pfs)
    relations.add_relation(db, doc, CURATOR, "reports", ortega, pfs)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
