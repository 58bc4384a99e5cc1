"""Saved web pages: the article's text without menus, footers or comments; title and date."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.core.articles import read_article
from curator.core.errors import InputError
from tests.articles.samples import PARAGRAPHS, TITLE, word_order_ratio

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Hematology News</title>
<meta property="article:published_time" content="2024-05-17T08:00:00Z">
<meta name="author" content="Ana Rossi">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav></header>
<main><article>
<h1>{title}</h1>
{paragraphs}
</article></main>
<aside class="related"><h3>Related stories</h3>
<ul><li><a href="/x">Gene therapy roundup</a></li></ul></aside>
<section id="comments" class="comments"><h3>3 comments</h3>
<div class="comment"><p>Great article, thanks for sharing this with us!</p></div></section>
<footer><p>© 2024 Hematology News. All rights reserved. Privacy policy.</p></footer>
</body></html>
"""


def write_page(path: Path) -> Path:
    paragraphs = "\n".join(f"<p>{p.replace('CD7 ', 'CD7&nbsp;', 1)}</p>" for p in PARAGRAPHS)
    path.write_text(PAGE.format(title=TITLE, paragraphs=paragraphs), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["story.html", "story.htm"])
def test_web_page_gives_its_article_text_title_and_date(tmp_path: Path, name: str) -> None:
    article = read_article(write_page(tmp_path / name))
    expected = "\n\n".join([TITLE, *PARAGRAPHS])
    assert article.text == expected
    assert word_order_ratio(expected, article.text) == 1.0
    assert article.title == TITLE
    assert article.meta["format"] == "html"
    assert article.meta["published"] == "2024-05-17"
    assert article.meta["title"] == TITLE
    for boilerplate in ("Subscribe", "Related stories", "Great article", "rights reserved"):
        assert boilerplate not in article.text


def test_a_page_without_any_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><head><title>Nothing</title></head><body><div></div></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"menu\.html: holds no article text"):
        read_article(path)
