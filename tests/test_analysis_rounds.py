"""Suggesting the round of talks an article covers, and the catalogue behind it."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from articles.analysis.catalogue import PEOPLE, ROUNDS, TOPICS, RoundSpec
from articles.analysis.people import find_people
from articles.analysis.rounds import RoundSuggestion, suggest_rounds
from articles.ingest import parse_capture

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@cache
def seed_suggestions(number: int) -> tuple[RoundSuggestion, ...]:
    path = next(SEEDS.glob(f"{number:03d}_*.txt"))
    article = parse_capture(path.read_bytes(), path.name)
    text = "\n\n".join(block.text for block in article.blocks)
    return suggest_rounds(
        published=article.published_date,
        dateline=article.dateline,
        text=text,
        people=[mention.slug for mention in find_people(text)],
    )


def suggested(number: int) -> list[str]:
    return [suggestion.slug for suggestion in seed_suggestions(number)]


def suggest(text: str, *, published: date | None = None, dateline: str = "") -> list[str]:
    people = [mention.slug for mention in find_people(text)]
    found = suggest_rounds(published=published, dateline=dateline, text=text, people=people)
    return [suggestion.slug for suggestion in found]


# The seeds


def test_the_march_moscow_reports_are_about_the_march_two_plus_two():
    assert suggested(1) == ["moscow-2plus2-2008-03"]
    assert suggested(4) == ["moscow-2plus2-2008-03"]


def test_the_undated_rt_piece_is_placed_in_march_2008_by_tuesday_and_putins_exit():
    assert suggested(3) == ["moscow-2plus2-2008-03"]
    reasons = " / ".join(seed_suggestions(3)[0].reasons)
    assert "Tuesday" in reasons
    assert "Putin about to step down" in reasons


def test_the_october_report_is_about_the_october_round_not_the_march_one():
    assert suggested(2) == ["moscow-2plus2-2007-10"]
    (october,) = seed_suggestions(2)
    assert october.reasons[:2] == ("published 12 Oct 2007, during the round", "dateline Moscow")
    assert "mentions “two-plus-two”" in october.reasons


def test_the_washington_report_is_about_the_expert_talks_first():
    assert suggested(0)[0] == "washington-experts-2008-03"
    assert "names Rood, Kislyak" in seed_suggestions(0)[0].reasons


def test_scores_are_best_first():
    for number in range(5):
        scores = [suggestion.score for suggestion in seed_suggestions(number)]
        assert scores == sorted(scores, reverse=True)


# Invented articles


def test_a_dated_article_far_from_every_round_gets_no_suggestion():
    text = "Sergei Lavrov and Condoleezza Rice held two-plus-two talks in Moscow."
    assert suggest(text, published=date(2009, 6, 1), dateline="Moscow") == []


def test_a_preview_a_few_days_before_a_round_is_suggested_with_less_weight():
    text = "Bush will meet Putin in Sochi at the weekend, Vladimir Putin said."
    (preview,) = suggest_rounds(
        published=date(2008, 4, 2), dateline="", text=text, people=["vladimir-putin"]
    )
    assert preview.slug == "sochi-summit-2008-04"
    assert preview.reasons[0] == "published 2 Apr 2008, 4 days before the round"


def test_an_undated_article_is_suggested_from_place_people_and_keywords():
    text = (
        "George W. Bush and Vladimir Putin met in Sochi, where they adopted a strategic "
        "framework declaration."
    )
    assert suggest(text) == ["sochi-summit-2008-04"]


def test_people_alone_do_not_suggest_a_round():
    assert suggest("George W. Bush and Vladimir Putin spoke by telephone.") == []


def test_a_dating_cue_rules_out_rounds_from_another_period():
    text = "Condoleezza Rice and Robert Gates met Sergei Lavrov in Moscow on Friday."
    assert suggest(text)[0] == "moscow-2plus2-2007-10"  # Friday 12 October 2007
    later = text + " President-elect Dmitry Medvedev joined them."
    assert suggest(later)[0] == "moscow-2plus2-2008-03"
    assert "moscow-2plus2-2007-10" not in suggest(later)


def test_an_explicit_day_of_the_round_counts():
    text = "The ministers met in Moscow on 18 March 2008."
    (march,) = suggest_rounds(published=None, dateline="", text=text, people=[])
    assert march.slug == "moscow-2plus2-2008-03"
    assert "mentions 18 March" in march.reasons


def test_a_dateline_counts_more_than_a_mention():
    people = ["sergei-kislyak", "john-rood"]
    text = "Sergei Kislyak and John Rood held expert talks."
    at_home = suggest_rounds(published=None, dateline="WASHINGTON", text=text, people=people)
    assert at_home[0].reasons[0] == "dateline Washington"
    mentioned = text + " They met in Washington."
    elsewhere = suggest_rounds(published=None, dateline="", text=mentioned, people=people)
    assert elsewhere[0].reasons[0] == "mentions Washington"
    assert at_home[0].score > elsewhere[0].score


def test_a_custom_round_table_replaces_the_catalogue():
    geneva = RoundSpec(
        slug="geneva-2009-07",
        name="Geneva talks",
        start=date(2009, 7, 1),
        end=date(2009, 7, 2),
        place="Geneva",
        place_variants=(),
        parties=("United States", "Russia"),
        participants=("sergei-lavrov",),
        topics=(),
    )
    (suggestion,) = suggest_rounds(
        published=date(2009, 7, 2),
        dateline="Geneva",
        text="Talks in Geneva.",
        people=["sergei-lavrov"],
        rounds=(geneva,),
    )
    assert suggestion == RoundSuggestion(
        "geneva-2009-07",
        6.5,
        ("published 2 Jul 2009, during the round", "dateline Geneva", "names Lavrov"),
    )


# The catalogue


def test_catalogue_slugs_are_unique():
    for table in (PEOPLE, TOPICS, ROUNDS):
        slugs = [entry.slug for entry in table]
        assert len(slugs) == len(set(slugs))


def test_rounds_refer_to_catalogue_people_and_topics():
    people = {person.slug for person in PEOPLE}
    topics = {topic.slug for topic in TOPICS}
    for round_ in ROUNDS:
        assert round_.start <= round_.end
        assert set(round_.participants) <= people, round_.slug
        assert set(round_.topics) <= topics, round_.slug


def test_people_have_a_surname_in_their_name_and_a_known_pronoun():
    for person in PEOPLE:
        assert person.name.endswith(person.surname), person.slug
        assert person.pronoun in ("he", "she")
        assert all(word == word.lower() for word in person.role_words), person.slug
