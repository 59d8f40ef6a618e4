"""The counts the home page, the timeline and the sources show come from tallies the
database keeps: they must match the articles after every kind of change."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from articles.ingest.pipeline import ingest_paths
from articles.models import Article, ArticleTally, Source
from tests.conftest import SEEDS, make_article, make_source
from tests.test_admin import change_form_data
from tests.test_views_browse import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """Staff who may correct and delete articles."""
    user = User.objects.create_superuser("editor", password="pw-for-tests")
    client.force_login(user)
    return user


def months_of_articles() -> dict[date, int]:
    """Articles per month, counted here from the rows themselves."""
    return Counter(
        day.replace(day=1)
        for day in Article.objects.values_list("published_date", flat=True)
        if day is not None
    )


def assert_counts_match_the_articles(client) -> None:
    assert ArticleTally.objects.drift() == {}
    shown = {month: n for month, n in ArticleTally.objects.monthly_counts() if n}
    assert shown == months_of_articles()
    undated = Article.objects.filter(published_date__isnull=True).count()
    assert ArticleTally.objects.undated() == undated
    home = text_of(client.get("/"))
    assert f"Articles {Article.objects.count()}" in home
    listed = client.get("/articles/").context["paginator"].count
    assert listed == Article.objects.count()
    assert client.get("/articles/undated/").context["paginator"].count == undated
    for source in Source.objects.in_use().with_coverage():
        assert source.article_count == Article.objects.filter(source=source).count()
        elsewhere = Article.objects.filter(captured_from=source).exclude(source=source).count()
        assert source.capture_count == elsewhere
        page = client.get(source.get_absolute_url())
        assert page.context["paginator"].count == Article.objects.from_source(source).count()


def test_counts_follow_ingest_staff_edits_deletes_and_ingest_again(client, editor, on_commit):
    with on_commit():
        assert ingest_paths([SEEDS]).failed == 0
    assert Article.objects.exists()
    assert_counts_match_the_articles(client)

    # A staff correction moves an article to another month and another source.
    article = Article.objects.exclude(published_date=None).first()
    other = make_source("Correction Wire")
    with on_commit():
        response = client.post(
            f"/admin/articles/article/{article.pk}/change/",
            change_form_data(article, published_date="1999-12-31", source=other.pk),
        )
    assert response.status_code == 302
    assert months_of_articles()[date(1999, 12, 1)] == 1
    assert_counts_match_the_articles(client)

    # Undated by staff, then deleted in the admin.
    with on_commit():
        client.post(
            f"/admin/articles/article/{article.pk}/change/",
            change_form_data(Article.objects.get(pk=article.pk), published_date=""),
        )
    assert_counts_match_the_articles(client)
    with on_commit():
        response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert_counts_match_the_articles(client)

    # Ingested again, the deleted capture comes back; the others are the same bytes again.
    with on_commit():
        assert ingest_paths([SEEDS]).failed == 0
    assert_counts_match_the_articles(client)

    # A source deleted leaves its articles credited to none.
    with on_commit():
        Article.objects.exclude(source=None).first().source.delete()
    assert_counts_match_the_articles(client)


def test_counts_follow_bulk_writes_that_skip_save(client):
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    wire = make_source("Wire")
    Article.objects.bulk_create(
        Article(
            title=f"Bulk {n}",
            slug=f"bulk-{n}",
            source=wire,
            captured_from=site if n % 2 else None,
            published_date=date(2008, 1 + n % 3, 5) if n % 5 else None,
            body="text",
            body_html="<p>text</p>",
        )
        for n in range(20)
    )
    make_article(source=site, captured_from=site, published_date=date(2008, 2, 1))
    assert_counts_match_the_articles(client)
    Article.objects.filter(published_date__month=1).update(published_date=date(2009, 6, 1))
    Article.objects.filter(captured_from=site).update(source=site)
    assert_counts_match_the_articles(client)
    Article.objects.filter(published_date=None).delete()
    assert_counts_match_the_articles(client)


def test_sources_page_counts_captures_credited_elsewhere(client):
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    make_article(source="RIA Novosti", published_date=date(2007, 10, 12), captured_from=site)
    make_article(source=site, published_date=date(2008, 1, 2), captured_from=site)
    make_article(source=None, published_date=date(2008, 1, 3), captured_from=site)
    page = text_of(client.get("/sources/"))
    assert "GlobalSecurity.org website 1 + 2 captured" in page


def test_recounting_mends_tallies_written_around_the_database(client):
    for n in range(6):
        make_article(published_date=date(2008, 1 + n % 2, 3) if n else None)
    ArticleTally.objects.update(articles=7)  # as after a restore with triggers off
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("recount_articles", "--check", stdout=out)
    assert "tallies differ" in out.getvalue()
    assert not re.search(r"Articles 6\b", text_of(client.get("/")))
    call_command("recount_articles", stdout=out)
    call_command("recount_articles", "--check", stdout=out)
    assert_counts_match_the_articles(client)
