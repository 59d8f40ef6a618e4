"""Test settings for the second run of the search and browsing tests: searches answered by
Haystack's own Whoosh backend (tests/haystack_search.py) instead of the archive's engine."""

from tests.settings import *  # noqa: F403
from tests.settings import HAYSTACK_CONNECTIONS

HAYSTACK_CONNECTIONS = {
    "default": {
        **HAYSTACK_CONNECTIONS["default"],
        "ENGINE": "tests.haystack_search.HaystackSearchEngine",
        # Haystack's backend suggests spellings only when asked for them on every search.
        "INCLUDE_SPELLING": True,
    }
}
