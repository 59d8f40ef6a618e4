"""The browsing pages as a reader meets them: what they show, where they lead, what they refuse."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from articles import views
from articles.models import Article, Correction
from articles.sanitize import sanitize_html
from tests.conftest import make_article, make_source

pytestmark = pytest.mark.django_db

# These read SQLite's query plans (EXPLAIN QUERY PLAN); PostgreSQL plans differently.
SQLITE_PLANS = pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite query plans")

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f"{SCRIPT}{IMG}"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"


def html(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's visible words, tags stripped and whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html(response), flags=re.S)
    body = re.sub(r"</?(a|span|time|abbr|code|em|strong|q|b|i)\b[^>]*>", "", body)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def moscow_article():
    return make_article(
        title="Russia, U.S. fail to agree on key issues at defense talks",
        source="RIA Novosti",
        captured_from=make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org"),
        published_date=date(2007, 10, 12),
        published_at=datetime(2007, 10, 12, 14, 35, tzinfo=UTC),
        published_tz="Europe/Moscow",
        dateline="MOSCOW",
        byline="By Andrei Ivanov",
        raw="UNITED24 - Make a donation\n\nRussia, U.S. fail to agree <b>raw</b> & more\n",
        origin="002_039291e9fa94fbe8.txt",
        sha256="7599f579677673a89e604325941fea56cf36a257275517ece7ff7edfba44a424",
    )


@pytest.fixture
def collection():
    """About thirty articles over four sources and eight months, a few undated."""
    sources = ["RIA Novosti", "BBC News", "Reuters", "Interfax"]
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    articles = []
    for n in range(30):
        undated = n % 10 == 9
        articles.append(
            make_article(
                source=sources[n % 4],
                captured_from=site if n % 5 == 0 else None,
                published_date=None if undated else date(2007, 9, 1) + timedelta(days=7 * n),
                needs_review=undated,
                review_reasons=["date_unknown"] if undated else [],
            )
        )
    return articles


# -- Home -------------------------------------------------------------------------------


def test_home_page_gives_the_collection_figures_and_date_span(client):
    make_article(published_date=date(2007, 10, 12), source="RIA Novosti")
    make_article(published_date=date(2008, 3, 18), source="BBC News")
    make_article(published_date=None, source="BBC News")
    page = text_of(client.get("/"))
    assert "Articles 3" in page
    assert "Sources 2" in page
    assert "12 October 2007 – 18 March 2008" in page


def test_home_page_timeline_links_each_month_with_coverage_to_its_archive(client):
    make_article(published_date=date(2007, 10, 12))
    make_article(published_date=date(2008, 3, 18))
    make_article(published_date=date(2008, 3, 19))
    response = client.get("/")
    content = html(response)
    assert 'href="/articles/2007/10/"' in content
    assert 'href="/articles/2008/03/"' in content
    # The empty months between are drawn but not linked.
    assert 'href="/articles/2007/12/"' not in content
    assert "December 2007: 0 articles" in text_of(response)
    assert "March 2008: 2 articles" in text_of(response)


def test_home_page_timeline_of_sixteen_years_shows_years_each_linked_to_its_archive(client):
    for year in range(2007, 2023):
        make_article(published_date=date(year, 6, 1))
    content = html(client.get("/"))
    # One drawing per width class, each a bar per year: never 192 months in a row.
    assert content.count('href="/articles/2015/"') == 3
    assert 'href="/articles/2015/06/"' not in content
    assert "2015: 1 article" in content


def test_home_page_lists_sources_with_counts_and_latest_additions(client):
    first = make_article(title="Rice and Gates in Moscow", source="BBC News")
    make_article(title="Lavrov says the US heeded concerns", source="BBC News")
    response = client.get("/")
    page = text_of(response)
    assert "BBC News broadcaster" in page or "BBC News news agency" in page
    assert 'href="/sources/bbc-news/"' in html(response)
    assert page.index("Lavrov says the US heeded concerns") < page.index(first.title)


def test_home_page_names_the_busiest_sources_and_links_to_all_of_them(client):
    for n in range(views.HOME_SOURCES + 5):
        make_article(source=f"Wire {n:02d}")
    make_article(source="Wire 03")
    page = text_of(client.get("/"))
    assert f"Sources {views.HOME_SOURCES + 5}" in page
    table = page[page.index("Busiest sources") :]
    assert table.index("Wire 03") < table.index("Wire 00")
    assert f"Wire {views.HOME_SOURCES + 4:02d}" not in table
    assert f"All {views.HOME_SOURCES + 5} sources" in table


def test_home_page_explains_an_empty_archive(client):
    page = text_of(client.get("/"))
    assert "no captures have been ingested yet" in page


def test_home_page_has_a_search_box_that_submits_q_to_the_search_page(client):
    content = html(client.get("/"))
    assert re.search(r'<form class="home-search" action="/search/" method="get"', content)
    assert '<label for="home-q">' in content
    assert 'id="home-q" type="search" name="q"' in content


# -- Lists and date archives ------------------------------------------------------------


def test_article_list_is_newest_first_with_undated_last(client):
    make_article(title="Undated piece", published_date=None)
    make_article(title="October piece", published_date=date(2007, 10, 12))
    make_article(title="March piece", published_date=date(2008, 3, 18))
    page = text_of(client.get("/articles/"))
    assert page.index("March piece") < page.index("October piece") < page.index("Undated piece")


def test_article_list_paginates_twenty_to_a_page(client, collection):
    first = client.get("/articles/")
    second = client.get("/articles/?page=2")
    assert len(first.context["page_obj"].object_list) == 20
    assert len(second.context["page_obj"].object_list) == 10
    assert 'href="?page=2"' in html(first)
    assert "Page 2 of 2" in text_of(second)


@pytest.mark.parametrize("page", ["3", "0", "x", "99999999999999999999"])
def test_article_list_bad_page_number_is_not_found(client, collection, page):
    assert client.get(f"/articles/?page={page}").status_code == 404


def test_article_list_filters_by_source_slug_including_captures(client):
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    make_article(title="Credited to RIA", source="RIA Novosti")
    make_article(title="Captured from GlobalSecurity", source="RIA Novosti", captured_from=site)
    make_article(title="From the BBC", source="BBC News")
    page = text_of(client.get("/articles/?source=globalsecurity-org"))
    assert "Captured from GlobalSecurity" in page
    assert "Credited to RIA" not in page
    assert "From the BBC" not in page


def test_article_list_filters_by_year_and_month(client):
    make_article(title="October 2007 piece", published_date=date(2007, 10, 12))
    make_article(title="March 2008 piece", published_date=date(2008, 3, 18))
    make_article(title="April 2008 piece", published_date=date(2008, 4, 2))
    page = text_of(client.get("/articles/?year=2008&month=3"))
    assert "March 2008 piece" in page
    assert "April 2008 piece" not in page
    assert "October 2007 piece" not in page


def test_article_list_says_how_many_articles_the_filters_leave(client):
    make_article(source="Reuters", published_date=date(2008, 3, 18))
    make_article(source="Reuters", published_date=date(2008, 3, 19))
    make_article(source="Reuters", published_date=date(2007, 3, 19))
    page = text_of(client.get("/articles/?source=reuters&year=2008&month=3"))
    assert "2 articles from Reuters in March 2008" in page
    assert "1 article from Reuters in 2007" in text_of(
        client.get("/articles/?source=reuters&year=2007")
    )
    assert "3 articles in March of any year" in text_of(client.get("/articles/?month=3"))


def test_article_list_filter_keeps_its_choices_in_the_page_links(client):
    for _ in range(21):
        make_article(source="Reuters")
    make_article(source="BBC News")
    response = client.get("/articles/?source=reuters")
    assert response.context["paginator"].count == 21
    assert '<a href="?source=reuters&amp;page=2" rel="next">' in html(response)


def test_article_list_reports_a_bad_filter_with_a_400_instead_of_failing(client):
    make_article(title="Still listed")
    response = client.get("/articles/?year=abcd&source=%3Cscript%3E&month=13")
    assert response.status_code == 400
    page = text_of(response)
    assert "Part of the filter was left out" in page
    assert "Still listed" in page
    assert "<script>" not in html(response).split("</header>", 1)[1]


@pytest.fixture
def crowded_days():
    """Forty-five articles over a few days, timed and untimed on the same days, some undated."""
    articles = []
    for n in range(45):
        day = date(2008, 3, 15 + n % 4) if n % 9 else None
        hour = n % 3 * 7 if n % 2 else None
        articles.append(
            make_article(
                source="Reuters" if n % 3 else "BBC News",
                published_date=day,
                published_at=datetime.combine(day, datetime.min.time(), UTC).replace(hour=hour)
                if day and hour is not None
                else None,
            )
        )
    return articles


def all_pages(client, url: str) -> list[Article]:
    listed, number = [], 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={number}")
        assert response.status_code == 200, (url, number)
        listed += list(response.context["page_obj"].object_list)
        if not response.context["page_obj"].has_next():
            return listed
        number += 1


def test_every_page_of_the_list_follows_newest_first_order_from_either_end(client, crowded_days):
    # Page 1 is found from the front, pages 2 and 3 from the back: together, the same order.
    assert all_pages(client, "/articles/") == list(Article.objects.newest_first())
    assert all_pages(client, "/articles/?source=reuters") == list(
        Article.objects.filter(source__slug="reuters").newest_first()
    )


def test_every_page_of_the_date_archives_and_source_pages_keeps_its_order(client, crowded_days):
    march = Article.objects.filter(published_date__year=2008).chronological()
    assert all_pages(client, "/articles/2008/") == list(march)
    assert all_pages(client, "/articles/2008/03/") == list(march)
    assert all_pages(client, "/sources/reuters/") == list(
        Article.objects.filter(source__slug="reuters").newest_first()
    )
    undated = Article.objects.undated().order_by("title", "id")
    assert all_pages(client, "/articles/undated/") == list(undated)


def test_article_list_pages_load_no_article_texts(client, crowded_days):
    for article in client.get("/articles/?page=2").context["page_obj"].object_list:
        assert {"body", "body_html"} <= article.get_deferred_fields()


def test_month_filter_includes_the_last_day_of_the_month_in_every_year(client):
    make_article(title="Leap day piece", published_date=date(2008, 2, 29))
    make_article(title="Last of February 2007", published_date=date(2007, 2, 28))
    make_article(title="First of March", published_date=date(2008, 3, 1))
    make_article(title="Undated piece", published_date=None)
    assert "Leap day piece" in text_of(client.get("/articles/?year=2008&month=2"))
    page = text_of(client.get("/articles/?month=2"))
    assert "2 articles in February of any year" in page
    assert "Leap day piece" in page
    assert "Last of February 2007" in page
    assert "First of March" not in page
    assert "Undated piece" not in page


def test_year_choices_are_the_years_with_coverage_gaps_left_out(client):
    for year in (2003, 2005, 2008):
        make_article(published_date=date(year, 6, 1))
    make_article(published_date=None)
    years = client.get("/articles/").context["years"]
    assert years == [date(2008, 1, 1), date(2005, 1, 1), date(2003, 1, 1)]
    assert years == list(Article.objects.dates("published_date", "year", order="DESC"))
    assert client.get("/articles/?year=2004").status_code == 400


def test_year_choices_of_an_archive_with_no_dates_are_empty(client):
    make_article(published_date=None)
    assert client.get("/articles/").context["years"] == []
    assert Article.objects.coverage_years() == []


def test_year_archive_lists_that_years_articles_oldest_first(client):
    make_article(title="March piece", published_date=date(2008, 3, 18))
    make_article(title="January piece", published_date=date(2008, 1, 5))
    make_article(title="2007 piece", published_date=date(2007, 10, 12))
    response = client.get("/articles/2008/")
    page = text_of(response)
    assert response.status_code == 200
    assert page.index("January piece") < page.index("March piece")
    assert "2007 piece" not in page.split("Articles from 2008", 1)[1]
    assert 'href="/articles/2008/03/"' in html(response)
    assert 'href="/articles/2007/"' in html(response)


def test_year_archive_of_an_empty_year_is_an_empty_page_not_an_error(client):
    make_article(published_date=date(2008, 3, 18))
    response = client.get("/articles/1999/")
    assert response.status_code == 200
    assert "no articles published in this year" in text_of(response)
    # "Next" skips the empty years to the next year with coverage.
    assert 'href="/articles/2008/"' in html(response)


def test_month_archive_lists_that_months_articles(client):
    make_article(title="March piece", published_date=date(2008, 3, 18))
    make_article(title="April piece", published_date=date(2008, 4, 2))
    make_article(title="October piece", published_date=date(2007, 10, 12))
    response = client.get("/articles/2008/03/")
    page = text_of(response)
    assert "Articles from March 2008" in page
    assert "March piece" in page
    assert "April piece" not in page
    assert "← October 2007" in page
    assert "April 2008 →" in page
    assert 'href="/articles/2008/04/"' in html(response)
    assert 'href="/articles/2007/10/"' in html(response)


def test_month_archive_bad_page_number_is_not_found(client):
    make_article(published_date=date(2008, 3, 18))
    assert client.get("/articles/2008/03/?page=7").status_code == 404
    assert client.get("/articles/2008/13/").status_code == 404


def test_year_archive_wins_over_an_article_with_the_same_number(client):
    article = make_article(id=2008, title="Article two thousand and eight")
    assert client.get("/articles/2008/").context["view"].__class__.__name__ == (
        "ArticleYearArchiveView"
    )
    response = client.get("/a/2008/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_undated_articles_have_their_own_list(client):
    make_article(title="Undated piece", published_date=None)
    make_article(title="Dated piece", published_date=date(2008, 3, 18))
    response = client.get("/articles/undated/")
    page = text_of(response)
    assert "Undated articles" in page
    assert "Undated piece" in page
    assert "Dated piece" not in page
    assert 'href="/articles/undated/"' in html(client.get("/articles/"))


# -- One article ------------------------------------------------------------------------


def test_article_with_a_stale_slug_redirects_permanently_to_its_permalink(client):
    article = make_article(title="Talks stall")
    response = client.get(f"/articles/{article.pk}/old-title/")
    assert response.status_code == 301
    assert response["Location"] == f"/articles/{article.pk}/talks-stall/"


def test_short_link_redirects_permanently_to_the_permalink(client):
    article = make_article(title="Talks stall")
    response = client.get(reverse("articles:detail-short", args=[article.pk]))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_missing_article_is_not_found(client):
    assert client.get("/articles/999/anything/").status_code == 404


def test_article_page_shows_capture_time_in_moscow_time(client, moscow_article):
    page = text_of(client.get(moscow_article.get_absolute_url()))
    assert "12 October 2007, 18:35 MSD (14:35 UTC)" in page


def test_article_page_shows_a_utc_time_once(client):
    article = make_article(
        published_at=datetime(2008, 3, 18, 14, 50, tzinfo=UTC), published_tz="UTC"
    )
    page = text_of(client.get(article.get_absolute_url()))
    assert "18 March 2008, 14:50 UTC" in page
    assert "(14:50 UTC)" not in page


def test_article_page_says_date_unknown(client):
    article = make_article(published_date=None)
    assert "Published Date unknown" in text_of(client.get(article.get_absolute_url()))


def test_article_page_names_source_and_the_site_it_was_captured_from(client, moscow_article):
    response = client.get(moscow_article.get_absolute_url())
    assert "RIA Novosti, via GlobalSecurity.org" in text_of(response)
    assert 'href="/sources/globalsecurity-org/"' in html(response)


def test_article_captured_from_a_blog_says_via_a_blog(client):
    article = make_article(source=None, captured_from_kind="blog")
    assert "Unknown source, via a blog" in text_of(client.get(article.get_absolute_url()))


def test_article_page_shows_byline_dateline_and_clean_body(client, moscow_article):
    page = text_of(client.get(moscow_article.get_absolute_url()))
    assert "Byline By Andrei Ivanov" in page
    assert "Dateline MOSCOW" in page
    assert "Negotiators met again in Geneva" in page
    assert "UNITED24" not in page  # clutter stays in the original capture only


def test_article_page_notes_metadata_awaiting_review(client):
    article = make_article(needs_review=True, review_reasons=["date_unknown", "title_derived"])
    page = text_of(client.get(article.get_absolute_url()))
    assert "Metadata awaiting review" in page
    assert "Publication date unknown" in page
    assert "Title derived from the lead" in page


def test_reviewed_article_shows_no_review_note(client):
    article = make_article()
    assert "awaiting review" not in text_of(client.get(article.get_absolute_url()))


def test_article_page_notes_corrections_without_the_old_values(client):
    article = make_article(title="Corrected title")
    Correction.objects.create(
        article=article, field="published_date", old_value="1907-10-12", new_value="2007-10-12"
    )
    page = text_of(client.get(article.get_absolute_url()))
    assert "Corrected" in page
    assert "Published date, corrected on" in page
    assert "1907-10-12" not in page


def test_article_page_lists_other_sources_within_three_days(client):
    article = make_article(source="RIA Novosti", published_date=date(2008, 3, 18))
    make_article(title="BBC two days later", source="BBC News", published_date=date(2008, 3, 20))
    make_article(title="BBC four days later", source="BBC News", published_date=date(2008, 3, 22))
    make_article(title="RIA the same day", source="RIA Novosti", published_date=date(2008, 3, 18))
    page = text_of(client.get(article.get_absolute_url()))
    section = page.split("Other sources, same days", 1)[1].split("Related coverage", 1)[0]
    assert "BBC two days later" in section
    assert "BBC four days later" not in section
    assert "RIA the same day" not in section


def test_article_page_links_previous_and_next_by_date(client):
    before = make_article(title="The day before", published_date=date(2008, 3, 17))
    article = make_article(title="The day itself", published_date=date(2008, 3, 18))
    after = make_article(title="The day after", published_date=date(2008, 3, 19))
    content = html(client.get(article.get_absolute_url()))
    assert f'<a href="{before.get_absolute_url()}" rel="prev">' in content
    assert f'<a href="{after.get_absolute_url()}" rel="next">' in content


def test_previous_and_next_order_same_day_articles_by_time_then_id():
    day = date(2008, 3, 18)
    morning = make_article(published_date=day, published_at=datetime(2008, 3, 18, 9, tzinfo=UTC))
    evening = make_article(published_date=day, published_at=datetime(2008, 3, 18, 19, tzinfo=UTC))
    untimed = make_article(published_date=day)
    untimed_later = make_article(published_date=day)
    ordered = [morning, evening, untimed, untimed_later]
    assert list(Article.objects.chronological()) == ordered
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        assert Article.objects.after(earlier).first() == later
        assert Article.objects.before(later).first() == earlier
    assert Article.objects.before(morning).first() is None
    assert Article.objects.after(untimed_later).first() is None


def test_undated_article_has_no_previous_or_next():
    article = make_article(published_date=None)
    make_article(published_date=date(2008, 3, 18))
    assert not Article.objects.after(article).exists()
    assert not Article.objects.before(article).exists()


def test_previous_and_next_cross_days_with_timed_articles_first_and_skip_undated(client):
    """Within a day, timed articles come before untimed ones; undated articles are off the
    chain altogether, at either end."""
    make_article(published_date=None, title="Undated early id")
    eve_untimed = make_article(published_date=date(2008, 3, 17), title="Eve, no time")
    eve_timed = make_article(
        published_date=date(2008, 3, 17), published_at=datetime(2008, 3, 17, 22, tzinfo=UTC)
    )
    day_untimed = make_article(published_date=date(2008, 3, 18), title="Day, no time")
    day_timed = make_article(
        published_date=date(2008, 3, 18), published_at=datetime(2008, 3, 18, 6, tzinfo=UTC)
    )
    make_article(published_date=None, title="Undated late id")

    def links(article):
        context = client.get(article.get_absolute_url()).context
        return context["previous"], context["next"]

    assert links(eve_timed) == (None, eve_untimed)
    assert links(eve_untimed) == (eve_timed, day_timed)
    assert links(day_timed) == (eve_untimed, day_untimed)
    assert links(day_untimed) == (day_timed, None)


@SQLITE_PLANS
def test_previous_and_next_start_from_the_article_in_the_date_index():
    from django.db import connection

    day = date(2008, 3, 18)
    article = make_article(published_date=day, published_at=datetime(2008, 3, 18, 9, tzinfo=UTC))
    for neighbours in (Article.objects.before(article), Article.objects.after(article)):
        with connection.cursor() as cursor:
            sql, params = neighbours[:1].query.sql_with_params()
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert "INDEX article_date_order (published_date" in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_previous_next_and_same_days_load_no_article_texts(client):
    make_article(published_date=date(2008, 3, 17), source="BBC News")
    article = make_article(published_date=date(2008, 3, 18))
    make_article(published_date=date(2008, 3, 19))
    context = client.get(article.get_absolute_url()).context
    for neighbour in (context["previous"], context["next"]):
        assert {"body", "body_html"} <= neighbour.get_deferred_fields()
    for other in context["same_days"]:
        assert {"body", "body_html"} <= other.get_deferred_fields()


def test_article_page_shows_related_coverage_same_event_first(client, monkeypatch):
    from articles.related import RelatedArticle

    article = make_article(title="Talks in Moscow")
    report = make_article(title="Moscow talks end", source="Other Wire")
    similar = make_article(title="Similar talks in Geneva", published_date=date(2001, 1, 1))
    copy = make_article(title="Similar talks in Geneva", source="Reposting Site")
    calls = []

    def fake_more_like_this(given, *, limit):
        calls.append((given.pk, limit))
        return [RelatedArticle(report, True), RelatedArticle(similar, False, [copy])]

    monkeypatch.setattr(views, "more_like_this", fake_more_like_this)
    page = text_of(client.get(article.get_absolute_url()))
    assert calls == [(article.pk, 5)]
    related = page.split("Related coverage", 1)[1]
    same_event, rest = related.split("More on the subject", 1)
    assert "Other reports of the same event" in same_event and "Moscow talks end" in same_event
    assert "Similar talks in Geneva" in rest
    assert "Also published by Reposting Site" in rest


def test_article_page_offers_a_citation_with_the_absolute_permalink(client, moscow_article):
    response = client.get(moscow_article.get_absolute_url())
    permalink = f"http://testserver{moscow_article.get_absolute_url()}"
    page = text_of(response)
    assert (
        "Andrei Ivanov, \u201cRussia, U.S. fail to agree on key issues at defense talks,\u201d "
        f"RIA Novosti, October 12, 2007. Archived at {permalink} (accessed"
    ) in page
    assert f'<link rel="canonical" href="{permalink}">' in html(response)
    assert f'href="/articles/{moscow_article.pk}/cite.bib"' in html(response)
    assert f'href="/articles/{moscow_article.pk}/cite.ris"' in html(response)


def test_bibtex_download_names_outlet_date_and_permalink(client, moscow_article):
    response = client.get(f"/articles/{moscow_article.pk}/cite.bib")
    body = response.content.decode()
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "journal = {RIA Novosti}" in body
    assert "date = {2007-10-12}" in body
    assert f"url = {{http://testserver{moscow_article.get_absolute_url()}}}" in body


def test_ris_download_names_outlet_date_and_permalink(client, moscow_article):
    response = client.get(f"/articles/{moscow_article.pk}/cite.ris")
    body = response.content.decode()
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert "T2  - RIA Novosti\r\n" in body
    assert "DA  - 2007/10/12\r\n" in body
    assert f"UR  - http://testserver{moscow_article.get_absolute_url()}\r\n" in body


def test_citation_of_a_missing_article_is_not_found(client):
    assert client.get("/articles/404/cite.bib").status_code == 404


# -- Original capture -------------------------------------------------------------------


def test_original_capture_page_shows_the_raw_text_escaped_with_its_provenance(
    client, moscow_article
):
    response = client.get(moscow_article.get_absolute_url() + "original/")
    content = html(response)
    assert response.status_code == 200
    assert "Russia, U.S. fail to agree &lt;b&gt;raw&lt;/b&gt; &amp; more" in content
    assert re.search(r'<pre class="capture"[^>]*>UNITED24 - Make a donation\n\nRussia', content)
    page = text_of(response)
    assert "File 002_039291e9fa94fbe8.txt" in page
    assert f"SHA-256 {moscow_article.captures.get().sha256}" in page
    assert "Encoding utf-8" in page
    assert "Ingested " in page


def test_original_capture_downloads_as_plain_text_exactly_as_ingested(client, moscow_article):
    response = client.get(moscow_article.get_absolute_url() + "original/?download=1")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="002_039291e9fa94fbe8.txt"'
    assert response.content.decode() == moscow_article.captures.get().raw


def test_original_capture_with_a_stale_slug_redirects_keeping_the_download(client):
    article = make_article(title="Talks stall")
    response = client.get(f"/articles/{article.pk}/old/original/?download=1")
    assert response.status_code == 301
    assert response["Location"] == f"/articles/{article.pk}/talks-stall/original/?download=1"


# -- Sources ----------------------------------------------------------------------------


def test_sources_page_lists_counts_and_date_spans(client):
    site = make_source("GlobalSecurity.org", kind="website", slug="globalsecurity-org")
    make_article(source="RIA Novosti", published_date=date(2007, 10, 12), captured_from=site)
    make_article(source="RIA Novosti", published_date=date(2008, 3, 18))
    make_article(source="RIA Novosti", published_date=None)
    make_source("Never Used")
    response = client.get("/sources/")
    page = text_of(response)
    assert "RIA Novosti news agency 3 Oct 2007 – Mar 2008" in page
    assert "GlobalSecurity.org website 0 + 1 captured Oct 2007" in page
    assert "Never Used" not in page


def test_source_page_tells_about_the_source_and_lists_credited_and_captured_articles(client):
    site = make_source(
        "GlobalSecurity.org",
        kind="website",
        slug="globalsecurity-org",
        homepage="https://www.globalsecurity.org/",
    )
    make_article(title="Captured RIA piece", source="RIA Novosti", captured_from=site,
                 published_date=date(2007, 10, 12))  # fmt: skip
    make_article(title="Own piece", source=site, published_date=date(2008, 1, 2))
    make_article(title="Unrelated BBC piece", source="BBC News")
    response = client.get("/sources/globalsecurity-org/")
    page = text_of(response)
    assert "Kind Website" in page
    assert "1 article credited, 1 more captured from its site" in page
    assert "Dates 12 October 2007 – 2 January 2008" in page
    assert "Captured RIA piece" in page
    assert "Own piece" in page
    assert "Unrelated BBC piece" not in page
    assert '<a href="https://www.globalsecurity.org/" rel="nofollow noopener">' in html(response)


def test_unknown_source_is_not_found(client):
    assert client.get("/sources/no-such-source/").status_code == 404


def test_source_page_bad_page_number_is_not_found(client):
    make_article(source="RIA Novosti")
    assert client.get("/sources/ria-novosti/?page=5").status_code == 404


# -- Site files and errors --------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_admin_and_exports(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/\n" in body
    assert "Disallow: /search/export\n" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_opensearch_description_points_browsers_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    body = response.content.decode()
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'template="http://testserver/search/?q={searchTerms}"' in body
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html(
        client.get("/")
    )


def test_sitemap_index_points_to_a_sitemap_per_section(client):
    make_article(source="RIA Novosti")
    body = client.get("/sitemap.xml").content.decode()
    for section in ("pages", "articles", "sources"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in body


def test_sitemap_lists_articles_sources_and_main_pages(client):
    article = make_article(source="RIA Novosti")
    # Article pages hold ranges of 500 ids (ids need not start at 1, as on PostgreSQL).
    page = (article.pk - 1) // 500 + 1
    body = "".join(
        client.get(path).content.decode()
        for path in (
            "/sitemap-pages.xml",
            f"/sitemap-articles.xml?p={page}",
            "/sitemap-sources.xml",
        )
    )
    assert f"<loc>http://testserver{article.get_absolute_url()}</loc>" in body
    assert "<loc>http://testserver/sources/ria-novosti/</loc>" in body
    assert "<loc>http://testserver/articles/</loc>" in body


def test_not_found_page_is_friendly_and_in_the_site_style(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = text_of(response)
    assert "Page not found" in page
    assert "Browse every article" in page
    assert "archive.css" in html(response)


def test_server_error_page_renders_without_any_context():
    request = RequestFactory().get("/")
    response = views.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "archive.css" in response.content.decode()


# -- Safety: escaping, no inline code, strict CSP ---------------------------------------


@pytest.fixture
def hostile_article():
    source = make_source(f"Wire {PAYLOAD}", slug="hostile-wire", homepage="https://example.org/")
    return make_article(
        title=f"Talks {PAYLOAD}",
        source=source,
        byline=f"By {PAYLOAD}",
        dateline=f"MOSCOW {PAYLOAD}",
        body=f"First paragraph {PAYLOAD}",
        body_html=sanitize_html(f"<p>First paragraph {PAYLOAD}</p>"),
        raw=f"Raw capture {PAYLOAD}",
        published_date=date(2008, 3, 18),
    )


def hostile_pages(article) -> list[str]:
    return [
        "/",
        "/articles/",
        "/articles/?source=hostile-wire",
        "/articles/2008/",
        "/articles/2008/03/",
        article.get_absolute_url(),
        article.get_absolute_url() + "original/",
        "/sources/",
        "/sources/hostile-wire/",
    ]


def test_outside_text_is_escaped_on_every_browsing_page(client, hostile_article):
    for url in hostile_pages(hostile_article):
        content = html(client.get(url))
        assert SCRIPT not in content, url
        assert IMG not in content, url
        assert "onerror=alert(1)>" not in content, url
        assert ESCAPED_SCRIPT in content, url


def test_outside_text_is_escaped_in_citation_files_and_meta_tags(client, hostile_article):
    content = html(client.get(hostile_article.get_absolute_url()))
    assert f'<meta name="DC.title" content="Talks {ESCAPED_SCRIPT}' in content
    assert SCRIPT not in content


def test_query_strings_are_escaped_in_the_search_box_and_page_links(client, collection):
    response = client.get("/articles/", {"q": PAYLOAD, "note": PAYLOAD})
    content = html(response)
    assert SCRIPT not in content
    assert IMG not in content
    assert f'name="q" placeholder="Search the archive" value="{ESCAPED_SCRIPT}' in content
    next_link = re.search(r'<a href="([^"]*)" rel="next">', content).group(1)
    assert "page=2" in next_link
    assert "%3Cscript%3E" in next_link


def test_sanitised_body_keeps_no_script_or_event_handler(client, hostile_article):
    content = html(client.get(hostile_article.get_absolute_url()))
    body = content.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body
    assert "onerror" not in body.replace(ESCAPED_IMG, "")


def test_pages_use_no_inline_styles_or_scripts(client, hostile_article):
    for url in hostile_pages(hostile_article) + ["/no/such/page/"]:
        content = html(client.get(url))
        assert " style=" not in content, url
        assert "<style" not in content, url
        assert "<script" not in content, url


def test_pages_are_served_with_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_pages_have_landmarks_a_skip_link_and_english_language(client, moscow_article):
    for url in ["/", "/articles/", moscow_article.get_absolute_url(), "/sources/"]:
        content = html(client.get(url))
        assert '<html lang="en">' in content
        assert '<a class="skip-link" href="#main">' in content
        for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
            assert landmark in content, (url, landmark)


# -- Bounded queries --------------------------------------------------------------------


def test_home_page_queries_are_bounded(client, collection, django_assert_max_num_queries):
    # Counts, the date span, sources, the monthly series and the latest additions.
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


def test_article_list_queries_are_bounded(client, collection, django_assert_max_num_queries):
    # A page's ids, then its rows by those ids: two queries, each a look-up in an index.
    with django_assert_max_num_queries(8):
        assert client.get("/articles/?source=ria-novosti").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/articles/2008/").status_code == 200


def test_article_page_queries_are_bounded(client, collection, django_assert_max_num_queries):
    article = collection[12]
    # A fixed number whatever the article links to: people, topics, rounds, copies, related
    # (the related coverage, ranked on a first view and then kept, takes up to ten).
    with django_assert_max_num_queries(22):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_list_queries_do_not_grow_with_depth_or_years(client, django_assert_num_queries):
    for year in range(1990, 2010):
        for _ in range(3):
            make_article(published_date=date(year, 5, 1))
    client.get("/articles/")  # the years with coverage, remembered outside tests, computed here
    with django_assert_num_queries(7):
        assert client.get("/articles/").status_code == 200
    with django_assert_num_queries(7):
        assert client.get("/articles/?page=3").status_code == 200


@SQLITE_PLANS
def test_browsing_queries_are_index_look_ups_not_sorts_of_every_article(client, crowded_days):
    """SQLite's plans: no article query sorts every matching row or reads the whole table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = crowded_days[20]
    for url in (article.get_absolute_url(), "/articles/", "/articles/?page=3"):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for query in queries.captured_queries:
            if not query["sql"].startswith('SELECT "articles_article"'):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plan = [row[-1] for row in cursor.fetchall()]
            # Sorting is fine only for a page of rows already picked out by their ids.
            picked = plan[0].startswith("SEARCH articles_article USING INTEGER PRIMARY KEY")
            assert picked or "USE TEMP B-TREE FOR ORDER BY" not in plan, (url, plan)
            assert "SCAN articles_article" not in plan, (url, plan)


def test_source_pages_queries_are_bounded(client, collection, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/sources/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/sources/globalsecurity-org/").status_code == 200


# -- The seed collection ----------------------------------------------------------------


def test_seed_article_from_globalsecurity_reads_as_ria_novosti_in_moscow_time(client, seeded):
    article = Article.objects.get(captures__origin="002_039291e9fa94fbe8.txt")
    page = text_of(client.get(article.get_absolute_url()))
    assert "RIA Novosti, via GlobalSecurity.org" in page
    assert "12 October 2007, 18:35 MSD (14:35 UTC)" in page
