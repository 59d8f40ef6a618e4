"""Spelling: other spellings searched together, and a close spelling that would find
something when a query finds nothing."""

from __future__ import annotations

import logging
import re

from haystack import connections
from haystack.query import SearchQuerySet

from articles.search.highlight import WORD_RE
from articles.search.limits import (
    MAX_EDIT_DISTANCE,
    MIN_FUZZY_PREFIX,
    Deadline,
    QueryError,
    SearchTimedOut,
)
from articles.search.query import Criteria, build_queryset, clean_query
from articles.search.whoosh.analysis import analyse
from articles.search.whoosh.backend import ArchiveWhooshBackend
from articles.vocabulary import spelling_alternatives

logger = logging.getLogger(__name__)


QUOTED_RE = re.compile(r'"[^"]*"')


def also_searched(text: str) -> list[str]:
    """Other spellings the index also matched, e.g. "defence" for "defense" (not inside a
    quoted phrase, which matches its words exactly as written)."""
    found = []
    for word in WORD_RE.findall(QUOTED_RE.sub(" ", text)):
        for alternative in spelling_alternatives(word):
            if alternative not in found:
                found.append(alternative)
    return found


def spelling_suggestion(text: str, criteria: Criteria) -> str:
    """A close spelling that would find something, or ""."""
    try:
        suggestion = _respell(text)
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


OPERATORS = {"AND", "OR", "NOT", "TO"}


# Unknown words respelled in one query: each costs a walk of the index's word list.
MAX_RESPELLED = 5


def _respell(text: str) -> str:
    """Replace each word the index does not know by its closest known word."""
    backend = connections["default"].get_backend()
    if not isinstance(backend, ArchiveWhooshBackend):
        return SearchQuerySet().spelling_suggestion(text) or ""
    reader = backend.searcher().reader()
    corrector = reader.corrector("text")
    changed, tried = [], []
    deadline = Deadline()

    def respell(match: re.Match) -> str:
        word = match.group()
        if word in OPERATORS or not word.isalpha() or len(word) < 3:
            return word
        if (stem := analyse(word)) is None or reader.doc_frequency("text", stem):
            return word
        if len(tried) == MAX_RESPELLED:
            return word
        tried.append(word)
        deadline.check()
        candidates = corrector.suggest(
            word.lower(), limit=8, maxdist=MAX_EDIT_DISTANCE, prefix=MIN_FUZZY_PREFIX
        )
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
