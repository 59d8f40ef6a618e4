"""The judged set's measures: what the relevance figures in the benchmark kit mean."""

import pytest

from benchmarks.relevance import CAPTURES, COPIES, EVENTS, PHRASES, QUERIES
from benchmarks.relevance.baselines import Bm25Baseline, TfidfBaseline
from benchmarks.relevance.known_items import reciprocal_rank, title_queries
from benchmarks.relevance.measure import (
    folded_words,
    hits_at,
    holds_phrase,
    judged_name,
    lead_query,
    ndcg_at,
    precision_at,
)
from tests.conftest import SEEDS


def test_ndcg_is_one_for_the_ideal_order_and_less_when_the_best_come_late():
    grades = {"a": 2, "b": 1}
    assert ndcg_at(["a", "b", "x"], grades, 10) == pytest.approx(1.0)
    assert ndcg_at(["x", "b", "a"], grades, 10) < ndcg_at(["a", "x", "b"], grades, 10) < 1
    assert ndcg_at(["x", "y"], grades, 10) == 0.0


def test_precision_and_hits_count_only_the_first_k():
    assert precision_at(["a", "x", "b", "c"], {"a": 1, "b": 2, "c": 1}, 2) == 0.5
    assert hits_at(["x", "a", "y", "b"], {"a", "b"}, 3) == 1


def test_the_phrase_check_folds_case_punctuation_and_abbreviations_only():
    assert folded_words("U.S.-Russia relations, it's") == ["us", "russia", "relations", "it", "s"]
    assert holds_phrase("The shield is\nnot a threat.", "is not a threat")
    assert not holds_phrase("The shield is not a threat.", "it is not a threat")
    assert not holds_phrase("direct threat", "direct threats")


def test_the_baseline_ranks_the_article_sharing_rare_words_first():
    baseline = TfidfBaseline(
        {
            "gabala": "Putin offered the Gabala radar in Azerbaijan",
            "also-gabala": "The Gabala radar offer from Azerbaijan",
            "other": "Putin spoke in Moscow about the talks",
        }
    )
    assert baseline.similar("gabala")[0] == "also-gabala"
    assert set(baseline.search("Gabala radar")) == {"gabala", "also-gabala"}


def test_bm25_ranks_any_word_by_rarity_and_can_require_every_word():
    bm25 = Bm25Baseline(
        {
            "both": "Gabala radar offer",
            "rare": "the Gabala station",
            "common": "radar radar talks",
            "none": "nothing here",
        }
    )
    ranked = bm25.search("Gabala radar")
    assert set(ranked) == {"both", "rare", "common"} and ranked[0] == "both"
    assert bm25.search("Gabala radar", every_word=True) == ["both"]


def test_grouped_bm25_lists_every_word_then_most_then_any_whatever_the_scores():
    texts = {
        "every": "Gabala radar offer talks, in a long report " + "filler " * 40,
        "most": "Gabala Gabala radar radar offer offer",
        "one": "Gabala Gabala Gabala",
    }
    bm25 = Bm25Baseline(texts, stemmed=True)
    assert bm25.search("Gabala radars offered talks")[0] != "every"
    grouped = bm25.search("Gabala radars offered talks", most_of=lambda n: 2)
    assert grouped == ["every", "most", "one"]


def test_known_item_queries_are_title_words_and_rank_zero_when_not_found():
    import random

    gold = {"p1": {"title": "Bohren, bis es heiß wird"}, "p2": {"title": "The talks"}}
    queries = title_queries(gold, 3, random.Random(1), set(TfidfBaseline.STOP))
    assert list(queries) == ["p1"]
    assert all(word in "bohren bis es heiß wird" for word in queries["p1"].split())
    assert reciprocal_rank(["x", "p1"], "p1") == 0.5 and reciprocal_rank(["x"], "p1") == 0


def test_a_lead_query_is_words_of_the_first_full_sentence_under_the_title():
    text = "Talks end\nMoscow. Russian and American ministers failed to agree on the radar."
    assert lead_query(text) == "russian american ministers failed agree"
    assert lead_query("Title only\nToo short.") == ""


def test_long_tail_mixes_open_each_article_once_two_requests_in_three(tmp_path):
    import sqlite3

    from benchmarks.sandbox import connect
    from benchmarks.site import long_tail_mixes

    with sqlite3.connect(tmp_path / "archive.sqlite3") as connection:
        connection.execute("CREATE TABLE articles_article (id INTEGER, slug TEXT)")
        connection.executemany(
            "INSERT INTO articles_article VALUES (?, ?)", [(n, f"a{n}") for n in range(50)]
        )
    pages = [("article", "/articles/3/a3/"), ("search: words", "/search/?q=radar")]
    pages += [("list", "/articles/"), ("sources", "/sources/")]
    mixes = long_tail_mixes(connect(tmp_path), pages, 2, 20)
    opened = [path for mix in mixes for kind, path in mix if kind.startswith("article")]
    assert len(opened) == len(set(opened)) == 40 and "/articles/3/a3/" not in opened
    assert all(len(mix) == 30 for mix in mixes)
    assert {kind for mix in mixes for kind, _ in mix} == {
        "article: first view",
        "search: words",
        "list",
    }


def test_a_benchmark_serves_the_database_and_engine_it_is_given_or_the_embedded_ones(tmp_path):
    from benchmarks.sandbox import archive_env

    database, search = "postgres://u:p@127.0.0.1:5432/big", "solr://127.0.0.1:8990/solr/archive"
    env = archive_env(tmp_path, database_url=database, search_url=search)
    assert (env["DATABASE_URL"], env["SEARCH_URL"]) == (database, search)
    assert {"DATABASE_URL", "SEARCH_URL"}.isdisjoint(archive_env(tmp_path))


def test_every_judged_name_is_a_seed_or_a_capture():
    names = {judged_name(path.name) for path in [*CAPTURES.glob("*.txt"), *SEEDS.glob("*.txt")]}
    judged = {n for event in EVENTS.values() for n in event}
    judged |= {n for grades in QUERIES.values() for n in grades}
    judged |= {n for found in PHRASES.values() for n in found}
    judged |= {n for group in COPIES for n in group}
    assert judged <= names
    assert len({n for event in EVENTS.values() for n in event}) == sum(map(len, EVENTS.values()))


def test_the_hand_written_phrase_judgements_agree_with_the_texts():
    texts = {judged_name(path.name): path.read_text() for path in CAPTURES.glob("*.txt")}
    texts |= {judged_name(path.name): path.read_text() for path in SEEDS.glob("*.txt")}
    for phrase, expected in PHRASES.items():
        holding = {name for name, text in texts.items() if holds_phrase(text, phrase)}
        assert holding == set(expected), phrase
