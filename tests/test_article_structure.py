"""An article read from a saved page shows its structure on the article page, sanitised."""

from __future__ import annotations

import re

import pytest

from articles.ingest.pipeline import ingest_paths

pytestmark = pytest.mark.django_db

PAGE = b"""<html><head><title>Shield talks stall</title>
<meta property="og:title" content="Shield talks stall">
<meta property="og:url" content="https://news.example.org/2008/03/18/shield">
<meta property="article:published_time" content="2008-03-18T10:00:00+01:00">
</head><body><article><h1>Shield talks stall</h1>
<p>Russian Foreign Minister Sergei Lavrov said no agreement had been reached with the US over
<a href="/missile-defence" onclick="steal()">its plan</a> to base a missile shield in Europe.</p>
<h2>The sites</h2>
<ul><li>Interceptor missiles in northern Poland</li><li>A radar near Prague</li></ul>
<table><tr><th>Site</th><th>Country</th></tr><tr><td>Redzikowo</td><td>Poland</td></tr></table>
<blockquote><p>We agreed to continue consultations on the proposals, the minister said.</p>
</blockquote>
<p style="color:red">Both sides will meet again in Washington next month to continue the
discussions, <a href="javascript:alert(1)">officials</a> said after the talks.</p>
<script>alert(2)</script><iframe src="https://evil.example/"></iframe>
</article></body></html>"""


def article_body(response) -> str:
    content = response.content.decode()
    return re.search(r'<div class="article-body">(.*?)</div>', content, re.S).group(1)


def test_article_page_shows_the_kept_structure_sanitised(client, tmp_path):
    (tmp_path / "shield.html").write_bytes(PAGE)
    ingest_paths([tmp_path / "shield.html"])
    from articles.models import Article

    article = Article.objects.get(captures__origin="shield.html")
    body = article_body(client.get(article.get_absolute_url()))

    assert "<h2>The sites</h2>" in body
    assert "<li>A radar near Prague</li>" in body
    assert "<th>Site</th>" in body and "<td>Redzikowo</td>" in body
    assert "<blockquote><p>We agreed to continue" in body
    assert (
        '<a href="https://news.example.org/missile-defence" rel="nofollow noopener">its plan</a>'
        in body
    )
    for forbidden in ("onclick", "style=", "javascript", "<script", "alert", "<iframe", "evil"):
        assert forbidden not in body
    # The plain text stays for search, analysis and export.
    assert "Redzikowo | Poland" in article.body
    assert "<" not in article.body
