"""A search as the archive reads it: the user's words made safe to parse, the criteria the
URL can state, and the SearchQuerySet they stand for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from haystack.inputs import Raw
from haystack.query import SearchQuerySet

from articles.search.highlight import Matcher, matcher_for
from articles.search.limits import MAX_QUERY_LENGTH, QueryError
from articles.search.whoosh.backend import read_query

CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


def build_queryset(criteria: Criteria, cleaned: CleanQuery) -> tuple[SearchQuerySet, Matcher]:
    """The SearchQuerySet for criteria, and what to highlight in its results."""
    sqs = SearchQuerySet()
    matcher = Matcher()
    if criteria.q.strip() and not cleaned.text:
        raise QueryError("That query has no words to search for. Try plain words.")
    if cleaned.text:
        matcher = matcher_for(read_query(cleaned.text))
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
