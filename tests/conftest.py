"""Shared test helpers: an empty search index per test (a fresh Whoosh folder, or the
session's SolrCloud collection emptied under tests/settings_solr.py) and small article
factories."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
from haystack import connections

from tests.solr_cluster import SOLR_ENGINE, settings_use_solr, solr_url, use_solr  # noqa: F401

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_counter = itertools.count(1)


# Some tests check what only the embedded engine has. Each such feature, with the reason a
# reader of the skip list is given, and the engines the suite runs on that lack it: a test
# marked `@pytest.mark.needs_engine_feature("name")` is skipped there, and only there.
ENGINE_FEATURES = {
    "embedded-caches": (
        "the warm-up loads the embedded engine's index into memory ahead of the first "
        "search; Haystack's own Whoosh search and Solr keep (and warm) caches of their own"
    ),
    "whoosh-index": (
        "compares Whoosh's own matcher with the embedded engine on one Whoosh index; "
        "a Solr collection is not a Whoosh index"
    ),
    "most-words": (
        "words side by side are every word required on this engine: the tiers of every "
        "word, then most, then any (and the nearness boost among them) are the embedded "
        "engine's and Solr's"
    ),
    "time-budget": (
        "Haystack's own Whoosh search runs to the end: only the embedded engine and Solr "
        "(its timeAllowed) stop a search at the time budget"
    ),
    "phrase-spelling-pairs": (
        "a quoted phrase keeps its spelling on this engine: the exact field has no "
        "spelling pairs yet"
    ),
}
ENGINES_LACKING = {
    "tests.haystack_search.HaystackSearchEngine": {"embedded-caches", "most-words", "time-budget"},
    SOLR_ENGINE: {"embedded-caches", "whoosh-index", "phrase-spelling-pairs"},
}


def pytest_runtest_setup(item):
    engine = connections.connections_info["default"]["ENGINE"]
    for mark in item.iter_markers("needs_engine_feature"):
        feature = mark.args[0]
        if feature in ENGINES_LACKING.get(engine, ()):
            pytest.skip(f"{engine.rsplit('.', 1)[-1]}: {ENGINE_FEATURES[feature]}")


@pytest.fixture(autouse=True)
def search_index(request, tmp_path_factory):
    """An empty index for every test: the Whoosh index in a fresh folder, or on Solr the
    session cluster's collection emptied."""
    info = connections.connections_info["default"]
    original = dict(info)
    if settings_use_solr():
        yield use_solr(request.getfixturevalue("solr_url"))
    else:
        info["PATH"] = str(tmp_path_factory.mktemp("whoosh"))
        connections.reload("default")
        yield Path(info["PATH"])
    info.clear()
    info.update(original)
    connections.reload("default")


def make_source(name: str = "Test Wire", **overrides):
    from django.utils.text import slugify

    from articles.models import Source

    values = {"slug": slugify(name), "kind": "agency"} | overrides
    return Source.objects.get_or_create(name=name, defaults=values)[0]


def make_article(**overrides):
    """An article with plausible values; pass `source="Name"` to credit a source by name."""
    from articles.models import Article
    from articles.sanitize import render_blocks

    n = next(_counter)
    source = overrides.pop("source", "Test Wire")
    body = overrides.pop("body", f"Negotiators met again in Geneva for round {n} of the talks.")
    values = {
        "title": f"Talks resume, round {n}",
        "source": make_source(source) if isinstance(source, str) else source,
        "published_date": date(2008, 3, 18),
        "byline": "",
        "dateline": "Geneva",
        "body": body,
        "body_html": render_blocks(("p", para) for para in body.split("\n\n")),
    } | overrides
    capture = {
        "raw": values.pop("raw", body),
        "origin": values.pop("origin", f"test-{n}.txt"),
        "sha256": values.pop("sha256", f"{n:064x}"),
    }
    article = Article.objects.create(**values)
    article.captures.create(**capture, title=article.title, body=article.body)
    return article


@pytest.fixture
def corpus(db, on_commit):
    """The search tests' shared articles (tests/search_corpus.py), indexed."""
    from tests.search_corpus import ARTICLES

    with on_commit():
        return [make_article(**values) for values in ARTICLES]


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    """The five seed captures ingested and indexed, as `make run` does."""
    from articles.ingest.pipeline import ingest_paths

    with django_capture_on_commit_callbacks(execute=True):
        report = ingest_paths([SEEDS])
    assert report.failed == 0, report.outcomes
    return report


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (index updates) as the wrapped block's transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
