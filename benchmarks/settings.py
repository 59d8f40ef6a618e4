"""Benchmark settings: the archive's own, plus a stock Haystack Whoosh connection ("stock")
and a stock search page at /stock-search/ to compare against. Used by benchmarks/ only."""

from archive.settings import *  # noqa: F403
from archive.settings import ALLOWED_HOSTS, BASE_DIR, DATA_DIR, HAYSTACK_CONNECTIONS, TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

# Stock Haystack Whoosh (stock_backend.py says what its one change is). The default router
# sends every query to "default"; the stock page and `rebuild_index --using stock` name
# this connection explicitly.
HAYSTACK_CONNECTIONS = {
    **HAYSTACK_CONNECTIONS,
    "stock": {
        "ENGINE": "benchmarks.stock_backend.StockWhooshEngine",
        "PATH": str(DATA_DIR / "stock_whoosh_index"),
    },
}

TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "templates"]}
]
