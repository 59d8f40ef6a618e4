"""Warming a server worker's search caches before its first reader arrives."""

from __future__ import annotations

import logging
import time
from datetime import date

from articles.models import Person, TalksRound
from articles.search.limits import QueryError, SearchTimedOut
from articles.search.query import Criteria
from articles.search.service import IndexUnavailable, run_search

logger = logging.getLogger(__name__)

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
        except (IndexUnavailable, QueryError, SearchTimedOut):
            logger.info("No search warm-up: the index is not ready")
            break
    return time.perf_counter() - started
