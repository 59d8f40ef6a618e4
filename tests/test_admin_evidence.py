"""The review queue shows what to check first: each field's evidence and confidence."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Article
from tests.conftest import make_article
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

PAGE = """<html><head><title>Shield talks stall</title>
<meta property="og:title" content="Shield talks stall">{head}</head><body><article>
<h1>Shield talks stall</h1>
<p>Russian Foreign Minister Sergei Lavrov said no agreement had been reached with the US over
its plan to base a missile shield in Europe, officials said after the talks.</p>
<p>Both sides will meet again in Washington next month to continue the discussions on missile
defence and arms control, the ministry said in a statement on Tuesday.</p>
</article></body></html>"""


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Archive editors"))
    client.force_login(user)
    return user


def evidence(*records: tuple[str, str, float]) -> dict:
    field_evidence = [{"field": f, "evidence": e, "confidence": c} for f, e, c in records]
    return {
        "field_evidence": field_evidence,
        "weakest_confidence": min(c for _, _, c in records),
        "needs_review": True,
    }


def test_ingest_stores_each_fields_evidence_and_flags_a_weak_guess(tmp_path, on_commit):
    capture = tmp_path / "shield.html"
    head = '<meta name="author" content="Anna Beck">'
    capture.write_text(PAGE.format(head=head))
    with on_commit():
        call_command("ingest", str(capture), verbosity=0)
    article = Article.objects.get(captures__origin="shield.html")
    found = {record["field"]: record for record in article.field_evidence}
    assert found["title"]["evidence"] == "<h1> matching OpenGraph og:title"
    assert found["byline"]["evidence"].startswith("meta author")
    assert article.weakest_confidence == min(r["confidence"] for r in article.field_evidence)
    assert "byline_uncertain" in article.review_reasons  # a lone meta author is a weak guess


def test_the_review_queue_lists_the_weakest_guesses_first(client, editor):
    make_article(title="Sure of everything", **evidence(("title", "<h1>", 0.95)))
    make_article(title="A weak date", **evidence(("published", "htmldate", 0.5)))
    make_article(title="No evidence kept", needs_review=True)
    make_article(title="Uncertain byline", **evidence(("byline", "meta author", 0.6)))
    page = client.get("/admin/articles/article/").content.decode()
    order = [page.index(title) for title in ("A weak date", "Uncertain byline", "Sure of")]
    assert order == sorted(order)
    assert page.index("Sure of everything") < page.index("No evidence kept")
    assert "published 0.50" in page


def test_the_queue_filters_by_the_weakest_fields_confidence(client, editor):
    make_article(title="A weak date", **evidence(("published", "htmldate", 0.5)))
    make_article(title="Sure of everything", **evidence(("title", "<h1>", 0.95)))
    page = client.get("/admin/articles/article/?confidence=weak").content.decode()
    assert "A weak date" in page and "Sure of everything" not in page
    page = client.get("/admin/articles/article/?confidence=sure").content.decode()
    assert "Sure of everything" in page and "A weak date" not in page


def test_the_change_form_shows_the_evidence_weakest_first(client, editor):
    article = make_article(
        **evidence(
            ("title", "<h1> matching OpenGraph og:title", 0.95),
            ("published", "htmldate (against: 2008-03-17 from first <time>)", 0.55),
        )
    )
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    table = re.search(r'<table class="field-evidence">.*?</table>', page, re.S).group(0)
    assert table.index("published") < table.index("title")
    assert "htmldate (against: 2008-03-17 from first &lt;time&gt;)" in table
    assert "0.55" in table


def test_a_correction_settles_the_fields_evidence_and_survives_reingest(
    tmp_path, client, editor, on_commit
):
    capture = tmp_path / "shield.html"
    capture.write_text(PAGE.format(head='<meta name="author" content="Anna Beck">'))
    with on_commit():
        call_command("ingest", str(capture), verbosity=0)
    article = Article.objects.get(captures__origin="shield.html")
    with on_commit():
        client.post(
            f"/admin/articles/article/{article.pk}/change/",
            change_form_data(article, byline="Anna Beck and Tom Lee"),
        )
    article.refresh_from_db()
    byline = next(r for r in article.field_evidence if r["field"] == "byline")
    assert byline == {"field": "byline", "evidence": "corrected by staff", "confidence": 1.0}
    assert "byline_uncertain" not in article.review_reasons

    capture.write_text(capture.read_text().replace("on Tuesday", "on Tuesday evening"))
    with on_commit():
        call_command("ingest", str(capture), stdout=StringIO())
    article.refresh_from_db()
    byline = next(r for r in article.field_evidence if r["field"] == "byline")
    assert byline["evidence"] == "corrected by staff"
    assert "byline_uncertain" not in article.review_reasons
