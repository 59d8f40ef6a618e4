"""Warming a server worker's search caches before its first reader arrives."""

from __future__ import annotations

import logging
import time
from datetime import date

from haystack import connections

from articles.models import Person, TalksRound
from articles.search.limits import QueryError, SearchTimedOut
from articles.search.query import Criteria
from articles.search.service import IndexUnavailable, run_search

logger = logging.getLogger(__name__)

# At most this long spent reading the commonest words' postings (an engine that keeps its
# own caches has no such step): gunicorn stops a worker silent for 30 s.
COMMONEST_WORDS_SECONDS = 10.0


def warm_up() -> float:
    """Run a few searches so a server worker's first reader does not pay for cold caches
    (field lengths, the date, facet and sort columns, the exact words' positions), read
    the commonest words' postings, then search the curated people's surnames and the
    rounds' places; returns the seconds it took. Called as each worker starts
    (gunicorn.conf.py)."""
    started = time.perf_counter()
    names = [*Person.objects.values_list("surname", flat=True)]
    names += TalksRound.objects.values_list("place", flat=True)
    searches = (
        Criteria(q='"missile defence"', sort="newest"),
        Criteria(q="Russia", date_from=date(2007, 1, 1), date_to=date(2008, 12, 31)),
    )
    for criteria in searches:
        try:
            run_search(criteria)
        except (IndexUnavailable, QueryError):
            logger.info("No search warm-up: the index is not ready")
            return time.perf_counter() - started
        except SearchTimedOut:  # a huge archive on a slow disk: the next step may still do
            logger.info("A warm-up search ran out of time: %s", criteria.q)
    backend = connections["default"].get_backend()
    if warm_commonest_words := getattr(backend, "warm_commonest_words", None):
        words = warm_commonest_words(seconds=COMMONEST_WORDS_SECONDS)
        logger.info("Postings of the %d commonest words read ahead", words)
    if names := [name for name in names if name.isalpha()]:
        try:
            run_search(Criteria(q=" OR ".join(names)))
        except (QueryError, SearchTimedOut):
            logger.info("The warm-up search of people and places ran out of time")
    return time.perf_counter() - started
