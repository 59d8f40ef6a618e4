"""The archive's index on a local SolrCloud (`make solr`: two nodes, two shards).

The cluster starts once per session (tests/solr_cluster.py) and each test begins with an
empty collection. Without Java or Maven these tests are skipped; `-m "not solr"` leaves
them out.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from haystack import connections
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.search.solr.configset import CONFIGSET_DIR, word_files
from tests.conftest import make_article
from tests.solr_cluster import use_solr

solr = pytest.mark.solr


@pytest.fixture
def solr_index(solr_url, search_index, db):
    """Haystack's default connection on the archive's Solr engine, the collection emptied."""
    return use_solr(solr_url)


def index_now(*articles) -> None:
    """Send these articles to Solr and commit, as the index queue would."""
    from articles.models import Article

    index = connections["default"].get_unified_index().get_index(Article)
    connections["default"].get_backend().update(index, articles, commit=True)


def found(sqs) -> list[int]:
    return sorted(int(result.pk) for result in sqs)


def test_configset_word_files_are_written_from_the_archive_vocabulary():
    for name, text in word_files().items():
        assert (CONFIGSET_DIR / name).read_text(encoding="utf-8") == text, (
            f"{name} is out of date: run `python -m articles.search.solr.configset`"
        )


@solr
def test_search_finds_articles_on_both_shards(solr_index):
    articles = [
        make_article(title=f"Geneva talks, day {day}", body=f"Negotiators met on day {day}.")
        for day in range(1, 7)
    ]
    other = make_article(title="Harvest report", body="Wheat prices rose in Kansas.")
    index_now(*articles, other)

    assert found(SearchQuerySet().auto_query("negotiators")) == [a.pk for a in articles]
    assert found(SearchQuerySet().auto_query("wheat")) == [other.pk]
    shards = solr_index.conn.search("*:*", rows=0, **{"shards.info": "true"}).raw_response
    counts = [info["numFound"] for info in shards["shards.info"].values()]
    assert len(counts) == 2 and all(counts), counts


@solr
def test_search_stems_words_and_folds_spelling_pairs(solr_index):
    british = make_article(title="Missile defence", body="The defence ministers negotiated.")
    index_now(british)

    assert found(SearchQuerySet().auto_query("defense")) == [british.pk]
    assert found(SearchQuerySet().auto_query("negotiating")) == [british.pk]


@solr
def test_facets_count_sources_and_keep_people_whole(solr_index):
    from articles.models import ArticlePerson, Person

    york = Person.objects.get_or_create(slug="new-york", name="New York", surname="York")[0]
    lavrov = Person.objects.get_or_create(slug="sergei-lavrov", defaults={"surname": "Lavrov"})[0]
    first = make_article(source="BBC News")
    second = make_article(source="BBC News")
    third = make_article(source="RIA Novosti")
    ArticlePerson.objects.create(article=first, person=york)
    ArticlePerson.objects.create(article=second, person=lavrov)
    ArticlePerson.objects.create(article=third, person=lavrov)
    index_now(first, second, third)

    counts = SearchQuerySet().facet("source_exact").facet("people").facet_counts()["fields"]
    assert counts["source_exact"] == [("BBC News", 2), ("RIA Novosti", 1)]
    assert counts["people"] == [("sergei-lavrov", 2), ("new-york", 1)]
    assert found(SearchQuerySet().filter(people=Exact("york"))) == []
    assert found(SearchQuerySet().filter(people=Exact("new-york"))) == [first.pk]


@solr
def test_exact_phrase_keeps_stop_words_and_word_forms(solr_index):
    phrase = make_article(body="Ministers said the talks in Geneva would resume.")
    other_form = make_article(body="Ministers said the talk in Geneva would resume.")
    apart = make_article(body="The talks went well; in Geneva it rained.")
    index_now(phrase, other_form, apart)

    assert found(SearchQuerySet().filter(exact=Exact("the talks in Geneva"))) == [phrase.pk]
    # The stemmed text field finds all three: the exact field is what tells them apart.
    assert found(SearchQuerySet().filter(text="talks geneva")) == sorted(
        [phrase.pk, other_form.pk, apart.pk]
    )
    assert found(SearchQuerySet().filter(exact=Exact("U.S. talks"))) == []


@solr
def test_highlights_spelling_and_related_coverage(solr_index):
    missile = [
        make_article(
            title=f"Missile shield talks {n}",
            body="Missile shield radar in Poland. The missile shield radar talks stalled.",
        )
        for n in range(3)
    ]
    unrelated = make_article(title="Harvest", body="Wheat harvest. Wheat prices.")
    index_now(*missile, unrelated)

    hit = SearchQuerySet().auto_query("radar").highlight()[0]
    assert "<em>radar</em>" in hit.highlighted["text"][0]
    assert SearchQuerySet().spelling_suggestion("raddar") == "radar"
    # Every article here names the same source and place, so the harvest may follow.
    related = [int(result.pk) for result in SearchQuerySet().more_like_this(missile[0])]
    assert sorted(related[:2]) == sorted(a.pk for a in missile[1:])
    assert set(related) <= {a.pk for a in [*missile[1:], unrelated]}


@solr
def test_related_coverage_leaves_out_words_most_articles_hold(solr_index, monkeypatch):
    """A word most articles hold ("said") made more-like-this match, and score, every
    article; a bound on its articles leaves such words out, so it matches those sharing a
    telling word only."""
    from articles.search.solr import backend

    monkeypatch.setattr(backend, "MLT_MAX_DOCUMENT_FREQUENCY", 2)
    shield = [
        make_article(title="Radar talks", body="The minister said the radar talks stalled.")
        for _ in range(2)
    ]
    # Enough that each shard holds more articles with "said" than the bound.
    others = [
        make_article(title="Late harvest", body="The farmer said the wheat harvest was late.")
        for _ in range(20)
    ]
    index_now(*shield, *others)
    assert found(SearchQuerySet().more_like_this(shield[0])) == [shield[1].pk]


@solr
def test_searches_run_the_query_tree_as_the_embedded_engine_does(solr_index, seeded):
    from articles.search.query import Criteria
    from articles.search.service import run_search

    def titles(query: str) -> set[str]:
        return {row.article.title for row in run_search(Criteria(q=query)).rows}

    # A quoted phrase keeps its spelling; unquoted, both spellings find both.
    british, american = titles('"missile defence"'), titles('"missile defense"')
    assert len(british) == 4 and len(american) == 1 and not british & american
    assert titles("missile defense") == british | american
    assert titles("radar NOT Poland") < titles("radar")
    assert titles("Defense*") == british | american


@solr
def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body_alone(solr_index):
    from articles.search.query import Criteria
    from articles.search.service import run_search

    in_body = make_article(title="Talks resume", body="The radar site was discussed.")
    in_title = make_article(title="Radar site", body="The site in Poland was discussed.")
    index_now(in_body, in_title)

    rows = run_search(Criteria(q="radar")).rows
    assert [row.article.pk for row in rows] == [in_title.pk, in_body.pk]


def _alias_target(backend) -> str:
    base, alias = backend._collections_base()
    return backend._collections_api(base, action="LISTALIASES")["aliases"][alias]


@solr
def test_sync_index_checks_drift_and_rebuilds_into_a_new_collection_behind_the_alias(solr_index):
    from django.core.management import CommandError, call_command

    from articles.models import Article

    kept = [make_article(body=f"Radar talks, day {day}.") for day in range(3)]
    gone = make_article(body="Radar talks, the last day.")
    index_now(*kept, gone)
    call_command("sync_index", "--check")  # no drift

    Article.objects.filter(pk=gone.pk).delete()
    unindexed = make_article(body="Radar talks resume.")
    # A version the index has not seen (a minute on: versions are compared to the second).
    Article.objects.filter(pk=kept[0].pk).update(
        updated_at=kept[0].updated_at + timedelta(minutes=1)
    )
    with pytest.raises(CommandError):
        call_command("sync_index", "--check")
    from articles.search.sync import compare_index

    drift = compare_index()
    assert (drift.missing, drift.stale, drift.orphaned) == ({unindexed.pk}, {kept[0].pk}, {gone.pk})

    before = _alias_target(solr_index)
    call_command("sync_index", "--rebuild")
    after = _alias_target(solr_index)
    assert after != before
    base, _ = solr_index._collections_base()
    collections = solr_index._collections_api(base, action="LIST")["collections"]
    assert after in collections and before not in collections
    assert compare_index().clean
    expected = sorted([*(a.pk for a in kept), unindexed.pk])
    assert found(SearchQuerySet().auto_query("radar")) == expected
