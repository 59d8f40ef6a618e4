"""What one search may cost, so that no single request can occupy a server.

Fuzzy, wildcard, prefix and range words each stand for many index words; a query may hold
only a few of them, each may stand for only so many, and a search that still runs too long
is stopped. The limits are stated to users on the search page's help.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from articles.search.nodes import EXPANDING, Fuzzy, Node, Prefix, Range, Wildcard, leaves
from articles.search.parser import looked_up

# Characters of a query read; the rest is cut, with a note.
MAX_QUERY_LENGTH = 500
# Edits a fuzzy word (`radr~2`) may allow: each more edit multiplies the work.
MAX_EDIT_DISTANCE = 2
# Letters a fuzzy word must share with what it finds: misspellings rarely start wrong, and
# a fixed beginning keeps the search to a small part of the index's words (at 10,000
# articles four fuzzy words took 1.0 s with one fixed letter, 0.6 s with two).
MIN_FUZZY_PREFIX = 2
# Words with *, ? or ~ (or ranges) in one query.
MAX_EXPANDING_TERMS = 4
# Wildcard characters in one word.
MAX_WILDCARDS_PER_WORD = 4
# Seconds a spelling suggestion may take (within the search's own budget).
SPELLING_SECONDS = 0.3
# Index words one such word may stand for, and all of a query's together (a word searched
# in the body and the title counts in each). At 100,000 articles (a dozen index segments)
# each index word costs about 1.5 ms of reading before it is cached: a query at these
# limits takes 1-1.5 s on its first run.
MAX_EXPANSION = 500
MAX_QUERY_EXPANSION = 1000


def search_limits() -> dict[str, float]:
    """The limits, by name, for the search page's help."""
    return {
        "edit_distance": MAX_EDIT_DISTANCE,
        "fuzzy_prefix": MIN_FUZZY_PREFIX,
        "expanding_terms": MAX_EXPANDING_TERMS,
        "wildcards_per_word": MAX_WILDCARDS_PER_WORD,
        "expansion": MAX_EXPANSION,
        "query_expansion": MAX_QUERY_EXPANSION,
        "seconds": time_budget(),
    }


class QueryError(ValueError):
    """A query the index cannot run; the message tells the user how to fix it."""


class QueryTooCostly(QueryError):
    """A query over the limits above; the message names the limit and the word."""


class SearchTimedOut(RuntimeError):
    """A search stopped after running past its time budget."""

    def __init__(self, seconds: float):
        super().__init__(f"The search ran for more than {seconds:g} seconds and was stopped.")
        self.seconds = seconds


def time_budget() -> float:
    """Seconds one search may run (settings.SEARCH_TIME_BUDGET, ARCHIVE_SEARCH_SECONDS)."""
    return float(settings.SEARCH_TIME_BUDGET)


_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()
_holding = threading.local()


@contextmanager
def search_slot() -> Iterator[None]:
    """Hold one of the process's few search slots (settings.SEARCH_CONCURRENCY) while a
    search runs. Searches are CPU work under one interpreter lock: a server thread's search
    that waits its turn then runs at full speed, where all of a worker's threads searching
    at once ran each several times slower, and under load past their time budget. A
    search still waiting when the budget has gone by is stopped as if it had run."""
    global _slots
    if getattr(_holding, "slot", False):  # a search within a search (a respelling's)
        yield
        return
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(settings.SEARCH_CONCURRENCY)
        slots = _slots
    if not slots.acquire(timeout=time_budget()):
        raise SearchTimedOut(time_budget())
    _holding.slot = True
    try:
        yield
    finally:
        _holding.slot = False
        slots.release()


class Deadline:
    """The moment a search must stop by; `check()` raises SearchTimedOut after it."""

    def __init__(self, seconds: float | None = None):
        self.seconds = time_budget() if seconds is None else seconds
        self.at = time.monotonic() + self.seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def check(self) -> None:
        if self.passed():
            raise SearchTimedOut(self.seconds)


def check_cost(query: Node | None) -> None:
    """Raise QueryTooCostly when a query holds more expanding words (prefixes, wildcards,
    fuzzy words, ranges) than a search may afford, or one that asks too much by itself.
    Checked on the parsed tree, before any engine runs; a word written twice counts once."""
    expanding: set[str] = set()
    for leaf, _ in leaves(query) if query is not None else ():
        if not isinstance(leaf, EXPANDING):
            continue
        word = written(leaf)
        if isinstance(leaf, Fuzzy) and leaf.distance > MAX_EDIT_DISTANCE:
            text = looked_up(leaf)
            raise QueryTooCostly(
                f"“{word}” asks for words up to {leaf.distance:g} letters different; at most "
                f"{MAX_EDIT_DISTANCE} are allowed (write {text}~{MAX_EDIT_DISTANCE})."
            )
        if isinstance(leaf, Wildcard):
            if sum(leaf.text.count(char) for char in "*?") > MAX_WILDCARDS_PER_WORD:
                raise QueryTooCostly(
                    f"“{word}” has more than {MAX_WILDCARDS_PER_WORD} wildcards (* or ?); "
                    "use fewer."
                )
            if leaf.text[:1] in ("*", "?"):
                raise QueryTooCostly(
                    f"“{word}” starts with a wildcard; begin it with at least one letter."
                )
        expanding.add(word)
    if len(expanding) > MAX_EXPANDING_TERMS:
        raise QueryTooCostly(
            f"This query has {len(expanding)} words with *, ? or ~; at most "
            f"{MAX_EXPANDING_TERMS} are allowed in one search."
        )


def written(leaf: Prefix | Wildcard | Fuzzy | Range) -> str:
    """An expanding word as the index looks it up (near enough to what the user wrote)."""
    if isinstance(leaf, Fuzzy):
        return f"{looked_up(leaf)}~{leaf.distance:g}"
    if isinstance(leaf, Prefix):
        return f"{looked_up(leaf)}*"
    if isinstance(leaf, Range):
        return f"[{leaf.start} TO {leaf.end}]"
    return looked_up(leaf)
