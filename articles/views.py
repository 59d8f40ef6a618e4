"""Browsing pages: the home page, article lists and date archives, articles, sources.

Views stay thin: collection rules live on the querysets, citation formats in
articles.citation, related articles in articles.search.similar.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date

from django.db.models import F, Max, Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import (
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    View,
    YearArchiveView,
)
from django.views.generic.detail import SingleObjectMixin

from articles import citation
from articles.changes import (
    DiffBudget,
    Reading,
    change_summary,
    paragraphs_diff,
    unchanged,
    word_diff,
)
from articles.charts import DRAWING_SECONDS, drawing_key, timeline_drawings
from articles.enrich import republished_copies
from articles.forms import ArticleFilterForm
from articles.models import Article, ArticleRound, ArticleTally, Capture, Source
from articles.paging import IdsFirstPaginator
from articles.related import PAGE_ROWS
from articles.search.similar import more_like_this

ARTICLES_PER_PAGE = 20
# "Other coverage of the same days": how far either side of the publication date to look.
SAME_DAYS_WINDOW = 3
SAME_DAYS_LIMIT = 10
LATEST_ADDITIONS = 8
# The home page names the busiest sources; the sources page lists them all.
HOME_SOURCES = 12
# The date archives read oldest first. They hold no undated articles, so a plain ascending
# date (which the date index gives without sorting) is the same order as chronological().
CHRONOLOGICAL = (
    "published_date",
    F("published_at").asc(nulls_last=True),
    "id",
)


# -- Home -------------------------------------------------------------------------------


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        articles = Article.objects.published()
        coverage = ArticleTally.objects.coverage()
        series = ArticleTally.objects.monthly_counts()
        sources = list(Source.objects.in_use().with_coverage().order_by("-article_count", "name"))
        return super().get_context_data(
            coverage=coverage,
            sources=sources[:HOME_SOURCES],
            source_count=len(sources),
            # Drawn only when the remembered drawing is out of date.
            timeline=lambda: timeline_drawings(series),
            has_timeline=bool(series),
            timeline_key=drawing_key(series, coverage["undated"]),
            drawing_seconds=DRAWING_SECONDS,
            latest=articles.without_texts().latest_additions()[:LATEST_ADDITIONS],
            **kwargs,
        )


home = HomeView.as_view()


# -- Lists and date archives ------------------------------------------------------------


class ArticleListView(ListView):
    """All articles, newest first, narrowed by source, year and month."""

    paginate_by = ARTICLES_PER_PAGE
    paginator_class = IdsFirstPaginator
    template_name = "articles/article_list.html"
    heading = "Articles"

    def get_queryset(self):
        self.form = ArticleFilterForm(self.request.GET)
        return self.form.filter(self.base_queryset())

    def base_queryset(self):
        return Article.objects.published().without_texts().newest_first()

    def whole_count(self) -> int:
        """The unfiltered list's length, from the tallies (counting reads every row)."""
        return ArticleTally.objects.total()

    def get_paginator(self, queryset, per_page, **kwargs):
        count = None if self.form.narrowed else self.whole_count()
        return super().get_paginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            heading=self.heading,
            years=self.form.years,
            undated_count=ArticleTally.objects.undated(),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        # A filter that names no real source, year or month is a bad request, said on the page.
        if self.form.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class UndatedArticleListView(ArticleListView):
    """Articles whose publication date is unknown, so no date archive holds them."""

    heading = "Undated articles"

    def base_queryset(self):
        return Article.objects.published().without_texts().undated().order_by("title", "id")

    def whole_count(self) -> int:
        return ArticleTally.objects.undated()


class DateArchiveMixin:
    """What the year and month archives share: chronological, paginated, empty allowed,
    and years with a year on either side (the archives link to their neighbours)."""

    queryset = Article.objects.published().without_texts()
    date_field = "published_date"
    make_object_list = True
    allow_empty = True
    # Dates in the future can only be mistakes awaiting review; still show them.
    allow_future = True
    paginate_by = ARTICLES_PER_PAGE
    paginator_class = IdsFirstPaginator
    ordering = CHRONOLOGICAL

    def get_year(self) -> str:
        year = super().get_year()
        if not MINYEAR < int(year) < MAXYEAR:
            raise Http404("There is no archive for that year.")
        return year

    def neighbours(self, start: date, end: date) -> tuple[date | None, date | None]:
        """The nearest publication dates before `start` and from `end` on.

        Django's own previous/next links don't skip empty periods when allow_empty is set.
        """
        before = Article.objects.filter(published_date__lt=start)
        after = Article.objects.filter(published_date__gte=end)
        return (
            before.aggregate(day=Max("published_date"))["day"],
            after.aggregate(day=Min("published_date"))["day"],
        )


class ArticleYearArchiveView(DateArchiveMixin, YearArchiveView):
    template_name = "articles/article_archive_year.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = context["year"]
        previous, following = self.neighbours(start, date(start.year + 1, 1, 1))
        context.update(previous_year=previous, next_year=following)
        return context


class ArticleMonthArchiveView(DateArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "articles/article_archive_month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = context["month"]
        previous, following = self.neighbours(start, self._get_next_month(start))
        context.update(previous_month=previous, next_month=following)
        return context


# -- One article ------------------------------------------------------------------------


class CanonicalArticleMixin(SingleObjectMixin):
    """Looks an article up by id; a stale or missing slug redirects to the current URL."""

    queryset = Article.objects.published()

    def canonical_url(self, article: Article) -> str:
        return article.get_absolute_url()

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.object = self.get_object()
        if kwargs.get("slug") != (self.object.slug or "article"):
            query = request.GET.urlencode()
            url = self.canonical_url(self.object) + (f"?{query}" if query else "")
            return redirect(url, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class ArticleDetailView(CanonicalArticleMixin, DetailView):
    queryset = Article.objects.published()
    template_name = "articles/article_detail.html"

    def get_context_data(self, **kwargs):
        article = self.object
        permalink = self.request.build_absolute_uri(article.get_absolute_url())
        reference = citation.reference_for(article, permalink, timezone.localdate())
        linked = Article.objects.for_links()
        return super().get_context_data(
            permalink=permalink,
            reference=reference,
            citation=citation.chicago(reference),
            corrections=list(article.corrections.all()),
            similar=more_like_this(article, limit=PAGE_ROWS),
            republished=republished_copies(article),
            **in_this_article(article),
            same_days=same_days(article),
            previous=linked.before(article).first(),
            next=linked.after(article).first(),
            **capture_history(article),
            **kwargs,
        )


def capture_history(article: Article) -> dict:
    """The article's captures without their texts, the latest, and what changed."""
    captures = list(article.captures.in_order().defer("raw", "body"))
    for number, (previous, capture) in enumerate(
        zip([None, *captures], captures, strict=False), start=1
    ):
        capture.previous_id = previous.pk if previous else None
        capture.number = number
    minutes = [capture.moment.replace(second=0, microsecond=0) for capture in captures]
    return {
        "captures": captures,
        # Two captures in one minute are told apart by their seconds.
        "captures_share_minutes": len(set(minutes)) < len(minutes),
        "latest_capture": captures[-1] if captures else None,
        "change_summary": change_summary(
            [Reading(capture.moment, capture.changes) for capture in captures]
        ),
    }


def in_this_article(article: Article) -> dict:
    """The talks round, people and topics the analysis found in an article."""
    quoted = set(article.quotations.order_by().values_list("person_id", flat=True))
    people = list(article.mentions.select_related("person").order_by("-count", "person__name"))
    for mention in people:
        mention.quoted = mention.person_id in quoted
    return {
        "people": people,
        "topics": list(article.topic_links.select_related("topic").order_by("topic__name")),
        # Every round whose page lists the article (confirmed first, then suggestions by
        # strength): the two pages never disagree.
        "rounds": list(
            article.round_links.exclude(state=ArticleRound.State.REJECTED)
            .select_related("round")
            .order_by("state", "-score", "round__start")
        ),
    }


def same_days(article: Article) -> list[Article]:
    """Other sources' articles within a few days of this one, in date order."""
    if article.published_date is None:
        return []
    nearby = Article.objects.for_links().around(article.published_date, SAME_DAYS_WINDOW)
    if article.source_id:
        nearby = nearby.exclude(source_id=article.source_id)
    return list(nearby.exclude(pk=article.pk).chronological()[:SAME_DAYS_LIMIT])


class ArticleOriginalView(CanonicalArticleMixin, DetailView):
    """A capture exactly as ingested (the latest, or the one asked for), to read or to
    download as plain text."""

    template_name = "articles/article_original.html"

    def canonical_url(self, article: Article) -> str:
        return article.get_absolute_url() + "original/"

    def get_context_data(self, **kwargs):
        history = capture_history(self.object)
        chosen = chosen_capture(self.request.GET.get("capture"), history["captures"])
        captures = self.object.captures.select_related("repeats")
        capture = captures.get(pk=chosen.pk) if chosen else None
        if capture is not None:
            capture.number = chosen.number
        return super().get_context_data(capture=capture, **history, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        capture = context["capture"]
        download = self.request.GET.get("download")
        if download == "bytes" and capture is not None:
            data = capture.bytes_as_read()
            if data is None:
                raise Http404("The bytes of this capture cannot be rebuilt exactly.")
            suffix = ".html" if capture.kind == "html" else ".txt"
            return bytes_attachment(data, download_name(capture.origin, suffix))
        if download and capture is not None:
            return text_attachment(capture.received.raw, download_name(capture.origin, ".txt"))
        return super().render_to_response(context, **response_kwargs)


def chosen_capture(value: str | None, captures: list[Capture]) -> Capture | None:
    """The capture a query string names by id, the latest when it names none; an id that
    is not one of the article's captures is a 404."""
    if not captures:
        return None
    if value in (None, ""):
        return captures[-1]
    for capture in captures:
        if str(capture.pk) == value:
            return capture
    raise Http404("This article has no such capture.")


class ArticleChangesView(CanonicalArticleMixin, DetailView):
    """The differences between two captures of an article, word by word."""

    template_name = "articles/article_changes.html"

    def canonical_url(self, article: Article) -> str:
        return article.get_absolute_url() + "changes/"

    def get_context_data(self, **kwargs):
        history = capture_history(self.object)
        captures = history["captures"]
        if not captures:
            raise Http404("This article has no captures to compare.")
        before = chosen_capture(self.request.GET.get("from") or _first_id(captures), captures)
        after = chosen_capture(self.request.GET.get("to"), captures)
        texts = self.object.captures.filter(pk__in=[before.pk, after.pk]).values_list(
            "pk", "title", "body"
        )
        for pk, title, body in texts:
            for capture in (before, after):
                if capture.pk == pk:
                    capture.title, capture.body = title, body
        budget = DiffBudget()
        title_diff = word_diff(before.title, after.title, budget)
        body_diff = paragraphs_diff(before.body, after.body, budget)
        return super().get_context_data(
            before=before,
            after=after,
            title_diff=title_diff,
            title_same=unchanged([title_diff]),
            body_diff=body_diff,
            body_same=body_diff is not None and unchanged(body_diff),
            shown_whole=budget.exhausted,
            **history,
            **kwargs,
        )


def _first_id(captures: list[Capture]) -> str:
    return str(captures[0].pk) if captures else ""


def download_name(origin: str, suffix: str) -> str:
    stem = origin.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "capture"
    return stem + suffix


def text_attachment(text: str, filename: str, content_type: str = "text/plain") -> HttpResponse:
    return HttpResponse(
        text,
        content_type=f"{content_type}; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def bytes_attachment(data: bytes, filename: str) -> HttpResponse:
    """Bytes to save exactly as they are: no character set is claimed for them."""
    return HttpResponse(
        data,
        content_type="application/octet-stream",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


class ArticleCitationView(SingleObjectMixin, View):
    """A citation file to import into a reference manager (BibTeX or RIS)."""

    queryset = Article.objects.published()
    formats = {
        "bib": (citation.bibtex, "application/x-bibtex"),
        "ris": (citation.ris, "application/x-research-info-systems"),
    }
    format = "bib"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        article = self.get_object()
        permalink = request.build_absolute_uri(article.get_absolute_url())
        reference = citation.reference_for(article, permalink, timezone.localdate())
        render_format, content_type = self.formats[self.format]
        return text_attachment(
            render_format(reference), f"{reference.key}.{self.format}", content_type
        )


# -- Sources ----------------------------------------------------------------------------


class SourceListView(ListView):
    template_name = "articles/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.in_use().with_coverage().order_by("name")


class SourceDetailView(SingleObjectMixin, ListView):
    """A source and the articles credited to it or captured from its site."""

    template_name = "articles/source_detail.html"
    paginate_by = ARTICLES_PER_PAGE
    paginator_class = IdsFirstPaginator
    slug_url_kwarg = "slug"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.object = self.get_object(queryset=Source.objects.with_coverage())
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().without_texts().from_source(self.object).newest_first()

    def get_paginator(self, queryset, per_page, **kwargs):
        # Credited to it, or captured from its site and credited elsewhere: from the tallies.
        count = self.object.article_count + self.object.capture_count
        return super().get_paginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.object, **kwargs)


# -- Site files and errors --------------------------------------------------------------


robots_txt = TemplateView.as_view(template_name="robots.txt", content_type="text/plain")
opensearch_xml = TemplateView.as_view(
    template_name="opensearch.xml", content_type="application/opensearchdescription+xml"
)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without a request or context processors: the fault may lie in either."""
    return HttpResponseServerError(loader.get_template("500.html").render())
