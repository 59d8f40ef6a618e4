"""Pages about the talks themselves: rounds, people and their quotations, topics, the
timeline. The analysis that feeds them runs at ingest (articles.enrich).

Every list is paginated and counted from its link table's index, so a person, topic or
round that every article names costs no more to show than a rare one.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, F, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from articles.charts import DRAWING_SECONDS, drawing_key, timeline_drawings
from articles.models import (
    Article,
    ArticlePerson,
    ArticleRound,
    ArticleTally,
    ArticleTopic,
    Person,
    Quotation,
    TalksRound,
    Topic,
)
from articles.paging import page_of

ARTICLES_PER_PAGE = 20
QUOTING_ARTICLES_PER_PAGE = 10
ROUND_LINKS_PER_PAGE = 40
NAMES_PER_PAGE = 50
PEOPLE_COUNTS_SECONDS = 60


def _listed_articles():
    """Articles as a list shows them: source and capture site, no texts, newest first."""
    return Article.objects.published().without_texts().newest_first()


# -- People -------------------------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    nav = page_of(request, named_people(), NAMES_PER_PAGE, noun=("person", "people"))
    return render(request, "coverage/person_list.html", {"nav": nav, "people": nav.page})


def named_people() -> list[Person]:
    """Everyone named in some article, busiest first, with their counts.

    Curated lists hold dozens of rows: counted once, in one query, and paged in Python (a
    queryset's page would count them again for the order, the page and the total). The
    counts read every mention and quotation in the link tables' indexes, so the list is
    remembered under the newest link of each kind: new analysis shows at once, and an
    article's deletion within PEOPLE_COUNTS_SECONDS.
    """
    newest = (
        ArticlePerson.objects.aggregate(last=Max("pk"))["last"],
        Quotation.objects.aggregate(last=Max("pk"))["last"],
    )
    people = Person.objects.with_counts().filter(article_count__gt=0)
    return cache.get_or_set(
        f"named-people:{newest[0]}:{newest[1]}",
        lambda: list(people.order_by("-article_count", "name", "pk")),
        PEOPLE_COUNTS_SECONDS,
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A person: the articles quoting them, each with its quotations, and those naming them."""
    person = get_object_or_404(Person.objects.with_counts(), slug=slug)
    naming = ArticlePerson.objects.filter(person=person)
    articles = page_of(
        request,
        _listed_articles().linked_by(naming, person.article_count),
        ARTICLES_PER_PAGE,
        count=person.article_count,
    )
    quotations = Quotation.objects.filter(person=person)
    quoting_count = quotations.order_by().values("article").distinct().count()
    quoting = page_of(
        request,
        _listed_articles().linked_by(quotations, quoting_count),
        QUOTING_ARTICLES_PER_PAGE,
        param="quotes",
        count=quoting_count,
        noun=("article quoting them", "articles quoting them"),
    )
    # Fragments quoted from one sentence are shown together, with that sentence once.
    said: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for quotation in quotations.filter(article__in=[a.pk for a in quoting.page]).only(
        "article_id", "quote", "sentence"
    ):
        said[quotation.article_id].setdefault(quotation.sentence, []).append(quotation.quote)
    return render(
        request,
        "coverage/person_detail.html",
        {
            "person": person,
            "nav": articles,
            "articles": articles.page,
            "quoting": quoting,
            "quoted": [(article, list(said[article.pk].items())) for article in quoting.page],
            "rounds": person.rounds.all(),
        },
    )


# -- Topics -------------------------------------------------------------------------------


def topic_list(request: HttpRequest) -> HttpResponse:
    nav = page_of(
        request,
        list(Topic.objects.with_counts().order_by("-article_count", "name", "pk")),
        NAMES_PER_PAGE,
        noun=("topic", "topics"),
    )
    return render(request, "coverage/topic_list.html", {"nav": nav, "topics": nav.page})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.with_counts(), slug=slug)
    nav = page_of(
        request,
        _listed_articles().linked_by(ArticleTopic.objects.filter(topic=topic), topic.article_count),
        ARTICLES_PER_PAGE,
        count=topic.article_count,
    )
    return render(
        request,
        "coverage/topic_detail.html",
        {"topic": topic, "nav": nav, "articles": nav.page, "rounds": topic.rounds.all()},
    )


# -- Rounds -------------------------------------------------------------------------------


def round_list(request: HttpRequest) -> HttpResponse:
    rounds = TalksRound.objects.with_counts().prefetch_related("participants")
    nav = page_of(
        request, list(rounds.order_by("start", "pk")), NAMES_PER_PAGE, noun=("round", "rounds")
    )
    return render(request, "coverage/round_list.html", {"nav": nav, "rounds": nav.page})


def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A round's coverage side by side, one column per source, a page of dates at a time."""
    talks_round = get_object_or_404(
        TalksRound.objects.with_counts().prefetch_related("participants", "topics"), slug=slug
    )
    links = ArticleRound.objects.filter(round=talks_round).exclude(
        state=ArticleRound.State.REJECTED
    )
    nav = page_of(
        request,
        links.select_related("article__source")
        .defer("article__body", "article__body_html")
        .order_by(
            # Undated reports last: the round's links are few enough to sort either way.
            F("article__published_date").asc(nulls_last=True),
            F("article__published_at").asc(nulls_last=True),
            "article_id",
        ),
        ROUND_LINKS_PER_PAGE,
        count=talks_round.article_count,
        noun=("report", "reports"),
    )
    totals = dict(
        links.order_by()
        .values_list("article__source__name")
        .annotate(count=Count("id"))
        .values_list("article__source__name", "count")
    )
    return render(
        request,
        "coverage/round_detail.html",
        {"round": talks_round, "nav": nav, "columns": by_source(nav.page, totals)},
    )


def by_source(links, totals: dict[str | None, int]) -> list[tuple[str, int, list[ArticleRound]]]:
    """A page of a round's links grouped by credited source, busiest source first: each
    column with the source's count over the whole round, its links in date order."""
    columns: dict[str | None, list[ArticleRound]] = defaultdict(list)
    for link in links:
        columns[link.article.source.name if link.article.source else None].append(link)
    ordered = sorted(columns, key=lambda name: (-totals.get(name, 0), name or ""))
    return [
        (links_of[0].article.credited_name, totals.get(name, len(links_of)), links_of)
        for name in ordered
        for links_of in [columns[name]]
    ]


# -- Timeline -----------------------------------------------------------------------------


def timeline(request: HttpRequest) -> HttpResponse:
    series = ArticleTally.objects.monthly_counts()
    rounds = list(TalksRound.objects.with_counts().order_by("start"))
    bands = [(r.name, r.get_absolute_url(), r.start, r.end) for r in rounds]
    undated = ArticleTally.objects.undated()
    return render(
        request,
        "coverage/timeline.html",
        {
            # Drawn only when the remembered drawing is out of date.
            "drawings": lambda: timeline_drawings(series, bands),
            "has_chart": bool(series or bands),
            "chart_key": drawing_key(series, bands, undated),
            "drawing_seconds": DRAWING_SECONDS,
            "rounds": rounds,
            "undated": undated,
        },
    )
