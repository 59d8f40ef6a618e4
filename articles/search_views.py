"""Search pages: the results page, its exports and its feed. Thin: forms validate,
`search.service` does the work."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import wraps
from itertools import chain

from django.contrib.syndication.views import Feed
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from articles.export import EXPORT_FIELDS, article_records, csv_row
from articles.export_limits import ExportRefused, ReleasingStream, claim_export
from articles.feeds import PlainTextAtomFeed, plain_summary
from articles.forms import SearchForm
from articles.models import Person, TalksRound, Topic
from articles.quotation_search import quotations_saying
from articles.search.limits import QueryError, SearchTimedOut, search_limits
from articles.search.query import Criteria
from articles.search.service import (
    IndexUnavailable,
    matching_articles,
    month_label,
    run_search,
)

PER_PAGE = 20
# Exports stream, but each holds at most this many articles (about 40 MB of CSV with their
# texts): the search page says so, and a narrower search exports the rest.
EXPORT_LIMIT = 10_000
FEED_ITEMS = 50


def _criteria(request) -> tuple[SearchForm, Criteria | None]:
    form = SearchForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, Criteria.from_form(form.cleaned_data)
    return form, None


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    # ASCII digits only: "²" and "٣" are digits to str.isdigit() but not to int().
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise Http404("There is no such page of results.")
    return int(raw)


FILTER_LABELS = {
    "from": "From {}",
    "to": "To {}",
    "year": "Year: {}",
    "month": "Month: {}",
    "person": "Person: {}",
    "topic": "Topic: {}",
    "round": "Talks round: {}",
    "changed": "Only stories that changed between captures",
}
FACET_GROUPS = (
    ("People named", "person", "people_facets"),
    ("Topics", "topic", "topic_facets"),
    ("Talks rounds", "round", "round_facets"),
)


def facet_groups(request, outcome) -> list[tuple[str, list]]:
    """(heading, [(facet, URL selecting it, selected?)]) for the slug facets."""
    groups = []
    for heading, key, attribute in FACET_GROUPS:
        links = []
        for facet in getattr(outcome, attribute):
            query = request.GET.copy()
            query[key] = facet.value
            query.pop("page", None)
            links.append((facet, f"?{query.urlencode()}", request.GET.get(key) == facet.value))
        groups.append((heading, links))
    return groups


# Filters that name a row by its slug, shown by the row's name.
NAMED_BY_SLUG = {"person": Person, "topic": Topic, "round": TalksRound}


def filter_names(request) -> dict[tuple[str, str], str]:
    """The names of the people, topics and rounds the URL filters by, keyed by (key, slug):
    one query for each kind named."""
    names = {}
    for key, model in NAMED_BY_SLUG.items():
        slugs = request.GET.getlist(key)
        if slugs:
            rows = model.objects.filter(slug__in=slugs).values_list("slug", "name")
            names.update({(key, slug): name for slug, name in rows})
    return names


def active_filters(request) -> list[tuple[str, str]]:
    """Each filter in the URL as (label, URL without it), so every choice is removable."""
    filters = []
    names = filter_names(request)
    for key, values in request.GET.lists():
        for value in values:
            if key == "source":
                label = f"Source: {value}"
            elif key in FILTER_LABELS:
                shown = month_label(value) if key == "month" else names.get((key, value), value)
                label = FILTER_LABELS[key].format(shown)
            else:
                continue
            remaining = request.GET.copy()
            remaining.setlist(key, [v for v in values if v != value])
            remaining.pop("page", None)
            filters.append((label, f"?{remaining.urlencode()}"))
    return filters


def _refusal(request, form, error: Exception | None = None):
    """The search page saying why a search cannot run: the form's errors or the query's
    (400), or that the index is being built (503)."""
    context = {"form": form, "query_string": request.GET.urlencode(), "limits": search_limits()}
    if isinstance(error, IndexUnavailable):
        response = render(request, "search/index_building.html", context, status=503)
        response["Retry-After"] = "30"
        return response
    if isinstance(error, SearchTimedOut):
        context["timed_out"] = error
        return render(request, "search/search.html", context, status=503)
    if error is not None:
        context["query_error"] = str(error)
    return render(request, "search/search.html", context, status=400)


def search(request):
    form, criteria = _criteria(request)
    context = {"form": form, "query_string": request.GET.urlencode(), "limits": search_limits()}
    if criteria is None:
        status = 400 if request.GET else 200
        return render(request, "search/search.html", context, status=status)
    page_number = _page_number(request)
    try:
        outcome = run_search(criteria, page=page_number, per_page=PER_PAGE)
    except (QueryError, IndexUnavailable, SearchTimedOut) as error:
        return _refusal(request, form, error)
    paginator = Paginator(range(outcome.hits), PER_PAGE, allow_empty_first_page=True)
    try:
        page = paginator.page(page_number)
    except EmptyPage as error:
        raise Http404("There is no such page of results.") from error
    context.update(
        export_limit=EXPORT_LIMIT,
        outcome=outcome,
        quotations=quotations_saying(criteria, outcome.request) if page_number == 1 else [],
        page=page,
        criteria=criteria,
        active_filters=active_filters(request),
        facet_groups=facet_groups(request, outcome),
    )
    return render(request, "search/search.html", context)


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def too_many(refused: ExportRefused) -> HttpResponse:
    """429, saying why and when to try again."""
    response = HttpResponse(f"{refused}\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(refused.retry_after)
    return response


def _export_articles(request) -> tuple[Iterator | None, HttpResponse | None]:
    """(the articles, None), or (None, the page refusing a bad search). The search runs
    here, before the response starts, so an export never breaks off part way."""
    form, criteria = _criteria(request)
    if criteria is None:
        return None, _refusal(request, form)
    try:
        articles = matching_articles(criteria, limit=EXPORT_LIMIT)
        first = next(articles, None)
    except (QueryError, IndexUnavailable, SearchTimedOut) as error:
        return None, _refusal(request, form, error)
    return (chain([first], articles) if first is not None else iter(())), None


def limited_export(view):
    """Run an export view under an export permit (`export_limits`): refused with 429
    when the reader's or the server's exports are at their limit, released when the
    response's stream is closed."""

    @wraps(view)
    def wrapper(request):
        try:
            permit = claim_export(_client(request), "export")
        except ExportRefused as refused:
            return too_many(refused)
        try:
            response = view(request)
        except BaseException:
            permit.release()
            raise
        if response.streaming:
            response.streaming_content = ReleasingStream(response.streaming_content, permit)
        else:
            permit.release()
        return response

    return wrapper


class _Echo:
    def write(self, value: str) -> str:
        return value


@limited_export
def export_csv(request):
    articles, refusal = _export_articles(request)
    if refusal is not None:
        return refusal
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_FIELDS)
        for record in article_records(articles, request.build_absolute_uri):
            yield writer.writerow(csv_row(record))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search-results.csv"'
    return response


@limited_export
def export_json(request):
    """The same records as one JSON object, written an article at a time: the count and
    whether the ceiling cut the export short come last, once they are known."""
    articles, refusal = _export_articles(request)
    if refusal is not None:
        return refusal
    head = json.dumps({"query": request.GET.dict(), "limit": EXPORT_LIMIT}, ensure_ascii=False)

    def chunks():
        yield head[:-1] + ', "articles": [\n'
        count = 0
        for record in article_records(articles, request.build_absolute_uri):
            prefix = ",\n" if count else ""
            yield prefix + json.dumps(record, ensure_ascii=False, indent=1)
            count += 1
        yield f'\n], "count": {count}, "at_limit": {json.dumps(count >= EXPORT_LIMIT)}}}\n'

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search-results.json"'
    return response


class SearchFeed(Feed):
    """An Atom feed of a search, newest first: an alert without an account."""

    feed_type = PlainTextAtomFeed

    def __call__(self, request, *args, **kwargs):
        """One search feed at a time for each reader, and a few a minute: each runs a
        search and reads 50 articles."""
        try:
            permit = claim_export(_client(request), "feed", streams=False)
        except ExportRefused as refused:
            return too_many(refused)
        try:
            return super().__call__(request, *args, **kwargs)
        finally:
            permit.release()

    def get_object(self, request, *args, **kwargs):
        form, criteria = _criteria(request)
        if criteria is None:
            raise Http404("A feed needs a valid search.")
        self.query_string = request.GET.urlencode()
        return Criteria(**{**criteria.__dict__, "sort": "newest"})

    def title(self, criteria: Criteria) -> str:
        return f"Talks Archive search: {criteria.q or 'all articles'}"

    def link(self, criteria: Criteria) -> str:
        return f"{reverse('articles:search')}?{self.query_string}"

    def feed_url(self, criteria: Criteria) -> str:
        """The feed's own address keeps its search (Django's default drops the query)."""
        return f"{reverse('articles:search-feed')}?{self.query_string}"

    def subtitle(self, criteria: Criteria) -> str:
        return "New articles matching this search."

    def items(self, criteria: Criteria):
        try:
            return list(matching_articles(criteria, limit=FEED_ITEMS))
        except (QueryError, IndexUnavailable, SearchTimedOut) as error:
            raise Http404(str(error)) from error

    def item_title(self, article) -> str:
        return article.title

    def item_description(self, article) -> str:
        return plain_summary(article.body)

    def item_pubdate(self, article):
        return article.sort_datetime

    def item_author_name(self, article) -> str:
        return article.byline or article.credited_name
