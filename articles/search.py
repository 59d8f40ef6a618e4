"""Search: query cleaning, running, facets, coverage and highlighting, in one place.

Views hand in validated criteria and get back plain values ready for a template. Queries go
through Haystack, so SEARCH_URL can move the index to Elasticsearch or Solr; Whoosh's parser
is used only to read the user's query (terms to highlight, empty queries).
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from haystack.inputs import Raw
from haystack.query import SearchQuerySet
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema

from articles.enrich import republished_map
from articles.forms import MAX_QUERY_LENGTH
from articles.models import Article, Person, TalksRound, Topic
from articles.vocabulary import SPELLING_VARIANTS, spelling_alternatives
from articles.whoosh_backend import ANALYZER, ArchiveQueryParser, ArchiveWhooshBackend

logger = logging.getLogger(__name__)

SNIPPET_FRAGMENTS = 3
MORE_LIKE_THIS_SECONDS = 600
MORE_LIKE_THIS_CHARS = 2500
FRAGMENT_CHARS = 220
WORD_RE = re.compile(r"\w+", re.UNICODE)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FIELD_ALIASES = {"title", "source", "byline", "dateline"}

# A schema with the index's searchable fields, to read queries the way the index does.
_QUERY_SCHEMA = Schema(
    text=TEXT(analyzer=ANALYZER, phrase=True),
    title=TEXT(analyzer=ANALYZER, phrase=True),
    source=TEXT(analyzer=ANALYZER, phrase=True),
    byline=TEXT(analyzer=ANALYZER, phrase=True),
    dateline=TEXT(analyzer=ANALYZER, phrase=True),
    source_exact=ID(),
)
_QUERY_PARSER = ArchiveQueryParser(_QUERY_SCHEMA)


class QueryError(ValueError):
    """A query the index cannot run; the message tells the user how to fix it."""


class IndexUnavailable(RuntimeError):
    """The index is missing, empty while articles exist, or unreadable."""


@dataclass(frozen=True)
class CleanQuery:
    text: str
    notes: tuple[str, ...] = ()


def clean_query(text: str) -> CleanQuery:
    """Make user input safe to hand to the query parser, saying what was changed."""
    notes = []
    text = unicodedata.normalize("NFC", CONTROL_RE.sub(" ", text or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notes.append(f"Your query was cut to its first {MAX_QUERY_LENGTH} characters.")
    if text.count('"') % 2:
        text = text[::-1].replace('"', "", 1)[::-1]
        notes.append("An unmatched quotation mark was ignored.")
    balanced, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                continue
            depth -= 1
        balanced.append(char)
    if depth or len(balanced) != len(text):
        notes.append("Unmatched brackets were ignored.")
        text = "".join(balanced).replace("(", " ").replace(")", " ") if depth else "".join(balanced)
        text = " ".join(text.split())
    return CleanQuery(text, tuple(notes))


def parse_user_query(text: str) -> wq.Query:
    """The query as the index reads it; raises QueryError when nothing is left to search."""
    try:
        parsed = _QUERY_PARSER.parse(text)
    except Exception as error:  # Whoosh's parser raises assorted errors on odd input
        raise QueryError("The query could not be read. Try plain words.") from error
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)) or not _has_terms(parsed):
        raise QueryError(
            "That query has no words to search for. AND, OR and NOT join words; very common "
            "words such as “the” are not indexed."
        )
    return parsed


def _has_terms(node: wq.Query) -> bool:
    if isinstance(node, wq.Not):
        return False
    if node.is_leaf():
        return not isinstance(node, type(wq.NullQuery))
    return any(_has_terms(child) for child in node.children())


@dataclass(frozen=True)
class Matcher:
    """What to mark in text: analysed terms, and prefixes of unanalysed wildcard words."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def matches(self, word: str) -> bool:
        lowered = word.lower()
        if self.prefixes and lowered.startswith(self.prefixes):
            return True
        return bool(self.terms) and _analyse(word) in self.terms

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)

    @cached_property
    def _candidates(self) -> re.Pattern[str]:
        """Where a matching word can start: the first two letters of each term, prefix and
        spelling variant of a term. Scanning for these is C-speed; only the words found
        are analysed, instead of every word of a long article."""
        starts = {term[:2] for term in self.terms} | {prefix[:2] for prefix in self.prefixes}
        starts |= {
            variant[:2]
            for variant, canonical in SPELLING_VARIANTS.items()
            if _analyse(canonical) in self.terms
        }
        alternatives = "|".join(sorted(map(re.escape, filter(None, starts)), reverse=True))
        return re.compile(rf"\b(?:{alternatives})" if alternatives else r"(?!)", re.IGNORECASE)

    def words_in(self, text: str) -> Iterator[re.Match[str]]:
        """The matching words of `text`, in order."""
        for candidate in self._candidates.finditer(text):
            word = WORD_RE.match(text, candidate.start())
            if word and self.matches(word.group()):
                yield word


@lru_cache(maxsize=100_000)
def _analyse(word: str) -> str | None:
    tokens = [token.text for token in ANALYZER(word)]
    return tokens[0] if tokens else None


def matcher_for(parsed: wq.Query) -> Matcher:
    """Words to highlight: every positive term of the query, none under NOT."""
    terms, prefixes = set(), []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.Phrase):
            terms.update(node.words)
        elif isinstance(node, wq.Prefix):
            prefixes.append(node.text.lower())
        elif isinstance(node, wq.Wildcard):
            prefixes.append(node.text.split("*")[0].split("?")[0].lower())
        elif isinstance(node, wq.Term) and isinstance(node.text, str):
            terms.add(node.text)
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(parsed)
    return Matcher(frozenset(terms), tuple(p for p in prefixes if p))


def highlight(text: str, matcher: Matcher) -> SafeString:
    """The whole text, escaped, with matching words wrapped in <mark>."""
    out, last = [], 0
    for match in matcher.words_in(text) if matcher else ():
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippets(
    text: str, matcher: Matcher, *, fragments: int = SNIPPET_FRAGMENTS
) -> list[SafeString]:
    """Up to `fragments` escaped passages around the first matches, in text order."""
    chosen, covered_until = [], -1
    for hit in matcher.words_in(text) if matcher else ():
        if hit.start() <= covered_until:
            continue
        start = max(0, hit.start() - FRAGMENT_CHARS // 3)
        end = min(len(text), start + FRAGMENT_CHARS)
        start = _word_boundary(text, start, forward=True)
        end = _word_boundary(text, end, forward=False)
        chosen.append((start, end))
        covered_until = end
        if len(chosen) == fragments:
            break
    if not chosen:
        lead = text[:FRAGMENT_CHARS].rsplit(" ", 1)[0] if len(text) > FRAGMENT_CHARS else text
        return [mark_safe(escape(lead) + ("…" if len(lead) < len(text) else ""))]  # noqa: S308
    return [
        mark_safe(  # noqa: S308 - highlight() escapes
            ("…" if start > 0 else "")
            + highlight(text[start:end], matcher)
            + ("…" if end < len(text) else "")
        )
        for start, end in chosen
    ]


def _word_boundary(text: str, index: int, *, forward: bool) -> int:
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    if forward:
        space = text.find(" ", index)
        return space + 1 if 0 <= space < index + 30 else index
    space = text.rfind(" ", index - 30, index)
    return space if space > 0 else index


@dataclass(frozen=True)
class Criteria:
    """A validated search: everything the URL can say."""

    q: str = ""
    sources: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    year: str = ""
    month: str = ""
    person: str = ""
    topic: str = ""
    round: str = ""
    sort: str = "relevance"

    @classmethod
    def from_form(cls, data: dict) -> Criteria:
        return cls(
            q=data.get("q") or "",
            sources=tuple(data.get("source") or ()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            year=data.get("year") or "",
            month=data.get("month") or "",
            person=data.get("person") or "",
            topic=data.get("topic") or "",
            round=data.get("round") or "",
            sort=data.get("sort") or "relevance",
        )


@dataclass
class ResultRow:
    article: Article
    title: SafeString
    snippets: list[SafeString]
    score: float
    also_published_by: list[Article] = field(default_factory=list)


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


# Criteria that select one exact value, and the index field each looks in.
EXACT_FILTERS = {
    "year": "year",
    "month": "month",
    "person": "people",
    "topic": "topics",
    "round": "rounds",
}


def build_queryset(criteria: Criteria, cleaned: CleanQuery) -> tuple[SearchQuerySet, Matcher]:
    """The SearchQuerySet for criteria, and what to highlight in its results."""
    sqs = SearchQuerySet()
    matcher = Matcher()
    if criteria.q.strip() and not cleaned.text:
        raise QueryError("That query has no words to search for. Try plain words.")
    if cleaned.text:
        matcher = matcher_for(parse_user_query(cleaned.text))
        sqs = sqs.filter(content=Raw(f"({cleaned.text})"))
    if criteria.sources:
        sqs = sqs.filter(source_exact__in=list(criteria.sources))
    if criteria.date_from:
        sqs = sqs.filter(pub_date__gte=datetime.combine(criteria.date_from, datetime.min.time()))
    if criteria.date_to:
        end = datetime.combine(criteria.date_to + timedelta(days=1), datetime.min.time())
        sqs = sqs.filter(pub_date__lt=end)
    for criterion, index_field in EXACT_FILTERS.items():
        if value := getattr(criteria, criterion):
            # Validated by the form (digits, dashes, slugs): quoted whole, as one term.
            sqs = sqs.filter(**{index_field: Raw(f'"{value}"')})
    if criteria.sort == "newest":
        sqs = sqs.order_by("-sort_newest")
    elif criteria.sort == "oldest":
        sqs = sqs.order_by("sort_oldest")
    return sqs, matcher


def ensure_index_ready() -> None:
    """Raise IndexUnavailable when searching now would mislead (no index yet, or broken)."""
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return
    try:
        empty = backend.searcher().doc_count() == 0
    except Exception as error:
        logger.exception("The search index cannot be opened")
        raise IndexUnavailable(str(error)) from error
    if empty and Article.objects.exists():
        raise IndexUnavailable("The index is empty while the archive has articles.")


def run_search(criteria: Criteria, *, page: int = 1, per_page: int = 20) -> SearchOutcome:
    """Run a search and gather everything the results page shows."""
    started = time.perf_counter()
    cleaned = clean_query(criteria.q)
    outcome = SearchOutcome(criteria=criteria, query=cleaned)
    ensure_index_ready()
    sqs, matcher = build_queryset(criteria, cleaned)
    faceted = sqs.facet("source_exact", limit=-1).facet("year", limit=-1).facet("month", limit=-1)
    faceted = faceted.facet("source_month", limit=-1)
    for name in ("people", "topics", "rounds"):
        faceted = faceted.facet(name, limit=-1)
    start = (page - 1) * per_page
    page_results = list(faceted[start : start + per_page])
    outcome.hits = faceted.count()
    facets = faceted.facet_counts().get("fields", {})
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
        row = ResultRow(
            article=article,
            title=highlight(article.title, matcher),
            snippets=snippets(article.body, matcher),
            score=result.score or 0.0,
        )
        rows.append(row)
        shown[article.pk] = row
    return rows


def also_searched(text: str) -> list[str]:
    """Other spellings the index also matched, e.g. "defence" for "defense"."""
    found = []
    for word in WORD_RE.findall(text):
        for alternative in spelling_alternatives(word):
            if alternative not in found:
                found.append(alternative)
    return found


def spelling_suggestion(text: str, criteria: Criteria) -> str:
    """A close spelling that would find something, or ""."""
    try:
        suggestion = _respell(text)
    except Exception:  # a suggestion is a nicety; never fail the page for it
        logger.exception("Spelling suggestion failed for %r", text)
        return ""
    if not suggestion or suggestion.lower() == text.lower():
        return ""
    sqs, _ = build_queryset(Criteria(q=suggestion, sort=criteria.sort), clean_query(suggestion))
    return suggestion if sqs.count() else ""


OPERATORS = {"AND", "OR", "NOT", "TO"}


def _respell(text: str) -> str:
    """Replace each word the index does not know by its closest known word."""
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return SearchQuerySet().spelling_suggestion(text) or ""
    reader = backend.searcher().reader()
    corrector = reader.corrector("text")
    changed = []

    def respell(match: re.Match) -> str:
        word = match.group()
        if word in OPERATORS or not word.isalpha() or len(word) < 3:
            return word
        if (stem := _analyse(word)) is None or reader.doc_frequency("text", stem):
            return word
        candidates = corrector.suggest(word.lower(), limit=8, maxdist=2)
        if not candidates:
            return word
        best = min(candidates, key=lambda c: (edit_distance(word.lower(), c), -len(c)))
        changed.append(best)
        return best

    respelled = re.sub(r"(?<![:\w])\w+", respell, text)
    return respelled if changed else ""


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, for ranking spelling candidates."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def matching_articles(criteria: Criteria, *, limit: int | None = None) -> Iterator[Article]:
    """Every article a search matches, in result order, loaded from the database in chunks."""
    ensure_index_ready()
    sqs, _ = build_queryset(criteria, clean_query(criteria.q))
    pks = [int(pk) for pk in sqs.values_list("pk", flat=True)[: limit or sqs.count()]]
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        articles = Article.objects.published().in_bulk(chunk)
        yield from (articles[pk] for pk in chunk if pk in articles)


def more_like_this(article: Article, *, limit: int = 5) -> list[Article]:
    """Articles whose words resemble this one's, other sources first.

    Finding them weighs every word of the article against the index, so the answer is kept
    for a while: related reading does not need to be to the second.
    """
    key = f"more-like-this:{article.pk}:{article.updated_at.timestamp()}:{limit}"
    pks = cache.get(key)
    if pks is None:
        try:
            pks = _similar_pks(article, limit * 3)
        except Exception:  # related articles are a nicety; never fail the article page
            logger.exception("More like this failed for article %s", article.pk)
            return []
        cache.set(key, pks, MORE_LIKE_THIS_SECONDS)
    found = Article.objects.published().in_bulk(pks)
    ranked = [found[pk] for pk in pks if pk in found and pk != article.pk]
    ranked.sort(key=lambda other: bool(article.source_id) and other.source_id == article.source_id)
    return ranked[:limit]


def _similar_pks(article: Article, count: int) -> list[int]:
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return [int(r.pk) for r in SearchQuerySet().more_like_this(article)[:count]]
    searcher = backend.searcher()
    docnum = searcher.document_number(id=f"articles.article.{article.pk}")
    if docnum is None:
        return []
    # The opening of a news story carries its subject; weighing every word costs more.
    text = f"{article.title}\n{article.body[:MORE_LIKE_THIS_CHARS]}"
    hits = searcher.more_like(docnum, "text", text=text, top=count + 1)
    return [int(hit["django_id"]) for hit in hits]


# Words of the talks that readers search for, beside the curated people's surnames and
# the rounds' places: warm_up() reads their postings before the first reader does.
WARM_UP_WORDS = (
    "missile defence radar treaty talks Russia Poland Czech NATO interceptor shield Kosovo "
    "Iran nuclear Kremlin Moscow Washington Warsaw Prague minister president agreement"
)


def warm_up() -> float:
    """Run a few searches so a server worker's first reader does not pay for cold caches
    (field lengths, the date, facet and sort columns, the commonest words' postings and
    positions); returns the seconds it took. Called as each worker starts (gunicorn.conf.py)."""
    started = time.perf_counter()
    names = [*Person.objects.values_list("surname", flat=True)]
    names += TalksRound.objects.values_list("place", flat=True)
    words = " OR ".join([*WARM_UP_WORDS.split(), *(n for n in names if n.isalpha())])
    searches = (
        Criteria(q=words),
        Criteria(q='"missile defence"', sort="newest"),
        Criteria(q="Russia", date_from=date(2007, 1, 1), date_to=date(2008, 12, 31)),
    )
    for criteria in searches:
        try:
            run_search(criteria)
        except (IndexUnavailable, QueryError):
            logger.info("No search warm-up: the index is not ready")
            break
    return time.perf_counter() - started
