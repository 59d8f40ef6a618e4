"""Finding quotations and who said them, on the seed articles and on invented paragraphs
for each attribution rule."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from articles.analysis.catalogue import PersonSpec
from articles.analysis.quotations import Quotation, find_quotations
from articles.ingest import parse_capture

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@cache
def seed_quotations(number: int) -> tuple[Quotation, ...]:
    path = next(SEEDS.glob(f"{number:03d}_*.txt"))
    blocks = parse_capture(path.read_bytes(), path.name).blocks
    return find_quotations([block.text for block in blocks])


def said(paragraphs: list[str] | str) -> list[tuple[str, str]]:
    """(speaker slug, quote) pairs, for compact assertions."""
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return [(q.slug, q.quote) for q in find_quotations(paragraphs)]


def quotes_by(number: int, slug: str) -> list[str]:
    return [q.quote for q in seed_quotations(number) if q.slug == slug]


# The seeds


def test_lavrov_is_quoted_in_every_seed():
    assert quotes_by(0, "sergei-lavrov") == [
        "Our position remains unaltered. The best way of addressing concerns related to the "
        "third missile site (in Europe) is to drop the plans, and switch to joint projects"
    ]
    assert quotes_by(1, "sergei-lavrov") == [
        "minimizing differences",
        "reaching agreements",
    ]
    assert quotes_by(2, "sergei-lavrov")[0].startswith("Today our American counterparts")
    assert any(
        q.startswith("As far as missile defence is concerned")
        for q in quotes_by(3, "sergei-lavrov")
    )
    assert "important, useful proposals" in quotes_by(4, "sergei-lavrov")
    assert "The American side, as far as we understand, has heeded our concerns" in quotes_by(
        4, "sergei-lavrov"
    )


def test_lavrovs_quotes_after_he_said_and_the_minister_said_are_his():
    lavrov = quotes_by(2, "sergei-lavrov")
    assert len(lavrov) == 4
    assert lavrov[1].startswith("We have agreed that this format")  # "he said"
    assert lavrov[2].startswith("If we manage to work out the criteria")  # after "He said ..."
    assert lavrov[3].startswith("We put forward this summer")  # "the minister said"


def test_rood_is_quoted_before_his_long_title():
    (rood,) = [q for q in seed_quotations(0) if q.slug == "john-rood"]
    assert rood.quote.startswith("We made a lot of headway … but there are still")
    assert rood.paragraph == 1
    assert "John Rood, acting US under secretary" in rood.sentence


def test_gates_is_quoted_on_both_sides_of_his_attribution():
    assert quotes_by(4, "robert-gates") == [
        "The environment in our meetings was positive",
        "Whether that leads to a positive conclusion remains to be seen.",
    ]


def test_gates_is_he_after_being_named_stressing_a_point():
    (gates,) = quotes_by(3, "robert-gates")
    assert gates.startswith("We had the opportunity today")


def test_rice_is_she_in_the_paragraph_after_she_agreed():
    (rice,) = [q for q in seed_quotations(4) if q.slug == "condoleezza-rice"]
    assert rice.quote.startswith("When we have differences, we can talk about them")
    assert rice.sentence.endswith("she added.")


def test_putin_is_quoted_in_single_quotes():
    assert quotes_by(1, "vladimir-putin") == [
        "a very serious document",
        "If we can agree on the main points (of the message), our dialogue will be productive",
    ]


def test_the_russian_president_is_putin_when_only_he_has_that_role():
    assert any(
        q.startswith("If we manage to agree on its main provisions")
        for q in quotes_by(4, "vladimir-putin")
    )


def test_unattributed_seed_quotes_are_left_alone():
    quoted = {q.quote for number in range(5) for q in seed_quotations(number)}
    assert "rogue states" not in quoted  # "Washington has insisted ..."
    assert "hackneyed collection of claims" not in quoted  # "The Kremlin dismissed ..."
    assert "Useful proposals" not in quoted  # a sub-heading


# Invented paragraphs, one rule at a time


def test_a_quote_followed_by_a_surname_and_a_verb():
    assert said("“We will study the offer,” Lavrov said.") == [
        ("sergei-lavrov", "We will study the offer")
    ]


def test_a_quote_followed_by_a_full_name_and_a_verb():
    assert said('"Nothing has changed," Sergei Lavrov told reporters.') == [
        ("sergei-lavrov", "Nothing has changed")
    ]


def test_a_quote_followed_by_the_verb_and_then_the_name():
    assert said('"We are not there yet," said Defence Secretary Robert Gates.') == [
        ("robert-gates", "We are not there yet")
    ]


def test_an_attribution_before_the_quote_with_a_colon():
    assert said('Mr Medvedev said: "We are ready to talk."') == [
        ("dmitry-medvedev", "We are ready to talk.")
    ]


def test_a_quote_opening_the_paragraph_with_an_appositive_attribution():
    text = (
        '"The door remains open," Sergei Kislyak, Russia\'s deputy foreign minister, '
        "said on Friday."
    )
    assert said(text) == [("sergei-kislyak", "The door remains open")]


def test_fragments_of_reported_speech_belong_to_the_speaker():
    text = "Mr Serdyukov said the plans were 'a real threat' and 'not acceptable to Moscow'."
    assert said(text) == [
        ("anatoly-serdyukov", "a real threat"),
        ("anatoly-serdyukov", "not acceptable to Moscow"),
    ]


def test_a_speaker_characterising_something_in_quotes_said_it():
    text = "Putin on Friday called the proposal 'a step in the right direction'."
    assert said(text) == [("vladimir-putin", "a step in the right direction")]


def test_an_appositive_between_speaker_and_verb_is_skipped():
    text = 'Mr Putin, who leaves office in May, said there were "no easy answers".'
    assert said(text) == [("vladimir-putin", "no easy answers")]


def test_according_to_names_the_speaker_after_it():
    assert said('According to Lavrov, the offer was "a step forward".') == [
        ("sergei-lavrov", "a step forward")
    ]


def test_adding_after_a_comma_shares_the_speaker_of_the_sentence():
    text = '"It was a good meeting," Mr Gates said, adding that "differences remain".'
    assert said(text) == [
        ("robert-gates", "It was a good meeting"),
        ("robert-gates", "differences remain"),
    ]


def test_russian_quotation_marks_and_verbs_are_understood():
    assert said("«Мы не согласны», — сказал Лавров.") == [("sergei-lavrov", "Мы не согласны")]


def test_he_resolves_to_the_speaker_of_the_previous_paragraph():
    paragraphs = [
        "Sergei Lavrov said Moscow would reply within a month.",
        '"We need time to study the details," he said.',
    ]
    assert said(paragraphs) == [("sergei-lavrov", "We need time to study the details")]


def test_he_prefers_the_speaker_over_a_person_merely_named():
    paragraphs = [
        "Sergei Lavrov said he had discussed the radar with Robert Gates.",
        '"The radar is the key question," he added.',
    ]
    assert said(paragraphs) == [("sergei-lavrov", "The radar is the key question")]


def test_she_skips_a_man_named_more_recently():
    paragraphs = [
        "Condoleezza Rice said she had met Sergei Lavrov, who said little.",
        '"We had a frank exchange," she said.',
    ]
    assert said(paragraphs) == [("condoleezza-rice", "We had a frank exchange")]


def test_he_with_no_one_named_before_is_skipped():
    assert said(['"We will see," he said.']) == []


def test_he_does_not_reach_back_more_than_one_paragraph():
    paragraphs = [
        "Sergei Lavrov said the talks were over.",
        "The delegations left the building in the evening.",
        "Reporters waited outside for hours.",
        '"Nothing more to add," he said.',
    ]
    assert said(paragraphs) == []


def test_he_after_a_speaker_outside_the_catalogue_is_skipped():
    paragraphs = [
        "Sergei Lavrov met the press. A Kremlin spokesman, Dmitry Peskov, said talks went on.",
        '"There is no deadline," he said.',
    ]
    assert said(paragraphs) == []


def test_a_quote_by_someone_outside_the_catalogue_is_not_given_to_a_catalogue_person():
    paragraphs = [
        "Sergei Lavrov arrived in Washington on Monday.",
        '"The visit is routine," said John Smith, a State Department spokesman.',
        '"The visit is a sign of goodwill," Smith said.',
        '"It will be a long week," a Kremlin spokesman said.',
    ]
    assert said(paragraphs) == []


def test_the_minister_resolves_to_the_one_minister_named():
    paragraphs = [
        "Condoleezza Rice met Sergei Lavrov in Moscow.",
        '"The proposals are interesting," the minister said.',
    ]
    assert said(paragraphs) == [("sergei-lavrov", "The proposals are interesting")]


def test_the_minister_is_skipped_when_two_ministers_were_named():
    paragraphs = [
        "Sergei Lavrov and Anatoly Serdyukov met their US counterparts.",
        '"The proposals are interesting," the minister said.',
    ]
    assert said(paragraphs) == []


def test_a_quote_sentence_after_an_attribution_continues_it():
    text = '"We listened," Ms Rice said. "We did not agree on everything."'
    assert said(text) == [
        ("condoleezza-rice", "We listened"),
        ("condoleezza-rice", "We did not agree on everything."),
    ]
    continued = find_quotations([text])[1]
    assert continued.sentence == text  # both sentences: the quote and its attribution


def test_a_quotation_running_on_into_the_next_paragraph_keeps_its_speaker():
    paragraphs = [
        'Mr Lavrov said: "We have made our position clear.',
        '"We will not change it."',
    ]
    assert said(paragraphs) == [
        ("sergei-lavrov", "We have made our position clear."),
        ("sergei-lavrov", "We will not change it."),
    ]


def test_a_quotation_in_its_own_paragraph_after_said_colon_is_the_speakers():
    paragraphs = ["Mr Lavrov told reporters:", '"We expect a written answer."', '"Why not now?"']
    assert said(paragraphs) == [("sergei-lavrov", "We expect a written answer.")]


def test_a_quote_with_no_speaker_is_skipped():
    assert said('The plan was described as "a done deal" by observers.') == []
    assert said('"This is not the end," the statement said.') == []


def test_single_word_scare_quotes_are_not_quotations():
    assert said("Lavrov said the 'rogue' states were a pretext.") == []
    assert said('Rice said talks in the "two-plus-two" format would continue.') == []


def test_short_phrases_used_as_terms_are_scare_quotes_not_quotations():
    text = (
        "Sergei Lavrov said that the two 'great powers' had a natural understanding for the "
        "importance of 'minimizing differences' and 'reaching agreements,' Interfax reported."
    )
    assert [quote for _, quote in said(text)] == ["minimizing differences", "reaching agreements"]
    assert said("Rice said the so-called 'missile gap' was a myth.") == []
    assert said('Lavrov said the "frozen conflicts" were a danger.') == []
    # Longer phrases and fragments that are the speech itself are still quotations.
    assert said("Mr Serdyukov said the plans were 'a real threat' to Russia.") == [
        ("anatoly-serdyukov", "a real threat")
    ]


def test_apostrophes_are_not_quote_marks():
    text = "Robert Gates' plan and Russia's reply: 'We cannot accept it,' Lavrov said."
    assert said(text) == [("sergei-lavrov", "We cannot accept it")]


def test_a_quote_repeated_by_its_speaker_is_listed_once():
    text = '"No deal," Lavrov said. Later Lavrov repeated: "No deal."'
    assert said(text) == [("sergei-lavrov", "No deal")]
    assert said(['"No deal," Lavrov said.', '"No deal," Lavrov said.']) == [
        ("sergei-lavrov", "No deal")
    ]


def test_the_paragraph_index_points_at_the_quote():
    paragraphs = ["Talks resumed.", "", '"We are hopeful," Mr Gates said.']
    assert [q.paragraph for q in find_quotations(paragraphs)] == [2]


def test_a_custom_people_table_attributes_to_its_people():
    table = (PersonSpec("jane-doe", "Jane Doe", "Envoy", (), "Doe", pronoun="she"),)
    paragraphs = ['"Progress is slow," Doe said.', '"But it is progress," she added.']
    assert [q.slug for q in find_quotations(paragraphs, table)] == ["jane-doe", "jane-doe"]


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=120), max_size=6))
def test_any_paragraphs_yield_quotes_found_in_them(paragraphs):
    for quotation in find_quotations(paragraphs):
        assert quotation.quote in paragraphs[quotation.paragraph]
        assert quotation.sentence in paragraphs[quotation.paragraph]
        assert len(quotation.quote.split()) >= 2
