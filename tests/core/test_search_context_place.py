"""A hit's context is found in its article whatever the spacing the snippet collapsed."""

from __future__ import annotations

from curator.core.search.documents import context_place


def test_the_context_is_found_across_line_breaks_and_cut_ends() -> None:
    article = "Remission first.\n\nThen, later,\ninto  remission at all. (90%)"
    at = context_place(article, "…later, into remission at all. (90%)")
    assert at == (article.index("later"), len(article))


def test_a_context_the_article_lacks_is_not_placed() -> None:
    assert context_place("Remission first.", "…into remission…") is None
    assert context_place("Remission first.", "…") is None
