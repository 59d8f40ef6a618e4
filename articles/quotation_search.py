"""Quotation search: a quoted phrase that someone was quoted saying, shown as who said it,
which outlet quoted them and when.

The search finds the articles holding the phrase; only their stored quotations are read
(by article, an indexed look-up, for a bounded number of articles), and the phrase is
matched against each quotation's words as the index matches a quoted phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Person, Quotation
from articles.search.limits import SearchTimedOut
from articles.search.nodes import Node, Phrase, SearchRequest, leaves
from articles.search.parser import parse_query
from articles.search.query import Criteria, clean_query, queryset_for, search_request
from articles.vocabulary import exact_phrase_pattern, exact_text, exact_words

# Articles of the search whose quotations are read, in rank order.
ARTICLES_READ = 500
SHOWN = 12
MIN_PHRASE_WORDS = 2  # as the analysis: one quoted word is not a quotation
_WORD = re.compile(r"\w+(?:\.\w+)*")


def quoted_phrases(query: str | Node | None) -> list[str]:
    """The phrases a query (its text, or its parsed tree) puts in double quotes, of two
    words or more."""
    tree = parse_query(query) if isinstance(query, str) else query
    return [
        leaf.text.strip()
        for leaf, _ in (leaves(tree) if tree is not None else ())
        if isinstance(leaf, Phrase) and len(exact_words(leaf.text)) >= MIN_PHRASE_WORDS
    ]


def phrase_span(text: str, phrase: str) -> tuple[int, int] | None:
    """Where the words of `phrase` stand next to each other in `text` (character offsets),
    compared as a quoted search compares them; None if they do not."""
    wanted = exact_words(phrase)
    tokens = [(m.start(), m.end(), exact_words(m.group())) for m in _WORD.finditer(text)]
    words, owners = [], []
    for index, (_, _, folded) in enumerate(tokens):
        words += folded
        owners += [index] * len(folded)
    size = len(wanted)
    for start in range(len(words) - size + 1):
        if words[start : start + size] == wanted:
            return tokens[owners[start]][0], tokens[owners[start + size - 1]][1]
    return None


@dataclass
class QuotedSaying:
    """One outlet quoting one person saying the phrase."""

    person: Person
    article: Article
    quote: SafeString  # escaped, the phrase in <mark>
    sentence: str


@dataclass
class SpeakerSayings:
    person: Person
    sayings: list[QuotedSaying]

    @property
    def outlets(self) -> list[str]:
        return sorted({saying.article.credited_name for saying in self.sayings})


def quotations_saying(
    criteria: Criteria, request: SearchRequest | None = None
) -> list[SpeakerSayings]:
    """For each quoted phrase of the search (`request`, as the results page parsed it),
    the people quoted saying it in the matching articles, earliest report first; most
    quoted speaker first."""
    cleaned = clean_query(criteria.q) if request is None else None
    phrases = quoted_phrases(request.query if request is not None else cleaned.text)
    if not phrases:
        return []
    sqs = queryset_for(request or search_request(criteria, cleaned))
    try:
        pks = [int(pk) for pk in sqs.values_list("pk", flat=True)[:ARTICLES_READ]]
    except SearchTimedOut:  # the results were found in time; this box is a nicety
        return []
    # Every quotation of those articles is tested, earliest report first, as text only:
    # the dozen shown are loaded whole.
    patterns = [exact_phrase_pattern(phrase) for phrase in phrases]
    scanned = (
        Quotation.objects.filter(article_id__in=pks)
        .order_by(F("article__published_date").asc(nulls_last=True), "article_id", "id")
        .values_list("pk", "quote")
    )
    shown = []
    for pk, quote in scanned.iterator(chunk_size=2000):
        folded = exact_text(quote)
        if any(pattern.search(folded) for pattern in patterns):
            shown.append(pk)
            if len(shown) == SHOWN:
                break
    rows = Quotation.objects.select_related("person", "article__source").defer(
        "article__body", "article__body_html"
    )
    loaded = rows.in_bulk(shown)
    by_person: dict[int, SpeakerSayings] = {}
    for row in (loaded[pk] for pk in shown):
        span = next(filter(None, (phrase_span(row.quote, phrase) for phrase in phrases)), None)
        if span is None:
            continue
        start, end = span
        quote = mark_safe(  # noqa: S308 - every piece is escaped
            escape(row.quote[:start])
            + f"<mark>{escape(row.quote[start:end])}</mark>"
            + escape(row.quote[end:])
        )
        speaker = by_person.setdefault(row.person_id, SpeakerSayings(row.person, []))
        speaker.sayings.append(QuotedSaying(row.person, row.article, quote, row.sentence))
    return sorted(by_person.values(), key=lambda s: (-len(s.sayings), s.person.name))
