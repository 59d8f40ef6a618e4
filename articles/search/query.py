"""A search as the archive reads it: the user's words made safe to parse, the criteria the
URL can state, the search request they make (parsed once, its cost checked before any
engine runs), and the SearchQuerySet that request stands for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from haystack.inputs import BaseInput
from haystack.query import SearchQuerySet

from articles.search.highlight import Matcher, matcher_for
from articles.search.limits import MAX_QUERY_LENGTH, QueryError, check_cost
from articles.search.nodes import DateFilter, Filter, Node, SearchRequest
from articles.search.parser import has_words, parse_query

CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
DOUBLE_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»", '"'))


@dataclass(frozen=True)
class CleanQuery:
    text: str
    notes: tuple[str, ...] = ()


def clean_query(text: str) -> CleanQuery:
    """Make user input safe to hand to the query parser, saying what was changed."""
    notes = []
    text = unicodedata.normalize("NFC", CONTROL_RE.sub(" ", text or ""))
    # A quotation copied from an article keeps its typographic marks: they quote a phrase.
    text = " ".join(text.translate(DOUBLE_QUOTES).split())
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
    changed: str = ""
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
            changed=data.get("changed") or "",
            sort=data.get("sort") or "relevance",
        )


# Criteria that select one exact value, and the index field each looks in.
EXACT_FILTERS = {
    "year": "year",
    "month": "month",
    "person": "people",
    "topic": "topics",
    "round": "rounds",
    "changed": "changed",
}


NO_WORDS = (
    "That query has no words to search for. AND, OR and NOT join words; very common "
    "words such as “the” count only inside a quoted phrase."
)


def read_query(text: str) -> Node:
    """The tree of a cleaned query; raises QueryError when it is over the cost limits or
    has nothing to search for."""
    query = parse_query(text)
    check_cost(query)
    if not has_words(query):
        raise QueryError(NO_WORDS)
    return query


def search_request(criteria: Criteria, cleaned: CleanQuery) -> SearchRequest:
    """The search criteria ask for, its words parsed once and checked against the limits."""
    if criteria.q.strip() and not cleaned.text:
        raise QueryError("That query has no words to search for. Try plain words.")
    filters: list[Filter | DateFilter] = []
    if criteria.sources:
        filters.append(Filter("source_exact", criteria.sources))
    if criteria.date_from or criteria.date_to:
        start = end = None
        if criteria.date_from:
            start = datetime.combine(criteria.date_from, datetime.min.time())
        if criteria.date_to:
            end = datetime.combine(criteria.date_to + timedelta(days=1), datetime.min.time())
        filters.append(DateFilter("pub_date", start, end))
    for criterion, index_field in EXACT_FILTERS.items():
        if value := getattr(criteria, criterion):
            filters.append(Filter(index_field, (value,)))
    return SearchRequest(
        query=read_query(cleaned.text) if cleaned.text else None,
        filters=tuple(filters),
        sort=SORTS.get(criteria.sort, ()),
    )


# The orders a search may ask for, as index fields ("-": descending).
SORTS = {"newest": ("-sort_newest",), "oldest": ("sort_oldest",)}


class CompiledQuery(BaseInput):
    """A query tree handed to Haystack, compiled by the backend that runs it
    (`compile_query`); a backend without a compiler gets the archive's own syntax."""

    input_type_name = "compiled"
    post_process = False

    def __init__(self, query: Node):
        super().__init__(query.text_form())
        self.query = query

    def prepare(self, query_obj) -> str:
        compile_query = getattr(query_obj.backend, "compile_query", None)
        return f"({compile_query(self.query) if compile_query else self.query_string})"


def queryset_for(request: SearchRequest) -> SearchQuerySet:
    """The SearchQuerySet a search request stands for."""
    sqs = SearchQuerySet()
    if request.query is not None:
        sqs = sqs.filter(content=CompiledQuery(request.query))
    for found in request.filters:
        if isinstance(found, DateFilter):
            if found.start:
                sqs = sqs.filter(**{f"{found.field}__gte": found.start})
            if found.end:
                sqs = sqs.filter(**{f"{found.field}__lt": found.end})
        else:  # each value quoted whole, as one term
            sqs = sqs.filter(**{f"{found.field}__in": list(found.values)})
    if request.sort:
        sqs = sqs.order_by(*request.sort)
    return sqs


def build_queryset(criteria: Criteria, cleaned: CleanQuery) -> tuple[SearchQuerySet, Matcher]:
    """The SearchQuerySet for criteria, and what to highlight in its results."""
    request = search_request(criteria, cleaned)
    return queryset_for(request), matcher_for(request.query)
