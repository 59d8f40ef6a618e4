"""Pages about the talks themselves: rounds, people and their quotations, topics, the
timeline. The analysis that feeds them runs at ingest (articles.enrich)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from articles.charts import timeline_chart
from articles.models import Article, ArticleRound, Person, Quotation, TalksRound, Topic


def _by_source(links) -> list[tuple[str, list[ArticleRound]]]:
    """A round's article links grouped by credited source, each in date order: side by side."""
    columns: dict[str, list[ArticleRound]] = defaultdict(list)
    for link in links:
        columns[link.article.credited_name].append(link)
    return sorted(columns.items(), key=lambda item: (-len(item[1]), item[0]))


class PersonListView(ListView):
    template_name = "coverage/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        return (
            Person.objects.annotate(
                article_count=Count("mentions", distinct=True),
                quotation_count=Count("quotations", distinct=True),
            )
            .filter(article_count__gt=0)
            .order_by("-article_count", "name")
        )


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    articles = Article.objects.published().filter(mentions__person=person).chronological()
    quotations = (
        Quotation.objects.filter(person=person)
        .select_related("article__source", "article__captured_from")
        .order_by("article__published_date", "article_id", "paragraph", "id")
    )
    grouped: dict[int, list[Quotation]] = defaultdict(list)
    for quotation in quotations:
        grouped[quotation.article_id].append(quotation)
    quoted = [(quotes[0].article, quotes) for quotes in grouped.values()]
    return render(
        request,
        "coverage/person_detail.html",
        {
            "person": person,
            "articles": list(articles),
            "quoted": quoted,
            "sources_quoting": len({article.credited_name for article, _ in quoted}),
            "rounds": person.rounds.all(),
        },
    )


class TopicListView(ListView):
    template_name = "coverage/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.annotate(article_count=Count("article_links")).order_by(
            "-article_count", "name"
        )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.published().filter(topic_links__topic=topic).chronological()
    return render(
        request,
        "coverage/topic_detail.html",
        {"topic": topic, "articles": list(articles), "rounds": topic.rounds.all()},
    )


class RoundListView(ListView):
    template_name = "coverage/round_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        return TalksRound.objects.prefetch_related("participants").annotate(
            article_count=Count("article_links")
        )


def round_detail(request, slug):
    talks_round = get_object_or_404(
        TalksRound.objects.prefetch_related("participants", "topics"), slug=slug
    )
    links = (
        ArticleRound.objects.filter(round=talks_round)
        .exclude(state=ArticleRound.State.REJECTED)
        .select_related("article__source", "article__captured_from")
        .order_by("article__published_date", "article_id")
    )
    return render(
        request,
        "coverage/round_detail.html",
        {"round": talks_round, "columns": _by_source(links)},
    )


def timeline(request):
    series = Article.objects.published().monthly_counts()
    rounds = TalksRound.objects.order_by("start")
    chart = timeline_chart(series, [(r.name, r.get_absolute_url(), r.start, r.end) for r in rounds])
    return render(
        request,
        "coverage/timeline.html",
        {
            "chart": chart,
            "rounds": rounds.prefetch_related(
                Prefetch("article_links", queryset=ArticleRound.objects.exclude(state="rejected"))
            ),
            "undated": Article.objects.published().undated().count(),
        },
    )
