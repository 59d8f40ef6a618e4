"""Pages about people, topics and rounds stay bounded however much coverage they gather:
each list is paginated, counted from an index and planned as an index look-up."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from articles import models
from articles.models import (
    Article,
    ArticlePerson,
    ArticleRound,
    ArticleTopic,
    Person,
    Quotation,
    TalksRound,
    Topic,
)
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

SQLITE_PLANS = pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite query plans")
# Curated lists of a few dozen rows, and the tallies (a row a source, site and month however
# many articles there are): reading them whole is fine.
SMALL_TABLES = {
    "articles_person",
    "articles_topic",
    "articles_talksround",
    "articles_source",
    "articles_articletally",
}


@pytest.fixture(autouse=True)
def no_curated_lists():
    """These tests build their own people, topics and rounds in place of the curated ones."""
    from articles.models import Person, TalksRound, Topic

    TalksRound.objects.all().delete()
    Topic.objects.all().delete()
    Person.objects.all().delete()


@pytest.fixture
def coverage():
    """Forty-five articles over two sources: Lavrov named in all and quoted in most, a topic
    and a round in many, Fried named in three."""
    lavrov = Person.objects.create(slug="sergei-lavrov", name="Sergei Lavrov", surname="Lavrov")
    fried = Person.objects.create(slug="daniel-fried", name="Daniel Fried", surname="Fried")
    topic = Topic.objects.create(slug="radar", name="The Czech radar", patterns="radar")
    talks = TalksRound.objects.create(
        slug="moscow-2008-03",
        name="Moscow, March 2008",
        start=date(2008, 3, 17),
        end=date(2008, 3, 18),
        place="Moscow",
    )
    articles = [
        make_article(
            source="RIA Novosti" if n % 3 else "BBC News",
            published_date=date(2008, 1, 1) + timedelta(days=n % 40) if n % 11 else None,
        )
        for n in range(45)
    ]
    ArticlePerson.objects.bulk_create(ArticlePerson(article=a, person=lavrov) for a in articles)
    ArticlePerson.objects.bulk_create(ArticlePerson(article=a, person=fried) for a in articles[:3])
    Quotation.objects.bulk_create(
        Quotation(article=a, person=lavrov, quote=f"Words {a.pk}-{k}", sentence="He said so.")
        for a in articles[:30]
        for k in range(2)
    )
    ArticleTopic.objects.bulk_create(ArticleTopic(article=a, topic=topic) for a in articles[::2])
    ArticleRound.objects.bulk_create(
        ArticleRound(article=a, round=talks, state="rejected" if n % 15 == 0 else "suggested")
        for n, a in enumerate(articles)
    )
    return articles


@pytest.fixture(params=["common", "rare"])
def link_plan(request, monkeypatch):
    """Both ways of listing linked articles: walking the date index, or sorting the few."""
    monkeypatch.setattr(models, "DENSE_LINKS_SHARE", 50 if request.param == "common" else 0)
    return request.param


def pages(client, url: str, param: str = "page", key: str = "nav") -> list:
    """Every page of one list on a page, following its own page parameter."""
    found, number = [], 1
    while True:
        response = client.get(f"{url}?{param}={number}")
        assert response.status_code == 200, (url, number)
        nav = response.context[key]
        found += list(nav.page.object_list)
        if not nav.page.has_next():
            return found
        assert nav.next_url.endswith(f"{param}={number + 1}")
        number += 1


def test_a_persons_articles_come_a_page_at_a_time_newest_first(client, coverage, link_plan):
    listed = pages(client, "/people/sergei-lavrov/")
    assert listed == list(Article.objects.newest_first())
    assert len(client.get("/people/sergei-lavrov/").context["nav"].page) == 20
    assert pages(client, "/people/daniel-fried/") == list(
        Article.objects.filter(pk__in=[a.pk for a in coverage[:3]]).newest_first()
    )


def test_a_persons_quotations_page_by_article_separately_from_the_articles(
    client, coverage, link_plan
):
    quoting = pages(client, "/people/sergei-lavrov/", param="quotes", key="quoting")
    assert quoting == list(
        Article.objects.filter(quotations__isnull=False).distinct().newest_first()
    )
    response = client.get("/people/sergei-lavrov/?quotes=2&page=2")
    page = response.content.decode()
    assert response.context["quoting"].page.number == 2
    assert response.context["nav"].page.number == 2
    shown = response.context["quoted"]
    # Each article's two quotations, grouped under the sentence they share.
    assert len(shown) == 10
    assert all(sum(len(fragments) for _, fragments in quotes) == 2 for _, quotes in shown)
    assert f"Words {shown[0][0].pk}-1" in page
    assert "Named in 45 articles; 60 quotations in 30 articles." in " ".join(page.split())
    # The links to the other pages of one list keep the page of the other.
    assert 'href="?quotes=3&amp;page=2"' in page and 'href="?quotes=2&amp;page=3"' in page


def test_a_topics_articles_come_a_page_at_a_time(client, coverage, link_plan):
    assert pages(client, "/topics/radar/") == list(
        Article.objects.filter(topic_links__isnull=False).newest_first()
    )
    assert "23 articles" in client.get("/topics/radar/").content.decode()


def test_a_rounds_coverage_pages_by_date_with_whole_round_counts_per_source(client, coverage):
    links = pages(client, "/rounds/moscow-2008-03/")
    shown = ArticleRound.objects.exclude(state="rejected")
    assert [link.pk for link in links] == [
        link.pk
        for link in shown.order_by(
            F("article__published_date").asc(nulls_last=True),
            F("article__published_at").asc(nulls_last=True),
            "article_id",
        )
    ]
    columns = client.get("/rounds/moscow-2008-03/").context["columns"]
    totals = {name: total for name, total, _ in columns}
    assert totals == {
        "RIA Novosti": shown.filter(article__source__name="RIA Novosti").count(),
        "BBC News": shown.filter(article__source__name="BBC News").count(),
    }
    assert sum(len(column) for _, _, column in columns) == 40
    assert len(links) == 42


def test_people_topic_and_round_lists_paginate(client, coverage):
    for n in range(60):
        person = Person.objects.create(slug=f"p{n:02d}", name=f"Person {n:02d}", surname="X")
        ArticlePerson.objects.create(article=coverage[n % 45], person=person)
        Topic.objects.create(slug=f"t{n:02d}", name=f"Topic {n:02d}", patterns="x")
    people = pages(client, "/people/")
    assert [p.slug for p in people[:2]] == ["sergei-lavrov", "daniel-fried"]
    assert len(people) == 62 and people[2].article_count == 1
    assert people[0].article_count == 45 and people[0].quotation_count == 60
    topics = pages(client, "/topics/")
    assert len(topics) == 61 and topics[0].article_count == 23
    assert client.get("/people/?page=2").context["nav"].page.paginator.num_pages == 2
    assert pages(client, "/rounds/")[0].article_count == 42


@pytest.mark.parametrize(
    "url",
    [
        "/people/?page=9",
        "/people/sergei-lavrov/?page=9",
        "/people/sergei-lavrov/?quotes=0",
        "/topics/radar/?page=x",
        "/topics/?page=2",
        "/rounds/moscow-2008-03/?page=3",
        "/rounds/?page=-1",
    ],
)
def test_a_page_that_is_not_there_is_not_found(client, coverage, url):
    assert client.get(url).status_code == 404


def test_listed_articles_load_no_texts(client, coverage):
    response = client.get("/people/sergei-lavrov/")
    for article in [*response.context["nav"].page, *response.context["quoting"].page]:
        assert {"body", "body_html"} <= article.get_deferred_fields()
    for article in client.get("/topics/radar/").context["nav"].page:
        assert {"body", "body_html"} <= article.get_deferred_fields()
    for link in client.get("/rounds/moscow-2008-03/").context["nav"].page:
        assert {"body", "body_html"} <= link.article.get_deferred_fields()


PAGES = [
    "/",
    "/timeline/",
    "/sources/",
    "/sources/ria-novosti/",
    "/people/",
    "/people/sergei-lavrov/",
    "/people/sergei-lavrov/?page=2&quotes=3",
    "/people/daniel-fried/",
    "/topics/",
    "/topics/radar/?page=2",
    "/rounds/",
    "/rounds/moscow-2008-03/?page=2",
    "/feeds/latest/",
    "/feeds/sources/ria-novosti/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-sources.xml",
    "/articles/",
    "/articles/?page=2",
    "/articles/2008/",
    "/articles/2008/01/",
    "/articles/undated/",
    "/robots.txt",
    "/opensearch.xml",
    # One article's pages ({article} is its address, {pk} its number).
    "{article}",
    "{article}original/",
    "{article}changes/",
    "/articles/{pk}/cite.bib",
    "/articles/{pk}/cite.ris",
]


def address(url: str, coverage: list[Article]) -> str:
    article = coverage[20]
    return url.format(article=article.get_absolute_url(), pk=article.pk)


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_do_not_grow_with_the_coverage(client, coverage, url):
    url = address(url, coverage)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    lavrov = Person.objects.get(slug="sergei-lavrov")
    for n in range(30):
        article = make_article(published_date=date(2008, 2, 1) + timedelta(days=n))
        ArticlePerson.objects.create(article=article, person=lavrov)
        Quotation.objects.create(article=article, person=lavrov, quote="More", sentence="More.")
        ArticleTopic.objects.create(article=article, topic=Topic.objects.get(slug="radar"))
        ArticleRound.objects.create(article=article, round=TalksRound.objects.get())
    assert queries() == before <= 12


def query_plans(client, url: str) -> list[tuple[str, list[str]]]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    plans = []
    for query in captured.captured_queries:
        if not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans.append((query["sql"], [row[-1] for row in cursor.fetchall()]))
    return plans


@SQLITE_PLANS
@pytest.mark.parametrize("url", PAGES)
def test_page_queries_read_indexes_never_a_whole_table_or_a_sort_of_everything(
    client, coverage, link_plan, url
):
    url = address(url, coverage)
    for sql, plan in query_plans(client, url):
        # The newest (or first) few by id walk the primary key and stop: "SCAN" all the same.
        newest = re.search(r'ORDER BY "articles_article"."id" (ASC|DESC) LIMIT \d+$', sql)
        for line in plan:
            scanned = re.fullmatch(r"SCAN (\S+)", line)
            allowed = SMALL_TABLES | {"subquery"} | ({"articles_article"} if newest else set())
            assert not scanned or scanned[1] in allowed, (url, sql, plan)
        # A sort is fine for rows already narrowed by an index (a page's ids, a round's
        # links, a rare person's articles), never after reading a whole table or index.
        if any("TEMP B-TREE FOR ORDER BY" in line for line in plan):
            narrowed = plan[0].startswith(("SEARCH", "MULTI-INDEX OR"))
            if link_plan == "common" and url.startswith(("/people/", "/topics/")):
                # A common person's or topic's page of ids comes in date order from the
                # date index, never from sorting all their articles.
                narrowed = not sql.startswith('SELECT "articles_article"."id" AS "pk"')
            assert narrowed or plan[0].split()[1] in SMALL_TABLES, (
                url,
                sql,
                plan,
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL query plans")
def test_people_and_topics_are_counted_from_their_link_indexes_alone_on_postgresql(coverage):
    """At 100,000 articles, counting ids read every link row from the table: the people
    list took 3.5 s on PostgreSQL; counted from the index alone, a tenth of that."""
    counted = {
        "articles_articleperson": Person.objects.with_counts(),
        "articles_quotation": Person.objects.with_counts(),
        "articles_articletopic": Topic.objects.with_counts(),
    }
    assert {
        p.slug: (p.article_count, p.quotation_count) for p in counted["articles_quotation"]
    } == {
        "sergei-lavrov": (45, 60),
        "daniel-fried": (3, 0),
    }
    with connection.cursor() as cursor:
        # As on a large table, where an index is cheaper than reading the whole table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for table, rows in counted.items():
            sql, params = rows.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
            assert re.search(rf"Index Only Scan using \S+ on {table}\b", plan), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL query plans")
@pytest.mark.parametrize("from_the_end", [False, True])
def test_the_article_list_reads_a_page_in_its_own_order_on_postgresql(coverage, from_the_end):
    """At 100,000 articles each page of the list read the whole date index and sorted it
    (an ascending index read backwards puts undated articles first); an index in the list's
    order lets a page stop after its rows, from either end."""
    rows = Article.objects.published().without_texts().newest_first()
    if from_the_end:
        rows = rows.reverse()
    page = rows.values_list("pk", flat=True)[20:40]
    expected = sorted(
        coverage,
        key=lambda a: (
            a.published_date is None,
            a.published_date and -a.published_date.toordinal(),
            -a.pk,
        ),
    )
    if from_the_end:
        expected.reverse()
    assert list(page) == [a.pk for a in expected[20:40]]
    with connection.cursor() as cursor:
        # As on a large table, where reading in index order beats sorting the whole table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        sql, params = page.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Sort" not in plan, plan
    assert re.search(r"Index (Only )?Scan (Backward )?using \S+ on articles_article\b", plan), plan


def test_article_sitemap_pages_together_list_every_article_once(client, coverage, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 7)
    Article.objects.filter(pk__in=[a.pk for a in coverage[3:9]]).delete()  # a short page
    index = client.get("/sitemap.xml").content.decode()
    # The index links the first page without a number, the others with ?p=.
    numbers = sorted({1} | {int(n) for n in re.findall(r"sitemap-articles\.xml\?p=(\d+)", index)})
    last = Article.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert len(numbers) == -(-last // 7)  # ids up to the last, seven to a page
    listed = []
    for number in numbers:
        page = client.get(f"/sitemap-articles.xml?p={number}").content.decode()
        listed += [int(pk) for pk in re.findall(r"/articles/(\d+)/", page)]
    assert sorted(listed) == sorted(Article.objects.values_list("pk", flat=True))
    assert len(listed) == len(set(listed)) == 39
    assert client.get(f"/sitemap-articles.xml?p={max(numbers) + 1}").status_code == 404


def test_the_people_list_is_remembered_until_someone_is_named_again(client, coverage, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    assert [p.slug for p in pages(client, "/people/")] == ["sergei-lavrov", "daniel-fried"]
    with CaptureQueriesContext(connection) as remembered:
        client.get("/people/")
    assert not any("COUNT(" in query["sql"] for query in remembered.captured_queries)
    burns = Person.objects.create(slug="william-burns", name="William Burns", surname="Burns")
    ArticlePerson.objects.bulk_create(ArticlePerson(article=a, person=burns) for a in coverage[:5])
    assert [p.slug for p in pages(client, "/people/")] == [
        "sergei-lavrov",
        "william-burns",
        "daniel-fried",
    ]


@pytest.mark.parametrize("url", ["/", "/timeline/"])
def test_a_remembered_timeline_drawing_changes_as_soon_as_its_figures_do(
    client, coverage, settings, url
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    before = client.get(url).content.decode()
    assert client.get(url).content.decode() == before  # drawn once, then reused
    assert "May 2008" not in before
    make_article(published_date=date(2008, 5, 2))
    assert "May 2008: 1 article" in client.get(url).content.decode()
