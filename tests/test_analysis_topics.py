"""Tagging articles with catalogue topics: strong patterns once, weak ones twice."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.analysis.catalogue import TOPICS, TopicSpec
from articles.analysis.topics import find_topics, leading_words
from articles.ingest import parse_capture

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@cache
def seed_text(number: int) -> str:
    path = next(SEEDS.glob(f"{number:03d}_*.txt"))
    return "\n\n".join(block.text for block in parse_capture(path.read_bytes(), path.name).blocks)


def test_each_seed_is_tagged_with_what_it_discusses():
    assert find_topics(seed_text(0)) == ("missile-defence-europe", "strategic-framework")
    assert find_topics(seed_text(1)) == ("missile-defence-europe", "kosovo", "iran")
    assert find_topics(seed_text(2)) == ("missile-defence-europe", "cfe-treaty", "start-treaty")
    assert find_topics(seed_text(3)) == (
        "missile-defence-europe",
        "cfe-treaty",
        "kosovo",
        "afghanistan-transit",
        "gabala-radar",
    )
    assert find_topics(seed_text(4)) == ("missile-defence-europe",)


def test_topics_come_in_catalogue_order():
    text = "Kosovo came up, then the CFE treaty, then the radars in the Czech Republic."
    assert find_topics(text) == ("missile-defence-europe", "cfe-treaty", "kosovo")


def test_a_single_weak_mention_is_not_enough_but_two_are():
    assert find_topics("The shield is meant to counter Iran.") == ()
    assert find_topics("Iran was discussed. Tehran was discussed too.") == ("iran",)


def test_a_strong_pattern_is_enough_once():
    assert find_topics("They discussed Iran's nuclear programme.") == ("iran",)


def test_patterns_are_case_insensitive_except_where_marked():
    assert find_topics("the conventional forces in europe treaty") == ("cfe-treaty",)
    assert find_topics("Talks will start soon.") == ()
    assert find_topics("Russia proposed extending START-1.") == ("start-treaty",)


def test_patterns_only_match_whole_words():
    assert find_topics("Kosovar refugees") == ()
    assert find_topics("The Gabalan hills") == ()


def test_a_pattern_may_span_part_of_a_sentence():
    text = "Russia offered logistical support for the U.S.-led operation in Afghanistan."
    assert find_topics(text) == ("afghanistan-transit",)


def test_cyrillic_patterns_match():
    assert find_topics("Обсуждали Косово и Габалинскую РЛС.") == ("kosovo", "gabala-radar")


def test_every_catalogue_pattern_starts_with_a_word():
    for topic in TOPICS:
        for pattern in (*topic.patterns, *topic.weak_patterns):
            assert leading_words(pattern), pattern


def test_leading_words_cover_alternatives_and_optional_letters():
    assert leading_words(r"(missile|radar)s? in Poland") == ("missile", "radar")
    assert leading_words(r"Iranians?") == ("iranian",)
    assert leading_words(r"(?-i:CFE)|Conventional Forces") == ("cfe", "conventional")


@pytest.mark.parametrize("pattern", [r"\w+ treaty", r"(the )?treaty", r"[Tt]reaty", r".*"])
def test_a_pattern_not_starting_with_a_word_is_refused(pattern):
    with pytest.raises(ValueError, match="must start with a word"):
        leading_words(pattern)


def test_a_custom_topic_table_replaces_the_catalogue():
    table = (
        TopicSpec("arctic", "Arctic", "", patterns=(r"Arctic (shelf|claims?)",)),
        TopicSpec("fish", "Fisheries", "", patterns=(), weak_patterns=(r"fish(ing|eries)?",)),
    )
    assert find_topics("Arctic claims and fishing, and Kosovo. Fisheries again.", table) == (
        "arctic",
        "fish",
    )


def test_a_text_whose_lower_case_changes_length_is_still_tagged():
    # "İ" lower-cases to two characters, so offsets into the lower-cased text shift.
    assert find_topics("İİİ Kosovo and the CFE") == ("cfe-treaty", "kosovo")


@given(st.text(max_size=400))
def test_any_text_yields_catalogue_slugs_in_order(text):
    slugs = [topic.slug for topic in TOPICS]
    found = find_topics(text)
    assert list(found) == [slug for slug in slugs if slug in found]
