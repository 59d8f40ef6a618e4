"""The archive's backend keeps Haystack's contract: what a SearchQuerySet asks for (sorting by
several keys, spelling suggestions, more like this) is answered, and what it cannot do is
refused or warned about, never silently ignored."""

from datetime import date, datetime

import pytest
from haystack.exceptions import SearchBackendError
from haystack.inputs import Raw
from haystack.query import SearchQuerySet

from articles.search.whoosh.analysis import without_enclosing_brackets

pytestmark = pytest.mark.django_db


def titles(sqs) -> list[str]:
    return [result.title for result in sqs]


def test_results_sort_by_every_key_asked_for(corpus):
    radar = SearchQuerySet().filter(content=Raw("radar"))
    by_date_then_source = radar.order_by("-sort_newest", "source_exact")
    # Three of 18 March 2008, from Alpha Wire, BBC News and Beta Wire.
    assert titles(by_date_then_source) == [
        "Later radar talks",
        "Alpha on the radar talks",
        "Ministers meet in Moscow",
        "Beta on the radar talks",
        "Radar offer discussed",
    ]
    by_date_then_source_descending = radar.order_by("-sort_newest", "-source_exact")
    assert titles(by_date_then_source_descending)[1:4] == [
        "Beta on the radar talks",
        "Ministers meet in Moscow",
        "Alpha on the radar talks",
    ]


def test_sorting_by_a_field_without_a_sort_column_is_refused(corpus):
    with pytest.raises(SearchBackendError, match="not a sortable field"):
        list(SearchQuerySet().filter(content=Raw("radar")).order_by("title"))


def test_date_facets_count_the_matches_of_each_period(corpus):
    by_month = (
        SearchQuerySet()
        .filter(content=Raw("radar"))
        .date_facet(
            "pub_date", start_date=date(2008, 1, 1), end_date=date(2009, 1, 1), gap_by="month"
        )
        .facet_counts()
    )
    assert by_month["dates"]["pub_date"] == [
        ((datetime(2008, 3, 1), datetime(2008, 4, 1)), 3),
        ((datetime(2008, 4, 1), datetime(2008, 5, 1)), 1),
        (None, 1),  # the match of October 2007, in none of the ranges
    ]


def test_unsupported_requests_warn_instead_of_being_ignored(corpus):
    sqs = SearchQuerySet().filter(content=Raw("radar"))
    with pytest.warns(UserWarning, match="query_facets"):
        sqs.query_facet("pub_date", "[2008-01-01 TO 2008-12-31]").facet_counts()


def test_spelling_suggestions_come_through_the_search_query_set(corpus):
    assert SearchQuerySet().spelling_suggestion("Lavorv radar").lower() == "lavrov radar"
    assert SearchQuerySet().spelling_suggestion("Lavrov radar") is None


def test_more_like_this_comes_through_the_search_query_set(corpus):
    from articles.models import Article

    beta = Article.objects.get(title="Beta on the radar talks")
    similar = titles(SearchQuerySet().more_like_this(beta)[:3])
    assert similar[0] == "Alpha on the radar talks"
    assert "Beta on the radar talks" not in similar


def test_similar_to_terms_ranks_by_the_weighted_stems_and_leaves_the_article_out(corpus):
    from haystack import connections

    from articles.models import Article

    beta = Article.objects.get(title="Beta on the radar talks")
    backend = connections["default"].get_backend()
    found = backend.similar_to_terms(beta, {"gabala": 2.0, "interceptor": 1.0, "radar": 0.1}, 3)
    named = Article.objects.in_bulk(found)
    assert [named[pk].title for pk in found][:1] == ["Alpha on the radar talks"]
    assert beta.pk not in found
    assert "Kosovo dominates agenda" not in [named[pk].title for pk in found]


def test_similar_to_terms_skips_a_common_stem_past_its_budget_and_still_finds_rare_words(
    corpus, monkeypatch
):
    """However large the archive, an article's similar articles cost the postings of a
    bounded number of documents: a stem in too many is not read, even asked first and
    heaviest, and the report sharing the article's rare word is still found."""
    from haystack import connections

    from articles.models import Article
    from articles.search.whoosh import backend as whoosh_backend

    # Room for the two articles naming Gabala, not for the five naming the radar.
    monkeypatch.setattr(whoosh_backend, "SIMILAR_POSTINGS", 2)
    beta = Article.objects.get(title="Beta on the radar talks")
    backend = connections["default"].get_backend()
    found = backend.similar_to_terms(beta, {"radar": 5.0, "gabala": 1.0}, 5)
    assert [Article.objects.get(pk=pk).title for pk in found] == ["Alpha on the radar talks"]

    monkeypatch.setattr(whoosh_backend, "SIMILAR_POSTINGS", 1000)
    found = backend.similar_to_terms(beta, {"radar": 5.0, "gabala": 1.0}, 5)
    assert "Later radar talks" in [Article.objects.get(pk=pk).title for pk in found]


def test_similar_to_terms_asks_only_stems_another_article_holds(corpus):
    """A real article's heaviest words are often its own alone (names, numbers, rare
    spellings): asked, they would take the places of the words it shares with others."""
    from haystack import connections

    from articles.models import Article

    beta = Article.objects.get(title="Beta on the radar talks")
    backend = connections["default"].get_backend()
    # "Poland" is in Beta alone; Alpha shares "Gabala".
    found = backend.similar_to_terms(beta, {"poland": 5.0, "gabala": 1.0}, 5, most=1)
    assert [Article.objects.get(pk=pk).title for pk in found] == ["Alpha on the radar talks"]


@pytest.mark.parametrize("kept", [100_000, 1])
def test_word_rarities_follow_the_articles_ingested_since_they_were_first_read(
    corpus, on_commit, monkeypatch, kept
):
    """Related coverage weighs each stem by how rare it is: once articles naming a word
    arrive, the word weighs less, as the index counts it, though its counts were read and
    kept before (and whether a segment's counts were kept whole or looked up one by one)."""
    import math

    from haystack import connections

    from articles.search.whoosh import engine
    from tests.conftest import make_article

    monkeypatch.setattr(engine, "SEGMENT_FREQUENCIES_KEPT", kept)
    backend = connections["default"].get_backend()
    stems = ["gabala", "radar", "interceptor", "kosovo"]
    before = {stem: backend.inverse_document_frequency()(stem) for stem in stems}
    with on_commit():
        make_article(title="Gabala radar again", body="The Gabala radar was offered again.")
        make_article(title="Gabala visit", body="Experts visited the Gabala station.")

    idf = backend.inverse_document_frequency()
    searcher = backend.searcher()
    total = searcher.doc_count()
    for stem in stems:
        counted = searcher.doc_frequency(backend.content_field_name, stem)
        assert idf(stem) == pytest.approx(math.log((1 + total) / (1 + counted)) + 1)
    assert idf("gabala") < before["gabala"]
    assert idf("kosovo") > before["kosovo"]  # in no new article: rarer among more


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("(Indexe)", "Indexe"),  # as Haystack asks a filter's value
        (" (missle OR (radar AND Gabala)) ", "missle OR (radar AND Gabala)"),
        ("(missle) OR (radar)", "(missle) OR (radar)"),  # two groups: kept
        ('"missle defence"', '"missle defence"'),
        ("title:(radar)", "title:(radar)"),
    ],
)
def test_a_suggestion_leaves_out_only_brackets_around_the_whole_query(query, expected):
    assert without_enclosing_brackets(query) == expected


def test_a_suggestion_for_a_filter_shows_the_words_and_keeps_a_phrase_quoted(corpus):
    assert SearchQuerySet().spelling_suggestion("(Lavorv radar)").lower() == "lavrov radar"
    suggested = SearchQuerySet().spelling_suggestion('"Lavorv" radar')
    assert suggested.lower() == '"lavrov" radar'
