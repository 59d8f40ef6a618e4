"""The one entry the views call: a search in, a results page's values out (rows with
highlights, facets, who reported it and when, spelling help), and every matching article
for exports and feeds. Queries go through Haystack's SearchQuerySet."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from django.utils.safestring import SafeString
from haystack.query import SearchQuerySet

from articles.enrich import republished_map
from articles.models import Article, Person, TalksRound, Topic
from articles.search.highlight import Matcher, highlight, matcher_for, snippets
from articles.search.limits import QueryError, SearchTimedOut
from articles.search.nodes import EVERY_WORD_FACET, MOST_WORDS_FACET, SearchRequest, strict
from articles.search.query import (
    CleanQuery,
    Criteria,
    clean_query,
    queryset_for,
    search_request,
)
from articles.search.spelling import also_searched, spelling_suggestion

logger = logging.getLogger(__name__)


class IndexUnavailable(RuntimeError):
    """The index is missing, empty while articles exist, or unreadable."""


@dataclass
class ResultRow:
    article: Article
    title: SafeString
    snippets: list[SafeString]
    score: float
    also_published_by: list[Article] = field(default_factory=list)
    # The words were found only in the page's other text: the snippets are from there.
    in_other_text: bool = False


@lru_cache(maxsize=4096)
def month_label(value: str, *, short: bool = False) -> str:
    """ "2008-03" -> "March 2008" (or "Mar 2008"); "unknown" -> "Date unknown"."""
    try:
        return datetime.strptime(value, "%Y-%m").strftime("%b %Y" if short else "%B %Y")
    except ValueError:
        return "Date unknown" if value == "unknown" else value


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _facet_values(pairs: list[tuple[str, int]], label=str) -> list[FacetValue]:
    return [FacetValue(value, label(value), count) for value, count in pairs]


@dataclass
class SourceCoverage:
    """How many matching articles a source has, over which months."""

    name: str
    count: int
    first_month: str | None
    last_month: str | None
    months: dict[str, int] = field(default_factory=dict)

    @property
    def span(self) -> str:
        if not self.first_month:
            return "dates unknown"
        first, last = (
            month_label(self.first_month, short=True),
            month_label(self.last_month, short=True),
        )
        return first if first == last else f"{first} – {last}"


@dataclass
class SearchOutcome:
    criteria: Criteria
    query: CleanQuery
    hits: int = 0
    # Of the hits, how many hold every word of the query, and how many more hold most of
    # its words (`nodes.most_of`); the rest hold some of them. `relaxed`: not every hit
    # holds every word.
    every_word_hits: int = 0
    most_words_hits: int = 0
    relaxed: bool = False
    rows: list[ResultRow] = field(default_factory=list)
    source_facets: list[FacetValue] = field(default_factory=list)
    year_facets: list[FacetValue] = field(default_factory=list)
    month_facets: list[FacetValue] = field(default_factory=list)
    people_facets: list[FacetValue] = field(default_factory=list)
    topic_facets: list[FacetValue] = field(default_factory=list)
    round_facets: list[FacetValue] = field(default_factory=list)
    coverage: list[SourceCoverage] = field(default_factory=list)
    suggestion: str = ""
    also_searched: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    request: SearchRequest | None = None  # the search as parsed, for the quotation box

    @property
    def more_hits(self) -> int:
        """Matches holding most or some of the words but not every one."""
        return self.hits - self.every_word_hits

    @property
    def some_words_hits(self) -> int:
        """Matches holding some of the words, fewer than most."""
        return self.more_hits - self.most_words_hits

    @property
    def relaxed_groups(self) -> int:
        """How many groups the page lists after (or without) every-word matches."""
        return bool(self.most_words_hits) + bool(self.some_words_hits)


def index_problem() -> str | None:
    """Why a search now would mislead (the index cannot be read, or is empty while the
    archive has articles), or None. Asked only when a search failed or found nothing."""
    try:
        empty = SearchQuerySet().count() == 0
    except Exception as error:
        logger.exception("The search index cannot be read")
        return str(error) or "The search index cannot be read."
    if empty and Article.objects.exists():
        return "The index is empty while the archive has articles."
    return None


@contextmanager
def index_checked() -> Iterator[None]:
    """Run a search, turning a failure caused by a missing or broken index into
    IndexUnavailable (a page that says the index is being built, not an error)."""
    try:
        yield
    except (QueryError, SearchTimedOut):
        raise
    except Exception as error:
        if problem := index_problem():
            raise IndexUnavailable(problem) from error
        raise


def _found_nothing(hits: int) -> None:
    if hits == 0 and (problem := index_problem()):
        raise IndexUnavailable(problem)


def run_search(criteria: Criteria, *, page: int = 1, per_page: int = 20) -> SearchOutcome:
    """Run a search and gather everything the results page shows."""
    started = time.perf_counter()
    cleaned = clean_query(criteria.q)
    outcome = SearchOutcome(criteria=criteria, query=cleaned)
    outcome.request = search_request(criteria, cleaned)
    sqs, matcher = queryset_for(outcome.request), matcher_for(outcome.request.query)
    faceted = sqs.facet("source_exact", limit=-1).facet("year", limit=-1).facet("month", limit=-1)
    faceted = faceted.facet("source_month", limit=-1)
    for name in ("people", "topics", "rounds"):
        faceted = faceted.facet(name, limit=-1)
    start = (page - 1) * per_page
    with index_checked():
        page_results = list(faceted[start : start + per_page])
        outcome.hits = faceted.count()
    _found_nothing(outcome.hits)
    counted = faceted.facet_counts()
    facets = counted.get("fields", {})
    # An engine that does not relax the AND between words finds only every-word matches.
    queries = counted.get("queries", {})
    outcome.every_word_hits = queries.get(EVERY_WORD_FACET, outcome.hits)
    outcome.most_words_hits = queries.get(MOST_WORDS_FACET, 0)
    outcome.relaxed = outcome.every_word_hits < outcome.hits
    outcome.source_facets = _facet_values(_clean_facet(facets.get("source_exact")))
    years = sorted(_clean_facet(facets.get("year")), key=_newest_year_first)
    outcome.year_facets = _facet_values(years, lambda y: "Date unknown" if y == "unknown" else y)
    if criteria.year:  # months are offered within a chosen year only
        months = _clean_facet(facets.get("month"))
        months = [(m, n) for m, n in months if m.startswith(criteria.year)]
        outcome.month_facets = _facet_values(sorted(months), month_label)
    outcome.coverage = coverage_from_facet(_clean_facet(facets.get("source_month")))
    outcome.people_facets, outcome.topic_facets, outcome.round_facets = (
        _named_facets(_clean_facet(facets.get(name)), model)
        for name, model in (("people", Person), ("topics", Topic), ("rounds", TalksRound))
    )
    outcome.rows = _rows(page_results, matcher)
    if cleaned.text:
        outcome.also_searched = also_searched(cleaned.text)
        if outcome.hits == 0:
            outcome.suggestion = spelling_suggestion(cleaned.text, criteria)
    outcome.elapsed_ms = (time.perf_counter() - started) * 1000
    return outcome


def _named_facets(pairs: list[tuple[str, int]], model) -> list[FacetValue]:
    """Slug facets labelled with the current names (staff may have renamed them)."""
    names = dict(model.objects.filter(slug__in=[v for v, _ in pairs]).values_list("slug", "name"))
    return [FacetValue(slug, names[slug], count) for slug, count in pairs if slug in names]


def _newest_year_first(pair: tuple[str, int]) -> tuple[bool, int]:
    return (not pair[0].isdigit(), -int(pair[0]) if pair[0].isdigit() else 0)


def _clean_facet(pairs) -> list[tuple[str, int]]:
    return [(str(value), count) for value, count in (pairs or []) if value not in (None, "")]


def coverage_from_facet(pairs: list[tuple[str, int]]) -> list[SourceCoverage]:
    """Per-source counts and month spans from the "source|month" facet, busiest first."""
    by_source: dict[str, dict[str, int]] = defaultdict(dict)
    for value, count in pairs:
        name, _, month = value.rpartition("|")
        by_source[name][month] = count
    rows = []
    for name, months in by_source.items():
        dated = sorted(m for m in months if m != "unknown")
        rows.append(
            SourceCoverage(
                name=name,
                count=sum(months.values()),
                first_month=dated[0] if dated else None,
                last_month=dated[-1] if dated else None,
                months=dict(sorted(months.items())),
            )
        )
    return sorted(rows, key=lambda row: (-row.count, row.name))


def _rows(results, matcher: Matcher) -> list[ResultRow]:
    """Result rows in rank order; a republished copy of a higher-ranked row on the page is
    folded into that row as "also published by"."""
    pks = [int(result.pk) for result in results]
    articles = Article.objects.published().in_bulk(pks)
    copies = republished_map(articles.values())
    rows: list[ResultRow] = []
    shown: dict[int, ResultRow] = {}
    for result in results:
        article = articles.get(int(result.pk))
        if article is None:  # deleted since it was indexed
            continue
        original = next((shown[c.pk] for c in copies.get(article.pk, ()) if c.pk in shown), None)
        if original is not None:
            original.also_published_by.append(article)
            continue
        in_other_text = found_only_in_other_text(article, matcher)
        row = ResultRow(
            article=article,
            title=highlight(article.title, matcher),
            snippets=snippets(article.other_text if in_other_text else article.body, matcher),
            score=result.score or 0.0,
            in_other_text=in_other_text,
        )
        rows.append(row)
        shown[article.pk] = row
    return rows


def found_only_in_other_text(article: Article, matcher: Matcher) -> bool:
    """Whether the query's words are in the page's other text and nowhere the reader sees
    first (title, byline, dateline, body): such a hit is shown as one, with its passage."""
    if not matcher or not article.other_text:
        return False
    seen = (article.title, article.byline, article.dateline, article.body)
    if any(next(matcher.words_in(text), None) for text in seen):
        return False
    return next(matcher.words_in(article.other_text), None) is not None


def matching_articles(criteria: Criteria, *, limit: int | None = None) -> Iterator[Article]:
    """Every article a search matches holding every word of the query (every match when
    none holds them all), in result order, loaded from the database in chunks: the set the
    facets count.

    The search runs now, so its errors reach the caller before any article is streamed."""
    request = search_request(criteria, clean_query(criteria.q))
    requests = [request]
    if request.query is not None:
        requests.insert(0, replace(request, query=strict(request.query)))
    for asked in requests:
        sqs = queryset_for(asked)
        with index_checked():
            pks = [int(pk) for pk in sqs.values_list("pk", flat=True)[: limit or sqs.count()]]
        if pks:
            break
    _found_nothing(len(pks))
    return _articles_in_order(pks)


def _articles_in_order(pks: list[int]) -> Iterator[Article]:
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        articles = Article.objects.published().in_bulk(chunk)
        yield from (articles[pk] for pk in chunk if pk in articles)
