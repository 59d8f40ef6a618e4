"""Full-text search as a researcher uses it: ranking, syntax, facets, filters, exports."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from articles.search.highlight import highlight, matcher_for
from articles.search.parser import parse_query
from articles.search.query import Criteria, clean_query
from articles.search.service import run_search
from tests.conftest import make_article, make_source
from tests.search_corpus import titles_holding, titles_where

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get("/search/", params)


def result_titles(outcome):
    return [row.article.title for row in outcome.rows]


def test_title_matches_rank_above_a_body_match(corpus):
    outcome = run_search(Criteria(q="radar"))
    titles = result_titles(outcome)
    assert titles[-1] == "Ministers meet in Moscow"  # radar in its body only
    assert all("radar" in title.lower() for title in titles[:-1])
    assert outcome.hits == len(titles_holding("radar"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("radar AND Moscow", {"Ministers meet in Moscow", "Later radar talks"}),
        ("Kosovo OR radar", titles_holding("radar") | {"Kosovo dominates agenda"}),
        ("radar NOT Lavrov", {"Ministers meet in Moscow", "Later radar talks"}),
        ('"missile defence plans"', {"Ministers meet in Moscow"}),
        ("negotiat*", {"Missile defense talks stall"}),
        ("title:moscow", {"Ministers meet in Moscow"}),
        ('source:"Voice of America"', {"Kosovo dominates agenda"}),
        ("stalls", {"Missile defense talks stall"}),
    ],
)
def test_query_syntax_forms_find_the_right_articles(corpus, query, expected):
    assert set(result_titles(run_search(Criteria(q=query)))) == expected


def test_british_and_american_spellings_find_each_other_and_the_page_says_so(corpus, client):
    outcome = run_search(Criteria(q="defence"))
    assert set(result_titles(outcome)) == {
        "Ministers meet in Moscow",
        "Missile defense talks stall",
    }
    page = search(client, q="defense").content.decode()
    assert "Also searched: <q>defence</q>" in page


def test_facet_counts_are_exact_for_multi_word_sources(corpus):
    outcome = run_search(Criteria(q="radar OR Kosovo OR missile"))
    counts = {facet.value: facet.count for facet in outcome.source_facets}
    assert counts == {
        "RIA Novosti": 2,
        "BBC News": 1,
        "Voice of America": 1,
        "Beta Wire": 2,
        "Alpha Wire": 1,
    }


def test_year_and_month_facets_drill_down(corpus):
    outcome = run_search(Criteria(q="radar OR Kosovo OR missile"))
    assert [(f.value, f.count) for f in outcome.year_facets] == [
        ("2008", 5),
        ("2007", 1),
        ("unknown", 1),
    ]
    outcome = run_search(Criteria(q="radar OR Kosovo OR missile", year="2008"))
    assert [(f.label, f.count) for f in outcome.month_facets] == [
        ("March 2008", 4),
        ("April 2008", 1),
    ]
    march = run_search(Criteria(q="radar OR Kosovo OR missile", month="2008-03"))
    assert {row.article.published_date.month for row in march.rows} == {3}
    assert march.hits == 4
    undated = run_search(Criteria(q="radar OR Kosovo OR missile", year="unknown"))
    assert [row.article.title for row in undated.rows] == ["Kosovo dominates agenda"]


def test_source_filter_date_range_and_sort_combine(corpus):
    outcome = run_search(
        Criteria(
            q="missile OR radar",
            sources=("RIA Novosti", "BBC News"),
            date_from=date(2008, 1, 1),
            date_to=date(2008, 12, 31),
            sort="oldest",
        )
    )
    assert result_titles(outcome) == ["Ministers meet in Moscow", "Missile defense talks stall"]
    newest = run_search(Criteria(q="missile OR radar OR Kosovo", sort="newest"))
    assert result_titles(newest)[0] == "Later radar talks"
    assert result_titles(newest)[-1] == "Kosovo dominates agenda"  # undated last


def test_coverage_strip_shows_each_sources_count_and_span(corpus, client):
    page = search(client, q="missile OR radar").content.decode()
    assert "Who reported it" in page
    outcome = run_search(Criteria(q="missile OR radar"))
    ria = next(row for row in outcome.coverage if row.name == "RIA Novosti")
    assert (ria.count, ria.span) == (2, "Oct 2007 – Mar 2008")


def test_did_you_mean_offers_a_spelling_that_finds_something(corpus, client):
    page = search(client, q="Lavrof").content.decode()
    assert "Did you mean" in page
    assert ">lavrov</a>" in page


def test_exports_contain_every_matching_article(corpus, client, on_commit):
    with on_commit():
        for n in range(30):
            make_article(title=f"Radar bulletin {n}", body="radar radar")
    every = 30 + len(titles_holding("radar"))
    response = client.get("/search/export.csv", {"q": "radar"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == every
    data = json.loads(b"".join(client.get("/search/export.json", {"q": "radar"}).streaming_content))
    assert data["count"] == every and len(data["articles"]) == every and not data["at_limit"]
    assert {"title", "source", "published", "url", "sha256"} <= set(data["articles"][0])


def test_exports_stop_at_their_stated_ceiling_and_the_page_says_so(
    corpus, client, on_commit, monkeypatch
):
    from articles import search_views

    with on_commit():
        for n in range(8):
            make_article(title=f"Radar bulletin {n}", body="radar radar")
    monkeypatch.setattr(search_views, "EXPORT_LIMIT", 5)
    page = " ".join(client.get("/search/", {"q": "radar"}).content.decode().split())
    every = 8 + len(titles_holding("radar"))
    assert f"Download the first 5 of {every} results (exports stop at 5 articles" in page
    response = client.get("/search/export.csv", {"q": "radar"})
    assert (
        len(list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))) == 5
    )
    data = json.loads(b"".join(client.get("/search/export.json", {"q": "radar"}).streaming_content))
    assert data["count"] == 5 and data["at_limit"] and len(data["articles"]) == 5


def test_an_export_of_a_query_without_words_is_refused_rather_than_a_broken_download(
    client, seeded
):
    for export in ("/search/export.csv", "/search/export.json"):
        assert client.get(export, {"q": "!!!"}).status_code == 400


def test_csv_export_neutralises_spreadsheet_formulas(client, on_commit):
    with on_commit():
        make_article(title='=HYPERLINK("http://evil")', body="formula test", byline="+cmd")
    response = client.get("/search/export.csv", {"q": "formula"})
    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["title"].startswith("'=") and row["byline"] == "'+cmd"


def test_snippets_escape_hostile_article_text_and_queries(client, on_commit):
    with on_commit():
        make_article(
            title="<script>alert('t')</script> summit",
            body="Before <img src=x onerror=alert(1)> the summit <script>alert(2)</script> ended.",
        )
    page = search(client, q="summit <script>alert(3)</script>").content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    page = search(client, q="summit").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark>summit</mark>" in page
    assert "<script>alert" not in page


def test_highlight_marks_stems_and_prefixes_not_negated_words():
    matcher = matcher_for(parse_query('talk* "missile defense" NOT Kosovo'))
    html = highlight("Talks on missile defence; Kosovo <b>too</b>", matcher)
    assert html == (
        "<mark>Talks</mark> on <mark>missile defence</mark>; Kosovo &lt;b&gt;too&lt;/b&gt;"
    )


def test_a_quoted_phrase_is_marked_as_one_run_and_its_words_alone_are_not():
    matcher = matcher_for(parse_query('"we made a lot of headway" Lavrov'))
    title = "Lavrov: we made a lot of headway, but nothing was made final"
    assert highlight(title, matcher) == (
        "<mark>Lavrov</mark>: <mark>we made a lot of headway</mark>, but nothing was made final"
    )
    # Across a line break and in other case, still one run; a lone word of it is not marked.
    text = "He said We made\na lot of Headway. Made in Moscow."
    assert highlight(text, matcher) == (
        "He said <mark>We made\na lot of Headway</mark>. Made in Moscow."
    )


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND OR NOT",
        "title:",
        "*",
        "((((",
        "x" * 10_000,
        "a\x00b\x07c",
        "))",
        "source:",
        "-",
        "~",
        "the",
        "[to]",
        "{",
        "pub_date:[2008 to",
        "NOT",
    ],
)
def test_malformed_queries_get_a_helpful_page_never_a_500(corpus, client, query):
    response = search(client, q=query)
    assert response.status_code in (200, 400)
    assert b"Search the archive" in response.content


@pytest.mark.parametrize("query", ["AND OR NOT", "((((", "the", ")"])
def test_a_query_with_no_words_explains_itself(corpus, client, query):
    response = search(client, q=query)
    assert response.status_code == 400
    assert "no words to search for" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999"])
def test_bad_page_numbers_are_not_found(corpus, client, page):
    assert search(client, q="radar", page=page).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2008-13-01"},
        {"to": "yesterday"},
        {"source": "Pravda"},
        {"sort": "random"},
        {"month": "2008-3"},
        {"from": "2008-05-01", "to": "2008-01-01"},
    ],
)
def test_bad_filters_get_a_400_with_a_message(corpus, client, params):
    response = search(client, q="radar", **params)
    assert response.status_code == 400
    assert b"could not be run" in response.content


def test_pagination_keeps_the_query_in_the_url(client, on_commit):
    with on_commit():
        for n in range(25):
            make_article(title=f"Bulletin {n}", body="summit bulletin")
    page = search(client, q="bulletin").content.decode()
    assert "Page 1 of 2" in page and "?q=bulletin&amp;page=2" in page
    assert "Page 2 of 2" in search(client, q="bulletin", page="2").content.decode()


def test_a_facet_link_narrows_and_can_be_removed(corpus, client):
    page = search(client, q="radar").content.decode()
    assert "?q=radar&amp;source=RIA+Novosti" in page
    narrowed = search(client, q="radar", source="RIA Novosti").content.decode()
    assert "Source: RIA Novosti" in narrowed and 'href="?q=radar"' in narrowed
    for title in titles_holding("radar") - titles_where(source="RIA Novosti"):
        assert title not in narrowed


def test_an_edit_is_searchable_once_committed_and_a_delete_disappears(corpus, on_commit):
    article = Article.objects.get(title="Kosovo dominates agenda")
    with on_commit():
        article.title = "Pristina dominates agenda"
        article.save()
    assert result_titles(run_search(Criteria(q="Pristina"))) == ["Pristina dominates agenda"]
    with on_commit():
        article.delete()
    assert run_search(Criteria(q="Pristina")).hits == 0


def test_a_rolled_back_edit_never_reaches_the_index(corpus, on_commit):
    article = Article.objects.get(title="Kosovo dominates agenda")
    with on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Belgrade dominates agenda"
        article.save()
        raise RuntimeError("roll back")
    assert run_search(Criteria(q="Belgrade")).hits == 0


def test_a_missing_index_shows_a_friendly_page(client, search_index):
    make_article(title="Not yet indexed")  # no on_commit: never reaches the index
    response = search(client, q="indexed")
    assert response.status_code == 503
    assert b"being built" in response.content


@pytest.mark.needs_engine_feature("time-budget")
def test_a_search_past_its_time_budget_explains_itself_instead_of_failing(corpus, client):
    with override_settings(SEARCH_TIME_BUDGET=0):
        response = search(client, q="radar")
        feed = client.get("/search/feed/", {"q": "radar"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "That search took too long and was stopped" in page
    assert 'value="radar"' in page
    assert feed.status_code == 404
    assert search(client, q="radar").status_code == 200


def test_clean_query_reports_what_it_changed():
    cleaned = clean_query('"missile (defence')
    assert cleaned.text == "missile defence"
    assert len(cleaned.notes) == 2


def test_on_the_seeds_medvedev_finds_two_and_lavrov_all_five(seeded):
    medvedev = run_search(Criteria(q="Medvedev"))
    assert medvedev.hits == 2
    assert {row.article.captures.get().origin for row in medvedev.rows} == {
        "001_cf4a24119513014b.txt",
        "004_6635417ac052c5bc.txt",
    }
    lavrov = run_search(Criteria(q="Lavrov"))
    assert lavrov.hits == 5
    assert all("<mark>Lavrov</mark>" in "".join(row.snippets) for row in lavrov.rows)


def test_more_like_this_lists_other_sources_first(seeded):
    from articles.search.similar import more_like_this

    bbc = Article.objects.get(captures__origin="004_6635417ac052c5bc.txt")
    related = [row.article for row in more_like_this(bbc, limit=4)]
    assert related and bbc not in related
    assert all(article.source_id != bbc.source_id for article in related)


def test_unknown_source_articles_can_be_filtered(corpus, on_commit):
    with on_commit():
        make_article(title="Anonymous radar piece", source=None, body="radar")
    outcome = run_search(Criteria(q="radar", sources=("Unknown source",)))
    assert result_titles(outcome) == ["Anonymous radar piece"]


def test_sources_with_the_same_word_are_counted_apart(on_commit):
    with on_commit():
        make_article(source=make_source("Novosti Daily"), body="summit")
        make_article(source="RIA Novosti", body="summit")
        make_article(source="RIA Novosti", body="summit")
    counts = {f.value: f.count for f in run_search(Criteria(q="summit")).source_facets}
    assert counts == {"RIA Novosti": 2, "Novosti Daily": 1}


@pytest.mark.needs_engine_feature("embedded-caches")
def test_warm_up_fills_the_search_caches_a_workers_first_search_would_fill(seeded):
    from articles.search.warm import warm_up
    from articles.search.whoosh import engine as bulk_search

    bulk_search._segment_cache.clear()
    assert warm_up() > 0
    assert bulk_search._segment_cache, "nothing was loaded ahead of the first search"


def test_warm_up_of_an_archive_without_an_index_passes_quietly(db):
    from articles.search.warm import warm_up

    assert warm_up() >= 0


@pytest.mark.needs_engine_feature("embedded-caches")
def test_each_gunicorn_worker_warms_search_and_pages_before_taking_requests(seeded):
    import runpy
    from pathlib import Path

    from articles.search.whoosh import engine as bulk_search

    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    logged = []

    class Worker:
        class log:
            @staticmethod
            def info(message, *args):
                logged.append(message % args)

    bulk_search._segment_cache.clear()
    config["post_worker_init"](Worker)
    assert bulk_search._segment_cache
    assert logged and logged[0].startswith("Search caches warmed in")


def test_exports_and_the_search_feed_carry_addresses_that_work_away_from_the_site(corpus, client):
    response = client.get("/search/export.csv", {"q": "radar"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert all(row["url"].startswith("http://testserver/articles/") for row in rows)
    data = json.loads(b"".join(client.get("/search/export.json", {"q": "radar"}).streaming_content))
    assert all(a["url"].startswith("http://testserver/articles/") for a in data["articles"])
    feed = client.get("/search/feed/", {"q": "radar", "source": "RIA Novosti"}).content.decode()
    assert (
        '<link href="http://testserver/search/feed/?q=radar&amp;source=RIA+Novosti" rel="self"/>'
        in feed
    )


def test_filter_chips_name_the_person_topic_and_round_rather_than_their_slugs(corpus, client):
    from articles.models import Person, TalksRound, Topic

    Person.objects.update_or_create(
        slug="sergei-lavrov", defaults={"name": "Sergei Lavrov", "surname": "Lavrov"}
    )
    Topic.objects.update_or_create(slug="radar", defaults={"name": "Radar stations"})
    TalksRound.objects.update_or_create(
        slug="moscow-2plus2-2008-03",
        defaults={
            "name": "“Two-plus-two” talks, Moscow, March 2008",
            "start": date(2008, 3, 17),
            "end": date(2008, 3, 18),
            "place": "Moscow",
        },
    )
    params = {"q": "radar", "person": "sergei-lavrov", "topic": "radar"}
    page = " ".join(
        search(client, **params, round="moscow-2plus2-2008-03").content.decode().split()
    )
    assert "Person: Sergei Lavrov" in page
    assert "Topic: Radar stations" in page
    assert "Talks round: “Two-plus-two” talks, Moscow, March 2008" in page
    assert "Person: sergei-lavrov" not in page


def test_the_count_of_matches_is_in_good_english_and_a_quoted_query_is_not_quoted_again(
    corpus, client
):
    page = " ".join(re.sub(r"<[^>]+>", " ", search(client, q="Kosovo").content.decode()).split())
    assert "1 article matches Kosovo" in page
    page = " ".join(re.sub(r"<[^>]+>", " ", search(client, q="radar").content.decode()).split())
    assert f"{len(titles_holding('radar'))} articles match radar" in page
    content = search(client, q='"missile defence"').content.decode()
    assert "<q>&quot;missile defence&quot;</q>" not in content
    assert "&quot;missile defence&quot;" in content


def test_on_a_phone_the_results_come_before_the_facets_and_a_long_coverage_table_is_folded(
    corpus, client, on_commit
):
    with on_commit():
        for n in range(8):
            make_article(title=f"Radar bulletin {n}", body="radar", source=f"Wire {n}")
    content = search(client, q="radar").content.decode()
    assert content.index('class="result-list"') < content.index('class="facets"')
    assert '<details class="coverage">' in content  # twelve sources: folded
    css = (settings.BASE_DIR / "static" / "css" / "search.css").read_text()
    assert "order: -1" not in css  # nothing moves the facets back above the results
    few = search(client, q="Kosovo").content.decode()
    assert '<details class="coverage" open>' in few


@given(
    st.lists(st.sampled_from(["we", "made", "a", "lot", "of", "headway", ",", "\n"]), max_size=25),
    st.lists(st.sampled_from(["we", "made", "a", "lot", "of", "headway"]), min_size=2, max_size=4),
)
def test_a_phrase_is_marked_where_a_quoted_search_finds_it(words, phrase_words):
    from articles.quotation_search import phrase_span
    from articles.vocabulary import phrase_spans

    text, phrase = " ".join(words), " ".join(phrase_words)
    spans = phrase_spans(text, [tuple(phrase_words)])
    first = phrase_span(text, phrase)
    assert (spans[0] if spans else None) == first


RELAXES_WORDS = pytest.mark.needs_engine_feature("most-words")


@pytest.fixture
def partial_matches(on_commit):
    """Three query words: one article holds them all, two hold two, one holds one."""
    with on_commit():
        make_article(title="Ministers meet", body="Lavrov spoke of the radar in Azerbaijan.")
        # A title match would outscore the every-word article without the tiers.
        make_article(title="Lavrov radar Lavrov radar", body="Lavrov and the radar again.")
        make_article(title="Gabala station", body="Azerbaijan offered the radar at Gabala.")
        make_article(title="Weather report", body="Lavrov flew home in the rain.")


def _page_text(client, q: str) -> str:
    return " ".join(search(client, q=q).content.decode().split())


@RELAXES_WORDS
def test_articles_holding_most_then_some_of_the_words_follow_those_holding_every_word(
    partial_matches, client
):
    outcome = run_search(Criteria(q="Lavrov radar Azerbaijan"))
    titles = result_titles(outcome)
    assert titles[0] == "Ministers meet"
    assert set(titles[1:3]) == {"Lavrov radar Lavrov radar", "Gabala station"}
    assert titles[3:] == ["Weather report"]
    assert (outcome.hits, outcome.every_word_hits, outcome.most_words_hits) == (4, 1, 2)
    page = _page_text(client, "Lavrov radar Azerbaijan")
    assert (
        "1 article contains every word; 2 more contain most of them; 1 more contains some of "
        "them, listed after those with every word, in that order."
    ) in page
    assert "cover only the articles with every word" in page


@RELAXES_WORDS
def test_facets_and_exports_count_the_articles_holding_every_word(partial_matches, client):
    outcome = run_search(Criteria(q="Lavrov radar Azerbaijan"))
    assert [(f.value, f.count) for f in outcome.source_facets] == [("Test Wire", 1)]
    response = client.get("/search/export.csv", {"q": "Lavrov radar Azerbaijan"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Ministers meet"]


@RELAXES_WORDS
def test_when_no_article_holds_every_word_the_facets_and_exports_count_all_matches(
    partial_matches, client
):
    """An empty "Narrow by" and an empty download would tell a reader nothing."""
    outcome = run_search(Criteria(q="Azerbaijan zebra giraffe okapi"))
    assert [(f.value, f.count) for f in outcome.source_facets] == [("Test Wire", 2)]
    response = client.get("/search/export.csv", {"q": "Azerbaijan zebra giraffe okapi"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["title"] for row in rows} == {"Gabala station", "Ministers meet"}
    assert "the downloads cover all of them." in _page_text(
        client, "Azerbaijan zebra giraffe okapi"
    )


@RELAXES_WORDS
def test_when_no_article_holds_most_of_the_words_those_holding_any_are_shown(
    partial_matches, client
):
    outcome = run_search(Criteria(q="Azerbaijan zebra giraffe okapi"))
    assert set(result_titles(outcome)) == {"Gabala station", "Ministers meet"}
    assert (outcome.every_word_hits, outcome.most_words_hits, outcome.hits) == (0, 0, 2)
    page = _page_text(client, "Azerbaijan zebra giraffe okapi")
    assert "No article contains every word; 2 contain some of them, listed by how" in page


@RELAXES_WORDS
def test_sorted_by_date_the_articles_holding_every_word_still_come_first(on_commit):
    with on_commit():
        make_article(title="Later", body="Lavrov met Rice.", published_date=date(2008, 3, 1))
        make_article(title="Earlier", body="Lavrov alone.", published_date=date(2007, 3, 1))
    for sort in ("oldest", "newest"):
        outcome = run_search(Criteria(q="Lavrov Rice", sort=sort))
        assert result_titles(outcome) == ["Later", "Earlier"]


def test_a_search_finds_nothing_only_when_no_article_holds_any_word(partial_matches, client):
    assert run_search(Criteria(q="zebra giraffe okapi")).hits == 0
    assert "Did you mean" in _page_text(client, "Lavrof radr")


def test_explicit_and_keeps_every_word(partial_matches):
    outcome = run_search(Criteria(q="Lavrov AND radar AND Azerbaijan"))
    assert result_titles(outcome) == ["Ministers meet"]


@RELAXES_WORDS
def test_articles_with_the_words_near_each_other_rank_above_those_with_them_apart(on_commit):
    with on_commit():  # the same words, as often, in articles as long: only the order differs
        make_article(
            title="Apart", body="Missile talks went nowhere today; Lavrov mentioned shield."
        )
        make_article(
            title="Near", body="Missile shield talks went nowhere today; Lavrov mentioned."
        )
    assert result_titles(run_search(Criteria(q="missile shield"))) == ["Near", "Apart"]


@pytest.mark.django_db
def test_a_search_that_finds_nothing_shows_no_empty_narrow_by_panel(seeded, client):
    nothing = client.get("/search/", {"q": "zebragiraffeokapi"}).content.decode()
    assert "No articles match" in nothing and "Narrow by" not in nothing
    assert "Narrow by" in client.get("/search/", {"q": "radar"}).content.decode()
