"""No parameter of any public URL gives a server error: each URL is fetched with generated
path parts and query strings (any Unicode, NULs, extreme and malformed numbers and dates,
repeated keys, boolean-only and hostile queries) and must answer below 500, streamed
exports included to their last byte."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

EXTREME_NUMBERS = [
    "0", "-1", "1", "2", "00", "+1", "1.5", "1e9", "9" * 30, "-" + "9" * 30, "0x10", " 1",
    "²", "١٢", "٢٠٠٨", "Ⅻ", "NaN", "inf", "", "1\x00", "9999", "0000", "2147483648",
]  # fmt: skip
EXTREME_DATES = [
    "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "2008-02-30", "2008-13-01",
    "2008-1-1", "2008-01", "0000-01", "9999-12", "2008-00", "unknown", "٢٠٠٨-٠١-٠١",
    "-2008-01-01", "2008-01-01T00:00", "2008/01/01", "1970-01-01", "1900-02-29",
]  # fmt: skip
HOSTILE_QUERIES = [
    "AND", "OR", "NOT", "AND OR NOT", "NOT NOT", "(", ")", "((((", '"', '""', "*", "?",
    "~", "~5", "a~9", "*:*", "title:", ":", "-", "+", "\\", "[a TO b]", "{", "a^9999",
    "title:(", "source:*", "«»", "\x00", "\u202e", "a" * 600, "word " * 200,
]  # fmt: skip

anything = st.one_of(
    st.text(max_size=40),
    st.sampled_from(EXTREME_NUMBERS + EXTREME_DATES + HOSTILE_QUERIES),
)
numbers = st.one_of(
    st.sampled_from(EXTREME_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
days = st.one_of(
    st.sampled_from(EXTREME_DATES),
    st.dates().map(date.isoformat),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}(-[0-9]{2})?\Z"),
)
words = st.sampled_from(["talks", "missile", "Geneva", "Putin", "radar", "the", "NOT", "OR"])
queries = st.one_of(
    st.sampled_from(HOSTILE_QUERIES),
    st.lists(st.one_of(words, st.sampled_from(HOSTILE_QUERIES)), max_size=8).map(" ".join),
)
# Each key's own kind of value, and at times anything at all.
VALUES = {
    "page": numbers,
    "p": numbers,
    "year": st.one_of(numbers, days),
    "month": st.one_of(days, numbers),
    "from": days,
    "to": days,
    "q": queries,
    "sort": st.sampled_from(["relevance", "newest", "oldest", "best"]),
    "source": st.sampled_from(["RIA Novosti", "BBC News", "Unknown source", "ria-novosti"]),
    "download": st.sampled_from(["1", "0", ""]),
}


def pairs(key: str) -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(st.just(key), st.one_of(VALUES.get(key, anything), anything))


def query_strings(keys: list[str]) -> st.SearchStrategy[str]:
    """A query string over the URL's own keys and a stray one, keys repeated at times."""
    pair = st.sampled_from([*keys, "page", "x"]).flatmap(pairs)
    return st.lists(pair, max_size=6).map(urlencode)


slugs = st.one_of(
    st.sampled_from(["ria-novosti", "bbc-news", "nobody", "a", "-", "_"]),
    st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z"),
)
ids = st.one_of(
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=10**30),
).map(str)
years = st.integers(min_value=0, max_value=9999).map(lambda y: f"{y:04d}")
months = st.integers(min_value=1, max_value=12).map(lambda m: f"{m:02d}")


@dataclass(frozen=True)
class Route:
    """A public URL: its path (from generated parts) and the query keys it reads."""

    path: st.SearchStrategy[str]
    keys: tuple[str, ...] = ()
    examples: int = 15


def fixed(path: str, *keys: str, examples: int = 15) -> Route:
    return Route(st.just(path), keys, examples)


LIST_KEYS = ("source", "year", "month", "page")
SEARCH_KEYS = (
    "q", "source", "from", "to", "year", "month", "person", "topic", "round", "changed", "sort",
    "page",
)  # fmt: skip
article = st.tuples(ids, slugs)

ROUTES = {
    "home": fixed("/"),
    "list": fixed("/articles/", *LIST_KEYS),
    "undated": fixed("/articles/undated/", *LIST_KEYS),
    "year": Route(years.map("/articles/{}/".format), ("page",)),
    "month": Route(st.tuples(years, months).map("/articles/{0[0]}/{0[1]}/".format), ("page",)),
    "detail-short": Route(ids.map("/a/{}/".format)),
    "detail": Route(article.map("/articles/{0[0]}/{0[1]}/".format)),
    "original": Route(
        article.map("/articles/{0[0]}/{0[1]}/original/".format), ("download", "capture")
    ),
    "changes": Route(article.map("/articles/{0[0]}/{0[1]}/changes/".format), ("from", "to")),
    "cite-bib": Route(ids.map("/articles/{}/cite.bib".format)),
    "cite-ris": Route(ids.map("/articles/{}/cite.ris".format)),
    "sources": fixed("/sources/"),
    "source": Route(slugs.map("/sources/{}/".format), ("page",)),
    "feed-latest": fixed("/feeds/latest/"),
    "feed-source": Route(slugs.map("/feeds/sources/{}/".format)),
    "sitemap": fixed("/sitemap.xml", "p"),
    "sitemap-section": Route(
        st.one_of(st.sampled_from(["pages", "articles", "sources"]), slugs).map(
            lambda section: f"/sitemap-{quote(section)}.xml"
        ),
        ("p",),
    ),
    "robots": fixed("/robots.txt"),
    "opensearch": fixed("/opensearch.xml"),
    "rounds": fixed("/rounds/"),
    "round": Route(slugs.map("/rounds/{}/".format)),
    "people": fixed("/people/"),
    "person": Route(slugs.map("/people/{}/".format)),
    "topics": fixed("/topics/"),
    "topic": Route(slugs.map("/topics/{}/".format)),
    "timeline": fixed("/timeline/"),
    "search": fixed("/search/", *SEARCH_KEYS, examples=25),
    "search-csv": fixed("/search/export.csv", *SEARCH_KEYS, examples=25),
    "search-json": fixed("/search/export.json", *SEARCH_KEYS, examples=25),
    "search-feed": fixed("/search/feed/", *SEARCH_KEYS, examples=25),
}


def public_url_names() -> set[str]:
    def names(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from names(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "articles":
                yield pattern.name

    return set(names(get_resolver().url_patterns))


def test_every_public_url_is_fuzzed():
    assert public_url_names() == set(ROUTES)


@pytest.fixture
def archive(db, django_capture_on_commit_callbacks):
    """The seeds, indexed, with their curated people, topics and rounds."""
    from articles.enrich import load_catalogue
    from articles.ingest.pipeline import ingest_paths

    load_catalogue()
    with django_capture_on_commit_callbacks(execute=True):
        ingest_paths([SEEDS])


def fetch(client, path: str, query: str) -> int:
    """The status of a GET, reading a streamed body to its end (a break fails the test)."""
    response = client.get(f"{path}?{query}" if query else path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_parameter_gives_a_server_error(name, client, archive):
    route = ROUTES[name]

    @settings(
        max_examples=route.examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(path=route.path, query=query_strings(list(route.keys)))
    def check(path: str, query: str) -> None:
        assert fetch(client, path, query) < 500, (path, query)

    check()


@pytest.mark.parametrize(
    "path, query, status, says",
    [
        ("/search/", "q=talks&page=%C2%B2", 404, "Page not found"),
        ("/search/", "q=talks&from=0001-01-01", 400, "Dates run from 1000-01-01 to 9998-12-31"),
        ("/search/", "q=talks&to=9999-12-31", 400, "Dates run from 1000-01-01 to 9998-12-31"),
        ("/search/export.csv", "q=NOT", 400, "no words to search for"),
        ("/search/export.json", "q=AND", 400, "no words to search for"),
        ("/search/export.csv", "from=0001-01-01", 400, "Dates run from"),
        ("/articles/0001/01/", "", 404, ""),
        ("/articles/9999/", "", 404, ""),
    ],
)
def test_requests_that_once_failed_get_a_page_saying_why(
    client, archive, path, query, status, says
):
    response = client.get(f"{path}?{query}")
    assert response.status_code == status
    assert says in response.content.decode()


def test_a_streamed_export_is_complete_or_never_starts(client, archive):
    """The search runs before the first byte: a good export streams every row, a bad one
    is refused with a page instead of a CSV that breaks off."""
    good = client.get("/search/export.csv?q=missile")
    lines = b"".join(good.streaming_content).decode().splitlines()
    assert good.status_code == 200 and lines[0].startswith("id,") and len(lines) > 1
    bad = client.get("/search/export.csv?q=NOT+AND")
    assert not bad.streaming and bad.status_code == 400
    assert bad["Content-Type"].startswith("text/html")
