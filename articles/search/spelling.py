"""Spelling: other spellings searched together, and a close spelling that would find
something when a query finds nothing."""

from __future__ import annotations

import logging

from haystack.query import SearchQuerySet

from articles.search.highlight import WORD_RE
from articles.search.limits import (
    QueryError,
    SearchTimedOut,
)
from articles.search.query import Criteria, build_queryset, clean_query
from articles.vocabulary import spelling_alternatives

logger = logging.getLogger(__name__)


def also_searched(text: str) -> list[str]:
    """Other spellings the index also matched, e.g. "defence" for "defense" (inside a
    quoted phrase too: its words stay exact, but a spelling pair is one word)."""
    found = []
    for word in WORD_RE.findall(text):
        for alternative in spelling_alternatives(word):
            if alternative not in found:
                found.append(alternative)
    return found


def spelling_suggestion(text: str, criteria: Criteria) -> str:
    """A close spelling that would find something, or ""."""
    try:
        suggestion = SearchQuerySet().spelling_suggestion(text)
    except SearchTimedOut:
        return ""
    except Exception:  # a suggestion is a nicety; never fail the page for it
        logger.exception("Spelling suggestion failed for %r", text)
        return ""
    if not suggestion or suggestion.lower() == text.lower():
        return ""
    sqs, _ = build_queryset(Criteria(q=suggestion, sort=criteria.sort), clean_query(suggestion))
    try:
        return suggestion if sqs.count() else ""
    except (QueryError, SearchTimedOut):
        return ""
